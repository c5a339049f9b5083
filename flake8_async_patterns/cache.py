"""The results cache of `check`: a file's findings are kept under a key made of its content,
the tool, the settings and the codes, with what its lint read besides the file itself
(analysis/reads.py); they are reused while all of that is unchanged.

One JSON file per entry in `<cache-dir>/<tool fingerprint>/`, written atomically, so that
worker processes share the folder without locks; a folder for another tool version is
removed when a new one is made.  An entry that cannot be read is a miss, never an error."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

from . import __version__
from .analysis.reads import Reads
from .registry import Finding

DEFAULT_FOLDER = ".async_patterns_cache"
_GITIGNORE = "# written by async-patterns: the folder is a cache\n*\n"
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# a cache folder of async-patterns\n"


def _tool_fingerprint() -> str:
    """The version, the Python and its environment (where installed packages are found), and the
    tool's own files (an edited checkout is another tool)."""
    places = sysconfig.get_paths()
    environment = [sys.prefix, places.get("purelib"), places.get("platlib"), os.environ.get("PYTHONPATH")]
    digest = hashlib.sha256(f"{__version__}\0{sys.version_info[:2]}\0{environment}".encode(
        "utf-8", "surrogateescape"))
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"\0{path.relative_to(package)}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def canonical(value) -> object:
    """A form of settings whose text is the same in every process (sets sorted)."""
    if dataclasses.is_dataclass(value):
        return [type(value).__name__] + [[f.name, canonical(getattr(value, f.name))]
                                         for f in dataclasses.fields(value)]
    if isinstance(value, (set, frozenset)):
        return sorted(map(repr, value))
    if isinstance(value, (tuple, list)):
        return [canonical(item) for item in value]
    return repr(value)


def digest_of(path: str) -> str | None:
    """What a dependency is now: the content hash of a regular file, "dir" for a folder,
    None for nothing there (or something that is not a file, which is never read)."""
    try:
        if os.path.isdir(path):
            return "dir"
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except (OSError, ValueError):
        return None


class ResultCache:
    def __init__(self, folder: str) -> None:
        self.root = Path(folder)
        self.folder = self.root / _tool_fingerprint()
        self._digests: dict[str, str | None] = {}
        self._gates: dict[tuple, tuple] = {}
        self._projects: dict[str, str | None] = {}
        self._stamps: dict[str, str] = {}
        self._ready = False

    # -- keys -----------------------------------------------------------------------

    def key(self, path: str, data: bytes, settings, codes: frozenset[str]) -> tuple[str, str]:
        """(the entry's name: the file, settings and codes; the content's hash). One entry per
        file and configuration, replaced when the file changes, so the folder does not grow."""
        digest = hashlib.sha256()
        for part in (os.path.abspath(path), json.dumps(canonical(settings)), ",".join(sorted(codes))):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        return digest.hexdigest(), hashlib.sha256(data).hexdigest()

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    # -- reading ----------------------------------------------------------------------

    def get(self, key: tuple[str, str], settings) -> list[Finding] | None:
        name, content = key
        try:
            entry = json.loads(self._entry(name).read_text(encoding="utf-8"))
            if entry["content"] != content or not self._still_true(entry, settings):
                return None
            return [Finding(**row) for row in entry["findings"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def _still_true(self, entry: dict, settings) -> bool:
        for path, digest in entry["files"].items():
            if self._digest(path) != digest:
                return False
        for root, digest in entry["projects"].items():
            if self._project(root) != digest:
                return False
        for root, names in entry["names"].items():
            if entry["stamps"].get(root) == self._stamp(root):
                continue  # the index is read from the same files as then
            possible, properties = self._gate(root, settings)
            for name, offered in names.items():
                if name.startswith("@"):
                    now = properties is None or name[1:] in properties
                else:
                    now = not possible or name in possible
                if now != offered:
                    return False
        return True

    def _digest(self, path: str) -> str | None:
        if path not in self._digests:
            self._digests[path] = digest_of(path)
        return self._digests[path]

    def _stamp(self, root: str) -> str:
        if root not in self._stamps:
            from .analysis.external import index_stamp

            self._stamps[root] = index_stamp(root)
        return self._stamps[root]

    def _gate(self, root: str, settings) -> tuple:
        key = (root, settings)
        if key not in self._gates:
            from .analysis.coroutines import index_gates

            self._gates[key] = index_gates(root, settings)
        return self._gates[key]

    def _project(self, root: str) -> str | None:
        """One hash of every module of the project under `root` (None: too big to read)."""
        if root not in self._projects:
            from .analysis.external import project_files

            files = project_files(root)
            if files is None:
                self._projects[root] = None
            else:
                digest = hashlib.sha256()
                for path in sorted(files):
                    digest.update(f"{path}\0{self._digest(path)}\0".encode("utf-8", "surrogateescape"))
                self._projects[root] = digest.hexdigest()
        return self._projects[root]

    # -- writing ----------------------------------------------------------------------

    def put(self, key: tuple[str, str], findings: list[Finding], reads: Reads) -> None:
        if any(f.code == "ASP000" for f in findings):
            return  # an internal error is not a result
        projects = {root: self._project(root) for root in sorted(reads.projects)}
        if None in projects.values():
            return
        name, content = key
        entry = {
            "content": content,
            "findings": [dataclasses.asdict(f) for f in findings],
            "files": {path: self._digest(path) for path in sorted(reads.files)},
            "projects": projects,
            "names": {root: dict(sorted(names.items())) for root, names in sorted(reads.names.items())},
            "stamps": {root: self._stamp(root) for root in sorted(reads.names)},
        }
        try:
            text = json.dumps(entry)
        except (TypeError, ValueError):
            return  # fix data that JSON cannot hold: not cached
        try:
            self._prepare()
            target = self._entry(name)
            target.parent.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(text)
                os.replace(temporary, target)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass  # a cache that cannot be written only makes the next run slower

    def _prepare(self) -> None:
        if self._ready:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            marker = self.root / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")
        if not self.folder.is_dir():
            for old in self.root.iterdir():
                if old.is_dir() and len(old.name) == 16 and old != self.folder:
                    shutil.rmtree(old, ignore_errors=True)  # another version's entries
            self.folder.mkdir(exist_ok=True)
        self._ready = True


_OPEN: dict[str, ResultCache] = {}


def forget_caches() -> None:
    _OPEN.clear()


def cache_in(folder: str) -> ResultCache:
    """The cache of this process for `folder` (one per worker: its memo of file hashes)."""
    if folder not in _OPEN:
        _OPEN[folder] = ResultCache(folder)
    return _OPEN[folder]


def with_imports(reads: Reads, settings) -> Reads:
    """`reads`, with the project modules that each module it read imports, and theirs: what the
    facts of those modules, cached for the process, may have read for an earlier lint."""
    from .analysis.external import imported_files

    todo = list(reads.files)
    while todo:
        for path in imported_files(todo.pop(), settings):
            if path not in reads.files:
                reads.files.add(path)
                todo.append(path)
    return reads
