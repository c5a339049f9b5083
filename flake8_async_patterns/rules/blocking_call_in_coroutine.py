"""## What it does
Finds calls that are known to block, made directly in the body of an
`async def`:
- `time.sleep()` and `input()`;
- HTTP: `requests.get()`, `post()`, `put()`, `patch()`, `delete()`,
  `head()`, `options()` and `request()`; the same functions of `httpx` (and
  of its continuation `httpx2`), plus `httpx.stream()`; `urllib3.request()`;
  `urllib.request.urlopen()`; `socket.create_connection()`;
- the methods that make a request on a client object: `get()`, `post()`, ...,
  `request()` and `send()` of a `requests.Session`; the same plus `stream()`
  and `close()` of an `httpx.Client`; `request()`, `urlopen()`,
  `request_encode_url()` and `request_encode_body()` of a urllib3
  `PoolManager`, `ProxyManager` or connection pool (also what
  `connection_from_url()` and `proxy_from_url()` return);
- processes: `subprocess.run()`, `call()`, `check_call()`, `check_output()`,
  `Popen()`, `getoutput()` and `getstatusoutput()`, and `wait()` and
  `communicate()` of a `Popen`; `os.system()`, `os.popen()`, `os.spawn*()`,
  `os.posix_spawn()`, `os.posix_spawnp()` and `os.wait()`, `wait3()`,
  `wait4()`, `waitid()`, `waitpid()`.

The calls are recognised however they were imported: `import requests as http`
then `http.get(url)`, `from time import sleep` then `sleep(1)`,
`from subprocess import run as sh`. A client object is followed to where it
is used: a local assigned from the class or a factory
(`session = make_session()` with `-> requests.Session`), `with
httpx.Client() as client:`, a `self.client = httpx.Client()` set in the class,
and annotations: a parameter (`client: httpx.Client`, `Optional[...]`,
`... | None`), an annotated local, a class-level or dataclass field. A call
counts wherever it sits in the coroutine's own body: in a loop, a branch, a
comprehension, or an `async def` nested in a plain function.

It leaves alone:
- calls inside a nested plain `def` or a `lambda`: they run wherever that
  function is called, for instance in a thread through
  `asyncio.to_thread(helper)` or
  `loop.run_in_executor(None, lambda: requests.get(url))`;
- a blocking function passed, not called, to a function that runs it in a
  thread: `await asyncio.to_thread(time.sleep, 1)`,
  `await loop.run_in_executor(None, client.get, url)`;
- the same calls in plain functions and at module level;
- `httpx.AsyncClient`, aiohttp, asyncio's own subprocesses, and a value that
  may be either kind (`client: httpx.Client | httpx.AsyncClient`, an attribute
  assigned both, `client or httpx.AsyncClient()`);
- a client method that is awaited (`await client.get(url)`): whatever the
  annotation says, the code treats the object as asynchronous;
- methods that send nothing: `build_request()` of an `httpx.Client`,
  `close()` of a `requests.Session`, `clear()` and `connection_from_url()` of
  a pool, `poll()` of a `Popen`;
- anything not in the list above and anything it cannot resolve: an object of
  unknown type (`client.request("GET", url)` with nothing saying what `client`
  is), file reads (ASP602), database drivers, and a local function that happens
  to be named `sleep` or `input`.

## Why is this bad?
asyncio runs every task of an event loop on one thread, and a coroutine gives
up that thread only at an `await`. A blocking call has no `await`: it keeps
the thread until it returns, and for that whole time every other task on the
loop is frozen. No request is answered, no timer fires, no heartbeat is sent,
and timeouts elsewhere in the program expire for reasons that have nothing to
do with the code they guard. A `time.sleep(2)` in one handler pauses the
whole server for two seconds; an HTTP call to a slow service does the same for
as long as the service takes.

The program still produces the right results, just slowly, and everything
looks fine under light load with one task at a time. asyncio's debug mode
logs a warning for callbacks that hold the loop longer than 100 ms, which
helps to find the calls this rule does not know.

## Example
```python
import time

import requests


async def wait_until_healthy(url: str, attempts: int = 30) -> bool:
    for _ in range(attempts):
        response = requests.get(url, timeout=5)
        if response.status_code == 200:
            return True
        time.sleep(2)
    return False
```

## Use instead
```python
import asyncio

import requests


async def wait_until_healthy(url: str, attempts: int = 30) -> bool:
    for _ in range(attempts):
        response = await asyncio.to_thread(requests.get, url, timeout=5)
        if response.status_code == 200:
            return True
        await asyncio.sleep(2)
    return False
```
`asyncio.to_thread()` (Python 3.9+) runs the call in a worker thread while the
loop goes on with other tasks. In code that makes many requests, an
asyncio-native client such as `httpx.AsyncClient` or `aiohttp` avoids the
threads altogether, and `asyncio.create_subprocess_exec()` does the same for
subprocesses.

## Fix safety
`time.sleep(0.5)` becomes `await asyncio.sleep(0.5)`, whatever the spelling
(`import time as clock`, `from time import sleep as nap`), with
`import asyncio` added when it is missing and the `time` import dropped when
nothing else uses it. That fix is safe and applied by
default: the coroutine pauses for the same time, and the only change is that
other tasks run meanwhile, which is what the pause was for in a coroutine.
Tests block the loop on purpose more often than code does (to see a timeout,
a watchdog or a keep-alive fire), so in a test module (`test_*.py`,
`*_test.py`, `conftest.py`) the same fix is unsafe, applied only with
`--unsafe-fixes`. Anywhere, a `time.sleep` that a comment says blocks on
purpose is still reported but left unfixed, with the reason: a comment at the
end of its statement, or above it in its paragraph (the lines before it, up
to a blank line), with words such as "on purpose", "deliberately",
"intentionally", "block", "busy", "simulate", "pretend", "hog", "stall",
"starve", "hold the event loop" or "sync sleep", one that names `time.sleep`
or `asyncio.sleep` (the author weighed the two), or a `# noqa: ASYNC251`
(flake8-async's and ruff's code for this call). Silence such a line with
`# noqa: ASP601`.

Every other call goes to a thread:
`status = requests.get(url, timeout=5).status_code` becomes
`status = (await asyncio.to_thread(requests.get, url, timeout=5)).status_code`.
That fix is unsafe, applied only with `--unsafe-fixes`: the call then runs in
another thread, at the same time as other tasks, so whatever it touches (a
shared `requests.Session`, a global, a thread-local setting) must be safe to
use from that thread; the loop's default thread pool has a limited number of
workers; and cancelling the waiting task no longer stops the call, which
carries on in its thread until it returns.

Left unchanged and reported with the reason: a call inside a generator
expression (an `await` would make it an async generator); `httpx.stream()` and
`client.stream()`, whose request is made when the stream is entered, not by the
call; `subprocess.Popen()` and `os.popen()` used as a context manager, since
leaving the `with` waits for the process on the event loop whatever thread
started it; and, below Python 3.9, any call that would need
`asyncio.to_thread`.

## Options
- `async-patterns-target-version`: the lowest Python version the code must
  run on; below 3.9 the fix writes no `asyncio.to_thread`, which is new in 3.9.

## References
- [Python docs: running blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)
- [Python docs: asyncio.to_thread](https://docs.python.org/3/library/asyncio-task.html#asyncio.to_thread)
- [Python docs: asyncio.sleep](https://docs.python.org/3/library/asyncio-task.html#asyncio.sleep)
- [Python docs: asyncio debug mode](https://docs.python.org/3/library/asyncio-dev.html#debug-mode)
- [Python docs: asyncio subprocesses](https://docs.python.org/3/library/asyncio-subprocess.html)
- Related rules: [ASP503](ASP503.md) for shared state updated by functions
  that run in threads; [ASP602](ASP602.md) for file-system calls.

### Relation to flake8-async and ruff
This rule overlaps flake8-async's and ruff's ASYNC210 (HTTP functions),
ASYNC211 (urllib3 requests), ASYNC212 (methods of `httpx.Client` and of
urllib3 pools), ASYNC220, ASYNC221 and ASYNC222 (processes), ASYNC250
(`input()`) and ASYNC251 (`time.sleep()`): if you run either tool as well,
silence those codes there or ASP601 here. No RUF rule overlaps it.
Run over those tools' own fixtures for these codes (`bench/peers.py`), it
flags 233 of their 247 positives: all 85 of ruff's and 148 of
flake8-async's 162. It misses, on purpose: `urlopen()` and
`request.urlopen()` where the fixture never imports them, and a client
annotated `Optional[httpx.Client]` where it never imports `Optional` (both
are flagged once imported); a module-level client that the module later
rebinds to an `int`, which is what the coroutine then sees; and ten
`pool.anything()` calls, where flake8-async reports every method of a urllib3
pool and this rule only the four that send a request. It reports more than
ASYNC211, which looks for a `.request()` whose first argument is an HTTP verb
on any object: here the object must be a urllib3 pool, and then any
`request()` call counts, whatever names its method; and it follows an
`httpx.Client` imported by name (`from httpx import Client`).
"""
from __future__ import annotations

import ast
import re

from ..analysis.blocking import (
    CALL_NAMES, HTTP_FUNCTIONS, PROCESS_FUNCTIONS, SLEEP, STREAMS, WAITS_ON_EXIT, blocking_api,
)
from ..registry import FixSafety, rule

RULE = rule("ASP601", "blocking-call-in-coroutine",
            "a well-known blocking call directly inside an async def stalls the event loop",
            doc=__doc__, fix=FixSafety.SAFE_OR_UNSAFE,
            fix_cases="safe (time.sleep); unsafe (the others)")


@RULE.on_call(CALL_NAMES)
def check(node, ctx):
    func = node.func
    if not isinstance(ctx.function, ast.AsyncFunctionDef):
        return  # module level, a nested sync def or a lambda: not on the event loop here
    name = blocking_api(ctx.resolver, func, ctx.scope)
    if name is None:
        return
    if isinstance(ctx.parent, ast.Await) and name not in HTTP_FUNCTIONS | PROCESS_FUNCTIONS | {SLEEP}:
        return  # an awaited method: the code says the object is not the sync client we took it for
    if name == SLEEP:
        advice = "use 'await asyncio.sleep(...)'"
    else:
        advice = f"run it in a thread: 'await asyncio.to_thread({ast.unparse(func)}, ...)'"
        if name in PROCESS_FUNCTIONS:
            advice += " or use 'asyncio.create_subprocess_exec()'"
    yield RULE.at(node, f"'{name}' blocks the event loop inside 'async def {ctx.function.name}'; {advice}",
                  api=name, safe=name == SLEEP)


# -- fix ------------------------------------------------------------------------------------


# a comment saying a `time.sleep` blocks the loop on purpose (a test making the loop busy), one that
# weighs it against the coroutine sleep, or a noqa for flake8-async's and ruff's blocking-sleep rule
ON_PURPOSE = re.compile(
    r"(?i)\b(on purpose|deliberate(ly)?|intentional(ly)?|block(s|ed|ing)?|busy|simulat(e|es|ed|ing)|"
    r"pretend(s|ing)?|hog(s|ging)?|stall(s|ing)?|starv(e|es|ing)|hold(s|ing)? the (event )?loop|"
    r"sync(hronous)? sleeps?|(time|asyncio)\.sleep|ASYNC251)\b")
TEST_FILE = re.compile(r"(^|[\\/])(test_[^\\/]*|[^\\/]*_test|conftest)\.py$")  # pytest's default names


def _blocks_on_purpose(fx, call) -> bool:
    """A comment says that the statement holding `call` blocks on purpose: at the statement's
    end, or above it in its paragraph (the statements before it up to a blank line)."""
    cst = fx.cst
    statement = fx.statement_of(call)
    comments = []
    if isinstance(statement, cst.SimpleStatementLine) and statement.trailing_whitespace.comment:
        comments.append(statement.trailing_whitespace.comment.value)
    block = fx.parent(statement)
    siblings = list(getattr(block, "body", ()))
    index = next((i for i, s in enumerate(siblings) if s is statement), None)
    while statement is not None:
        for line in reversed(statement.leading_lines):
            if line.comment is None:
                return any(ON_PURPOSE.search(comment) for comment in comments)  # a blank line ends it
            comments.append(line.comment.value)
        index = None if not index else index - 1
        statement = siblings[index] if index is not None else None
    return any(ON_PURPOSE.search(comment) for comment in comments)


def in_test_file(path: str | None) -> bool:
    """A test module by pytest's names: tests block the loop on purpose more often than not (to
    see a timeout, a watchdog or a keep-alive fire)."""
    return bool(path) and TEST_FILE.search(path) is not None


@RULE.fixes
def fix(finding, fx, options):
    """`time.sleep(x)` -> `await asyncio.sleep(x)` (safe); any other blocking call `fn(*args, **kwargs)`
    -> `await asyncio.to_thread(fn, *args, **kwargs)` (unsafe: it now runs in another thread)."""
    from ..fixing import CannotFix, Fix

    cst = fx.cst
    call = fx.node_at(finding, cst.Call)
    fx.check_await_allowed(call)
    api = finding.fix.get("api")
    if api in STREAMS:
        raise CannotFix("the request is made when the stream is entered, not by the call a thread would run")
    if api in WAITS_ON_EXIT and isinstance(fx.parent(call), cst.WithItem):
        raise CannotFix("leaving the 'with' waits for the process, on the event loop, whatever runs the call")
    sleep = api == SLEEP
    if not sleep:
        replace, imports = fx.run_in_thread(call)
    elif _blocks_on_purpose(fx, call):
        raise CannotFix("a comment says it blocks on purpose; silence it with '# noqa: ASP601' if it must")
    else:
        module, imports = fx.module_alias("asyncio")
        replace = fx.awaiting(call, lambda updated: updated.with_changes(
            func=fx.expression(f"{module}.sleep"), lpar=[], rpar=[]))
    return Fix({call: replace}, safe=sleep and not in_test_file(options.get("path")), imports=imports,
               maybe_unused=fx.import_of(call.func) if sleep else [])
