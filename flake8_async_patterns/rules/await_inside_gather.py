"""ASP403"""
from __future__ import annotations

import ast

from ..analysis.fanout import AS_COMPLETED, GATHERS, WAITS
from ..registry import rule
from .dangling_task import task_spawner
from .unbounded_task_spawn import group_spawner

RULE = rule("ASP403", "await-inside-gather",
            "an argument of gather/wait/as_completed/create_task that is itself awaited first",
            doc=__doc__, fix="safe")


def awaited_arguments(call: ast.Call, api: str) -> list[ast.Await]:
    if api in GATHERS or api == "task":
        return [a for a in call.args if isinstance(a, ast.Await)]
    first = call.args[0] if call.args else None
    if isinstance(first, (ast.List, ast.Tuple, ast.Set)):
        return [e for e in first.elts if isinstance(e, ast.Await)]
    return []


@RULE.on(ast.Call)
def check(node, ctx):
    api = ctx.resolver.call_named(node, ctx.scope, GATHERS | WAITS | AS_COMPLETED)
    if api is None and (task_spawner(node, ctx) or group_spawner(node, ctx)):
        api = "task"
    if api is None:
        return
    name = "create_task" if api == "task" else api.rsplit(".", 1)[-1]
    for awaited in awaited_arguments(node, api):
        inner = awaited.value
        coroutine = ctx.resolver.coroutine_call(inner, ctx.scope)
        yield RULE.at(awaited, f"'await' inside the arguments of {name}() runs "
                      f"'{ast.unparse(inner)[:40]}' to completion before {name}() starts; drop the 'await'",
                      api=name, awaited_coroutine=coroutine is not None)
