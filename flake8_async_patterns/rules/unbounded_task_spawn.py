"""ASP202"""
from __future__ import annotations

import ast

from ..analysis.dependence import own_nodes
from ..analysis.fanout import (GATHERS, WAITS, acquires_limiter, bounded_call, is_small, unparse, unwrap,
                               works_on_items)
from ..analysis.nodes import walk
from ..analysis.scopes import FUNCTIONS
from ..registry import rule
from .dangling_task import task_spawner

RULE = rule("ASP202", "unbounded-task-spawn",
            "tasks started in a loop over an unbounded iterable with nothing bounding concurrency",
            doc=__doc__)

TASK_GROUPS = frozenset({
    "asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup", "anyio.create_task_group", "trio.open_nursery",
})
THROTTLE_METHODS = frozenset({"acquire", "join", "wait"})


def group_spawner(call: ast.AST, ctx) -> str | None:
    """`tg.create_task(...)` / `tg.start_soon(...)` on a task group entered with `async with`."""
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) \
            or call.func.attr not in ("create_task", "start_soon", "start") \
            or not isinstance(call.func.value, ast.Name):
        return None
    found = ctx.scope.lookup(call.func.value.id)
    if not found:
        return None
    for binding in found[1]:
        if not isinstance(binding.node, ast.withitem) or not isinstance(binding.value, ast.Call):
            return None
        if ctx.resolver.qualified_name(binding.value.func, found[0]) not in TASK_GROUPS:
            return None
    return f"{call.func.value.id}.{call.func.attr}"


def _awaits(loop: ast.AST, spawn: ast.Call) -> list[ast.Await]:
    """The awaits of `loop`'s body (the loop's own iteration excluded), outside `spawn`."""
    inside = set(map(id, walk(spawn)))
    found = []
    todo = list(loop.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)) or id(node) in inside:
            continue
        if isinstance(node, (ast.Await, ast.AsyncWith, ast.AsyncFor)):
            found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return found


def _throttles(await_node: ast.AST, ctx) -> bool:
    """An await that waits for earlier tasks, or enters a limiter."""
    if not isinstance(await_node, ast.Await) or not isinstance(await_node.value, ast.Call):
        return False
    call = await_node.value
    if ctx.resolver.call_named(call, ctx.scope, GATHERS | WAITS):
        return True
    return isinstance(call.func, ast.Attribute) and call.func.attr in THROTTLE_METHODS


THROTTLED = "throttled"


def unbounded_loop(loop: ast.AST, spawn: ast.Call, ctx) -> str | None:
    """What makes `loop` start an unknown number of tasks; None when it runs a small, fixed
    number of times; THROTTLED when it waits for a limiter or for earlier tasks."""
    awaits = _awaits(loop, spawn)
    if acquires_limiter(loop, ctx.resolver, ctx.scope) or any(_throttles(a, ctx) for a in awaits):
        return THROTTLED
    if isinstance(loop, ast.While):
        # A loop that awaits each round (accept(), queue.get()) starts tasks as work arrives,
        # and so does one that breaks out when the input runs dry; one in a coroutine that
        # does neither starts them as fast as it can.
        if awaits or not ctx.in_async_function or any(isinstance(n, ast.Break) for n in own_nodes(loop.body)):
            return None
        return "a while loop"
    if isinstance(loop, ast.For) and is_small(loop.iter, ctx.resolver, ctx.scope, ctx.settings.max_fanout):
        return None
    return unparse(loop.iter)


@RULE.on(ast.Call)
def check(node, ctx):
    spawner = task_spawner(node, ctx) or group_spawner(node, ctx)
    if spawner is None:
        return
    loops = []
    for ancestor in reversed(ctx.path[:-1]):
        if isinstance(ancestor, (*FUNCTIONS, ast.Lambda)):
            break
        if isinstance(ancestor, (ast.For, ast.AsyncFor, ast.While)):
            loops.append(ancestor)
    if not loops or not node.args:
        return
    if bounded_call(node.args[0], ctx.facts, ctx.scope):
        return
    per_item = frozenset(n.id for loop in loops for n in walk(loop)
                         if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load))
    if works_on_items(unwrap(node.args[0], ctx.resolver, ctx.scope), per_item):
        return  # conn.close() for each connection: as many tasks as objects the program holds
    sources = [unbounded_loop(loop, node, ctx) for loop in loops]
    if THROTTLED in sources:
        return
    sources = [source for source in sources if source is not None]
    if not sources:
        return  # every enclosing loop runs a small, fixed number of times
    yield RULE.at(
        node,
        f"'{spawner}' in a loop over '{sources[0]}' starts tasks with no limit on how many run at once; "
        f"acquire an asyncio.Semaphore({ctx.settings.concurrency}) around the work",
        spawner=spawner, iterable=sources[0], loop_line=loops[0].lineno,
    )
