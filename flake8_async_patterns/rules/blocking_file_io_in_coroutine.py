"""## What it does
Finds file-system calls made directly in the body of an `async def`:
- opening a file: `open()`, `io.open()`, `io.open_code()`, `os.fdopen()`,
  `codecs.open()` and `Path.open()`, also as `with open(path) as f:`;
- the methods of a `pathlib.Path` that ask the disk: `read_text()`,
  `read_bytes()`, `write_text()`, `write_bytes()`, `iterdir()`, `glob()`,
  `rglob()`, `walk()`, `exists()`, `is_file()`, `is_dir()` and the other
  `is_*()` tests of the file's type, `stat()`, `lstat()`, `owner()`,
  `group()`, `chmod()`, `mkdir()`, `rmdir()`, `unlink()`, `touch()`,
  `rename()`, `replace()`, `symlink_to()`, `hardlink_to()`, `readlink()`,
  `samefile()`, `resolve()`, `copy()` and `move()`;
- the `os.path` queries that touch the disk: `exists()`, `lexists()`,
  `isfile()`, `isdir()`, `islink()`, `ismount()`, `getsize()`,
  `getmtime()`, `getatime()`, `getctime()`, `realpath()`, `samefile()`;
- `os.walk()`, `os.listdir()`, `os.scandir()`, `os.stat()`, `os.remove()`,
  `os.unlink()`, `os.rename()`, `os.replace()`, `os.mkdir()`,
  `os.makedirs()`, `os.rmdir()`, `os.chmod()`, `os.fsync()` and their kin;
- `shutil.copy()`, `copy2()`, `copyfile()`, `copyfileobj()`, `copytree()`,
  `rmtree()`, `move()`, `disk_usage()`, `make_archive()`,
  `unpack_archive()`, `which()` and the other `shutil` functions that copy
  or remove files.

`os.walk()`, `Path.iterdir()`, `glob()`, `rglob()` and `Path.walk()` return
lazy iterators that touch the disk only while they are iterated: they count
when the coroutine iterates them itself (`for root, dirs, files in
os.walk(top):`, `sorted(folder.glob("*.md"))`, `next(os.walk(top))`), not
when the iterator is made here and iterated elsewhere, in a thread for one.

A value is known to be a path when it is made by `Path(...)`
(`pathlib.Path`, `PosixPath`, `WindowsPath`, `Path.home()`, `Path.cwd()`),
derived from a path (`p / "config.toml"`, `p.parent`, `p.with_suffix(".bak")`,
`p.resolve()`), annotated as one (`path: Path`, `Optional[Path]`,
`self.root: Path`, a function declared `-> Path`), or held by a name that
every assignment gives a path, loop variables of `p.iterdir()`, `p.glob()`
and `p.rglob()` included.

It leaves alone:
- the pure parts of paths, which never touch the disk: `os.path.join()`,
  `basename()`, `dirname()`, `split()`, `splitext()`, `normpath()`,
  `abspath()`, `relpath()`, `expanduser()`, and the path properties and
  methods `name`, `suffix`, `stem`, `parent`, `parts`, `with_suffix()`,
  `with_name()`, `joinpath()`, `relative_to()`, `is_absolute()`,
  `as_posix()`, `match()`, `absolute()` and `expanduser()`;
- `os.path.sameopenfile()`, which compares two descriptors that are already
  open;
- calls inside a nested plain `def` or a `lambda`, in plain functions and at
  module level, and in the decorators and default values of an `async def`,
  which run when the function is defined;
- a function passed, not called, to a thread:
  `await asyncio.to_thread(path.read_text)`,
  `await loop.run_in_executor(None, shutil.rmtree, folder)`;
- the asynchronous file APIs: `aiofiles.open()`, `anyio.open_file()`,
  the methods of `anyio.Path` and `trio.Path` (they are awaited), and a file
  handed straight to `anyio.wrap_file()` or `trio.wrap_file()`;
- values that are not surely paths: a `str`, a parameter annotated
  `str | Path`, an object of the project's own class with an `open()` or
  `exists()` method.

The rule is opt-in (`--extend-select ASP602`): reading a small local file
once at start-up is often fine, and a project that does it knowingly should
not have to mark every line.

## Why is this bad?
An asyncio event loop runs all its tasks on one thread, and a file-system
call holds that thread until the disk answers. On a local SSD that is
usually quick, but not always: a network mount, a disk that spins up, a
cold cache, a large file, a recursive `os.walk()` or `shutil.rmtree()` of a
big tree, or a busy machine all turn "quick" into tens or hundreds of
milliseconds, during which no other task runs, no request is answered and no
timer fires. Operating systems offer no readiness notification for regular
files, so the event loop cannot overlap file I/O with other work the way it
does with sockets: the call must go to a thread.

## Example
```python
import json
from pathlib import Path


async def load_settings(folder: Path) -> dict:
    settings = folder / "settings.json"
    if not settings.exists():
        return {}
    return json.loads(settings.read_text(encoding="utf-8"))
```

## Use instead
```python
import asyncio
import json
from pathlib import Path


async def load_settings(folder: Path) -> dict:
    settings = folder / "settings.json"
    if not await asyncio.to_thread(settings.exists):
        return {}
    return json.loads(await asyncio.to_thread(settings.read_text, encoding="utf-8"))
```
`asyncio.to_thread()` (Python 3.9+) runs the call in a worker thread while
the loop goes on with other tasks. For a file that is opened, read and
written in several steps, put the steps in one plain function and run that
function in a thread, or use an asynchronous file library such as
`aiofiles` or `anyio` (`await anyio.Path(p).read_text()`).

## Fix safety
A call that does its whole I/O when it is called goes to a thread:
`text = path.read_text()` becomes
`text = await asyncio.to_thread(path.read_text)`, and
`shutil.rmtree(folder, ignore_errors=True)` becomes
`await asyncio.to_thread(shutil.rmtree, folder, ignore_errors=True)`,
with `import asyncio` added when it is missing. The fix is the one of
[ASP601](ASP601.md), and unsafe for the same reasons: the call now runs in
another thread, concurrently with the other tasks, so whatever it touches
must be safe to share with that thread; the default thread pool has a
limited number of workers; and cancelling the waiting task does not stop the
call, which finishes in its thread.

Reported but left unchanged, with the reason:
- opening a file (`open()`, `Path.open()`, `with open(path) as f:`): moving
  only the `open` to a thread would leave every read and write of the file
  on the event loop; move the whole block into a function and run that;
- calls whose I/O goes on while their result is iterated (`os.walk()`,
  `os.scandir()`, `Path.iterdir()`, `glob()`, `rglob()`, `Path.walk()`):
  a thread started for the call itself would not cover the iteration;
- a call inside a generator expression or a lambda, and any call when the
  target version is below 3.9.

## Options
- `async-patterns-target-version`: below 3.9 the fix writes no
  `asyncio.to_thread`, which is new in 3.9.

## References
- [Python docs: running blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)
- [Python docs: asyncio.to_thread](https://docs.python.org/3/library/asyncio-task.html#asyncio.to_thread)
- [Python docs: pathlib](https://docs.python.org/3/library/pathlib.html)
- Related rules: [ASP601](ASP601.md) for blocking network, process and sleep
  calls.

### Relation to ruff and flake8-async
This rule covers ruff's and flake8-async's ASYNC230 (`open`, `io.open`,
`io.open_code`, `Path.open`), flake8-async's ASYNC231 (`os.fdopen`) and
ASYNC240 (`os.path` and `pathlib.Path` methods), and goes further with `os`
and `shutil` functions and with paths reached through `/`, derived paths,
loop variables and return annotations. It deliberately stays silent on
`os.path.abspath()` (ruff), `relpath()` and `normpath()` (flake8-async),
`Path.absolute()` and `Path.expanduser()` (ruff), which only compute on
strings, the working directory or the environment, and on
`os.path.sameopenfile()` (both), which compares descriptors already open. ASYNC232 (blocking methods of an open
file object) is not covered: the `open` that made the file is reported
instead.
"""
from __future__ import annotations

import ast

from ..analysis.coroutines import Qualified
from ..analysis.file_io import CALL_NAMES, ITERATED, LAZY, OPENS, file_io_call, iterated_here
from ..registry import FixSafety, rule

RULE = rule("ASP602", "blocking-file-io-in-coroutine",
            "a file-system call directly inside an async def stalls the event loop while the disk answers",
            doc=__doc__, default=False, fix=FixSafety.UNSAFE)

WRAP_FILE = frozenset({"anyio.wrap_file", "trio.wrap_file"})


@RULE.on_call(CALL_NAMES)
def check(node, ctx):
    function = _running_function(ctx.path)
    if not isinstance(function, ast.AsyncFunctionDef):
        return  # module level, a nested sync def or a lambda: not on the event loop here
    parent = ctx.parent
    if isinstance(parent, ast.Await):
        return  # an awaited call is some asynchronous API of the same name
    api = file_io_call(node, ctx.scope, ctx.facts)
    if api is None or api in OPENS and _wrapped(node, parent, ctx) \
            or api in LAZY and not iterated_here(ctx.path, ctx.resolver, ctx.scope):
        return
    if api in OPENS or api == "Path.open":
        kind, advice = "open", "do the file's I/O in a function run by 'asyncio.to_thread', or use aiofiles"
    elif api in ITERATED:
        kind, advice = "iterated", "iterate it in a function run by 'asyncio.to_thread'"
    else:
        shown = ast.unparse(node.func)
        shown = shown if len(shown) <= 40 else "...".join((shown[:18], shown[-18:]))
        kind, advice = "call", f"run it in a thread: 'await asyncio.to_thread({shown}, ...)'"
    yield RULE.at(node, f"'{api}' does file I/O on the event loop inside 'async def {function.name}'; {advice}",
                  api=api, kind=kind)


def _running_function(path) -> ast.AST | None:
    """The def or lambda whose body evaluates `path[-1]`: a decorator, a default value or an
    annotation is evaluated by the scope around the function it belongs to."""
    child = path[-1]
    for node in reversed(path[:-1]):
        if isinstance(node, ast.Lambda) and child is node.body \
                or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and child in node.body:
            return node
        child = node
    return None


def _wrapped(node, parent, ctx) -> bool:
    """`anyio.wrap_file(open(path))`: the file is handed to an asynchronous wrapper."""
    if not isinstance(parent, ast.Call) or node not in parent.args:
        return False
    resolved = ctx.resolver.resolve(parent.func, ctx.scope)
    return isinstance(resolved, Qualified) and resolved.name in WRAP_FILE


@RULE.fixes
def fix(finding, fx, options):
    """`fn(*args, **kwargs)` -> `await asyncio.to_thread(fn, *args, **kwargs)` (unsafe), as ASP601
    does; files that are opened and lazy iterators are left for the author."""
    from ..fixing import CannotFix, Fix

    kind = finding.fix.get("kind")
    if kind == "open":
        raise CannotFix("moving only the open to a thread leaves the file's reads and writes on the event loop")
    if kind == "iterated":
        raise CannotFix("its I/O happens while its result is iterated, on the event loop")
    call = fx.node_at(finding, fx.cst.Call)
    replace, imports = fx.run_in_thread(call)
    return Fix({call: replace}, safe=False, imports=imports)
