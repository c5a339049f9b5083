"""Where values go: is the value of a statement thrown away?"""
from __future__ import annotations

import ast
from typing import Sequence

from .nodes import child_nodes


def discarded(statement: ast.stmt, facts, get_scope) -> str | None:
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
    scope = get_scope()
    if not scope.is_function or target.id in scope.globals or target.id in scope.nonlocals:
        return None
    loaded = facts.consumed_names(scope.node)
    if target.id in loaded or "locals" in loaded or "vars" in loaded:
        return None
    return "unused"


INSPECTING_CALLS = frozenset({"len", "type", "id", "bool", "repr"})
TRUTH_TESTS = (ast.If, ast.While, ast.IfExp, ast.Assert)


def _inspects_only(name: ast.Name, parent: ast.AST) -> bool:
    """`parent` looks at the value of `name` without using what it is for."""
    if isinstance(parent, ast.Compare):
        operands = [parent.left, *parent.comparators]
        return all(isinstance(op, (ast.Is, ast.IsNot)) for op in parent.ops) and len(operands) == 2 \
            and any(isinstance(o, ast.Constant) and o.value is None for o in operands)
    if isinstance(parent, ast.Call):
        return isinstance(parent.func, ast.Name) and parent.func.id in INSPECTING_CALLS \
            and len(parent.args) == 1 and parent.args[0] is name
    if isinstance(parent, TRUTH_TESTS):
        return parent.test is name
    if isinstance(parent, ast.UnaryOp):
        return isinstance(parent.op, ast.Not)
    return False


def consuming_reads(node: ast.AST):
    """Names read inside `node` in a way that may use their value."""
    todo = [(node, None)]
    while todo:
        current, parent = todo.pop()
        if isinstance(current, ast.Name):
            if isinstance(current.ctx, ast.Load) and not _inspects_only(current, parent):
                yield current.id
            continue
        todo.extend([(child, current) for child in child_nodes(current)])


def assigned_name(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.Assign):
        return statement.targets[0].id
    if isinstance(statement, ast.AnnAssign):
        return statement.target.id
    return None


def truth_tested(path: Sequence[ast.AST]) -> bool:
    """Python tests the truth of `path[-1]` (and throws the value away)."""
    node = path[-1]
    for parent in reversed(path[:-1]):
        if isinstance(parent, TRUTH_TESTS):
            return parent.test is node
        if isinstance(parent, ast.comprehension):
            return any(node is test for test in parent.ifs)
        if isinstance(parent, ast.UnaryOp):
            return isinstance(parent.op, ast.Not)
        if isinstance(parent, ast.BoolOp):
            if node is not parent.values[-1]:
                return True
            node = parent
            continue
        return False
    return False
