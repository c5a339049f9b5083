"""## What it does
Finds tasks started in a loop with nothing limiting how many run at once: a
call of `asyncio.create_task()`, of `asyncio.ensure_future()` on a call that
makes a coroutine (not on `gather()`, `shield()` or another call returning a
future), of `create_task()` on an event loop (as [ASP103](ASP103.md)
recognises one), or of `create_task()`, `start_soon()` or `start()` on a
task group entered with `async with` (`asyncio.TaskGroup()`,
`anyio.create_task_group()`, `trio.open_nursery()`), inside a `for`,
`async for` or `while` loop of the same function (a nested function or
`lambda` counts as a function of its own).

It leaves the call alone when:
- every loop around it starts a limited number of tasks, or the call runs
  at most once in it: under `if i == 50:` where `i` counts the loop's rounds
  (`for i in range(n)`, `for i, x in enumerate(xs)`), or followed by a
  `break`, `return` or `raise` that leaves the loop;
- every loop around it starts a limited number of tasks:
  - a `for` loop over a collection that is small by the test of
    [ASP201](ASP201.md): at most `async-patterns-max-fanout` items in, for
    example, a literal, a `range()` or a slice `xs[:k]` with constant
    bounds, a comprehension over a small iterable, `.keys()` of a dict
    literal, an `Enum` class, `as_completed()` of a small collection, or a
    constant of a class or another module; or a loop over the `*args`
    parameter of the function itself;
  - a `while` loop whose body awaits (`await`, `async with` or `async for`:
    `await server.accept()`, `await queue.get()`), which starts tasks as work
    arrives; one that contains a `break`, which stops when its input runs
    dry; and any `while` loop in a plain `def`, such as a protocol callback
    that handles the events already received.

  Any other `for` loop, in a coroutine or not, any `async for` loop, and a
  `while` loop in a coroutine that neither awaits nor breaks are reported;
- a loop around it throttles itself: its body enters a limiter
  (`async with sem:`, `await sem.acquire()`), awaits `asyncio.gather()` or
  `asyncio.wait()` (waiting for a batch of earlier tasks), awaits an
  `.acquire()`, `.join()` or `.wait()` method, awaits the task it has just
  stored, also through `asyncio.wait_for()` or `asyncio.shield()`
  (`task = asyncio.create_task(...)`, then `await task`: one at a time), or
  awaits under a test of how many tasks its list holds
  (`jobs.append(create_task(...))`, `if len(jobs) == limit: await settle()`);
- the task works on an item that the loop already holds: its coroutine, seen
  through any one-argument wrapper as [ASP201](ASP201.md) sees it (asyncio's
  own, a task group's spawner, a project's `start_task()`), is a method call
  on a name the loop binds, its target or a name assigned in its body
  (`node = nodes.pop(name)`, then
  `asyncio.create_task(node.disconnect())`), or a bound method of that name
  given uncalled (`tg.start_soon(child.aclose)`): as many tasks as objects
  the program already has;
- the task's coroutine is bounded: the coroutine function it calls, or a
  wrapper around it, enters a semaphore or capacity limiter, with the same
  tests as [ASP201](ASP201.md), or it is a queue worker (a loop that takes
  work with `await queue.get()` or `async for`): a pool of workers is its own
  bound. The function may be defined in this module, another module of the
  project or an installed package; for `start_soon(func, ...)` and
  `start(func, ...)`, which take the function itself, `func` is looked into
  as the call `func(...)` that the task group makes.

## Why is this bad?
`create_task()` schedules the coroutine at once and returns; the loop does not
wait for anything, so a loop over 50,000 paths has started 50,000 tasks before
the first one does any work. Each task keeps its coroutine frame, its sockets
and its buffers until it finishes, and they all reach the network, the disk or
the database together: file descriptors run out, connection pools time out,
the remote service answers with rate-limit errors. An `asyncio.TaskGroup` does
not change this. It waits for its tasks and cancels them when one fails, but
it sets no ceiling on how many run at the same time. With bare tasks and a
later `gather()`, it is worse: when one task fails, the others keep running.

## Example
```python
import asyncio


async def make_thumbnail(path: str) -> None:
    await asyncio.sleep(0.2)  # stands in for a call to the image service


async def make_thumbnails(paths: list[str]) -> None:
    async with asyncio.TaskGroup() as tg:
        for path in paths:
            tg.create_task(make_thumbnail(path))
```

## Use instead
```python
import asyncio


async def make_thumbnail(path: str) -> None:
    await asyncio.sleep(0.2)  # stands in for a call to the image service


async def make_thumbnails(paths: list[str]) -> None:
    limit = asyncio.Semaphore(10)

    async def make_one(path: str) -> None:
        async with limit:
            await make_thumbnail(path)

    async with asyncio.TaskGroup() as tg:
        for path in paths:
            tg.create_task(make_one(path))
```
The tasks are still all created, but only ten at a time get past the
semaphore. To avoid creating them all, start a fixed number of worker tasks
that take paths from an `asyncio.Queue`.

## Fix safety
Report only: there is no automatic fix, because where the limit belongs
(around the whole task, around part of it, or a pool of workers instead of
one task per item) depends on the code around the loop. Bound it by hand as
shown above.

## Options
- `async-patterns-max-fanout`: a `for` loop over a collection that provably
  has at most this many items is small and not reported.
- `async-patterns-concurrency`: the semaphore size that the message suggests.

## References
- [Python docs: asyncio.create_task](https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task)
- [Python docs: task groups](https://docs.python.org/3/library/asyncio-task.html#task-groups)
- [Python docs: asyncio.Semaphore](https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore)
- [Python docs: asyncio.Queue](https://docs.python.org/3/library/asyncio-queue.html)
- Related rules: [ASP201](ASP201.md) for `gather()` over an unbounded
  collection, [ASP103](ASP103.md) for tasks that nothing keeps a reference to.
"""
from __future__ import annotations

import ast

from ..analysis.dependence import own_nodes
from ..analysis.fanout import (GATHERS, WAITS, acquires_limiter, bounded_call, is_small, unparse, works_on_items)
from ..analysis.vocabulary import dotted
from ..analysis.nodes import walk
from ..analysis.scopes import FUNCTIONS
from ..registry import rule
from ..analysis.tasks import GROUP_SPAWNER_NAMES, SPAWNER_NAMES, direct_spawner, group_spawner

RULE = rule("ASP202", "unbounded-task-spawn",
            "tasks started in a loop over an unbounded iterable with nothing bounding concurrency",
            doc=__doc__)

THROTTLE_METHODS = frozenset({"acquire", "join", "wait"})


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
    if ctx.call_named(call, GATHERS | WAITS):
        return True
    return isinstance(call.func, ast.Attribute) and call.func.attr in THROTTLE_METHODS


THROTTLED = "throttled"


def _runs_bounded_function(spawn: ast.Call, ctx) -> bool:
    """`tg.start_soon(self._consume, msg)`: the function given uncalled enters a limiter (it is
    checked as the call `self._consume(msg)` that the task group makes)."""
    function = spawn.args[0]
    if not isinstance(function, (ast.Name, ast.Attribute)):
        return False
    call = ast.copy_location(ast.Call(func=function, args=list(spawn.args[1:]), keywords=[]), function)
    return bounded_call(call, ctx.facts, ctx.scope)


def _collection(spawn: ast.Call, ctx) -> str | None:
    """`jobs` in `jobs.append(create_task(...))` or `jobs.append((item, create_task(...)))`."""
    for parent in reversed(ctx.path[:-1]):
        if isinstance(parent, ast.stmt):
            return None
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) \
                and parent.func.attr in ("append", "add"):
            return dotted(parent.func.value)
    return None


def _waits_when_full(loop: ast.AST, collection: str) -> bool:
    """The loop awaits under a test of how many tasks `collection` holds
    (`if len(jobs) >= limit: await settle()`): a window of tasks in flight."""
    for node in own_nodes(loop.body):
        if isinstance(node, (ast.If, ast.While)) and any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "len" and n.args
                and dotted(n.args[0]) == collection for n in walk(node.test)) \
                and any(isinstance(n, ast.Await) for statement in node.body for n in walk(statement)):
            return True
    return False


def _awaits_holder(await_node: ast.AST, holder: str) -> bool:
    """`await task`, or the task through a wrapper: `await asyncio.wait_for(task, 5)`,
    `await asyncio.shield(previous)`."""
    if not isinstance(await_node, ast.Await):
        return False
    value = await_node.value
    if isinstance(value, ast.Call) and value.args:
        value = value.args[0]
    return dotted(value) == holder


def _holder(spawn: ast.Call, ctx) -> str | None:
    """`task` or `self.current` in `task = create_task(...)`: what keeps the new task."""
    parent = ctx.parent
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is spawn:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        if len(targets) == 1:
            return dotted(targets[0])
    return None


def unbounded_loop(loop: ast.AST, spawn: ast.Call, ctx) -> str | None:
    """What makes `loop` start an unknown number of tasks; None when it runs a small, fixed
    number of times; THROTTLED when it waits for a limiter or for earlier tasks."""
    awaits = _awaits(loop, spawn)
    if acquires_limiter(loop, ctx.resolver, ctx.scope) or any(_throttles(a, ctx) for a in awaits):
        return THROTTLED
    holder = _holder(spawn, ctx)
    if holder and any(_awaits_holder(a, holder) for a in awaits):
        return THROTTLED  # task = create_task(...); ...; await task: one at a time
    collection = _collection(spawn, ctx)
    if collection and _waits_when_full(loop, collection):
        return THROTTLED  # jobs.append(create_task(...)); if len(jobs) == limit: await settle()
    if isinstance(loop, ast.While):
        # A loop that awaits each round (accept(), queue.get()) starts tasks as work arrives,
        # and so does one that breaks out when the input runs dry; one in a coroutine that
        # does neither starts them as fast as it can.
        if awaits or not ctx.in_async_function or any(isinstance(n, ast.Break) for n in own_nodes(loop.body)):
            return None
        return "a while loop"
    if isinstance(loop, ast.For) and is_small(loop.iter, ctx.resolver, ctx.scope, ctx.settings.max_fanout):
        return None
    if _at_most_once(loop, ctx):
        return None
    return unparse(loop.iter)


def _at_most_once(loop: ast.AST, ctx) -> bool:
    """The spawn runs at most once in the whole loop: under `if i == 50:` where `i` counts the
    loop's rounds (`for i in range(...)`, `for i, x in enumerate(...)`), or followed by a
    `break`/`return`/`raise` that leaves the loop."""
    inside = ctx.path[ctx.path.index(loop):]
    counter = _counter(loop, ctx)
    for parent, child in zip(inside, inside[1:]):
        if isinstance(parent, (ast.For, ast.AsyncFor, ast.While)) and parent is not loop:
            return False  # a break below this leaves only the inner loop, a guard counts its rounds
        if isinstance(parent, ast.If) and counter and any(child is s for s in parent.body) \
                and _compares_to_constant(parent.test, counter):
            return True
        for block in _blocks(parent):
            if any(child is s for s in block):
                later = block[block.index(child) + 1:]
                if any(isinstance(s, (ast.Break, ast.Return, ast.Raise)) for s in later):
                    return True
    return False


def _blocks(node: ast.AST) -> list[list[ast.stmt]]:
    return [getattr(node, name) for name in ("body", "orelse", "finalbody")
            if isinstance(getattr(node, name, None), list)]


def _counter(loop: ast.AST, ctx) -> str | None:
    """The name that takes each round's number once: `i` of `for i in range(n)` or of
    `for i, item in enumerate(items)`."""
    if not isinstance(loop, ast.For) or not isinstance(loop.iter, ast.Call):
        return None
    name = ctx.resolver.qualified_name(loop.iter.func, ctx.scope)
    target = loop.target
    if name == "range" and isinstance(target, ast.Name):
        counter = target.id
    elif name == "enumerate" and isinstance(target, ast.Tuple) and len(target.elts) == 2 \
            and isinstance(target.elts[0], ast.Name):
        counter = target.elts[0].id
    else:
        return None
    rebound = any(isinstance(n, ast.Name) and n.id == counter and not isinstance(n.ctx, ast.Load)
                  for statement in loop.body for n in walk(statement))
    return None if rebound else counter


def _compares_to_constant(test: ast.AST, counter: str) -> bool:
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_compares_to_constant(value, counter) for value in test.values)
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(a, ast.Name) and a.id == counter and isinstance(b, ast.Constant)
               for a, b in (sides, sides[::-1]))


def _repeats(child: ast.AST, loop: ast.AST) -> bool:
    """`child` of `loop` runs on every pass: its body (or a `while`'s test), not a `for`'s
    iterable or the `else` clause, which run once."""
    return child in loop.body or isinstance(loop, ast.While) and child is loop.test


@RULE.on_call(SPAWNER_NAMES, GROUP_SPAWNER_NAMES)
def check(node, ctx):
    spawner = direct_spawner(node, ctx.resolver, ctx.get_scope) \
        or group_spawner(node, ctx.resolver, ctx.get_scope)
    if spawner is None:
        return
    loops = []
    for child, ancestor in zip(reversed(ctx.path), reversed(ctx.path[:-1])):
        if isinstance(ancestor, (*FUNCTIONS, ast.Lambda)):
            break
        if isinstance(ancestor, (ast.For, ast.AsyncFor, ast.While)) and _repeats(child, ancestor):
            loops.append(ancestor)
    if not loops or not node.args:
        return
    if bounded_call(node.args[0], ctx.facts, ctx.scope) or _runs_bounded_function(node, ctx):
        return
    per_item = frozenset(n.id for loop in loops for n in walk(loop)
                         if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load))
    if works_on_items(node.args[0], per_item, ctx.resolver, ctx.scope, spawned=True):
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
