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

The third case is an async property read without `await`: an attribute whose
getter is an `async def` under `@property` (or `functools.cached_property`),
read as a condition (`if self.ready:`, `bool(self.ready)`) or used as if it
were its value, the way [ASP101](ASP101.md) describes for coroutine calls:
subscripted, iterated, read for an attribute, in arithmetic or a comparison
(other than `is`), formatted, or passed to a builtin that needs the value
(`len(self.items)`); directly or through the local it is assigned to
(`status = self.status` then `status["code"]`). The property is found through
`self` and `super()`, a local instance (`c = Client()`), an annotation
(`def f(c: Client)`, `self.c: Client`), and classes of other modules of the
project or of installed packages. A read that is awaited, handed on
(`asyncio.create_task(self.ready)`, `gather`, `wait_for`), returned or stored
is left alone, and so is a read on the class itself (`Client.ready`,
`cls.ready`), a setter or deleter, a getter that is a plain `def` returning an
awaitable (a design, not a slip), a descriptor made to be awaited such as
`async_property`'s, and a property that a subclass in the module redefines as
a plain one.

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

An async property looks like a plain attribute at the place it is read, which
makes the missing `await` easy to overlook: `if pool.healthy:` is always true,
`len(pool.members)` raises `TypeError`, and the getter never runs.

## Example
```python
import asyncio


async def database_is_up() -> bool:
    await asyncio.sleep(0.01)  # stands in for a ping
    return False


async def refresh_cache() -> None:
    await asyncio.sleep(0.01)  # stands in for reloading the cache
    print("cache refreshed")


class Replica:
    @property
    async def lag(self) -> float:
        await asyncio.sleep(0.01)  # stands in for a query
        return 0.5


async def serve(replica: Replica) -> None:
    if not database_is_up():  # never true: a coroutine object is truthy
        raise SystemExit("database is down")
    if replica.lag > 5:  # TypeError: a coroutine compared with a number
        raise SystemExit("replica is behind")
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


class Replica:
    @property
    async def lag(self) -> float:
        await asyncio.sleep(0.01)  # stands in for a query
        return 0.5


async def serve(replica: Replica) -> None:
    if not await database_is_up():
        raise SystemExit("database is down")
    if await replica.lag > 5:
        raise SystemExit("replica is behind")
    refresher = asyncio.create_task(refresh_cache_after(60))
    try:
        await asyncio.sleep(3600)
    finally:
        refresher.cancel()
```

## Fix safety
Report only: there is no automatic fix, because the right repair depends on
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
- [Python docs: property](https://docs.python.org/3/library/functions.html#property)

### Relation to ruff and flake8-async
Neither has an equivalent, as far as we can tell: their ASYNC rules are about
cancel scopes, timeouts and blocking calls in `async def`, and ruff's
asyncio-related RUF rules (RUF006, a dropped task; RUF029, an `async def`
that awaits nothing) do not look at how a coroutine is used. Nothing there
tests the truth of a coroutine or reads async properties. The nearest checks
elsewhere are PyCharm's "Suspicious boolean condition" inspection (a
coroutine call in `if`/`while`/a ternary) and mypy's optional `truthy-bool`
error code, which reports values whose type defines neither `__bool__` nor
`__len__` in a boolean context when the types are known.
"""  # noqa: E501 - the links of the rule page
from __future__ import annotations

import ast

from ..analysis.callbacks import SLOT_NAMES, slot
from ..analysis.properties import async_property
from ..analysis.value_use import local_value_uses, value_use
from ..analysis.vocabulary import callee_name, dotted
from ..analysis.flow import truth_tested
from ..analysis.scopes import FUNCTION_LIKE
from ..registry import MAY_BE_COROUTINE, rule

DECORATOR_SLOTS = frozenset({"atexit.register"})

RULE = rule("ASP104", "coroutine-in-sync-slot",
            "a coroutine function is given to an API that calls it without awaiting, "
            "or a coroutine call is tested for truth", doc=__doc__)


@RULE.on(ast.AsyncFunctionDef)
def check_decorators(node, ctx):
    """`@atexit.register` on an `async def`: the same as `atexit.register(af)`."""
    for decorator in node.decorator_list:
        if ctx.resolver.qualified_name(decorator, ctx.scope) not in DECORATOR_SLOTS:
            continue
        if ctx.resolver.is_coroutine_def(node, ctx.scope):
            yield RULE.at(decorator, f"coroutine function '{node.name}' is registered with "
                          f"'{dotted(decorator)}', which calls it without awaiting, so it never runs",
                          kind="decorator", api=dotted(decorator), callee=node.name)


@RULE.on_call(SLOT_NAMES, MAY_BE_COROUTINE)
def check(node, ctx):
    if truth_tested(ctx.path):
        callee = ctx.resolver.coroutine_call(node, ctx.get_scope)
        if callee is not None:
            yield RULE.at(node, f"coroutine '{callee_name(node.func)}' is tested for truth: it is always "
                          "true and never runs; add 'await'",
                          kind="truth", callee=callee.name)
            return
    found = slot(node, ctx.facts, ctx.get_scope)
    if found is None or found[1] is None:
        return
    api, argument = found
    callee = ctx.resolver.coroutine_callable(argument, ctx.get_scope)
    if callee is None:
        return
    yield RULE.at(argument, f"coroutine function '{callee.name}' is passed to '{api}', which calls it "
                  "without awaiting, so it never runs; pass a sync function", kind="slot", api=api, callee=callee.name)


# Expressions the engine passes over when they hold nothing but names (`not self.ready`,
# `self.items[0]`): asking for them makes it visit the attribute reads inside.
@RULE.on(ast.Subscript, ast.Compare, ast.BinOp, ast.BoolOp, ast.UnaryOp, ast.FormattedValue, ast.Starred)
def visit_operands(node, ctx):
    return ()


@RULE.on(ast.Attribute)
def check_property_read(node, ctx):
    """`if self.ready:` / `self.items[0]` / `x = self.ready; x.name` where the attribute is
    an async property: the read gives a coroutine, not the value."""
    if not isinstance(node.ctx, ast.Load) or not ctx.resolver.may_be_async_property(node):
        return
    parent = ctx.parent
    if isinstance(parent, (ast.Await, ast.Expr)) or isinstance(parent, ast.Call) and parent.func is node:
        return
    qualified = lambda func: ctx.resolver.qualified_name(func, ctx.scope)  # noqa: E731
    how = "tested for truth" if truth_tested(ctx.path) or _passed_to_bool(node, parent, qualified) \
        else value_use(node, parent, qualified)
    through = None
    if how is None:
        through = _used_through_local(node, parent, ctx, qualified)
        if through is None:
            return
    found = async_property(ctx.resolver, node, ctx.scope)
    if found is None:
        return
    name = callee_name(node)
    advice = "add 'await'" if ctx.in_async_function else \
        "read it with 'await' in a coroutine, or make the getter a plain def"
    if through is not None:
        local, read, how = through
        message = (f"async property '{name}' is assigned to '{local}', which is {how} on line {read.lineno} "
                   f"as if it were its value; the coroutine never runs: {advice}")
    elif how == "tested for truth":
        message = (f"async property '{name}' is tested for truth without 'await': a coroutine is always "
                   f"true and never runs; {advice}")
    else:
        message = f"async property '{name}' is {how} without 'await', as if it were its value; it never runs: {advice}"
    yield RULE.at(node, message, kind="property", callee=found.name, evidence=found.evidence)


def _used_through_local(node, parent, ctx, qualified):
    """`ready = self.ready` then `if ready:` or `ready.name`: (local, first such read, how),
    when no read of the local hands the coroutine on (awaited, passed, returned, stored)."""
    if not (isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1
            or isinstance(parent, ast.AnnAssign) and parent.value is node):
        return None
    target = parent.targets[0] if isinstance(parent, ast.Assign) else parent.target
    scope = ctx.scope
    if not isinstance(target, ast.Name) or not scope.is_function or len(scope.bindings.get(target.id, ())) != 1 \
            or target.id in scope.globals or target.id in scope.nonlocals:
        return None
    uses = ctx.facts.uses(scope.node)
    if local_value_uses(target.id, scope.node, uses, qualified) is None:
        return None
    for read in sorted(uses.reads.get(target.id, ()), key=lambda r: (r.lineno, r.col_offset)):
        path = _path_up(read, uses.parents)
        inside = path[path.index(scope.node) + 1:] if scope.node in path else None
        if inside is None or any(isinstance(n, FUNCTION_LIKE) for n in inside):
            return None  # read in a nested function: maybe another name, run who knows when
        parent = uses.parents.get(read)
        how = "tested for truth" if truth_tested(path) \
            or _passed_to_bool(read, parent, qualified) else value_use(read, parent, qualified)
        if how is not None:
            return target.id, read, how
    return None


def _passed_to_bool(node, parent, qualified) -> bool:
    return isinstance(parent, ast.Call) and parent.args == [node] and not parent.keywords \
        and qualified(parent.func) in ("bool", "builtins.bool")


def _path_up(node, parents, limit=256):
    """The path from `node`'s ancestors (as far as `limit` of them) down to `node`."""
    path = [node]
    while len(path) < limit and path[-1] in parents:
        path.append(parents[path[-1]])
    return path[::-1]
