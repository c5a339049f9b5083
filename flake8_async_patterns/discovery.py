"""Which files a run checks: named files as given, folders searched for `*.py`, minus the
excluded and, by default, what git ignores."""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .settings import SKIP_DIRS
from .source import one_line


def excluded(path: Path, patterns: Sequence[str]) -> bool:
    text = path.as_posix()
    return any(fnmatch.fnmatch(text, p) or fnmatch.fnmatch(path.name, p) for p in patterns)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long, a folder we may not search: reading it will say so
        return False


class GitIgnored:
    """What git would ignore under a work tree: its `.gitignore` files, folder by folder, and
    `.git/info/exclude`; read once per folder."""

    def __init__(self) -> None:
        self._specs: dict[str, object] = {}
        self._roots: dict[str, str | None] = {}

    def _root(self, folder: str) -> str | None:
        """The work tree `folder` is in (the nearest folder above it holding `.git`), if any."""
        if folder not in self._roots:
            parent = os.path.dirname(folder)
            self._roots[folder] = folder if os.path.exists(os.path.join(folder, ".git")) else (
                None if parent == folder else self._root(parent))
        return self._roots[folder]

    def _spec(self, folder: str, names: Sequence[str]):
        if folder not in self._specs:
            import pathspec

            lines: list[str] = []
            for name in names:
                try:
                    with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                        lines.extend(handle.read().splitlines())
                except OSError:
                    continue
            self._specs[folder] = pathspec.GitIgnoreSpec.from_lines(lines) if lines else None
        return self._specs[folder]

    def __call__(self, path: str, is_dir: bool) -> bool:
        absolute = os.path.abspath(path)
        folder = os.path.dirname(absolute)
        root = self._root(folder)
        while root is not None:
            at_root = folder == root
            names = [".gitignore", os.path.join(".git", "info", "exclude")] if at_root else [".gitignore"]
            spec = self._spec(folder, names)
            relative = os.path.relpath(absolute, folder).replace(os.sep, "/") + ("/" if is_dir else "")
            if spec is not None and spec.match_file(relative):
                return True
            if at_root:
                break
            folder = os.path.dirname(folder)
        return False


def discover(paths: Iterable[str], exclude: Sequence[str], problems: list[str] | None = None,
             respect_gitignore: bool = True) -> Iterator[str]:
    """Files to check: named files as given, folders searched for *.py (no symlinked folders).
    A folder that cannot be listed is one line in `problems`."""
    seen: set[str] = set()
    ignored = GitIgnored() if respect_gitignore else (lambda path, is_dir: False)

    def unlisted(error: OSError) -> None:
        if problems is not None:
            problems.append(f"{error.filename}: cannot read folder: {error.strerror or one_line(error)}")

    for given in paths:
        path = Path(given)
        if not _is_dir(path):
            # like flake8, `exclude` applies to named files too (pre-commit names every file);
            # a file named on the command line is checked even when git ignores it
            if not excluded(path, exclude):
                yield given
            continue
        for root, dirs, files in os.walk(path, onerror=unlisted):
            real = os.path.realpath(root)
            if real in seen:
                dirs[:] = []
                continue
            seen.add(real)
            dirs[:] = sorted(
                d for d in dirs
                if d not in SKIP_DIRS and not d.endswith(".egg-info")
                and not excluded(Path(root, d), exclude) and not ignored(os.path.join(root, d), True)
            )
            for name in sorted(files):
                if name.endswith(".py") and not excluded(Path(root, name), exclude) \
                        and not ignored(os.path.join(root, name), False):
                    yield os.path.join(root, name)
