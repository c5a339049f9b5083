"""A faster `ast.iter_child_nodes`.

Which fields of a node type can hold nodes is read once per type from the node class's
signature (`Call(expr func, expr* args, keyword* keywords)`), so names, strings, numbers and
the operator and context singletons (`Load`, `Add`, `Eq`...) that no rule needs are never
looked at."""
from __future__ import annotations

import ast
import re

# field types that never hold a node a rule could want
_NOT_NODES = frozenset({
    "identifier", "string", "constant", "int", "object",
    "expr_context", "boolop", "operator", "unaryop", "cmpop", "type_ignore",
})
_SIGNATURE = re.compile(r"(\w+)([*?]?) (\w+)")
# lists that may hold None: `{**d}` has a None key, a keyword-only argument no default
_SPARSE = frozenset({("Dict", "keys"), ("arguments", "kw_defaults")})
ONE, MANY, SPARSE = 0, 1, 2
_PLANS: dict[type, tuple[tuple[str, int], ...]] = {}


def plan(kind: type) -> tuple[tuple[str, int], ...]:
    """(field, ONE/MANY/SPARSE) for every field of `kind` that can hold nodes."""
    found = _PLANS.get(kind)
    if found is not None:
        return found
    signature = (kind.__doc__ or "").split("(", 1)[-1]
    fields = {name: (type_, mark) for type_, mark, name in _SIGNATURE.findall(signature)}
    steps = []
    for name in kind._fields:
        if name not in fields:  # a signature this module cannot read: look at the values
            steps = None
            break
        type_, mark = fields[name]
        if type_ in _NOT_NODES:
            continue
        steps.append((name, ONE if mark != "*" else SPARSE if (kind.__name__, name) in _SPARSE else MANY))
    _PLANS[kind] = found = tuple(steps) if steps is not None else _generic(kind)
    return found


def _generic(kind: type) -> tuple[tuple[str, int], ...]:
    return tuple((name, SPARSE) for name in kind._fields if name not in ("ctx", "op", "ops"))


def child_nodes(node: ast.AST) -> list[ast.AST]:
    steps = _PLANS.get(type(node)) or plan(type(node))
    children: list[ast.AST] = []
    for name, how in steps:
        value = getattr(node, name, None)
        if how == ONE:
            if value is not None:
                children.append(value)
        elif how == MANY:
            if value:
                children += value
        elif isinstance(value, list):
            children += [item for item in value if isinstance(item, ast.AST)]
        elif isinstance(value, ast.AST):
            children.append(value)
    return children


def is_leaf(kind: type) -> bool:
    """Nodes of this type never have children worth visiting (names, constants, `pass`...)."""
    return not plan(kind)


def walk(node: ast.AST):
    """Every node under `node` (itself included), in no particular order."""
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        todo += child_nodes(current)
