"""Receiver evidence: the code itself says what a method is.

When `stream.read_block()` is awaited somewhere in an `async def`, another call of the same
`stream.read_block` (same receiver text, same function) is a coroutine call too, even when
nothing tells what `stream` is.  Not evidence: calls of APIs that return a future whose work
runs anyway (`loop.run_in_executor`, `create_task`...), and a receiver whose name the
function binds more than once (it may be two different objects).
"""
from __future__ import annotations

import ast
import re

from .scopes import FUNCTIONS, Scope
from .vocabulary import dotted

# methods that return a future or a task: awaiting one is not proof that an un-awaited call
# loses work
FUTURE_RETURNING = frozenset({
    "run_in_executor", "create_task", "ensure_future", "create_future", "gather", "shield",
    "run_coroutine_threadsafe", "wrap_future", "submit", "start_soon", "spawn", "call_soon",
    "call_later", "call_at", "call_soon_threadsafe", "as_future", "future",
})
_AWAITED_METHOD = re.compile(r"await[ \t]+[\w.]*?(\w+)[ \t]*\(")


def awaited_method_names(source: str | None, tree: ast.AST) -> set[str]:
    """The last names of calls the module awaits (`await self.conn.send(...)` -> `send`): the
    names receiver evidence can make coroutine calls of, for the cheap name test."""
    if source is not None:
        return set(_AWAITED_METHOD.findall(source)) - FUTURE_RETURNING
    return {node.value.func.attr for node in ast.walk(tree)
            if isinstance(node, ast.Await) and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)} - FUTURE_RETURNING


def receiver_evidence(facts, expr: ast.Attribute, scope: Scope):
    """A Callee when another call of `expr` (a dotted method) is awaited in the same function."""
    if expr.attr in FUTURE_RETURNING:
        return None
    text = dotted(expr)
    if text is None:
        return None
    function_scope = scope
    while function_scope is not None and not isinstance(function_scope.node, FUNCTIONS):
        function_scope = function_scope.parent
    if function_scope is None or not isinstance(function_scope.node, ast.AsyncFunctionDef):
        return None
    function = function_scope.node
    calls = facts.memo(("method-calls", function), lambda: _method_calls(function))
    here = calls.branches.get(id(expr))
    if here is None or not any(other is not expr and _together(here, branches)
                               for other, branches in calls.awaited.get(text, ())):
        return None
    root = text.split(".", 1)[0]
    if len(function_scope.bindings.get(root, ())) > 1:
        return None  # `stream = open_other()`: maybe another object
    from .coroutines import RECEIVER, Callee

    return Callee(text, evidence=RECEIVER)


class _Calls:
    """The method calls of one function: for each, the branches it is in, and which it awaits."""

    def __init__(self) -> None:
        self.branches: dict[int, dict] = {}  # id(func) -> {the condition of an if/try/match: branch}
        self.awaited: dict[str, list[tuple[ast.AST, dict]]] = {}  # dotted text -> [(func, branches)]


def _together(one: dict, other: dict) -> bool:
    """Two places that can both run in one call of the function: no `if`/`try`/`match` puts
    them in different branches (`if is_async: await c.close() else: c.close()`)."""
    return all(other.get(key, branch) == branch for key, branch in one.items())


_BRANCH_FIELDS = {
    ast.If: ("body", "orelse"), ast.IfExp: ("body", "orelse"), ast.Try: ("body", "handlers", "orelse"),
    ast.Match: ("cases",),
}
if hasattr(ast, "TryStar"):
    _BRANCH_FIELDS[ast.TryStar] = _BRANCH_FIELDS[ast.Try]


_EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def _method_calls(function: ast.AST) -> _Calls:
    found = _Calls()
    todo: list[tuple[ast.AST, dict]] = list(_in_order(function.body, {}))
    while todo:
        node, branches = todo.pop()
        if isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            found.branches[id(node.func)] = branches
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call) \
                and isinstance(node.value.func, ast.Attribute):
            text = dotted(node.value.func)
            if text is not None:
                found.awaited.setdefault(text, []).append((node.value.func, branches))
        fields = _BRANCH_FIELDS.get(type(node), ())
        key = _condition(node) if fields else None
        for name, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                inner = {**branches, key: name} if name in fields else branches
                todo.extend(_in_order(value, inner))
                continue
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                if not isinstance(item, ast.AST) or isinstance(item, (ast.expr_context, ast.operator)):
                    continue
                if name in fields:  # each handler and each case is a branch of its own
                    branch = (name, index) if name in ("handlers", "cases") else name
                    todo.append((item, {**branches, key: branch}))
                else:
                    todo.append((item, branches))
    return found


def _in_order(statements: list, branches: dict):
    """The statements of a block with their branches: what follows `if x: ...; return` runs
    only when `x` is false, as if it were the `else` of that `if`."""
    for statement in statements:
        yield statement, branches
        if isinstance(statement, ast.If) and not statement.orelse and isinstance(statement.body[-1], _EXITS):
            branches = {**branches, _condition(statement): "orelse"}


def _condition(node: ast.AST):
    """What decides the branch: for an `if`, its test as written, so that two `if`s on the same
    test (`if isinstance(c, Sync): ...` twice) take the same branch."""
    if isinstance(node, (ast.If, ast.IfExp)):
        return ast.dump(node.test)
    return id(node)
