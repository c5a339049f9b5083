"""Which calls touch the file system: the standard library's file functions by qualified
name, and the I/O methods of `pathlib.Path` on values that are surely paths.

A value is a path when it is built by `pathlib.Path(...)` (or `PosixPath`/`WindowsPath`,
`Path.home()`, `Path.cwd()`), derived from a path (`p / "x"`, `p.parent`, `p.parents[0]`,
`p.with_suffix(".txt")`, `p.resolve()`, ...), annotated as one (`p: Path`,
`Optional[Path]`), or a name every assignment of which gives it one of those, including
`for child in p.iterdir():` and `a, b = Path(x), Path(y)`.  Anything else is unknown, and
unknown means silent: `anyio.Path`, `trio.Path` and `zipfile.Path` are other classes.
"""
from __future__ import annotations

import ast

from .coroutines import Alternatives, ClassRef, Qualified
from .nodes import walk
from .scopes import Scope

OPENS = frozenset({"open", "builtins.open", "io.open", "io.open_code", "os.fdopen", "codecs.open"})

_OS_PATH_QUERIES = (
    "exists lexists isfile isdir islink ismount isjunction isdevdrive "
    "getsize getmtime getatime getctime realpath samefile"
).split()
_OS_PATH_MODULES = ("os.path", "posixpath", "ntpath", "genericpath")
_OS = (
    "walk fwalk listdir scandir stat lstat statvfs access remove unlink rename renames replace "
    "mkdir makedirs rmdir removedirs chmod lchmod chown lchown utime truncate link symlink "
    "readlink fsync fdatasync"
).split()
_SHUTIL = (
    "copy copy2 copyfile copyfileobj copymode copystat copytree rmtree move disk_usage chown "
    "make_archive unpack_archive which"
).split()

# module functions that do file I/O, by qualified name
FILE_FUNCTIONS = OPENS | frozenset(
    [f"{module}.{name}" for module in _OS_PATH_MODULES for name in _OS_PATH_QUERIES]
    + [f"os.{name}" for name in _OS] + [f"shutil.{name}" for name in _SHUTIL])

# methods of pathlib.Path that ask the file system; the pure ones (name, suffix, parent,
# with_suffix, joinpath, relative_to, as_posix, is_absolute, match, ...) are not here, nor
# absolute() and expanduser(), which read the working directory and the environment only
PATH_IO_METHODS = frozenset((
    "read_text read_bytes write_text write_bytes open iterdir glob rglob walk "
    "exists is_file is_dir is_symlink is_mount is_socket is_fifo is_block_device is_char_device "
    "is_junction stat lstat owner group chmod lchmod mkdir rmdir unlink touch rename replace "
    "symlink_to hardlink_to link_to readlink samefile resolve copy copy_into move move_into"
).split())
# calls that return a lazy iterator: no I/O until it is iterated (Path.iterdir() before 3.13)
LAZY = frozenset({"os.walk", "os.fwalk", "Path.iterdir", "Path.glob", "Path.rglob", "Path.walk"})
# calls whose I/O goes on while their result is iterated
ITERATED = LAZY | {"os.scandir"}
# builtins that iterate their argument to the end, and those that pass an iterator on
CONSUMERS = frozenset({"list", "tuple", "set", "frozenset", "sorted", "dict", "next", "any", "all",
                       "sum", "min", "max"})
PASSERS = frozenset({"enumerate", "zip", "reversed", "filter", "map", "iter"})

PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"})
_PATH_MAKERS = PATH_CLASSES | frozenset(f"{c}.{m}" for c in PATH_CLASSES for m in ("home", "cwd"))
# methods of a path that return a path
_PATH_RETURNING = frozenset((
    "resolve absolute expanduser with_name with_suffix with_stem with_segments joinpath "
    "relative_to readlink"
).split())
_YIELDS_PATHS = frozenset({"iterdir", "glob", "rglob"})

# the names a call is made by, for the dispatch: `exists` of `os.path.exists` or `p.exists()`
CALL_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in FILE_FUNCTIONS) | PATH_IO_METHODS


_MAX_DEPTH = 40  # how far a value is followed through derivations and names: beyond, unknown


def file_io_call(call: ast.Call, scope: Scope, facts) -> str | None:
    """What `call` is when it does file I/O: a qualified name (`os.path.exists`, `open`) or
    `Path.<method>` for a method of a path; None otherwise."""
    func = call.func
    if _nesting(func) > _MAX_DEPTH:
        return None
    resolved = facts.resolver.resolve(func, scope)
    if isinstance(resolved, Qualified) and not resolved.on_instance:
        if resolved.name in FILE_FUNCTIONS:
            return resolved.name
        owner, _, method = resolved.name.rpartition(".")
        if owner in PATH_CLASSES and method in PATH_IO_METHODS:
            return f"Path.{method}"  # `Path.exists(p)`
    if isinstance(func, ast.Attribute) and func.attr in PATH_IO_METHODS \
            and facts.memo("path-values", lambda: PathValues(facts)).is_path(func.value, scope):
        return f"Path.{func.attr}"
    return None


def iterated_here(path: list[ast.AST], resolver, scope: Scope) -> bool:
    """Whether the iterator that `path[-1]` makes is iterated where it is made: the iterable of a
    `for` or a comprehension, unpacked by `*`, or given to `list()`, `sorted()`, `next()`, ...
    (through `enumerate()`, `zip()`, ...)."""
    child = path[-1]
    for parent in reversed(path[:-1]):
        if isinstance(parent, (ast.For, ast.comprehension)):
            return parent.iter is child
        if isinstance(parent, ast.Starred):
            return True
        if not isinstance(parent, ast.Call) or child not in parent.args:
            return False
        called = resolver.resolve(parent.func, scope)
        name = called.name if isinstance(called, Qualified) and not called.on_instance else None
        if name in CONSUMERS:
            return True
        if name not in PASSERS:
            return False
        child = parent
    return False


def _nesting(expr: ast.AST) -> int:
    """How many calls, attributes, subscripts and `/` are stacked in `expr`, counted without recursion."""
    depth = 0
    while isinstance(expr, (ast.Attribute, ast.Call, ast.Subscript, ast.BinOp)):
        depth += 1
        expr = expr.left if isinstance(expr, ast.BinOp) else expr.func if isinstance(expr, ast.Call) else expr.value
    return depth


class PathValues:
    """Answers "is this expression surely a `pathlib.Path`?" for one module."""

    def __init__(self, facts) -> None:
        self.facts = facts
        self.resolver = facts.resolver
        self._in_progress: set = set()

    def is_path(self, expr: ast.AST, scope: Scope, depth: int = 0) -> bool:
        if depth > _MAX_DEPTH or _nesting(expr) > _MAX_DEPTH:
            return False
        depth += 1
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            return self.is_path(expr.left, scope, depth)
        if isinstance(expr, ast.Attribute) and expr.attr == "parent":
            return self.is_path(expr.value, scope, depth)
        if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute) \
                and expr.value.attr == "parents":
            return self.is_path(expr.value.value, scope, depth)
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Attribute) and func.attr in _PATH_RETURNING \
                    and self.is_path(func.value, scope, depth):
                return True
            resolved = self.resolver.resolve(func, scope)
            if isinstance(resolved, Qualified) and not resolved.on_instance and resolved.name in _PATH_MAKERS:
                return True
        if isinstance(expr, ast.Name):
            return self._name_is_path(expr, scope, depth)
        if isinstance(expr, (ast.Call, ast.Attribute)):
            return self._annotated_path(expr, scope)  # `self.root: Path`, `def base() -> Path`
        return False

    def _annotated_path(self, expr: ast.AST, scope: Scope) -> bool:
        found = self.resolver.instance_class(expr, scope)
        if found is None and isinstance(expr, ast.Attribute):  # `page.source`, a field `source: Path`
            owner = self.resolver.instance_class(expr.value, scope)
            if isinstance(owner, ClassRef):
                found = self.resolver._declared_attribute(owner, expr.attr)
        options = found.options if isinstance(found, Alternatives) else (found,)
        return all(isinstance(c, Qualified) and not c.awaited and c.name in PATH_CLASSES for c in options)

    def _name_is_path(self, name: ast.Name, scope: Scope, depth: int) -> bool:
        found = scope.lookup(name.id)
        if found is None:
            return False
        where, bindings = found
        key = (name.id, id(where.node))
        if key in self._in_progress:
            return True  # `p = p / "sub"`: a path if every other assignment makes one
        if len(bindings) == 1 and (bindings[0].kind == "param" or isinstance(bindings[0].node, ast.AnnAssign)):
            return self._annotated_path(name, scope)
        self._in_progress.add(key)
        try:
            for binding in bindings:
                if binding.kind != "assign" or isinstance(binding.node, ast.withitem):
                    return False
                if binding.value is not None:
                    surely = self.is_path(binding.value, where, depth)
                else:
                    derived = self.facts.memo("file-io-targets", self._targets).get(id(binding.node))
                    if derived is None:
                        return False
                    kind, source = derived
                    surely = self._yields_paths(source, where, depth) if kind == "item" \
                        else self.is_path(source, where, depth)
                if not surely:
                    return False
            return bool(bindings)
        finally:
            self._in_progress.discard(key)

    def _yields_paths(self, iterable: ast.AST, scope: Scope, depth: int) -> bool:
        """`p.iterdir()`, `p.glob("*.txt")`, `p.rglob(...)` on a path."""
        return isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) \
            and iterable.func.attr in _YIELDS_PATHS and self.is_path(iterable.func.value, scope, depth)

    def _targets(self) -> dict[int, tuple[str, ast.AST]]:
        """Names bound without a single value: a loop's target ("item", the iterable) and the
        names of `a, b = x, y` ("value", the matching element)."""
        found: dict[int, tuple[str, ast.AST]] = {}
        for node in walk(self.facts.tree):
            if isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Name):
                if not (isinstance(node, ast.comprehension) and node.is_async):
                    found[id(node.target)] = ("item", node.iter)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
                if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
                        and len(target.elts) == len(value.elts) \
                        and not any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts)):
                    for element, item in zip(target.elts, value.elts):
                        if isinstance(element, ast.Name):
                            found[id(element)] = ("value", item)
        return found
