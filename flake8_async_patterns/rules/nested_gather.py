"""ASP401"""
from __future__ import annotations

import ast

from ..analysis.fanout import GATHERS, fanout_of
from ..registry import rule

RULE = rule("ASP401", "nested-gather",
            "a gather of gathers built per item: one flat gather does the same with less overhead",
            doc=__doc__, fix="safe")


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


@RULE.on(ast.Call)
def check(node, ctx):
    if ctx.resolver.call_named(node, ctx.scope, GATHERS) is None:
        return
    for argument in node.args:
        if not isinstance(argument, ast.Starred):
            continue
        fanout = fanout_of(argument.value, ctx.facts, ctx.scope)
        if fanout is None:
            continue
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
