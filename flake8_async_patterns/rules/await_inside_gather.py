"""## What it does
Finds an `await` written as an argument of a call that is meant to receive
awaitables: a positional argument of `asyncio.gather()`,
`asyncio.create_task()`, `asyncio.ensure_future()`, `loop.create_task()` or a
task group's `create_task()`, `start_soon()` or `start()`, and an element of
the list, tuple or set literal passed to `asyncio.wait()` or
`asyncio.as_completed()`. For example
`asyncio.gather(await fetch_account(user_id), fetch_orders(user_id))`.

It leaves alone `asyncio.gather(fetch_account(user_id), fetch_orders(user_id))`
and a starred await such as `asyncio.gather(*(await make_jobs()))`, where
awaiting a factory is how the awaitables are obtained.

## Why is this bad?
Python evaluates a call's arguments before the call. The inner `await` runs
its coroutine to completion before `gather()` even starts, so the code is as
sequential as two awaits in a row while looking concurrent. Then `gather()`
receives the result (here a `dict`), not an awaitable, and raises a
`TypeError`, after the first call has already done its work. The other
coroutines created for the call are never awaited, so their work is dropped
with a "never awaited" warning. JavaScript's `Promise.all()` accepts plain
values next to promises, which is why the pattern goes unnoticed there;
`gather()` refuses them. With `create_task()` the code only works when the
awaited call returns a coroutine, and even then that call runs in full before
the task exists.

## Example
```python
import asyncio


async def fetch_account(user_id: int) -> dict:
    await asyncio.sleep(0.05)  # stands in for a call to the accounts service
    return {"id": user_id}


async def fetch_orders(user_id: int) -> list[dict]:
    await asyncio.sleep(0.08)  # stands in for a call to the orders service
    return []


async def dashboard(user_id: int) -> dict:
    account, orders = await asyncio.gather(await fetch_account(user_id), fetch_orders(user_id))
    return {"account": account, "orders": orders}
```

## Use instead
```python
import asyncio


async def fetch_account(user_id: int) -> dict:
    await asyncio.sleep(0.05)  # stands in for a call to the accounts service
    return {"id": user_id}


async def fetch_orders(user_id: int) -> list[dict]:
    await asyncio.sleep(0.08)  # stands in for a call to the orders service
    return []


async def dashboard(user_id: int) -> dict:
    account, orders = await asyncio.gather(fetch_account(user_id), fetch_orders(user_id))
    return {"account": account, "orders": orders}
```

## Fix safety
The fix drops the inner `await` when what it awaits is a coroutine call,
resolved as for [ASP101](ASP101.md):
`await aio.gather(await fetch_account(user_id), fetch_orders(user_id))`
becomes `await aio.gather(fetch_account(user_id), fetch_orders(user_id))`.
In `asyncio.wait([...])`, which takes no bare coroutines since Python 3.11,
`await probe("a")` becomes `asyncio.create_task(probe("a"))` instead. It is
safe and applied by default: the coroutine then runs together with the
others, as gathering them meant, and the `TypeError` goes away. Left
unchanged and reported with the reason: an awaited call that is not known to
be a coroutine (`await make_job()`, `await running`: it may return the
awaitable to pass on), a comment inside the `await` that would be lost, and
a trio or anyio `start_soon()`/`start()`, which take an async function rather
than a coroutine.

## Options
- `async-patterns-coroutine-functions`: more functions, by dotted name, to
  treat as coroutine functions, so that the fix can drop an `await` in front
  of them.
- `async-patterns-non-coroutine-decorators`: decorators after which an
  `async def` no longer returns a coroutine, so the fix leaves the `await` in
  front of it.

## References
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
- [Python docs: awaitables](https://docs.python.org/3/library/asyncio-task.html#awaitables)
- Related rules: [ASP204](ASP204.md) for independent awaits written one after
  another, [ASP101](ASP101.md) for coroutines that are never awaited.
"""
from __future__ import annotations

import ast

from ..analysis.vocabulary import last_names
from ..analysis.fanout import AS_COMPLETED, GATHERS, WAITS
from ..registry import FixSafety, rule
from ..analysis.tasks import GROUP_SPAWNER_NAMES, SPAWNER_NAMES, direct_spawner, group_spawner

RULE = rule("ASP403", "await-inside-gather",
            "an argument of gather/wait/as_completed/create_task that is itself awaited first",
            doc=__doc__, fix=FixSafety.SAFE)


def awaited_arguments(call: ast.Call, api: str) -> list[ast.Await]:
    if api in GATHERS or api == "task":
        return [a for a in call.args if isinstance(a, ast.Await)]
    first = call.args[0] if call.args else None
    if isinstance(first, (ast.List, ast.Tuple, ast.Set)):
        return [e for e in first.elts if isinstance(e, ast.Await)]
    return []


@RULE.on_call(last_names(GATHERS | WAITS | AS_COMPLETED), SPAWNER_NAMES, GROUP_SPAWNER_NAMES)
def check(node, ctx):
    api = ctx.call_named(node, GATHERS | WAITS | AS_COMPLETED)
    if api is None and (direct_spawner(node, ctx.resolver, ctx.get_scope)
                        or group_spawner(node, ctx.resolver, ctx.get_scope)):
        api = "task"
    if api is None:
        return
    name = "create_task" if api == "task" else api.rsplit(".", 1)[-1]
    for awaited in awaited_arguments(node, api):
        inner = awaited.value
        coroutine = ctx.resolver.coroutine_call(inner, ctx.get_scope)
        yield RULE.at(awaited, f"'await' inside the arguments of {name}() runs "
                      f"'{ast.unparse(inner)[:40]}' to completion before {name}() starts; drop the 'await'",
                      api=name, awaited_coroutine=coroutine is not None)


# -- fix ------------------------------------------------------------------------------------


@RULE.fixes
def fix(finding, fx, options):
    """Drop the inner `await` of a coroutine call (safe); in `asyncio.wait([...])`, which takes no
    bare coroutines since 3.11, the coroutine becomes `asyncio.create_task(...)` instead."""
    from ..fixing import CannotFix, Fix
    from ..fixing import comments_in

    cst = fx.cst
    if not finding.fix.get("awaited_coroutine"):
        raise CannotFix("what is awaited is not known to be a coroutine call: it may return the awaitable "
                        "to pass on")
    awaited = fx.node_at(finding, cst.Await)
    inner = awaited.expression
    if comments_in(awaited) - comments_in(inner):
        raise CannotFix("a comment inside the await would be lost")
    call = fx.parent(fx.parent(awaited))
    if isinstance(call, (cst.List, cst.Tuple, cst.Set)):
        call = fx.parent(fx.parent(call))
    if not isinstance(call, cst.Call):
        raise CannotFix("the code at this position is not what the finding describes")
    if isinstance(call.func, cst.Attribute) and call.func.attr.value in ("start_soon", "start"):
        raise CannotFix(f"{call.func.attr.value}() takes an async function, not a coroutine")
    imports = []
    if finding.fix.get("api") == "wait":
        spawn = fx.from_import_alias("asyncio", "create_task")
        if spawn is None:
            module, imports = fx.module_alias("asyncio")
            spawn = f"{module}.create_task"

        def replace(updated):
            coroutine = updated.expression.with_changes(lpar=[], rpar=[]) \
                if len(updated.expression.lpar) == 1 else updated.expression
            return cst.Call(func=fx.expression(spawn), args=[cst.Arg(coroutine)],
                            lpar=updated.lpar, rpar=updated.rpar)
    else:
        def replace(updated):
            expression = updated.expression
            return expression.with_changes(lpar=[*updated.lpar, *expression.lpar],
                                           rpar=[*expression.rpar, *updated.rpar])
    return Fix({awaited: replace}, imports=imports)
