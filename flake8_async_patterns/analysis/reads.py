"""What a lint read besides its own file: the other files (or their absence), the answers of a
project's name index, and whole projects (where astroid answered, which may read any module).
A cached result stays true while all of these are as they were.

Cross-file facts are memoised for the whole process, so a fact computed while linting one file
carries what it read (`remember`), and every later lint that reuses it reads the same again."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")


@dataclass(eq=False)  # a recording is removed by identity
class Reads:
    files: set[str] = field(default_factory=set)  # absolute paths read or looked for
    # (project root, the names looked up in its index) -> the name -> whether the index offers it
    names: dict[str, dict[str, bool]] = field(default_factory=dict)
    projects: set[str] = field(default_factory=set)  # roots whose every module may matter

    def merge(self, other: Reads) -> None:
        self.files |= other.files
        self.projects |= other.projects
        for root, names in other.names.items():
            self.names.setdefault(root, {}).update(names)

    def __bool__(self) -> bool:
        return bool(self.files or self.names or self.projects)


_OPEN: list[Reads] = []  # the recordings under way, outermost first
_NOTHING = Reads()


def recording_active() -> bool:
    return bool(_OPEN)


@contextmanager
def recording() -> Iterator[Reads]:
    reads = Reads()
    _OPEN.append(reads)
    try:
        yield reads
    finally:
        _OPEN.remove(reads)


def note_file(path: str) -> None:
    for reads in _OPEN:
        reads.files.add(path)


def note_name(root: str, name: str, offered: bool) -> None:
    for reads in _OPEN:
        reads.names.setdefault(root, {})[name] = offered


def note_project(root: str) -> None:
    for reads in _OPEN:
        reads.projects.add(root)


def replay(reads: Reads) -> None:
    if reads:
        for open_reads in _OPEN:
            open_reads.merge(reads)


def remember(cache: dict, key, compute: Callable[[], T], in_progress: T = None) -> T:
    """`cache[key]`, computed once per process by `compute`, with what it read noted again
    for each lint that asks.  While it is being computed (a cycle), the answer is `in_progress`."""
    if key in cache:
        value, reads = cache[key]
        replay(reads)
        return value
    cache[key] = (in_progress, _NOTHING)
    try:
        with recording() as reads:
            value = compute()
    except BaseException:
        del cache[key]
        raise
    cache[key] = (value, reads)
    return value


def remembered(function: Callable[..., T]) -> Callable[..., T]:
    """A function of hashable arguments memoised with `remember` (`.cache_clear()` as lru_cache's)."""
    cache: dict = {}

    def wrapper(*args):
        return remember(cache, args, lambda: function(*args))

    wrapper.cache_clear = cache.clear
    wrapper.__wrapped__ = function
    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper
