"""## What it does
Finds an `asyncio.gather()` whose starred argument builds one inner
`asyncio.gather()` per item:
`asyncio.gather(*(asyncio.gather(a(x), b(x)) for x in xs))`. It also sees
through a coroutine function of the same module whose body does nothing but
return a gather (a docstring aside), as in
`asyncio.gather(*(load_order(i) for i in ids))` with
`async def load_order(i): return await asyncio.gather(...)`. The per-item
collection may take any form that [ASP201](ASP201.md) follows: a generator
expression, a comprehension, `map()`, or a local name bound to one of those
or filled in a loop.

It leaves alone a gather of a few gathers written out one by one
(`asyncio.gather(asyncio.gather(a(), b()), asyncio.gather(c(), d()))`), whose
grouping the author chose by hand, and helpers that do anything besides
returning their gather.

## Why is this bad?
Each inner gather adds a layer between the caller and the work: for every
item one more future, with its own callbacks and its own result list, and
through a helper one more coroutine wrapped in one more task. The real
fan-out, items times awaitables per item, is split across two places, so
neither the reader nor a reviewer sees how many operations start at once.

Error handling is split as well. `return_exceptions=True` on the outer gather
does not reach the inner ones: when one inner awaitable fails, the whole item
becomes that one exception, the item's other results are lost, and its
sibling awaitables go on running, because gather does not cancel them. One
flat gather over all the awaitables returns every result in one list and
applies one error policy to all of them.

## Example
```python
import asyncio

limit = asyncio.Semaphore(10)
cache: dict[str, bytes] = {}


async def prefetch(path: str) -> None:
    async with limit:
        await asyncio.sleep(0.05)  # stands in for an HTTP GET
        cache[path] = b"..."


async def warm_cache(product_ids: list[int]) -> None:
    await asyncio.gather(*(
        asyncio.gather(prefetch(f"/products/{pid}"), prefetch(f"/products/{pid}/reviews"))
        for pid in product_ids
    ))
```

## Use instead
```python
import asyncio

limit = asyncio.Semaphore(10)
cache: dict[str, bytes] = {}


async def prefetch(path: str) -> None:
    async with limit:
        await asyncio.sleep(0.05)  # stands in for an HTTP GET
        cache[path] = b"..."


async def warm_cache(product_ids: list[int]) -> None:
    await asyncio.gather(*(
        prefetch(path)
        for pid in product_ids
        for path in (f"/products/{pid}", f"/products/{pid}/reviews")
    ))
```
The flat gather starts the same requests; the semaphore in `prefetch()` keeps
them at ten at a time, which is what keeps the unbounded-gather rule
([ASP201](ASP201.md)) quiet about a fan-out over `product_ids`.

## Fix safety
When the outer gather's result is discarded, the fix flattens the nesting
into one gather over all the inner awaitables:
```python
await asyncio.gather(*(asyncio.gather(profile(u), orders(u)) for u in users[:5]))
```
becomes
```python
await asyncio.gather(*(awaitable for u in users[:5] for awaitable in (profile(u), orders(u),)))
```
It is safe and applied by default: the same awaitables start together as
before, and the first error is raised as before; only the shape of the
result, which nobody reads, changes. Left unchanged and reported with the
reason: a result that is used (flattening turns a list of per-item lists
into one list, and the code reading it would have to change), per-item
gathers made inside another coroutine function, and per-item gathers that
are not written inline or take keyword arguments.

## Options
This rule has no options.

## References
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
- Related rules: [ASP201](ASP201.md) for fan-outs without a bound,
  [ASP402](ASP402.md) for a gather of a single awaitable.
"""
from __future__ import annotations

import ast

from ..analysis.vocabulary import last_names
from ..analysis.fanout import GATHERS, fanout_of
from ..registry import FixSafety, rule

RULE = rule("ASP401", "nested-gather",
            "a gather of gathers built per item: one flat gather does the same with less overhead",
            doc=__doc__, fix=FixSafety.SAFE)


def only_returns_gather(function: ast.AST, resolver, scope) -> bool:
    """`async def f(x): return await asyncio.gather(...)` (a docstring allowed)."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
        return False
    value = body[0].value
    if isinstance(value, ast.Await):
        value = value.value
    return resolver.call_named(value, scope, GATHERS) is not None


def inner_gather(element: ast.AST, facts, scope) -> str | None:
    """How `element` makes a gather: directly, or through a local `async def` that only returns one."""
    resolver = facts.resolver
    if resolver.call_named(element, scope, GATHERS):
        return "gather"
    callee = resolver.coroutine_call(element, scope)
    if callee is not None and callee.node is not None and \
            only_returns_gather(callee.node, resolver, facts.child_scope(callee.node, callee.scope)):
        return callee.name
    return None


@RULE.on_call(last_names(GATHERS))
def check(node, ctx):
    if ctx.call_named(node, GATHERS) is None:
        return
    for argument in node.args:
        if not isinstance(argument, ast.Starred):
            continue
        fanout = fanout_of(argument.value, ctx.facts, ctx.scope)
        if fanout is None or fanout.source == "literal":
            continue  # a literal holds a fixed few, written out by hand
        through = inner_gather(fanout.element, ctx.facts, fanout.element_scope)
        if through is None:
            continue
        via = "" if through == "gather" else f" (through '{through}')"
        parent = ctx.parent
        discarded = isinstance(parent, ast.Await) and len(ctx.path) > 2 and isinstance(ctx.path[-3], ast.Expr)
        yield RULE.at(node, f"gather of per-item gathers{via}: gather the inner awaitables in one flat "
                      "gather instead", through=through, discarded=discarded,
                      element=ast.unparse(fanout.element))
        return


@RULE.fixes
def fix(finding, fx, options):
    """`gather(*(gather(f(x), g(x)) for x in xs))` -> `gather(*(aw for x in xs for aw in (f(x), g(x))))`,
    when the result is thrown away (safe: the same awaitables run together; only the shape of
    the result, which nobody reads, changes)."""
    from ..fixing import CannotFix, Fix

    cst = fx.cst
    if not finding.fix.get("discarded"):
        raise CannotFix("the nested result is used: flattening would change its shape")
    if finding.fix.get("through") != "gather":
        raise CannotFix("the inner gather is inside another coroutine function")
    outer = fx.node_at(finding, cst.Call)
    for argument in outer.args:
        comprehension = argument.value
        if argument.star != "*" or not isinstance(comprehension, (cst.GeneratorExp, cst.ListComp)):
            continue
        inner = comprehension.elt
        if not isinstance(inner, cst.Call) or any(a.keyword is not None or a.star == "**" for a in inner.args):
            continue
        name = fx.fresh_name("awaitable")
        items = ", ".join(("*" if a.star else "") + fx.module.code_for_node(a.value) for a in inner.args)
        loops = fx.module.code_for_node(comprehension.for_in).strip()
        flat = fx.expression(f"({name} {loops} for {name} in ({items},))")
        return Fix({comprehension: flat}, safe=True)
    raise CannotFix("the per-item gathers are not written inline")
