"""ASP102"""
from __future__ import annotations

import ast

from ..analysis.coroutines import callee_name
from ..analysis.flow import discarded
from ..analysis.scopes import COMPREHENSIONS
from ..registry import rule

RULE = rule("ASP102", "discarded-coroutines",
            "a comprehension, generator or map() creates coroutines that nobody awaits",
            doc=__doc__, fix="unsafe")

MATERIALIZERS = frozenset({"list", "tuple", "set", "frozenset", "sorted"})


def coroutine_collection(expr: ast.AST, ctx):
    """(kind, callee) when `expr` builds a collection of coroutines, else None."""
    resolver, scope = ctx.resolver, ctx.scope
    if isinstance(expr, ast.Call) and len(expr.args) == 1 and not expr.keywords \
            and resolver.qualified_name(expr.func, scope) in MATERIALIZERS:
        found = coroutine_collection(expr.args[0], ctx)
        return (f"{expr.func.id}({found[0]})", found[1]) if found else None
    if isinstance(expr, COMPREHENSIONS):
        element = expr.value if isinstance(expr, ast.DictComp) else expr.elt
        inner = ctx.facts.child_scope(expr, scope)
        callee = resolver.coroutine_call(element, inner)
        kind = {ast.ListComp: "list comprehension", ast.SetComp: "set comprehension",
                ast.DictComp: "dict comprehension", ast.GeneratorExp: "generator"}[type(expr)]
        return (kind, callee) if callee else None
    if isinstance(expr, ast.Call) and len(expr.args) >= 2 \
            and resolver.qualified_name(expr.func, scope) == "map":
        function = expr.args[0]
        if isinstance(function, ast.Lambda):
            callee = resolver.coroutine_call(function.body, ctx.facts.child_scope(function, scope))
        else:
            callee = resolver.coroutine_function(function, scope)
        return ("map()", callee) if callee else None
    return None


@RULE.on(ast.Expr, ast.Assign, ast.AnnAssign)
def check(node, ctx):
    if node.value is None or not isinstance(node.value, (ast.Call, *COMPREHENSIONS)):
        return
    found = coroutine_collection(node.value, ctx)
    if found is None:
        return
    how = discarded(node, ctx)
    if how is None:
        return
    kind, callee = found
    yield RULE.at(
        node.value,
        f"{kind} creates '{callee.name}' coroutines that are never awaited, so none of them runs; "
        "await them with asyncio.gather() (bounded by a semaphore)",
        how=how, kind=kind, callee=callee.name, in_async=ctx.in_async_function,
    )
