"""## What it does
Finds calls that are known to block, made directly in the body of an
`async def`:
- `time.sleep()`;
- `requests.get()`, `post()`, `put()`, `patch()`, `delete()`, `head()`,
  `options()` and `request()`, also called on a `requests.Session()` that
  was assigned to a name or bound by `with requests.Session() as session:`;
- `urllib.request.urlopen()`;
- `subprocess.run()`, `call()`, `check_call()` and `check_output()`;
- `socket.create_connection()`.

The calls are recognised however they were imported: `import requests as http`
then `http.get(url)`, `from time import sleep` then `sleep(1)`,
`from subprocess import run as sh`. A call counts wherever it sits in the
coroutine's own body: in a loop, a branch, a comprehension, or an `async def`
nested in a plain function.

It leaves alone:
- calls inside a nested plain `def` or a `lambda`: they run wherever that
  function is called, for instance in a thread through
  `asyncio.to_thread(helper)` or
  `loop.run_in_executor(None, lambda: requests.get(url))`;
- a blocking function passed, not called, to a function that runs it in a
  thread: `await asyncio.to_thread(time.sleep, 1)`,
  `await loop.run_in_executor(None, requests.get, url)`;
- the same calls in plain functions and at module level;
- anything not in the list above: file reads, `subprocess.Popen()`,
  database drivers and other blocking libraries are not known to this rule,
  and neither is a local function that happens to be named `sleep`.

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
`import asyncio` added when it is missing. That fix is safe and applied by
default: the coroutine pauses for the same time, and the only change is that
other tasks run meanwhile, which is what the pause was for in a coroutine.

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
expression (an `await` would make it an async generator) and, below Python
3.9, any call that would need `asyncio.to_thread`.

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
  that run in threads.
"""
from __future__ import annotations

import ast

from ..analysis.blocking import (
    CALL_NAMES, HTTP_FUNCTIONS, PROCESS_FUNCTIONS, SLEEP, STREAMS, WAITS_ON_EXIT, blocking_api,
)
from ..registry import rule

RULE = rule("ASP601", "blocking-call-in-coroutine",
            "a well-known blocking call directly inside an async def stalls the event loop",
            doc=__doc__, fix="safe (time.sleep); unsafe (the others)")


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


def _await_allowed(fx, call) -> None:
    """Raise CannotFix unless an `await` in place of `call` runs in the coroutine's own body."""
    from ..fixing import CannotFix

    cst = fx.cst
    child, node = call, fx.parent(call)
    while node is not None:
        # a default, a decorator or a base class is evaluated outside the def/lambda/class it belongs to
        inside = child is node.body if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)) else True
        if isinstance(node, cst.FunctionDef) and inside:
            if node.asynchronous is None:
                raise CannotFix("not directly inside an async def")
            return
        if isinstance(node, (cst.Lambda, cst.ClassDef)) and inside:
            raise CannotFix("inside a lambda or a class body, where 'await' cannot go")
        if isinstance(node, cst.GeneratorExp):
            raise CannotFix("an 'await' would turn the generator expression into an async generator")
        child, node = node, fx.parent(node)
    raise CannotFix("not inside an async def")


def _needs_parentheses(fx, node) -> bool:
    """`await x` put where `node` is binds less tightly than the code around needs."""
    cst = fx.cst
    parent = fx.parent(node)
    return (isinstance(parent, (cst.Attribute, cst.Subscript)) and parent.value is node) \
        or (isinstance(parent, cst.Call) and parent.func is node) \
        or (isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Power) and parent.left is node)


@RULE.fixes
def fix(finding, fx, options):
    """`time.sleep(x)` -> `await asyncio.sleep(x)` (safe); any other blocking call `fn(*args, **kwargs)`
    -> `await asyncio.to_thread(fn, *args, **kwargs)` (unsafe: it now runs in another thread)."""
    from ..fixing import CannotFix, Fix

    cst = fx.cst
    call = fx.node_at(finding, cst.Call)
    _await_allowed(fx, call)
    api = finding.fix.get("api")
    if api in STREAMS:
        raise CannotFix("the request is made when the stream is entered, not by the call a thread would run")
    if api in WAITS_ON_EXIT and isinstance(fx.parent(call), cst.WithItem):
        raise CannotFix("leaving the 'with' waits for the process, on the event loop, whatever runs the call")
    module, imports = fx.module_alias("asyncio")
    sleep = api == SLEEP
    if not sleep and fx.settings.target_version < (3, 9):
        raise CannotFix("asyncio.to_thread needs Python 3.9")
    parent = fx.parent(call)
    awaited = isinstance(parent, cst.Await) and parent.expression is call  # `await time.sleep(1)`, a bug itself
    parenthesize = not awaited and not call.lpar and _needs_parentheses(fx, call)

    def replace(updated):
        if sleep:
            new = updated.with_changes(func=fx.expression(f"{module}.sleep"), lpar=[], rpar=[])
        else:
            function = cst.Arg(updated.func, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                               if updated.args else cst.MaybeSentinel.DEFAULT)
            new = cst.Call(func=fx.expression(f"{module}.to_thread"), args=[function, *updated.args],
                           whitespace_before_args=updated.whitespace_before_args)
        if awaited:
            return new.with_changes(lpar=updated.lpar, rpar=updated.rpar)
        lpar, rpar = updated.lpar, updated.rpar
        if parenthesize:
            lpar, rpar = [cst.LeftParen()], [cst.RightParen()]
        return cst.Await(expression=new, lpar=lpar, rpar=rpar)

    return Fix({call: replace}, safe=sleep, imports=imports)
