"""ASP305"""
from __future__ import annotations

import ast

from ..analysis.fanout import GATHERS
from ..analysis.outcomes import keeps_exceptions
from ..analysis.scopes import FUNCTIONS
from ..registry import rule

RULE = rule("ASP305", "gather-orphans-on-failure",
            "gather() in a try that handles the error and carries on: the other awaitables keep running",
            doc=__doc__, default=False, fix="unsafe")

BROAD = frozenset({"Exception", "BaseException"})


def _catches_and_carries_on(handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    if caught is not None:
        parts = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        names = {p.id if isinstance(p, ast.Name) else p.attr if isinstance(p, ast.Attribute) else "" for p in parts}
        if not names & BROAD:
            return False
    return not any(isinstance(n, ast.Raise) for n in ast.walk(handler))


@RULE.on(ast.Call)
def check(node, ctx):
    if not isinstance(ctx.parent, ast.Await) or keeps_exceptions(node) or ctx.call_named(node, GATHERS) is None:
        return
    child = ctx.parent
    for ancestor in reversed(ctx.path[:-2]):
        if isinstance(ancestor, (*FUNCTIONS, ast.Lambda)):
            return
        if isinstance(ancestor, (ast.Try, getattr(ast, "TryStar", ast.Try))) \
                and any(child is statement for statement in ancestor.body):
            if any(_catches_and_carries_on(h) for h in ancestor.handlers):
                yield RULE.at(node, "gather() in a try that swallows the error: when one awaitable fails "
                              "the others keep running unsupervised; use asyncio.TaskGroup (3.11+), which "
                              "cancels them", try_line=ancestor.lineno,
                              target_version=list(ctx.settings.target_version))
            return
        child = ancestor
