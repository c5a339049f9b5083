"""ASP301"""
from __future__ import annotations

import ast

from ..analysis.fanout import GATHERS
from ..analysis.flow import discarded
from ..analysis.outcomes import is_teardown, keeps_exceptions, looked_after, new_work
from ..registry import rule

RULE = rule("ASP301", "gather-exceptions-ignored",
            "the result of gather(..., return_exceptions=True) is thrown away, and every failure with it",
            doc=__doc__, fix="unsafe")


@RULE.on(ast.Expr, ast.Assign, ast.AnnAssign)
def check(node, ctx):
    awaited = node.value
    if not isinstance(awaited, ast.Await) or not isinstance(awaited.value, ast.Call):
        return
    call = awaited.value
    if not keeps_exceptions(call) or ctx.call_named(call, GATHERS) is None:
        return
    # Waiting for tasks that already run (after cancelling them, say) and ignoring how they
    # ended is cleanup, and so is best-effort closing; new work whose failures vanish is not.
    function = ctx.function
    uses = ctx.facts.uses(function) if function is not None else None
    work = [c for a in call.args if not (uses and looked_after(a, uses))
            for c in new_work(a, ctx.facts, ctx.scope) if not is_teardown(c, ctx.facts, ctx.scope)]
    if not work:
        return
    how = discarded(node, ctx)
    if how is None:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if not (len(targets) == 1 and isinstance(targets[0], ast.Name) and targets[0].id == "_"):
            return
        how = "underscore"
    yield RULE.at(call, "gather(..., return_exceptions=True) returns the failures as values and this result "
                  "is thrown away, so every failure is silently lost; check the results and raise",
                  how=how, in_async=ctx.in_async_function, target_version=list(ctx.settings.target_version))
