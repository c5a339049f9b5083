"""ASP501"""
from __future__ import annotations

import ast

from ..analysis.dependence import own_nodes
from ..analysis.state import held_lock, shared_target
from ..registry import rule

RULE = rule("ASP501", "await-in-read-modify-write",
            "`shared += await ...`: the old value is read before the await, so concurrent runs lose updates",
            doc=__doc__, fix="safe")

OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
             ast.Pow: "**", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^", ast.LShift: "<<",
             ast.RShift: ">>", ast.MatMult: "@"}


@RULE.on(ast.AugAssign)
def check(node, ctx):
    if not ctx.in_async_function or not any(isinstance(n, ast.Await) for n in own_nodes([node.value])):
        return
    target = shared_target(node.target, ctx.scope)
    if target is None or held_lock(ctx.path, ctx.resolver, ctx.scope) is not None:
        return
    op = OPERATORS.get(type(node.op), "?")
    yield RULE.at(node, f"'{target} {op}= await ...' reads {target} before the await and writes it after, "
                  "so concurrent runs lose updates; await into a local first, then update",
                  target=ast.unparse(node.target), op=op, value=ast.unparse(node.value))
