"""## What it does
Finds coroutine functions handed to code that calls them as plain functions,
and coroutine calls whose truth is tested.

The first case is a coroutine function (a reference to it, a
`functools.partial` of it, or a lambda that calls it) passed as:
`threading.Thread(target=...)`, the function of `threading.Timer`,
`atexit.register()`, the handler of `signal.signal()`, the callback of the
event loop's `call_soon()`, `call_soon_threadsafe()`, `call_later()`,
`call_at()`, `add_signal_handler()`, `add_reader()`, `add_writer()` and
`run_in_executor()`, a future's `add_done_callback()`, an executor's
`submit()` or `map()`, the predicate of `filter()`, or the `key` of `sorted()`,
`min()`, `max()` and `list.sort()`.

The second case is a coroutine call used as a condition: in `if`, `while`,
`assert` or a conditional expression (also inside an `and`/`or` there), in
the `if` of a comprehension, under `not`, or as any operand of `and`/`or` but
the last. What counts as a coroutine
function is the same as for [ASP101](ASP101.md). A sync function, or a lambda
that returns a plain value, is not flagged.

## Why is this bad?
All of these callers call the function and then use or ignore what it
returns. For an `async def`, what it returns is an unstarted coroutine, so its
body never runs: the thread ends at once, the timer or signal handler does
nothing, the cleanup at exit is skipped. As a value, a coroutine is useless:
`filter()` keeps every item, and a sort `key` makes the sort fail with a
`TypeError` because coroutines cannot be compared. asyncio itself rejects a
coroutine function given straight to `call_soon()`, `call_later()`, `call_at()`
or `run_in_executor()` only in debug mode (and to `add_signal_handler()`
always), and a lambda around it gets through even then; otherwise the only
trace is a "never awaited" `RuntimeWarning` when the dropped coroutine is
garbage-collected.

A coroutine object is always truthy. `if not database_is_up():` therefore
never takes its branch, whatever the database says, and the coroutine that
should have answered is dropped without ever running.

## Example
```python
import asyncio


async def database_is_up() -> bool:
    await asyncio.sleep(0.01)  # stands in for a ping
    return False


async def refresh_cache() -> None:
    await asyncio.sleep(0.01)  # stands in for reloading the cache
    print("cache refreshed")


async def serve() -> None:
    if not database_is_up():  # never true: a coroutine object is truthy
        raise SystemExit("database is down")
    loop = asyncio.get_running_loop()
    loop.call_later(60, refresh_cache)  # called in 60 s, never awaited
    await asyncio.sleep(3600)
```

## Use instead
```python
import asyncio


async def database_is_up() -> bool:
    await asyncio.sleep(0.01)  # stands in for a ping
    return False


async def refresh_cache() -> None:
    await asyncio.sleep(0.01)  # stands in for reloading the cache
    print("cache refreshed")


async def refresh_cache_after(delay: float) -> None:
    await asyncio.sleep(delay)
    await refresh_cache()


async def serve() -> None:
    if not await database_is_up():
        raise SystemExit("database is down")
    refresher = asyncio.create_task(refresh_cache_after(60))
    try:
        await asyncio.sleep(3600)
    finally:
        refresher.cancel()
```

## Fix safety
This rule only reports, and no fix is planned: the right repair depends on
what the code is for. Inside the event loop, await the call, or run the
coroutine as a task that is kept and cancelled when no longer needed; from
another thread, hand the coroutine to the loop with
`asyncio.run_coroutine_threadsafe()`; in a thread of its own, run it with
`asyncio.run()`.

## Options
- `async-patterns-coroutine-functions`: more functions, by dotted name, to
  treat as coroutine functions.
- `async-patterns-non-coroutine-decorators`: decorators after which an
  `async def` no longer returns a coroutine.

## References
- [Python docs: scheduling callbacks on the event loop](https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_soon)
- [Python docs: asyncio.run_coroutine_threadsafe](https://docs.python.org/3/library/asyncio-task.html#asyncio.run_coroutine_threadsafe)
- [Python docs: concurrency and multithreading in asyncio](https://docs.python.org/3/library/asyncio-dev.html#concurrency-and-multithreading)
- [Python docs: asyncio debug mode](https://docs.python.org/3/library/asyncio-dev.html#debug-mode)
- [Python docs: truth value testing](https://docs.python.org/3/library/stdtypes.html#truth-value-testing)
"""
from __future__ import annotations

import ast
import re

from ..analysis.coroutines import callee_name
from ..engine import truth_tested
from ..registry import rule

RULE = rule("ASP104", "coroutine-in-sync-slot",
            "a coroutine function is given to an API that calls it without awaiting, "
            "or a coroutine call is tested for truth", doc=__doc__)

# qualified callable -> (positional index, keyword) of the argument it calls synchronously
FUNCTION_SLOTS = {
    "threading.Thread": (None, "target"),
    "threading.Timer": (1, "function"),
    "atexit.register": (0, "func"),
    "signal.signal": (1, "handler"),
    "filter": (0, None),
    "sorted": (None, "key"),
    "min": (None, "key"),
    "max": (None, "key"),
}
# method name -> (positional index, keyword); any receiver, the names are specific enough
METHOD_SLOTS = {
    "call_soon": (0, None),
    "call_soon_threadsafe": (0, None),
    "call_later": (1, None),
    "call_at": (1, None),
    "add_signal_handler": (1, None),
    "add_reader": (1, None),
    "add_writer": (1, None),
    "run_in_executor": (1, None),
    "add_done_callback": (0, "fn"),
    "sort": (None, "key"),
}
EXECUTOR_METHODS = {"submit": (0, "fn"), "map": (0, "fn")}
EXECUTORS = frozenset({
    "concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor",
    "concurrent.futures.thread.ThreadPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor",
})
EXECUTOR_NAME = re.compile(r"(?i).*executor")


def is_executor(expr: ast.AST, ctx) -> bool:
    if isinstance(expr, ast.Call):
        return ctx.resolver.qualified_name(expr.func, ctx.scope) in EXECUTORS
    name = expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else ""
    if EXECUTOR_NAME.fullmatch(name):
        return True
    if isinstance(expr, ast.Name):
        found = ctx.scope.lookup(name)
        return bool(found) and all(isinstance(b.value, ast.Call) and is_executor(b.value, ctx) for b in found[1])
    return False


def _argument(call: ast.Call, position: int | None, keyword: str | None):
    if keyword is not None:
        for item in call.keywords:
            if item.arg == keyword:
                return item.value
    if position is not None and len(call.args) > position \
            and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


SLOT_NAMES = frozenset(
    {q.rsplit(".", 1)[-1] for q in FUNCTION_SLOTS} | set(METHOD_SLOTS) | set(EXECUTOR_METHODS)
)


def _may_be_slot(func: ast.AST, ctx) -> bool:
    """A cheap test that spares resolving most calls: the called name, or what it was imported as."""
    if isinstance(func, ast.Attribute):
        return func.attr in SLOT_NAMES
    if not isinstance(func, ast.Name):
        return False
    if func.id in SLOT_NAMES:
        return True
    bindings = ctx.facts.scope(ctx.path[:1]).bindings.get(func.id, ())
    return any(b.kind == "import" and b.target.rsplit(".", 1)[-1] in SLOT_NAMES for b in bindings)


def slot(call: ast.Call, ctx):
    """(api, argument) when `call` hands `argument` to code that calls it synchronously."""
    func = call.func
    if not _may_be_slot(func, ctx):
        return None
    qualified = ctx.resolver.qualified_name(func, ctx.scope)
    if qualified in FUNCTION_SLOTS:
        return qualified, _argument(call, *FUNCTION_SLOTS[qualified])
    if not isinstance(func, ast.Attribute) or qualified is not None:
        return None
    if func.attr in METHOD_SLOTS:
        return func.attr, _argument(call, *METHOD_SLOTS[func.attr])
    if func.attr in EXECUTOR_METHODS and is_executor(func.value, ctx):
        return f"executor.{func.attr}", _argument(call, *EXECUTOR_METHODS[func.attr])
    return None


def coroutine_callable(expr: ast.AST, ctx):
    """The coroutine function that calling `expr` runs: a reference, a partial or a lambda."""
    resolver, scope = ctx.resolver, ctx.scope
    if isinstance(expr, (ast.Name, ast.Attribute)):
        return resolver.coroutine_function(expr, scope)
    if isinstance(expr, ast.Lambda):
        return resolver.coroutine_call(expr.body, ctx.facts.child_scope(expr, scope))
    if isinstance(expr, ast.Call) and expr.args \
            and resolver.qualified_name(expr.func, scope) in ("functools.partial",):
        return resolver.coroutine_function(expr.args[0], scope)
    return None


@RULE.on(ast.Call)
def check(node, ctx):
    if truth_tested(ctx.path):
        callee = ctx.resolver.coroutine_call(node, ctx.scope)
        if callee is not None:
            yield RULE.at(node, f"coroutine call '{callee_name(node.func)}' is tested for truth: a "
                          "coroutine object is always true and the call never runs; add 'await'",
                          kind="truth", callee=callee.name)
            return
    found = slot(node, ctx)
    if found is None or found[1] is None:
        return
    api, argument = found
    callee = coroutine_callable(argument, ctx)
    if callee is None:
        return
    yield RULE.at(argument, f"coroutine function '{callee.name}' is passed to '{api}', which calls it "
                  "without awaiting: the coroutine never runs; pass a sync function "
                  "(or schedule the coroutine on the loop)", kind="slot", api=api, callee=callee.name)
