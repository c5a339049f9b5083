"""Where the outcomes of `gather(..., return_exceptions=True)` and `asyncio.wait(...)` go."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Sequence

from .fanout import GATHERS
from .scopes import FUNCTION_LIKE


FIRST_COMPLETIONS = frozenset({"FIRST_COMPLETED", "FIRST_EXCEPTION"})


@dataclass
class Outcome:
    """An awaited gather or wait and the names its result lands in."""

    call: ast.Call
    statement: ast.AST  # the statement that awaits it
    how: str  # "discarded", "assigned", "unpacked", "iterated", "returned", "other"
    names: set[str] = field(default_factory=set)  # names holding the whole result
    elements: set[str] = field(default_factory=set)  # names holding one item of it
    targets: list[ast.AST] = field(default_factory=list)  # the assignment targets, in order


def keeps_exceptions(call: ast.Call) -> bool:
    return any(k.arg == "return_exceptions" and isinstance(k.value, ast.Constant) and k.value.value is True
               for k in call.keywords)


def _names(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def outcome_of(await_node: ast.Await, parent: ast.AST) -> Outcome:
    call = await_node.value
    if isinstance(parent, ast.Expr):
        return Outcome(call, parent, "discarded")
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is await_node:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            return Outcome(call, parent, "assigned", {targets[0].id}, targets=targets)
        if len(targets) == 1 and isinstance(targets[0], (ast.Tuple, ast.List)):
            return Outcome(call, parent, "unpacked", elements=_names(targets[0]), targets=list(targets[0].elts))
        return Outcome(call, parent, "other")
    if isinstance(parent, ast.NamedExpr) and parent.value is await_node and isinstance(parent.target, ast.Name):
        return Outcome(call, parent, "assigned", {parent.target.id}, targets=[parent.target])
    if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is await_node:
        return Outcome(call, parent, "iterated", elements=_names(parent.target))
    if isinstance(parent, ast.Return):
        return Outcome(call, parent, "returned")
    return Outcome(call, parent, "other")


def awaited_outcome(path: Sequence[ast.AST]) -> Outcome | None:
    """Where the result of the call at `path[-1]` goes, when the call is directly awaited."""
    if len(path) < 3 or not isinstance(path[-2], ast.Await):
        return None
    return outcome_of(path[-2], path[-3])


def gather_outcome(path: Sequence[ast.AST], facts, get_scope):
    """(outcome, uses of the function) for the awaited gather(..., return_exceptions=True) at `path[-1]`."""
    node = path[-1]
    if len(path) < 3 or not isinstance(path[-2], ast.Await) or not keeps_exceptions(node) \
            or facts.resolver.call_named(node, get_scope, GATHERS) is None:
        return None
    function = next((n for n in reversed(path[:-1]) if isinstance(n, FUNCTION_LIKE)), None)
    outcome = awaited_outcome(path)
    if outcome is None or function is None:
        return None
    return outcome, facts.uses(function)


def leaves_pending(call: ast.Call, facts, scope) -> str | None:
    """Why an `asyncio.wait(...)` call can return with tasks still pending, or None."""
    for keyword in call.keywords:
        if keyword.arg == "timeout" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is None):
            return "timeout"
        if keyword.arg == "return_when":
            value = keyword.value
            if isinstance(value, ast.Name):  # RACE = asyncio.FIRST_COMPLETED
                found = scope.lookup(value.id)
                if found and len(found[1]) == 1 and found[1][0].kind == "assign" and found[1][0].value is not None:
                    value, scope = found[1][0].value, found[0]
            name = value.value if isinstance(value, ast.Constant) else (
                facts.resolver.qualified_name(value, scope) or "").rsplit(".", 1)[-1]
            if name in FIRST_COMPLETIONS:
                return name
    if len(call.args) >= 2:  # asyncio.wait(fs, timeout)
        timeout = call.args[1]
        if not (isinstance(timeout, ast.Constant) and timeout.value is None):
            return "timeout"
    return None


TEARDOWN_WORDS = frozenset({"close", "aclose", "disconnect", "shutdown", "stop", "terminate", "cleanup",
                            "release", "cancel", "cancelled", "closed", "finish", "teardown", "kill", "unsubscribe"})


def new_work(argument: ast.AST, facts, scope) -> list[ast.Call]:
    """The calls in a gather/wait argument that start new work right there: `f(x)`,
    `create_task(f(x))`, the element of `*(f(x) for x in xs)` or of `[create_task(...)]`,
    or of a local list made that way.  Existing tasks and futures are not new work."""
    from .fanout import fanout_of

    if isinstance(argument, ast.Starred):
        argument = argument.value
    if isinstance(argument, (ast.List, ast.Tuple, ast.Set)):
        return [c for e in argument.elts for c in new_work(e, facts, scope)]
    fanout = fanout_of(argument, facts, scope)
    if fanout is not None:
        return [e for e in fanout.elements if isinstance(e, ast.Call)]
    return [argument] if isinstance(argument, ast.Call) else []


def is_teardown(call: ast.Call, facts, scope) -> bool:
    """`conn.close()`, `client.disconnect()`: errors of cleanup are often ignored on purpose."""
    from .dependence import words
    from .fanout import unwrap

    call = unwrap(call, facts.resolver, scope)
    if not isinstance(call, ast.Call):
        return True  # create_task(existing_coroutine): nothing new is started here
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    verbs = words(name)  # the first word says what the call does: close_all, disconnect, wait_closed
    return bool(verbs) and (verbs[0] in TEARDOWN_WORDS or name == "wait_closed")


def looked_after(argument: ast.AST, uses) -> bool:
    """The tasks of a gathered collection (`*tasks`) are cancelled or looked at elsewhere in
    the function (`t.cancel()`, `t.exception()`): gathering them is waiting, not swallowing."""
    if isinstance(argument, ast.Starred):
        argument = argument.value
    if not isinstance(argument, ast.Name):
        return False
    return any(u.kind in ("cancelled", "tested") for u in uses.of({argument.id}))
