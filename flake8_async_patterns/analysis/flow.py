"""Where values go: is the value of a statement thrown away?"""
from __future__ import annotations

import ast


def discarded(statement: ast.stmt, ctx) -> str | None:
    """How the value of an expression statement or assignment is thrown away.

    "statement" for `f()`; "unused" for `x = f()` in a function that never reads
    `x` (not global/nonlocal, no `locals()`).  None when the value may be used.
    """
    if isinstance(statement, ast.Expr):
        return "statement"
    if isinstance(statement, ast.Assign):
        if len(statement.targets) != 1:
            return None
        target = statement.targets[0]
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        target = statement.target
    else:
        return None
    if not isinstance(target, ast.Name):
        return None
    scope = ctx.scope
    if not scope.is_function or target.id in scope.globals or target.id in scope.nonlocals:
        return None
    loaded = ctx.facts.loaded_names(scope.node)
    if target.id in loaded or "locals" in loaded or "vars" in loaded:
        return None
    return "unused"


def assigned_name(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.Assign):
        return statement.targets[0].id
    if isinstance(statement, ast.AnnAssign):
        return statement.target.id
    return None
