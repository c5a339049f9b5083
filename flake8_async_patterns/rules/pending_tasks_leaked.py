"""## What it does
Finds an `await asyncio.wait(...)` that can return while some of its tasks are
still running, whose pending set is then dropped. A wait can return early when
it is given `return_when=FIRST_COMPLETED` or `return_when=FIRST_EXCEPTION`
(spelled `asyncio.FIRST_COMPLETED`, imported from `asyncio`, or as the string)
or a `timeout` other than `None`, by keyword or as the second argument.

The pending set is dropped when the awaited wait is a statement of its own,
when its `(done, pending)` pair is unpacked into `done, _`, when the pair or
the pending set is assigned to a name that is never read, or when nothing that
reads the pending set (or one of its tasks, in a loop or comprehension) cancels
it, awaits it, returns it, passes it to a call, stores it, copies it to
another name or looks at a task's state (`task.done()`, `task.result()`).
Counting it with `len(pending)` or testing it with `if pending:` does not
count.

It only reports when the pending set is the last handle on the tasks: the
first argument of the wait (or `fs=`/`aws=`) makes them right there
(`asyncio.create_task(...)`, `loop.create_task(...)`, `asyncio.ensure_future(...)`,
`asyncio.Task(...)` or a coroutine call, written out in a list or set or made
by a comprehension), or it is a local name bound to such a collection that the
function reads nowhere else, apart from `len()` or a truth test. It leaves
alone:
- tasks that something else still holds: a parameter, an attribute, tasks kept
  in their own names (`asyncio.wait([reader, writer], ...)`), or a list that
  the function reads again, for example to cancel every task in it;
- a wait without a timeout that returns when all tasks are done
  (`return_when=ALL_COMPLETED`, the default), which leaves nothing pending;
- a loop that waits again on what is pending until nothing is left
  (`while pending: done, pending = await asyncio.wait(pending, ...)`).

## Why is this bad?
This is the `Promise.race()` pitfall. `asyncio.wait(tasks,
return_when=FIRST_COMPLETED)` is how Python races a few tasks: it returns as
soon as one finishes, with the winners in `done` and the losers in `pending`.
But returning does not stop the losers: they keep running in the background,
holding connections, using bandwidth, sending requests, and writing whatever
they write. The same holds for `timeout=`: unlike `asyncio.wait_for()`,
`asyncio.wait()` does not cancel anything when the time is up, it just hands
back the unfinished tasks in the pending set.

Drop that set and nobody is left to stop the losers or to look at how they end:
an error in one of them surfaces, if at all, as a "Task exception was never
retrieved" message in the log when the task is garbage-collected. The event
loop keeps only weak references to tasks, so a task that nothing else holds
can even be collected before it finishes. In JavaScript the losers of
`Promise.race()` run on too, and a promise has no `cancel()` at all; in
Python a task can, so the fix is one loop.

## Example
```python
import asyncio

MIRRORS = ("https://eu.example.org/pkg.tar.gz", "https://us.example.org/pkg.tar.gz")


async def download(url: str) -> bytes:
    await asyncio.sleep(0.05)  # stands in for fetching the file from one mirror
    return b"..."


async def download_from_fastest_mirror() -> bytes:
    tasks = [asyncio.create_task(download(url)) for url in MIRRORS]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    return done.pop().result()
```

## Use instead
```python
import asyncio

MIRRORS = ("https://eu.example.org/pkg.tar.gz", "https://us.example.org/pkg.tar.gz")


async def download(url: str) -> bytes:
    await asyncio.sleep(0.05)  # stands in for fetching the file from one mirror
    return b"..."


async def download_from_fastest_mirror() -> bytes:
    tasks = [asyncio.create_task(download(url)) for url in MIRRORS]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return done.pop().result()
```
Awaiting the cancelled downloads gives them the chance to clean up (close
their connections) before the function returns; `return_exceptions=True`
keeps their `CancelledError`s from being raised here, and an empty `pending`
is fine. This cleanup gather is not a case for [ASP301](ASP301.md): it only
waits for tasks that already exist.

## Fix safety
There is no automatic fix yet: for now the rule only reports. The planned fix
will add `for task in pending: task.cancel()` right after the wait, giving
the pending set a name when it was `_`. It will be a
safe fix: the code already goes on without the pending tasks and never reads
their results, so stopping them only ends work that nobody waits for. It will
not add the cleanup gather shown above; add it by hand when the tasks need to
finish their cleanup before the function returns.

## Options
- `async-patterns-coroutine-functions`: more functions, by dotted name, to
  treat as coroutine functions, so that calling one in the wait's argument
  counts as making a task for the wait.
- `async-patterns-non-coroutine-decorators`: decorators after which an
  `async def` no longer returns a coroutine, so calling it does not count as
  making a task.

## References
- [Python docs: asyncio.wait](https://docs.python.org/3/library/asyncio-task.html#asyncio.wait)
- [Python docs: Task.cancel](https://docs.python.org/3/library/asyncio-task.html#asyncio.Task.cancel)
- [Python docs: asyncio.create_task](https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task), on keeping a reference to tasks
- [MDN: Promise.race()](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Promise/race), the JavaScript counterpart
- Related rules: [ASP103](ASP103.md) for tasks dropped as soon as they are
  created, [ASP305](ASP305.md) for gathers that leave their other awaitables
  running after an error.
"""
from __future__ import annotations

import ast

from ..analysis.fanout import WAITS
from ..analysis.outcomes import awaited_outcome, leaves_pending, new_work
from ..registry import rule

RULE = rule("ASP304", "pending-tasks-leaked",
            "asyncio.wait() can return with tasks still running, and the pending set is dropped",
            doc=__doc__, fix="safe")

# Looking at a task (`t.done()`) does not stop it; copies are followed to their own uses.
HANDLED = frozenset({"passed", "stored", "returned", "awaited", "cancelled"})


def pending_handled(outcome, uses) -> bool:
    if outcome.how == "assigned":
        return bool(uses.of(outcome.names))  # the (done, pending) pair kept whole: used somehow
    if outcome.how != "unpacked" or len(outcome.targets) != 2:
        return outcome.how not in ("discarded",)
    pending = outcome.targets[1]
    if not isinstance(pending, ast.Name):
        return True
    if pending.id == "_":
        return False
    return any(use.kind in HANDLED for use in uses.of({pending.id}))


TASK_FACTORIES = frozenset({"asyncio.create_task", "asyncio.ensure_future", "asyncio.Task",
                            "asyncio.tasks.create_task", "asyncio.tasks.ensure_future", "asyncio.tasks.Task"})


def _task_factory(call: ast.Call, ctx, scope) -> bool:
    """asyncio.create_task(...) or loop.create_task(...); not a TaskGroup's, which awaits its tasks."""
    if ctx.resolver.qualified_name(call.func, scope) in TASK_FACTORIES:
        return True
    return isinstance(call.func, ast.Attribute) and call.func.attr == "create_task" \
        and ctx.resolver.is_event_loop(call.func.value, scope)


def _only_reachable_through_pending(call: ast.Call, ctx, scope, uses) -> bool:
    """The waited tasks were made for this wait, and nothing else keeps them: a literal or
    comprehension of new tasks, or a local list of them that is not read after the wait."""
    awaitables = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in ("fs", "aws")), None)
    if awaitables is None:
        return False
    # wait() takes tasks and futures: only a task made right here (create_task, a coroutine)
    # is new work; a call that hands back an existing future is not
    made = [c for c in new_work(awaitables, ctx.facts, scope)
            if _task_factory(c, ctx, scope) or ctx.resolver.coroutine_call(c, scope) is not None]
    if not made:
        return False
    if isinstance(awaitables, ast.Name):
        later = [u for u in uses.of({awaitables.id}) if u.node.lineno > call.end_lineno or u.node.lineno < call.lineno]
        return all(u.kind == "inspected" for u in later)
    return True


@RULE.on(ast.Call)
def check(node, ctx):
    if not isinstance(ctx.parent, ast.Await) or ctx.call_named(node, WAITS) is None:
        return
    scope, function = ctx.scope, ctx.function
    reason = leaves_pending(node, ctx.facts, scope)
    outcome = awaited_outcome(ctx)
    if reason is None or outcome is None or function is None:
        return
    uses = ctx.facts.uses(function)
    if pending_handled(outcome, uses) or not _only_reachable_through_pending(node, ctx, scope, uses):
        return
    why = "times out" if reason == "timeout" else f"returns at {reason}"
    pending = outcome.targets[1].id if outcome.how == "unpacked" and len(outcome.targets) == 2 \
        and isinstance(outcome.targets[1], ast.Name) else None
    yield RULE.at(node, f"asyncio.wait() {why} with the other tasks still running, and the "
                  "pending set is never cancelled or awaited; cancel what is pending",
                  reason=reason, how=outcome.how, pending=pending)
