"""## What it does
Finds tasks that are created and then let go: a call of
`asyncio.create_task()`, `asyncio.ensure_future()` or `create_task()` on an
event loop whose result is a statement of its own or is assigned to a local
variable that the function never reads, and a list or set comprehension of
such calls used as a statement. An event loop here is the result of
`asyncio.get_running_loop()`, `asyncio.get_event_loop()` or
`asyncio.new_event_loop()`, a name assigned only from one of those, or a name
or attribute called `loop` (also `_loop`, `event_loop`, `io_loop`, ...).

It does not flag `tg.create_task()` on an `asyncio.TaskGroup` (the group holds
the task and waits for it), trio or anyio nurseries, or a task that is kept:
stored, added to a set, returned, awaited or passed to another call.

## Why is this bad?
The event loop refers to its tasks only weakly. A task that nothing else
refers to can be garbage-collected before it finishes, and then its work stops
part-way without any error. Even when it survives, nobody waits for it: if it
fails, the exception never reaches your code and shows up at best as a
"Task exception was never retrieved" log line when the task is finally
collected. On top of that, `asyncio.run()` cancels every task still pending
when the main coroutine returns, so fire-and-forget work can be cut off at
shutdown without a trace.

## Example
```python
import asyncio


async def send_welcome_email(address: str) -> None:
    await asyncio.sleep(0.1)  # stands in for the SMTP conversation
    print("welcome mail sent to", address)


async def register(address: str, users: set[str]) -> None:
    users.add(address)
    asyncio.create_task(send_welcome_email(address))  # nothing keeps the task
```

## Use instead
```python
import asyncio

background_tasks: set[asyncio.Task] = set()


async def send_welcome_email(address: str) -> None:
    await asyncio.sleep(0.1)  # stands in for the SMTP conversation
    print("welcome mail sent to", address)


async def register(address: str, users: set[str]) -> None:
    users.add(address)
    task = asyncio.create_task(send_welcome_email(address))
    background_tasks.add(task)
    task.add_done_callback(background_tasks.discard)
```
When the caller can wait for the work, an `asyncio.TaskGroup` (Python 3.11+)
is better still: it keeps the task, waits for it, and raises its error.

## Fix safety
There is no automatic fix yet: for now the rule only reports. The planned fix
will keep a strong reference as shown above: assign the task, add it to a
module-level `set`, and register `task.add_done_callback(<set>.discard)` so the
set lets go of the task once it is done. That fix will be safe: the task runs
exactly as before, it just can no longer be collected mid-flight. Where the
call already sits inside an `async with asyncio.TaskGroup() as tg:` block, the
fix will create the task on the group instead; the block then waits for the
task and a failure in it cancels the group, a change of behaviour that makes
this variant unsafe.

## Options
This rule has no options: the task-creating functions it knows and the way it
recognises an event loop are fixed.

## References
- [Python docs: asyncio.create_task](https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task)
- [Python docs: task groups](https://docs.python.org/3/library/asyncio-task.html#task-groups)
- [Python docs: detect never-retrieved exceptions](https://docs.python.org/3/library/asyncio-dev.html#detect-never-retrieved-exceptions)
- [Python docs: asyncio.run](https://docs.python.org/3/library/asyncio-runner.html#asyncio.run)
"""
from __future__ import annotations

import ast

from ..analysis.callbacks import slot
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
    if isinstance(func, ast.Attribute) and func.attr == "create_task" \
            and ctx.resolver.is_event_loop(func.value, ctx.scope):
        return callee_name(func)
    qualified = ctx.call_named(expr, TASK_FACTORIES | ENSURE_FUTURE)
    if qualified in TASK_FACTORIES:
        return qualified
    if qualified in ENSURE_FUTURE:
        # Only a call can make a coroutine here; a name may hold a future kept elsewhere.
        argument = expr.args[0] if expr.args else None
        if isinstance(argument, ast.Call) and not _returns_future(argument):
            return qualified
    return None


def _returns_future(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in FUTURE_SOURCES


@RULE.on(ast.Lambda)
def check_callback(node, ctx):
    """`loop.add_signal_handler(sig, lambda: asyncio.create_task(main()))`: the caller drops the task."""
    call = ctx.parent
    spawner = task_spawner(node.body, ctx)
    if spawner is None or not isinstance(call, ast.Call):
        return
    found = slot(call, ctx)
    if found is None or found[1] is not node:
        return
    yield RULE.at(node.body, f"task from '{spawner}' in a '{found[0]}' callback is thrown away and can be "
                  "garbage-collected mid-flight; keep a reference in a set of tasks",
                  how="callback", spawner=spawner, comprehension=False, in_async=False)


@RULE.on(ast.Expr, ast.Assign, ast.AnnAssign)
def check(node, ctx):
    value = node.value
    if isinstance(node, ast.Expr) and isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
            and value.func.attr == "add_done_callback":
        value = value.func.value  # create_task(...).add_done_callback(cb) keeps no reference either
    if isinstance(value, (ast.ListComp, ast.SetComp)):
        spawner = task_spawner(value.elt, ctx)
        if spawner and isinstance(node, ast.Expr):
            yield RULE.at(value, f"tasks from '{spawner}' in a comprehension are thrown away and can be "
                          "garbage-collected mid-flight; keep them and await them", how="statement", spawner=spawner, comprehension=True)
        return
    spawner = task_spawner(value, ctx)
    if spawner is None:
        return
    how = discarded(node, ctx)
    if how is None:
        return
    yield RULE.at(value, f"task from '{spawner}' is not referenced and can be garbage-collected mid-flight; "
                  "keep it in a set of tasks (add_done_callback(tasks.discard)) or use a TaskGroup",
                  how=how, spawner=spawner, comprehension=False, in_async=ctx.in_async_function)
