"""ASP201"""
from __future__ import annotations

import ast

from ..analysis.fanout import AS_COMPLETED, GATHERS, WAITS, bounded_call, fanout_of, is_small, unparse, unwrap
from ..registry import rule
from .dangling_task import task_spawner

RULE = rule("ASP201", "unbounded-gather",
            "gather/wait/as_completed over a collection of unknown size with nothing bounding concurrency",
            doc=__doc__, fix="safe")

APIS = GATHERS | WAITS | AS_COMPLETED


def fanned_out(call: ast.Call, api: str) -> list[ast.expr]:
    """The arguments of `call` that stand for many awaitables."""
    if api in GATHERS:
        return [a.value for a in call.args if isinstance(a, ast.Starred)]
    first = call.args[0] if call.args else next(
        (k.value for k in call.keywords if k.arg in ("fs", "aws")), None)
    return [first] if first is not None and not isinstance(first, ast.Starred) else []


@RULE.on(ast.Call)
def check(node, ctx):
    api = ctx.resolver.call_named(node, ctx.scope, APIS)
    if api is None:
        return
    facts, settings = ctx.facts, ctx.settings
    for argument in fanned_out(node, api):
        fanout = fanout_of(argument, facts, ctx.scope)
        if fanout is None or not isinstance(unwrap(fanout.element, ctx.resolver, fanout.element_scope), ast.Call):
            continue  # the awaitables already exist (tasks or futures made elsewhere): not this fan-out
        if fanout.source == "loop" and task_spawner(fanout.element, ctx):
            continue  # tasks started in a loop: ASP202 reports the loop
        if fanout.iterable is not None and is_small(
                fanout.iterable, ctx.resolver, fanout.iterable_scope, settings.max_fanout):
            continue
        if bounded_call(fanout.element, facts, fanout.element_scope) or fanout.works_on_items(ctx.resolver):
            continue
        source = unparse(fanout.iterable) if fanout.iterable is not None else "several iterables"
        short = api.rsplit(".", 1)[-1]
        yield RULE.at(
            node,
            f"{short}() starts one awaitable per item of '{source}' with no limit on how many run at "
            f"once; bound them with asyncio.Semaphore({settings.concurrency})",
            api=api, source=fanout.source, iterable=source,
            element=ast.unparse(fanout.element), element_line=fanout.element.lineno,
            element_col=fanout.element.col_offset, concurrency=settings.concurrency,
        )
        return  # one finding per call
