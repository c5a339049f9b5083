"""## What it does
Finds an `await asyncio.gather(...)` without `return_exceptions=True` inside
the body of a `try` statement that catches its error and carries on: the
nearest `try` around the gather (through `if`, `with`, loops and the like, but
not across a nested function) has a bare `except:` or an `except` clause that
names `Exception` or `BaseException` (alone or in a tuple), and that handler
contains no `raise` statement. Logging the error and returning, or falling
through to the code after the `try`, is carrying on. `except*` clauses count
the same way.

This rule is opt-in: enable it with `--extend-select ASP305` (flake8 or the
`async-patterns` command) or with `extend-select = ["ASP305"]` under
`[tool.async-patterns]` in `pyproject.toml`. It is off by default because the
pattern is sometimes harmless (the other awaitables are short reads whose
results nobody needs), and because the cure, `asyncio.TaskGroup`, needs
Python 3.11.

It leaves alone:
- a handler for narrower types only (`except (OSError, ValueError):`), and a
  handler that re-raises, bare or with a new error;
- `try`/`finally` without a handler, and a gather in a handler or `finally`
  block rather than in the body (the `try` around that one counts instead);
- a gather with `return_exceptions=True`, which waits for every awaitable
  before it returns (see [ASP301](ASP301.md) and [ASP302](ASP302.md));
- a gather object that is created first and awaited later.

## Why is this bad?
`asyncio.gather()` is not fail-fast. When one awaitable raises, the gather
raises that error at once, but it does not cancel the others: they keep
running as tasks of their own. Once the handler has caught the error and the
function has moved on, nobody is watching them. Their side effects still
happen, after the caller has been told that the operation failed, and their
own errors disappear: the gather has already finished, so it marks any later
exception as retrieved and drops it. In the example below, a failed stock
reservation makes `place_order()` report failure while the card is still being
charged.

Python 3.11 added `asyncio.TaskGroup` for exactly this: when one task in the
group fails, it cancels the others, waits until they have finished, and then
raises all the failures together in an `ExceptionGroup` (an `Exception`, so an
`except Exception:` handler still catches it). JavaScript's `Promise.all()`
has the same behaviour as `gather()` here, minus the option to cancel.

## Example
```python
import asyncio
import logging

log = logging.getLogger(__name__)


async def reserve_stock(order_id: int) -> None:
    await asyncio.sleep(0.01)  # stands in for a call to the inventory service


async def charge_card(order_id: int) -> None:
    await asyncio.sleep(0.02)  # stands in for a call to the payment provider


async def place_order(order_id: int) -> bool:
    try:
        await asyncio.gather(reserve_stock(order_id), charge_card(order_id))
    except Exception:
        log.exception("order %s failed", order_id)
        return False
    return True
```

## Use instead
```python
import asyncio
import logging

log = logging.getLogger(__name__)


async def reserve_stock(order_id: int) -> None:
    await asyncio.sleep(0.01)  # stands in for a call to the inventory service


async def charge_card(order_id: int) -> None:
    await asyncio.sleep(0.02)  # stands in for a call to the payment provider


async def place_order(order_id: int) -> bool:
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(reserve_stock(order_id))
            tg.create_task(charge_card(order_id))
    except Exception:
        log.exception("order %s failed", order_id)
        return False
    return True
```
Here a failed reservation cancels the charge, and the handler runs only once
both tasks have stopped. Before Python 3.11, create the tasks yourself with
`asyncio.create_task()`, and cancel and await the unfinished ones in the
handler before carrying on.

## Fix safety
When `async-patterns-target-version` is 3.11 or later, the fix rewrites the
gather into an `asyncio.TaskGroup` block:
```python
outcome = await asyncio.gather(reserve(order), charge(order))
```
becomes
```python
async with asyncio.TaskGroup() as group:
    task = group.create_task(reserve(order))
    task_2 = group.create_task(charge(order))
outcome = [task.result(), task_2.result()]
```
A starred argument becomes a list of tasks, and a gather whose result is not
kept just creates them. The fix is unsafe, applied only with `--unsafe-fixes`
(and only when ASP305 is selected): the other awaitables are now cancelled on
the first failure instead of running to the end, and the handler receives an
`ExceptionGroup` instead of the bare error (`except Exception` still catches
it), which matters to code that looks at the exception's type.
`create_task()` takes only coroutines: check by hand a gather of tasks or
futures. Left unchanged and reported with the reason: a target version below
3.11, a handler narrower than `Exception` (it would not catch the group),
unpacked results, gather keyword arguments such as `return_exceptions=`, and
a gather that is not a statement of its own or a plain assignment.

## Options
- `async-patterns-target-version`: the lowest Python version the code must
  run on; the fix writes `asyncio.TaskGroup` only when it is 3.11 or later.

## References
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather), on the awaitables that are not cancelled
- [Python docs: task groups](https://docs.python.org/3/library/asyncio-task.html#task-groups)
- [PEP 654: exception groups and except*](https://peps.python.org/pep-0654/)
- [MDN: Promise.all()](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Promise/all), the JavaScript counterpart
- Related rules: [ASP304](ASP304.md) for `asyncio.wait()` calls that leave
  tasks running, [ASP201](ASP201.md) for gathers without a bound.
"""  # noqa: E501 - the links of the rule page
from __future__ import annotations

import ast

from ..analysis.vocabulary import last_names
from ..analysis.fanout import GATHERS
from ..analysis.scopes import FUNCTIONS
from ..registry import FixSafety, rule

RULE = rule("ASP305", "gather-orphans-on-failure",
            "gather() in a try that handles the error and carries on: the other awaitables keep running",
            doc=__doc__, default=False, fix=FixSafety.UNSAFE)

BROAD = frozenset({"Exception", "BaseException"})


def _type_names(caught: ast.AST) -> set[str]:
    parts = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return {p.id if isinstance(p, ast.Name) else p.attr if isinstance(p, ast.Attribute) else "" for p in parts}


def raised_by(gather: ast.Call, ctx) -> set[str]:
    """Exception classes the gathered local coroutines visibly raise (`raise FeedError(...)`)."""
    names = set()
    for argument in gather.args:
        callee = ctx.resolver.coroutine_call(argument, ctx.get_scope)
        if callee is None or callee.node is None:
            continue
        for node in ast.walk(callee.node):
            if isinstance(node, ast.Raise) and node.exc is not None:
                exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                names |= _type_names(exc)
    return names


def swallows(handler: ast.ExceptHandler, raised: set[str]) -> bool:
    """The handler catches what the gather raises and carries on, with the siblings left running."""
    if handler.type is not None and not _type_names(handler.type) & (BROAD | raised):
        return False
    for node in ast.walk(handler):
        if isinstance(node, ast.Raise):
            return False
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "cancel":
            return False  # it cancels the others itself
    return True


@RULE.on_call(last_names(GATHERS))
def check(node, ctx):
    if not isinstance(ctx.parent, ast.Await) or ctx.call_named(node, GATHERS) is None:
        return
    if any(k.arg == "return_exceptions" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
           for k in node.keywords):
        return  # return_exceptions=True, or a value we cannot see: the failures come back as values
    raised = None
    child = ctx.parent
    for ancestor in reversed(ctx.path[:-2]):
        if isinstance(ancestor, (*FUNCTIONS, ast.Lambda)):
            return
        if isinstance(ancestor, (ast.Try, getattr(ast, "TryStar", ast.Try))) \
                and any(child is statement for statement in ancestor.body):
            raised = raised_by(node, ctx) if raised is None else raised
            if any(swallows(h, raised) for h in ancestor.handlers):
                yield RULE.at(node, "gather() in a try that swallows the error: when one awaitable fails "
                              "the others keep running unsupervised; use asyncio.TaskGroup (3.11+), which "
                              "cancels them", try_line=ancestor.lineno,
                              target_version=list(ctx.settings.target_version))
                return
        child = ancestor


@RULE.fixes
def fix(finding, fx, options):
    """Rewrite the gather into an `asyncio.TaskGroup` block (Python 3.11+; unsafe: a failure now
    cancels the siblings and arrives as an ExceptionGroup, which `except Exception` still catches)."""
    from ..fixing import CannotFix, Fix

    cst = fx.cst
    if tuple(finding.fix.get("target_version", (3, 9))) < (3, 11):
        raise CannotFix("asyncio.TaskGroup needs Python 3.11; set async-patterns-target-version")
    gather = fx.node_at(finding, cst.Call)
    awaited, statement = fx.parent(gather), fx.statement_of(gather)
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    if not isinstance(awaited, cst.Await) or small is None or small.value is not awaited and not (
            isinstance(small, cst.Assign) and small.value is awaited):
        raise CannotFix("the gather is not a statement of its own or a plain assignment")
    target = None
    if isinstance(small, cst.Assign):
        if len(small.targets) != 1 or not isinstance(small.targets[0].target, cst.Name):
            raise CannotFix("the results are unpacked")
        target = small.targets[0].target.value
    if any(a.keyword is not None for a in gather.args):
        raise CannotFix("gather() keyword arguments")
    if any(a.star or not isinstance(a.value, cst.Call) for a in gather.args):
        # TaskGroup.create_task() takes coroutines only; a task, a future or *items may be neither
        raise CannotFix("an argument is not a call that makes a coroutine")
    node = statement
    while node is not None and not isinstance(node, cst.Try):
        node = fx.parent(node)
    for handler in getattr(node, "handlers", ()):
        names = {fx.module.code_for_node(t.value if isinstance(t, cst.Element) else t).rsplit(".", 1)[-1]
                 for t in ([handler.type] if not isinstance(handler.type, cst.Tuple) else handler.type.elements)} \
            if handler.type is not None else set()
        if handler.type is not None and not names & {"Exception", "BaseException"}:
            raise CannotFix("a narrow handler would not catch the ExceptionGroup a TaskGroup raises")
    task_group, imports = fx.asyncio_attr("TaskGroup")
    group = fx.fresh_name("group")
    lines, results = [], []
    for argument in gather.args:
        text = fx.module.code_for_node(argument.value)
        if argument.star == "*":
            tasks, item = fx.fresh_name("tasks"), fx.fresh_name("awaitable")
            lines.append(f"{tasks} = [{group}.create_task({item}) for {item} in {text}]")
            results.append(f"*[task.result() for task in {tasks}]")
        elif target is None:
            lines.append(f"{group}.create_task({text})")
        else:
            task = fx.fresh_name("task")
            lines.append(f"{task} = {group}.create_task({text})")
            results.append(f"{task}.result()")
    body = "\n".join(f"    {line}" for line in lines) or "    pass"
    text = f"async with {task_group}() as {group}:\n{body}\n"
    if target is not None:
        text += f"{target} = [{', '.join(results)}]\n"
    new = list(cst.parse_module(text).body)
    new[0] = new[0].with_changes(leading_lines=statement.leading_lines)
    return Fix({statement: cst.FlattenSentinel(new)}, safe=False, imports=imports)
