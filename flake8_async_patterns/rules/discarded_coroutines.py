"""## What it does
Finds collections of coroutines that nobody awaits: a list, set or dict
comprehension or a generator expression whose element is a coroutine call, or
`map()` over a coroutine function (or over a lambda that calls one), also when
wrapped in `list()`, `tuple()`, `set()`, `frozenset()` or `sorted()`. The
rule fires when that value is a statement of its own, or is assigned to a local
variable that the function never reads. This is the Python form of
JavaScript's `items.forEach(async (item) => ...)`.

The collection is not flagged when it is passed to `asyncio.gather()`,
`asyncio.wait()`, `asyncio.as_completed()` or any other call, returned, stored
on an object, or read in any way later in the function. What counts as a
coroutine function is the same as for [ASP101](ASP101.md).

## Why is this bad?
Every element is a coroutine that never runs, so the whole batch of work is
silently skipped. A JavaScript `forEach` with an async callback at least runs
each callback, even if nothing waits for them; here not a single item is
processed. It can be quieter still: a generator expression or a `map()` object
that is never iterated never calls the function, so no coroutine is created
and not even the "never awaited" `RuntimeWarning` appears. With a list
comprehension there is one such warning per element, and only once the list is
garbage-collected.

## Example
```python
import asyncio


async def notify(user_id: int, message: str) -> None:
    await asyncio.sleep(0.01)  # stands in for a call to the push service
    print(f"sent {message!r} to user {user_id}")


async def announce_maintenance(user_ids: list[int]) -> None:
    [notify(user_id, "maintenance tonight at 22:00") for user_id in user_ids]
```

## Use instead
```python
import asyncio


async def notify(user_id: int, message: str) -> None:
    await asyncio.sleep(0.01)  # stands in for a call to the push service
    print(f"sent {message!r} to user {user_id}")


async def announce_maintenance(user_ids: list[int]) -> None:
    limit = asyncio.Semaphore(10)

    async def notify_one(user_id: int) -> None:
        async with limit:
            await notify(user_id, "maintenance tonight at 22:00")

    await asyncio.gather(*(notify_one(user_id) for user_id in user_ids))
```

## Fix safety
Inside an `async def`, the fix awaits the coroutines with one gather over the
same items: `[notify(u) for u in users]` becomes
`await asyncio.gather(*(notify(u) for u in users))`, and
`list(map(notify, users))` becomes `await asyncio.gather(*map(notify, users))`.
A list assigned to a name that is never read keeps the name, which now holds
the results. When the items are not provably few, the
[ASP201](ASP201.md) fix then bounds the gather in a later pass, with a
semaphore and a local wrapper as in the example above.

The fix is unsafe, applied only with `--unsafe-fixes`: work that never ran
starts running, concurrently, with all of its side effects, and its first
error is raised. It is refused, and the finding reported with the reason,
outside an `async def` (nothing can await there) and for a dict comprehension.

## Options
- `async-patterns-coroutine-functions`: more functions, by dotted name, to
  treat as coroutine functions.
- `async-patterns-non-coroutine-decorators`: decorators after which an
  `async def` no longer returns a coroutine.
- `async-patterns-max-fanout`: up to this many items, a literal or `range()`
  fan-out counts as small and the gather the fix writes is left unbounded.
- `async-patterns-concurrency`: the semaphore size written when that gather is
  bounded.

## References
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
- [Python docs: asyncio.Semaphore](https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore)
- [Python docs: map() returns a lazy iterator](https://docs.python.org/3/library/functions.html#map)
- Related rule: [ASP101](ASP101.md) for a single coroutine that is never awaited.
"""
from __future__ import annotations

import ast

from ..analysis.flow import discarded
from ..analysis.scopes import COMPREHENSIONS
from ..registry import FixSafety, rule

RULE = rule("ASP102", "discarded-coroutines",
            "a comprehension, generator or map() creates coroutines that nobody awaits",
            doc=__doc__, fix=FixSafety.UNSAFE)

MATERIALIZERS = frozenset({"list", "tuple", "set", "frozenset", "sorted"})
MAP = frozenset({"map"})


def coroutine_collection(expr: ast.AST, ctx):
    """(kind, callee) when `expr` builds a collection of coroutines, else None."""
    resolver = ctx.resolver
    if isinstance(expr, ast.Call) and len(expr.args) == 1 and not expr.keywords \
            and ctx.call_named(expr, MATERIALIZERS):
        found = coroutine_collection(expr.args[0], ctx)
        return (f"{expr.func.id}({found[0]})", found[1]) if found else None
    if isinstance(expr, COMPREHENSIONS):
        element = expr.value if isinstance(expr, ast.DictComp) else expr.elt
        if not isinstance(element, ast.Call) or not resolver.may_be_coroutine_function(element.func):
            return None
        callee = resolver.coroutine_call(element, ctx.facts.child_scope(expr, ctx.scope))
        kind = {ast.ListComp: "list comprehension", ast.SetComp: "set comprehension",
                ast.DictComp: "dict comprehension", ast.GeneratorExp: "generator"}[type(expr)]
        return (kind, callee) if callee else None
    if isinstance(expr, ast.Call) and len(expr.args) >= 2 and ctx.call_named(expr, MAP):
        callee = resolver.coroutine_callable(expr.args[0], ctx.get_scope)
        return ("map()", callee) if callee else None
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)) and len(expr.elts) == 1 \
            and isinstance(expr.elts[0], ast.Starred):
        found = coroutine_collection(expr.elts[0].value, ctx)
        return (f"unpacked {found[0]}", found[1]) if found else None
    return None


@RULE.on(ast.Expr, ast.Assign, ast.AnnAssign)
def check(node, ctx):
    if not isinstance(node.value, (ast.Call, ast.List, ast.Tuple, ast.Set, *COMPREHENSIONS)):
        return
    found = coroutine_collection(node.value, ctx)
    if found is None:
        return
    how = discarded(node, ctx.facts, ctx.get_scope)
    if how is None:
        return
    kind, callee = found
    yield RULE.at(
        node.value,
        f"{kind} creates '{callee.name}' coroutines that are never awaited, so none runs; "
        "await them with asyncio.gather() (bounded by a semaphore)",
        how=how, kind=kind, callee=callee.name, in_async=ctx.in_async_function,
    )


@RULE.fixes
def fix(finding, fx, options):
    """Await the coroutines with one gather (unsafe: the work now runs).  When the number of
    items is not provably small, the unbounded-gather fix bounds the gather in the next pass."""
    from ..fixing import CannotFix, Fix

    cst = fx.cst
    if not finding.fix.get("in_async"):
        raise CannotFix("not inside an async def, where nothing can await them")
    node = fx.node_at(finding, cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.Call, cst.List, cst.Tuple, cst.Set)
    source = _awaitables(node, cst)
    if source is None:
        raise CannotFix("cannot rewrite this collection into a gather")
    gather_name, imports = fx.asyncio_attr("gather")
    gather = cst.Await(cst.Call(func=fx.expression(gather_name), args=[cst.Arg(source, star="*")]))
    return Fix({node: gather}, safe=False, imports=imports)


def _awaitables(node, cst):
    """The iterable of coroutines that `node` builds: a generator, or the map() itself."""
    if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        return cst.GeneratorExp(elt=node.elt, for_in=node.for_in)
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)) and len(node.elements) == 1 \
            and isinstance(node.elements[0], cst.StarredElement):
        return _awaitables(node.elements[0].value, cst)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
        if node.func.value in ("list", "tuple", "set", "frozenset", "sorted") and len(node.args) == 1:
            return _awaitables(node.args[0].value, cst)
        if node.func.value == "map":
            return node
    return None
