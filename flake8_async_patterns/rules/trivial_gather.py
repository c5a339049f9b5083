"""ASP402"""
from __future__ import annotations

import ast

from ..analysis.fanout import GATHERS
from ..registry import rule

RULE = rule("ASP402", "trivial-gather",
            "gather() of no awaitable or of exactly one: overhead without concurrency",
            doc=__doc__, fix="safe")


@RULE.on(ast.Call)
def check(node, ctx):
    if ctx.resolver.call_named(node, ctx.scope, GATHERS) is None:
        return
    if any(isinstance(a, ast.Starred) for a in node.args) or len(node.args) > 1:
        return
    if not isinstance(ctx.parent, ast.Await):
        return  # a gather kept as a future (to cancel it, or in tests of gather itself)
    if any(k.arg == "return_exceptions" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
           for k in node.keywords):
        return  # gather(task, return_exceptions=True) awaits a task and swallows its error: a purpose
    if not node.args:
        yield RULE.at(node, "gather() of nothing: it waits for nothing; remove it", count=0)
        return
    yield RULE.at(node, f"gather() of a single awaitable runs nothing concurrently; await "
                  f"'{ast.unparse(node.args[0])[:40]}' directly",
                  count=1)
