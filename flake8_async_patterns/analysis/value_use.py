"""A coroutine used as if it were its result.

The commonest sign of a forgotten `await` far from the call: the coroutine object is
subscripted, iterated, unpacked, has an attribute read, takes part in arithmetic or a
comparison, is formatted, or is handed to a sync builtin that needs a value.  Each of these
raises a `TypeError` or quietly computes something wrong, and the coroutine never runs.
"""
from __future__ import annotations

import ast

# the coroutine object's own attributes: reading them is using the coroutine as one
COROUTINE_ATTRIBUTES = frozenset({"send", "throw", "close", "__await__"})
# builtins and well-known functions that need the value itself
VALUE_FUNCTIONS = frozenset({
    "len", "str", "int", "float", "bytes", "list", "dict", "set", "frozenset", "tuple", "sorted", "sum",
    "min", "max", "any", "all", "print", "iter", "next", "enumerate", "zip", "abs", "round", "format",
    "reversed", "map", "filter", "hash", "divmod", "ord", "chr",
    "json.dumps", "json.dump", "copy.copy", "copy.deepcopy", "pickle.dumps", "dataclasses.asdict",
})


def value_use(node: ast.AST, parent: ast.AST | None, qualified) -> str | None:
    """How `parent` uses `node`'s value as if it were a result (a few words for the message),
    or None.  `qualified(expr)` names what a called expression stands for."""
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return "subscripted"
    if isinstance(parent, ast.Attribute) and parent.value is node:
        if parent.attr in COROUTINE_ATTRIBUTES or parent.attr.startswith("cr_"):
            return None
        return f"read for its attribute '{parent.attr}'"
    if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is node:
        return "iterated"
    if isinstance(parent, ast.Starred):
        return "unpacked"
    if isinstance(parent, ast.Assign) and parent.value is node \
            and any(isinstance(t, (ast.Tuple, ast.List)) for t in parent.targets):
        return "unpacked"
    if isinstance(parent, ast.BinOp) or isinstance(parent, ast.UnaryOp) and not isinstance(parent.op, ast.Not):
        return "used in arithmetic"
    if isinstance(parent, ast.AugAssign) and parent.value is node:
        return "used in arithmetic"
    if isinstance(parent, ast.Compare) and not all(isinstance(op, (ast.Is, ast.IsNot)) for op in parent.ops):
        return "compared"
    if isinstance(parent, ast.FormattedValue) and parent.value is node:
        return "formatted"
    if isinstance(parent, ast.Call) and node in parent.args:
        name = qualified(parent.func)
        if name in VALUE_FUNCTIONS or name and name.startswith("builtins.") and name[9:] in VALUE_FUNCTIONS:
            return f"passed to {name.removeprefix('builtins.')}()"
    return None


def inspects_only(node: ast.AST, parent: ast.AST | None) -> bool:
    """Looked at without being used: a truth test or `x is None` (ASP104's business)."""
    if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and parent.test is node:
        return True
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, ast.BoolOp):
        return True
    return isinstance(parent, ast.Compare) and all(isinstance(op, (ast.Is, ast.IsNot)) for op in parent.ops)


def local_value_uses(name: str, function: ast.AST, uses, qualified) -> list[tuple[ast.AST, str]] | None:
    """The value uses of local `name` in `function` (read, how); None when some read may
    hand the value to something that awaits it (passed on, stored, returned, awaited...)."""
    found = []
    for read in uses.reads.get(name, ()):
        parent = uses.parents.get(read)
        how = value_use(read, parent, qualified)
        if how is not None:
            found.append((read, how))
        elif not inspects_only(read, parent):
            return None
    return found
