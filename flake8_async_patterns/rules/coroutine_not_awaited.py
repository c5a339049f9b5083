"""ASP101"""
from __future__ import annotations

import ast

from ..analysis.coroutines import callee_name
from ..analysis.flow import assigned_name, discarded
from ..registry import rule

RULE = rule("ASP101", "coroutine-not-awaited",
            "a coroutine is created and never awaited, so it never runs",
            doc=__doc__, fix="safe (add await); unsafe with --fix-style=gather")


@RULE.on(ast.Expr, ast.Assign, ast.AnnAssign)
def check(node, ctx):
    call = node.value
    if not isinstance(call, ast.Call):
        return
    callee = ctx.resolver.coroutine_call(call, ctx.scope)
    if callee is None:
        return
    how = discarded(node, ctx)
    if how is None:
        return
    name = callee_name(call.func)
    in_async = ctx.in_async_function
    if how == "unused":
        message = (f"coroutine '{name}' is assigned to '{assigned_name(node)}' and never awaited, "
                   "so it never runs; await it")
    elif in_async:
        message = f"coroutine '{name}' is never awaited, so it never runs; add 'await'"
    else:
        message = (f"coroutine '{name}' is never awaited, so it never runs; "
                   "call it from a coroutine with 'await', or run it with asyncio.run()")
    loop = ctx.loop
    yield RULE.at(call, message, how=how, callee=callee.name, in_async=in_async,
                  loop_line=loop.lineno if loop is not None else None)
