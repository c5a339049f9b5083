"""The state of one run: what the tool remembers about files other than the one it lints.

Facts about other modules (their parsed trees, the project's name index, the answers of the
resolver and of astroid, conftest.py files, installed plugins) are worth keeping across the
files of one run, and wrong once a file changes. Every such cache is made through `RUN`, so
that the door that owns the run (the CLI, the flake8 plugin, the language server, the codemod)
can start it (`RUN.start()`: astroid's time budget is whole again) and forget everything
(`RUN.clear()`, the server after a file is saved) without knowing which module keeps what.
"""
from __future__ import annotations

import sys
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)


class RunCache:
    def __init__(self) -> None:
        self._dicts: list[dict] = []
        self._functions: list[Callable] = []
        self.astroid_spent = 0.0  # seconds astroid has used in this run (see external.py)

    def dict(self) -> dict:
        """A new cache of the run, emptied by clear()."""
        made: dict = {}
        self._dicts.append(made)
        return made

    def function(self, function: F) -> F:
        """Register a memoised function (functools.lru_cache, reads.remembered): clear() empties it."""
        self._functions.append(function)
        return function

    def start(self) -> None:
        """A new run: astroid gets its whole budget again; what was learnt about files stays."""
        self.astroid_spent = 0.0

    def clear(self) -> None:
        """Forget every file read so far (a long-lived process, after a file changed on disk)."""
        for cache in self._dicts:
            cache.clear()
        for function in self._functions:
            function.cache_clear()
        if "astroid" in sys.modules:
            import astroid

            astroid.MANAGER.clear_cache()
        self.start()


RUN = RunCache()
