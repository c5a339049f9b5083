"""ASP302"""
from __future__ import annotations

import ast

from ..analysis.fanout import GATHERS
from ..analysis.outcomes import awaited_outcome, keeps_exceptions
from ..registry import rule

RULE = rule("ASP302", "gather-results-unchecked",
            "results of gather(..., return_exceptions=True) are used with no exception test",
            doc=__doc__)

HANDLED = frozenset({"passed", "stored", "returned", "awaited", "tested", "cancelled"})
USED = frozenset({"iterated", "indexed", "unpacked", "attribute", "matched", "inspected"})


def unchecked_use(outcome, uses) -> ast.AST | None:
    """The first use of the results that treats them as successes, when nothing tests them."""
    if outcome.how not in ("assigned", "unpacked", "iterated"):
        return None
    found = uses.of(outcome.names, outcome.elements)
    if any(use.kind == "tested" for use in found):
        return None
    # the whole list handed on (to a helper, a caller, an attribute) may be checked there
    if any(use.kind in HANDLED for use in found if not use.element):
        return None
    element_uses = [use for use in found if use.element]
    if element_uses and all(use.kind in HANDLED for use in element_uses):
        return None
    used = [use.node for use in found if use.kind in USED and (use.element or use.kind != "inspected")]
    return min(used, key=lambda n: (n.lineno, n.col_offset)) if used else None


def gather_outcome(node, ctx):
    """(outcome, uses of the function) for an awaited gather(..., return_exceptions=True)."""
    if not isinstance(ctx.parent, ast.Await) or not keeps_exceptions(node) or ctx.call_named(node, GATHERS) is None:
        return None
    outcome, function = awaited_outcome(ctx), ctx.function
    if outcome is None or function is None:
        return None
    return outcome, ctx.facts.uses(function)


@RULE.on(ast.Call)
def check(node, ctx):
    found = gather_outcome(node, ctx)
    first = unchecked_use(*found) if found else None
    if first is not None:
        yield RULE.at(node, f"results of gather(..., return_exceptions=True) are used (line {first.lineno}) "
                      "without testing for exceptions: a failure arrives as an exception object; "
                      "check isinstance(result, BaseException)", first_use_line=first.lineno)
