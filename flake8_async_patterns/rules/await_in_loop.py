"""ASP203"""
from __future__ import annotations

import ast

from ..analysis.dependence import ORDERED, carries_value, control_depends, loaded_names, own_nodes, stored_names
from ..analysis.fanout import unparse
from ..registry import rule

RULE = rule("ASP203", "await-in-loop",
            "a loop awaits independent work one item at a time: it could run concurrently",
            doc=__doc__, default=False, fix="unsafe")


def independent_awaits(loop: ast.For, ctx) -> list[ast.Await] | None:
    """The awaits of `loop` when each pass awaits a local coroutine on its own item and
    nothing flows between passes; None otherwise."""
    body = loop.body
    nodes = list(own_nodes(body))
    if any(isinstance(n, (ast.AsyncWith, ast.AsyncFor, ast.For, ast.While, ast.Try)) for n in nodes):
        return None
    awaits = [n for n in nodes if isinstance(n, ast.Await)]
    if not awaits:
        return None
    targets = stored_names([loop.target])
    for awaited in awaits:
        callee = ctx.resolver.coroutine_call(awaited.value, ctx.scope)
        if callee is None or callee.node is None or ORDERED.fullmatch(callee.name.rsplit(".", 1)[-1]):
            return None
        if not loaded_names(awaited.value.args + [k.value for k in awaited.value.keywords]) & targets:
            return None  # the same call every pass: polling or repeating, not per-item work
    if carries_value(body, targets) or control_depends(body):
        return None
    return awaits


@RULE.on(ast.For)
def check(node, ctx):
    if not ctx.in_async_function or node.orelse:
        return
    awaits = independent_awaits(node, ctx)
    if awaits is None:
        return
    first = awaits[0]
    yield RULE.at(first, f"'await' in a loop over '{unparse(node.iter)}' runs independent iterations one "
                  "after another; run them concurrently with a bounded asyncio.gather()",
                  loop_line=node.lineno, iterable=unparse(node.iter), element=ast.unparse(first.value))
