"""ASP503"""
from __future__ import annotations

import ast

from ..analysis.callbacks import is_executor
from ..analysis.coroutines import Defs
from ..analysis.scopes import FUNCTIONS
from ..analysis.state import is_lock, shared_target
from ..registry import rule

RULE = rule("ASP503", "unlocked-mutation-in-thread",
            "a function run in threads does read-modify-write on shared state without a lock",
            doc=__doc__)

THREAD_STARTERS = {  # qualified callable -> (position, keyword) of the function it runs in a thread
    "threading.Thread": (None, "target"),
    "threading.Timer": (1, "function"),
    "asyncio.to_thread": (0, None),
    "asyncio.threads.to_thread": (0, None),
}


def _argument(call: ast.Call, position, keyword):
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    if position is not None and len(call.args) > position:
        return call.args[position]
    return None


def thread_target(call: ast.Call, ctx):
    """(how, expression) when `call` runs the function `expression` in another thread."""
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr == "run_in_executor":
            if call.args and runs_in_processes(call.args[0], ctx):
                return None
            return "run_in_executor", _argument(call, 1, None)
        if func.attr in ("submit", "map") and is_executor(func.value, ctx) and not runs_in_processes(func.value, ctx):
            return f"executor.{func.attr}", _argument(call, 0, "fn")
    name = ctx.call_named(call, frozenset(THREAD_STARTERS))
    if name:
        return name, _argument(call, *THREAD_STARTERS[name])
    return None


def functions_run(expr: ast.AST, ctx) -> list[tuple[ast.AST, object]]:
    """The local (sync) functions that calling `expr` runs: a reference, a partial, a lambda's call."""
    resolver, scope = ctx.resolver, ctx.scope
    if isinstance(expr, ast.Lambda) and isinstance(expr.body, ast.Call):
        expr, scope = expr.body.func, ctx.facts.child_scope(expr, scope)
    elif isinstance(expr, ast.Call) and expr.args and resolver.qualified_name(expr.func, scope) == "functools.partial":
        expr = expr.args[0]
    resolved = resolver.resolve(expr, scope) if isinstance(expr, (ast.Name, ast.Attribute)) else None
    if not isinstance(resolved, Defs):
        return []
    return [(node, ctx.facts.child_scope(node, resolved.scope)) for node in resolved.nodes
            if isinstance(node, ast.FunctionDef)]


def reads_target(target: ast.AST, value: ast.AST) -> bool:
    """`value` reads what `target` holds: `x = x + 1`, `d[k] = d.get(k, 0) + 1`."""
    text = ast.unparse(target)
    container = ast.unparse(target.value) if isinstance(target, ast.Subscript) else None
    for node in ast.walk(value):
        if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)) and ast.unparse(node) == text:
            return True
        if container and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("get", "setdefault") and ast.unparse(node.func.value) == container:
            return True
    return False


def runs_in_processes(receiver: ast.AST, ctx) -> bool:
    """An executor made from ProcessPoolExecutor: each worker has its own copy of the state."""
    if isinstance(receiver, ast.Call):
        return (ctx.resolver.qualified_name(receiver.func, ctx.scope) or "").endswith("ProcessPoolExecutor")
    if isinstance(receiver, ast.Name):
        found = ctx.scope.lookup(receiver.id)
        return bool(found) and all(runs_in_processes(b.value, ctx) for b in found[1] if b.value is not None) \
            and any(b.value is not None for b in found[1])
    return False


def unlocked_mutations(function: ast.FunctionDef, scope, resolver):
    """(statement, shared state) for `x op= ...` and `x = f(x)` on shared state outside a lock."""
    todo = [(statement, False) for statement in function.body]
    while todo:
        node, locked = todo.pop()
        if isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
                is_lock(item.context_expr, resolver, scope) for item in node.items):
            locked = True
        if not locked and isinstance(node, ast.AugAssign):
            state = shared_target(node.target, scope)
            if state:
                yield node, state
        elif not locked and isinstance(node, ast.Assign) and len(node.targets) == 1:
            state = shared_target(node.targets[0], scope)
            if state and reads_target(node.targets[0], node.value):
                yield node, state
        todo.extend((child, locked) for child in ast.iter_child_nodes(node))


@RULE.on(ast.Call)
def check(node, ctx):
    found = thread_target(node, ctx)
    if found is None or found[1] is None:
        return
    how, expr = found
    reported = ctx.facts.memo(("ASP503 reported",), set)
    for function, scope in functions_run(expr, ctx):
        for statement, state in unlocked_mutations(function, scope, ctx.resolver):
            if statement in reported:
                continue
            reported.add(statement)
            yield RULE.at(statement, f"'{function.name}' runs in other threads ({how} on line {node.lineno}) and "
                          f"updates {state} without a lock: the read and the write can interleave and lose "
                          "updates; hold a threading.Lock around it",
                          function=function.name, handoff_line=node.lineno, state=state)
