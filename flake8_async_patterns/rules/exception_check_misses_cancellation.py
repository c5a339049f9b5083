"""ASP303"""
from __future__ import annotations

import ast

from .gather_results_unchecked import gather_outcome
from ..registry import rule

RULE = rule("ASP303", "exception-check-misses-cancellation",
            "gather(return_exceptions=True) results tested with isinstance(r, Exception), which lets "
            "CancelledError through as a success", doc=__doc__, fix="safe")


def names_exception_only(types: ast.AST) -> ast.AST | None:
    """The `Exception` name node in `types` when it has no `BaseException` beside it."""
    parts = types.elts if isinstance(types, ast.Tuple) else [types]
    names = {p.id if isinstance(p, ast.Name) else p.attr if isinstance(p, ast.Attribute) else None: p for p in parts}
    if "BaseException" in names or "CancelledError" in names:
        return None
    return names.get("Exception")


@RULE.on(ast.Call)
def check(node, ctx):
    found = gather_outcome(node, ctx)
    if found is None:
        return
    outcome, uses = found
    for use in uses.of(outcome.names, outcome.elements):
        test = use.at
        if use.kind != "tested" or not isinstance(test, ast.Call) or len(test.args) != 2 \
                or not isinstance(test.func, ast.Name) or test.func.id != "isinstance":
            continue
        exception = names_exception_only(test.args[1])
        if exception is not None:
            yield RULE.at(exception, "isinstance(..., Exception) on gather results lets CancelledError "
                          "(a BaseException) pass as a success; test BaseException")
