"""## What it does
Finds tasks that are created and then let go: a call of
`asyncio.create_task()`, `asyncio.ensure_future()` or `create_task()` on an
event loop whose result is a statement of its own or is assigned to a local
variable that the function never reads; a list, tuple or set display of such
calls, or a list or set comprehension of them, used as a statement; and an
`asyncio.gather(...)` that is never awaited (its awaitables run as tasks that
nobody waits for). An event loop here is the result of
`asyncio.get_running_loop()`, `asyncio.get_event_loop()` or
`asyncio.new_event_loop()`, a name assigned only from one of those, or a name
or attribute called `loop` (also `_loop`, `event_loop`, `io_loop`, ...).

One step removed, it finds the same for a function that makes the task for its
caller, in this module (also a method called through `self`), in another
module of the project or in an installed package:

- a function whose every `return` gives one of those calls, another such
  function, or a local bound to one and read nowhere else
  (`def spawn(coro): return asyncio.create_task(coro)`; returning `None` on
  some paths is fine);
- a function whose body cannot tell (a stub, a call nobody can read) but whose
  return annotation names `asyncio.Task` (`Optional[Task]`, `Task[T] | None`,
  or as a string) and which is handed work: a parameter annotated as a
  coroutine, an awaitable or a callable;
- an `async def` of either kind whose awaited result is dropped
  (`await start(job)` as a statement);
- `create_task` or `ensure_future` re-exported or aliased by a project module
  or a package (`from ._compat import create_task`, `make_task = create_task`).

It does not flag `tg.create_task()` on an `asyncio.TaskGroup` (the group holds
the task and waits for it), trio or anyio nurseries, or a task that is kept:
stored, added to a set, returned, awaited or passed to another call. A helper
that keeps the task itself (adds it to a registry or a set, stores it on an
object or a global, gives it a done callback), returns a task group's task, a
future the loop or an executor resolves (`run_in_executor`, `create_future`)
or an existing task (`current_task()`, a lookup that is handed no work), or
has a decorator that cannot be read, is left alone: its caller may drop what
it returns. A `-> asyncio.Future` annotation alone is not enough either:
libraries also hand out futures they resolve and hold themselves.

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
The fix keeps a strong reference in a module-level set that lets go of the
task once it is done:
```python
aio.create_task(refresh("users"))  # fire and forget
```
becomes
```python
task = aio.create_task(refresh("users"))  # fire and forget
_background_tasks.add(task)
task.add_done_callback(_background_tasks.discard)
```
with `_background_tasks: set[aio.Task] = set()` added once after the imports
(a set an earlier fix added is reused; taken names get a suffix, as in
`task_2`). A task assigned to a name that is never read keeps that name. The
fix is safe and applied by default: the task runs exactly as before, it just
can no longer be collected mid-flight. It never moves the task into a
`TaskGroup`; do that by hand where you want the failure to reach you.

A task returned by a helper, or by an awaited `async def`, is kept the same
way (`task = spawn(job)`, `task = await start(job)`). The tasks of a display
or a comprehension statement are each kept by a loop over it:
```python
[aio.create_task(refresh("users")), aio.create_task(refresh("orders"))]
```
becomes
```python
for task in [aio.create_task(refresh("users")), aio.create_task(refresh("orders"))]:
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
```
An un-awaited `gather(...)` is kept like a task (`future = aio.gather(...)`),
and a set the fix adds for it is annotated `set[asyncio.Future]`. Inside an
`async def` you may well have meant `await aio.gather(...)`, but the fix does
not write it: awaiting makes the function wait for every awaitable and raise
the first error, which changes what its callers see (a gather of long-running
workers started during setup would never return). Keeping a reference changes
nothing but the lifetime; add the `await` yourself where the function should
wait.

Left unchanged and reported with the reason: a task made in a callback lambda
(there is no room for statements), a display or comprehension on a line it
shares with other statements (`if ok: [...]`, no room for a loop), and a task
assigned to anything but a single name.

## Options
The rule has no options of its own: the task-creating functions it knows and
the way it recognises an event loop are fixed. The fix reads one:

- `async-patterns-target-version`: below 3.9, the fix writes the set's
  annotation as a string (`'set[asyncio.Task]'`), since `set[...]` cannot be
  evaluated there.

## References
- [Python docs: asyncio.create_task](https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task)
- [Python docs: task groups](https://docs.python.org/3/library/asyncio-task.html#task-groups)
- [Python docs: detect never-retrieved exceptions](https://docs.python.org/3/library/asyncio-dev.html#detect-never-retrieved-exceptions)
- [Python docs: asyncio.run](https://docs.python.org/3/library/asyncio-runner.html#asyncio.run)
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)

### Relation to ruff and flake8-async
This rule overlaps ruff's RUF006 (asyncio-dangling-task) and flake8-async's
ASYNC300 (create-task-no-reference): if you run either tool as well, silence
that code there or ASP103 here. RUF006 reports `asyncio.create_task()` and
`asyncio.ensure_future()` statements, `create_task()` on a loop assigned from
`asyncio.get_running_loop()` or `asyncio.new_event_loop()`, and a task
assigned to a local that is never used; ASYNC300 reports an
`asyncio.create_task()` whose result is not saved. Neither follows a function
that returns a task (in the module, the project or a package), a re-exported
`create_task`, an awaited `async def` that returns one, an un-awaited
`gather()`, a display or comprehension of tasks used as a statement, a task
made in a callback lambda, or `create_task()` on a loop known only by its name
(`self._loop`); those are this rule's alone.
"""  # noqa: E501 - the links of the rule page
from __future__ import annotations

import ast

from ..analysis.callbacks import slot
from ..analysis.flow import discarded
from ..analysis.tasks import Made, direct_spawner, task_call
from ..registry import FixSafety, rule

RULE = rule("ASP103", "dangling-task",
            "a task is created and no reference to it is kept",
            doc=__doc__, fix=FixSafety.SAFE)


@RULE.on(ast.Lambda)
def check_callback(node, ctx):
    """`loop.add_signal_handler(sig, lambda: asyncio.create_task(main()))`: the caller drops the task."""
    call = ctx.parent
    spawner = direct_spawner(node.body, ctx.resolver, ctx.get_scope)
    if spawner is None or not isinstance(call, ast.Call):
        return
    found = slot(call, ctx.facts, ctx.get_scope)
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
        made = _made(value.elt, ctx)
        if made and isinstance(node, ast.Expr):
            yield RULE.at(value, f"tasks {_from(made)} in a comprehension are thrown away and can be "
                          "garbage-collected mid-flight; keep them in a set of tasks, or keep the list and await it",
                          how="statement", spawner=made.name, comprehension=True)
        return
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        made = _display(value, ctx) if isinstance(node, ast.Expr) else None
        if made:
            yield RULE.at(value, f"tasks {_from(made)} in a {type(value).__name__.lower()} display are thrown away "
                          "and can be garbage-collected mid-flight; keep each of them in a set of tasks",
                          how="statement", spawner=made.name, comprehension=True, display=True)
        return
    if not isinstance(value, (ast.Call, ast.Await)):
        return
    made = _made(value, ctx)
    if made is None:
        return
    how = discarded(node, ctx.facts, ctx.get_scope)
    if how is None:
        return
    if made.gather:
        message = (f"'{made.name}(...)' is never awaited: its awaitables run unobserved, their errors are lost "
                   "and it can be garbage-collected mid-flight; await it, or keep it in a set of tasks")
    else:
        message = (f"task {_from(made)} is not referenced and can be garbage-collected mid-flight; "
                   "keep it in a set of tasks (add_done_callback(tasks.discard)) or use a TaskGroup")
    yield RULE.at(value, message, how=how, spawner=made.name, comprehension=False,
                  in_async=ctx.in_async_function, gather=made.gather, awaited=isinstance(value, ast.Await))


def _made(expr: ast.AST, ctx) -> Made | None:
    """What task `expr` (a call, or an awaited call of an `async def`) makes, if it makes one."""
    if isinstance(expr, ast.Await):
        return task_call(expr.value, ctx.resolver, ctx.get_scope, awaited=True)
    return task_call(expr, ctx.resolver, ctx.get_scope)


def _display(display: ast.AST, ctx) -> Made | None:
    """`[create_task(a()), create_task(b())]`: what the first element makes, when every one makes a task."""
    made = [_made(element, ctx) if isinstance(element, ast.Call) else None for element in display.elts]
    return made[0] if made and all(made) else None


def _from(made: Made) -> str:
    return f"from '{made.name}'" if made.evidence == "asyncio" or made.factory else f"returned by '{made.name}'"


# -- the fix ----------------------------------------------------------------------------

TASK_SET = "_background_tasks"


@RULE.fixes
def fix(finding, fx, options):
    """Keep a strong reference (safe: the task runs as before, it can just no longer be collected
    mid-flight): a module-level set of tasks, `tasks.add(task)` and
    `task.add_done_callback(tasks.discard)`, so the set lets go of the task once it is done."""
    from ..fixing import CannotFix, Fix

    cst = fx.cst
    if finding.fix.get("how") == "callback":
        raise CannotFix("the task is made in a callback lambda, which has no room for statements")
    if finding.fix.get("comprehension"):
        return _keep_each(finding, fx)
    made = fx.node_at(finding, cst.Call, cst.Await)  # `await start()`: the task is what the await gives
    small = fx.parent(made)
    while small is not None and not isinstance(small, cst.BaseSmallStatement):
        small = fx.parent(small)
    if small is None:
        raise CannotFix("no statement around the task")
    gather = bool(finding.fix.get("gather"))
    tasks, module_statements, imports = _task_set(fx, futures=gather)
    keep = [f"{tasks}.add({{task}})", f"{{task}}.add_done_callback({tasks}.discard)"]
    if isinstance(small, (cst.Assign, cst.AnnAssign)):
        # `task = create_task(...)` whose name is never read: keep the statement, reuse the name
        targets = small.targets if isinstance(small, cst.Assign) else [small]
        if len(targets) != 1 or not isinstance(targets[0].target, cst.Name) or small.value is not made:
            raise CannotFix("the task is not assigned to a single name")
        name = targets[0].target.value
        new = [small, *(fx.statement(line.format(task=name)).body[0] for line in keep)]
    elif isinstance(small, cst.Expr):
        name = fx.fresh_local_name(small, "future" if gather else "task")
        assign = cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=made)
        new = [assign, *(fx.statement(line.format(task=name)).body[0] for line in keep)]
        if small.value is not made:
            # `create_task(...).add_done_callback(cb)`: the rest of the statement goes on with the name
            new.append(small.deep_replace(made, cst.Name(name)))
    else:
        raise CannotFix("the task is not made by a statement of its own or an assignment")
    replacements = _spread(fx, small, new)
    return Fix(replacements, safe=True, imports=imports, module_statements=module_statements)


def _keep_each(finding, fx):
    """`[create_task(a()), create_task(b())]` (or a comprehension of tasks) as a statement:
    loop over it and keep each task."""
    from ..fixing import CannotFix, Fix

    cst = fx.cst
    small = fx.node_at(finding, cst.Expr)  # its position takes in a tuple's parentheses, the tuple's does not
    display = small.value
    line = fx.parent(small)
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        raise CannotFix("the tasks are made on a line shared with other statements, with no room for a loop")
    tasks, module_statements, imports = _task_set(fx)
    name = fx.fresh_local_name(small, "task")
    loop = fx.statement(f"for {name} in _:\n    {tasks}.add({name})\n    {name}.add_done_callback({tasks}.discard)\n")
    loop = loop.with_changes(iter=display, leading_lines=line.leading_lines,
                             body=loop.body.with_changes(header=line.trailing_whitespace))
    return Fix({line: loop}, safe=True, imports=imports, module_statements=module_statements)


def _task_set(fx, futures: bool = False) -> tuple[str, list, list]:
    """The module-level set of tasks: the one an earlier fix added, else a new one (one per module;
    the statement object is shared by every fix of a pass, so it is added once).  With `futures`
    (a gather's future is no Task), a new set is annotated `set[asyncio.Future]`."""
    cst = fx.cst
    cached = getattr(fx, "_asp103_task_set", None)
    if cached is not None:
        return cached
    existing = _existing_task_set(fx)
    if existing is not None:
        result = (existing, [], [])
    else:
        name = fx.fresh_name(TASK_SET)
        task_type, imports = _task_type(fx, "Future" if futures else "Task")
        annotation = f"set[{task_type}]"
        if not _has_future_annotations(fx) and (fx.settings.target_version < (3, 9) or not _imported_early(fx)):
            # evaluated at run time: `set[...]` needs 3.9, and the name must be bound by then
            annotation = repr(annotation)
        statement = fx.statement(f"{name}: {annotation} = set()\n")
        if fx.module.body and _is_import_or_docstring(fx, fx.module.body[0], 0):
            statement = statement.with_changes(leading_lines=[cst.EmptyLine()])  # after the imports
        result = (name, [statement], imports)
    fx._asp103_task_set = result
    return result


def _existing_task_set(fx) -> str | None:
    """The name of `_background_tasks[_n]: set[...] = set()` at module level, if there is one."""
    cst = fx.cst
    for statement in fx.module.body:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            continue
        small = statement.body[0]
        if isinstance(small, cst.AnnAssign):
            target = small.target
        elif isinstance(small, cst.Assign) and len(small.targets) == 1:
            target = small.targets[0].target
        else:
            continue
        value = small.value
        if isinstance(target, cst.Name) and (target.value == TASK_SET or target.value.startswith(TASK_SET + "_")) \
                and isinstance(value, cst.Call) and isinstance(value.func, cst.Name) \
                and value.func.value == "set" and not value.args:
            return target.value
    return None


def _task_type(fx, kind: str) -> tuple[str, list]:
    """How `asyncio.Task` (`asyncio.Future`) is spelled here, and the import that spelling needs."""
    local = fx.from_import_alias("asyncio", kind)
    if local is not None:
        return local, []
    module, imports = fx.module_alias("asyncio")
    return f"{module}.{kind}", imports


def _imported_early(fx) -> bool:
    """The asyncio import that the annotation uses (if any) comes before the place where the fixer
    adds module statements (after the leading docstring and imports)."""
    cst = fx.cst

    def imports(statement, module):
        return isinstance(statement, cst.SimpleStatementLine) and any(
            isinstance(s, cst.Import) and any(_cst_dotted(a.name) == module for a in s.names)
            or isinstance(s, cst.ImportFrom) and s.module is not None and _cst_dotted(s.module) == module
            for s in statement.body)

    for position, statement in enumerate(fx.module.body):
        if imports(statement, "asyncio"):
            return True
        if not _is_import_or_docstring(fx, statement, position):
            # past the leading imports: an asyncio import further down comes too late
            return not any(imports(later, "asyncio") for later in fx.module.body[position:])
    return True


def _is_import_or_docstring(fx, statement, position: int) -> bool:
    """As the engine sees the leading statements after which it adds module statements."""
    cst = fx.cst
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    first = statement.body[0]
    if position == 0 and isinstance(first, cst.Expr) and isinstance(first.value, cst.SimpleString):
        return True
    return all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body)


def _cst_dotted(node) -> str:
    if hasattr(node, "attr"):
        return f"{_cst_dotted(node.value)}.{node.attr.value}"
    return getattr(node, "value", "")


def _has_future_annotations(fx) -> bool:
    cst = fx.cst
    for statement in fx.module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.ImportFrom) and isinstance(small.module, cst.Name) \
                        and small.module.value == "__future__" and not isinstance(small.names, cst.ImportStar) \
                        and any(isinstance(a.name, cst.Name) and a.name.value == "annotations" for a in small.names):
                    return True
    return False


def _spread(fx, small, new: list) -> dict:
    """Replace the small statement `small` by the small statements `new`: one line each when it
    has its line to itself (its comments stay on the first line), else `;`-separated in place."""
    cst = fx.cst
    line = fx.parent(small)
    if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
        first = line.with_changes(body=[new[0]])
        rest = [cst.SimpleStatementLine(body=[s]) for s in new[1:]]
        return {line: cst.FlattenSentinel([first, *rest])}
    return {small: cst.FlattenSentinel([s.with_changes(semicolon=cst.MaybeSentinel.DEFAULT) for s in new])}
