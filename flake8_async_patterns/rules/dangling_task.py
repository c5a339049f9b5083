"""ASP103"""
from __future__ import annotations

import ast

from ..analysis.coroutines import callee_name
from ..analysis.flow import discarded
from ..registry import rule

RULE = rule("ASP103", "dangling-task",
            "a task is created and no reference to it is kept",
            doc=__doc__, fix="safe")

TASK_FACTORIES = frozenset({"asyncio.create_task", "asyncio.tasks.create_task"})
ENSURE_FUTURE = frozenset({"asyncio.ensure_future", "asyncio.tasks.ensure_future"})
# ensure_future() of one of these returns the future it was given: no new task.
FUTURE_SOURCES = frozenset({
    "run_in_executor", "create_future", "gather", "shield", "wrap_future", "run_coroutine_threadsafe",
})


def task_spawner(expr: ast.AST, ctx) -> str | None:
    """The name of the task-creating function that `expr` calls, if it is one."""
    if not isinstance(expr, ast.Call):
        return None
    func = expr.func
    qualified = ctx.resolver.qualified_name(func, ctx.scope)
    if qualified in TASK_FACTORIES:
        return qualified
    if qualified in ENSURE_FUTURE:
        # Only a call can make a coroutine here; a name may hold a future kept elsewhere.
        argument = expr.args[0] if expr.args else None
        if isinstance(argument, ast.Call) and not _returns_future(argument):
            return qualified
        return None
    if isinstance(func, ast.Attribute) and func.attr == "create_task" \
            and ctx.resolver.is_event_loop(func.value, ctx.scope):
        return callee_name(func)
    return None


def _returns_future(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in FUTURE_SOURCES


@RULE.on(ast.Expr, ast.Assign, ast.AnnAssign)
def check(node, ctx):
    value = node.value
    if isinstance(value, (ast.ListComp, ast.SetComp)):
        spawner = task_spawner(value.elt, ctx)
        if spawner and isinstance(node, ast.Expr):
            yield RULE.at(value, f"tasks created by '{spawner}' in a comprehension are thrown away: "
                          "they can be garbage-collected mid-flight and their errors are never seen; "
                          "keep them and await them", how="statement", spawner=spawner, comprehension=True)
        return
    spawner = task_spawner(value, ctx)
    if spawner is None:
        return
    how = discarded(node, ctx)
    if how is None:
        return
    yield RULE.at(value, f"task created by '{spawner}' is not referenced: it can be garbage-collected "
                  "mid-flight and its error is never seen; keep a reference (a set of tasks with "
                  "add_done_callback(set.discard)) or use a TaskGroup",
                  how=how, spawner=spawner, comprehension=False, in_async=ctx.in_async_function)
