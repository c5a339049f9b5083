"""## What it does
Finds an `asyncio.gather()` call, awaited or returned, that is given no
awaitable at all, or exactly one positional awaitable and no starred
argument: `await asyncio.gather(send_receipt(order_id))`.

It leaves alone:
- a starred argument (`asyncio.gather(*jobs)`), even when the collection may
  hold a single item, and a gather of two or more awaitables;
- a gather that is not the direct operand of `await` or `return`, being kept
  as a future: assigned to a name (`gathering = asyncio.gather(child())`, to
  cancel it later), passed to another call
  (`loop.run_until_complete(asyncio.gather(main()))`), or written as a bare
  statement;
- one argument that is not a call (a task, a future, a name) together with a
  `return_exceptions` that is not `False`:
  `await asyncio.gather(task, return_exceptions=True)` waits for a task that
  is already running, perhaps cancelled, and keeps its error quiet, which
  `await task` would not.

It does report a single call, such as a coroutine call, with
`return_exceptions=True`
(`await asyncio.gather(fetch_stock(sku), return_exceptions=True)`): the
coroutine starts there and a `try` around a direct `await` says the same.
It also reports a single task or future without `return_exceptions`, and
`gather()` of nothing, whatever its keywords.

## Why is this bad?
`gather()` exists to run several awaitables at the same time. With one,
nothing overlaps: the coroutine is wrapped in a task, a second future collects
its result into a one-item list, and the reader is led to believe that
something runs in parallel. It is often what is left after a refactoring
removed the other calls. The list is a trap of its own:
`receipt = await asyncio.gather(send_receipt(order_id))` binds `[result]`,
not the result. With no awaitables, `await asyncio.gather()` waits for nothing
and returns an empty list.

## Example
```python
import asyncio


async def send_receipt(order_id: int) -> None:
    await asyncio.sleep(0.05)  # stands in for the mail service
    print("receipt sent for order", order_id)


async def complete_order(order_id: int) -> None:
    await asyncio.gather(send_receipt(order_id))
```

## Use instead
```python
import asyncio


async def send_receipt(order_id: int) -> None:
    await asyncio.sleep(0.05)  # stands in for the mail service
    print("receipt sent for order", order_id)


async def complete_order(order_id: int) -> None:
    await send_receipt(order_id)
```

## Fix safety
There is no automatic fix yet: for now the rule only reports. The planned fix
will await the single awaitable directly: `[r] = await asyncio.gather(f())`
becomes `r = await f()`, the statement `await asyncio.gather(f())` becomes
`await f()`, and a statement `await asyncio.gather()` can go. It will be a
safe fix: the same coroutine runs once, with the same result and the same
error. What changes is only that it runs in the calling task instead of a
task of its own, so a context variable it sets is now visible to the caller
afterwards. A gather with `return_exceptions=True` is different: it hands the
error back inside the list, where a direct `await` raises it, so rewrite that
one by hand with `try`/`except`.

## Options
This rule has no options.

## References
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
- [Python docs: context variables and asyncio](https://docs.python.org/3/library/contextvars.html#asyncio-support)
- Related rules: [ASP401](ASP401.md) for gathers nested per item,
  [ASP204](ASP204.md) for independent awaits that a gather would run together.
"""
from __future__ import annotations

import ast

from ..analysis.fanout import GATHERS
from ..registry import rule

RULE = rule("ASP402", "trivial-gather",
            "gather() of no awaitable or of exactly one: overhead without concurrency",
            doc=__doc__, fix="safe")


@RULE.on(ast.Call)
def check(node, ctx):
    if ctx.call_named(node, GATHERS) is None:
        return
    if any(isinstance(a, ast.Starred) for a in node.args) or len(node.args) > 1:
        return
    if not isinstance(ctx.parent, (ast.Await, ast.Return)):
        return  # a gather kept as a future (to cancel it, or in tests of gather itself)
    swallows = any(k.arg == "return_exceptions" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                   for k in node.keywords)
    if swallows and node.args and not isinstance(node.args[0], ast.Call):
        return  # gather(task, return_exceptions=True): waits for a running task and keeps its error quiet
    if not node.args:
        yield RULE.at(node, "gather() of nothing: it waits for nothing; remove it", count=0)
        return
    yield RULE.at(node, f"gather() of a single awaitable runs nothing concurrently; await "
                  f"'{ast.unparse(node.args[0])[:40]}' directly",
                  count=1)
