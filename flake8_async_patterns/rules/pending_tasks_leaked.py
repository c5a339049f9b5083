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

It only reports when the wait was given tasks made for it, that nothing but
the pending set still looks after. A task is made for the wait when it is
started in the wait's first argument (or `fs=`/`aws=`) by
`asyncio.create_task(...)`, `loop.create_task(...)`, `asyncio.Task(...)`,
`asyncio.ensure_future()` of a call, or as a bare coroutine call, written out
in a list, tuple or set or made by a comprehension; or when it is started in
the function and held in a local name (`a = asyncio.create_task(...)`, then
`asyncio.wait({a, b}, ...)`) or in a local list or set (`tasks = [...]`,
`tasks.append(...)`, `tasks.add(...)`). A task held in a name counts as
looked after when the function does anything with that name but look at it
(`a in done`, `a.done()`, `a.result()`, `a.get_name()`): cancelling it
(`a.cancel()`, `for t in (a, b): t.cancel()`), awaiting or gathering it,
returning it, storing it or passing it on. It leaves alone:
- tasks and futures that existed before the function: parameters,
  attributes (`asyncio.wait([self.closed, self.ready], ...)`), names of an
  enclosing function, and `ensure_future()` of a name, which hands back the
  future it is given;
- a name bound more than once (the task it holds at the wait is not certain),
  and a task made before a loop that waits on it on every turn (each turn
  waits for the same task again);
- a local list or set that the function reads anywhere else, for example to
  cancel every task in it;
- code that asserts the tasks are finished (`assert task.done()`,
  `assert not pending`);
- a wait without a timeout that returns when all tasks are done
  (`return_when=ALL_COMPLETED`, the default), which leaves nothing pending;
- a loop that waits again on what is pending until nothing is left
  (`while pending: done, pending = await asyncio.wait(pending, ...)`).

A wait that also holds someone else's future (`asyncio.wait([reader_task,
self.closed], ...)`) is still reported for the tasks it made: when the
future wins, they run on.

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
    europe = asyncio.create_task(download(MIRRORS[0]))
    america = asyncio.create_task(download(MIRRORS[1]))
    done, _ = await asyncio.wait({europe, america}, return_when=asyncio.FIRST_COMPLETED)
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
    europe = asyncio.create_task(download(MIRRORS[0]))
    america = asyncio.create_task(download(MIRRORS[1]))
    done, pending = await asyncio.wait({europe, america}, return_when=asyncio.FIRST_COMPLETED)
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
The fix cancels what is still pending right after the wait:
```python
done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
```
becomes
```python
done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
for task in pending:
    task.cancel()
```
A wait that is a statement of its own gets `done, pending = ...`; a pair kept
whole (`result = await wait(...)`) gets `for task in result[1]:`; a wait in a
one-line block (`if flag: await ...`) or on a line with other statements is
split onto lines of its own. When the wait also holds futures made
elsewhere, cancelling the whole pending set would cancel those too, so the
fix cancels only the function's own tasks, by name (`reader_task.cancel()`,
or `for task in (reader_task, writer_task): task.cancel()`); cancelling a
task that is already done does nothing. It is safe and applied by default:
the code already goes on without the pending tasks, so stopping them only
ends work that nobody waits for. It does not add the cleanup gather shown
above; add it by hand when the tasks need to finish their cleanup before the
function returns. Left unchanged and reported with the reason: a `_` that the
function also uses for something else (such as `gettext`), so it cannot be
renamed; a wait that mixes tasks made in its argument, which have no name,
with futures made elsewhere; and a wait that is not a statement or an
assignment of its own.

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

### Relation to ruff and flake8-async
Neither has an equivalent, as far as we can tell: their ASYNC rules (ruff's
ASYNC100 to ASYNC251 and flake8-async's list) are about cancel scopes,
timeouts, sleeps, blocking calls in `async def`, and, in flake8-async's
ASYNC300 and ruff's RUF006, a task whose reference is dropped as soon as it is
created (this project's ASP103). None of them looks at what `asyncio.wait()`
leaves pending.
"""  # noqa: E501 - the links of the rule page
from __future__ import annotations

import ast
from dataclasses import dataclass

from ..analysis.vocabulary import last_names
from ..analysis.fanout import WAITS
from ..analysis.outcomes import awaited_outcome, leaves_pending, new_work
from ..analysis.tasks import task_call
from ..registry import FixSafety, rule

RULE = rule("ASP304", "pending-tasks-leaked",
            "asyncio.wait() can return with tasks still running, and the pending set is dropped",
            doc=__doc__, fix=FixSafety.SAFE)

# Looking at a task (`t.done()`) does not stop it; copies are followed to their own uses.
HANDLED = frozenset({"passed", "stored", "returned", "awaited", "cancelled"})


def asserted(use, uses) -> bool:
    """`assert task.done()`, `assert not pending`: the code asserts that nothing is left running."""
    node = use.node
    while node is not None and not isinstance(node, ast.stmt):
        node = uses.parents.get(node)
    return isinstance(node, ast.Assert)


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
    return any(use.kind in HANDLED or asserted(use, uses) for use in uses.of({pending.id}))


TASK_CLASSES = frozenset({"asyncio.Task", "asyncio.tasks.Task"})
COLLECTIONS = (ast.List, ast.Tuple, ast.Set)
FILLS = frozenset({"append", "add"})
# a task's own ways to be looked at (besides done/result/exception/cancelled, which uses.py
# calls "tested"): none of them stops it
LOOK_METHODS = frozenset({"get_name", "set_name", "get_coro", "get_context", "get_loop", "get_stack",
                          "print_stack", "cancelling"})


def _task_factory(call: ast.AST, ctx, scope) -> bool:
    """A call that starts a new task (see analysis/tasks.py: `create_task`, `ensure_future()` of a
    call, a helper that returns a task nothing else holds), or `asyncio.Task(...)`; not a task
    group's, which awaits its tasks."""
    return isinstance(call, ast.Call) and (
        task_call(call, ctx.resolver, scope) is not None
        or ctx.resolver.qualified_name(call.func, scope) in TASK_CLASSES)


@dataclass(frozen=True)
class Waited:
    """The tasks made for one wait, and whether it waits on anything else too."""

    inline: bool  # made in the wait's argument or in the local collection it is given
    named: tuple[str, ...]  # local names, each bound once to a task made for the wait
    foreign: bool  # futures or tasks that existed before, or that cannot be told apart


def _waited_argument(call: ast.Call) -> ast.AST | None:
    return call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in ("fs", "aws")), None)


def _inside(node: ast.AST, containers, uses) -> bool:
    while node is not None:
        if any(node is c for c in containers):
            return True
        node = uses.parents.get(node)
    return False


def _loops_around(node: ast.AST, uses) -> list[ast.AST]:
    """The loops of the function that run `node` again on every turn."""
    loops, child, parent = [], node, uses.parents.get(node)
    while parent is not None:
        if isinstance(parent, (ast.For, ast.AsyncFor)) and any(child is s for s in parent.body) or \
                isinstance(parent, ast.While) and (child is parent.test or any(child is s for s in parent.body)):
            loops.append(parent)
        child, parent = parent, uses.parents.get(parent)
    return loops


def _same_turn(first: ast.AST, second: ast.AST, uses) -> bool:
    """`first` and `second` run as often as each other: no loop runs one of them again without
    the other (a task made before the loop that waits on it is waited for again and again)."""
    return [id(n) for n in _loops_around(first, uses)] == [id(n) for n in _loops_around(second, uses)]


def _single_local_binding(name: str, scope, function, uses):
    """(where, value) for the one binding of `name` in `function` itself, `a, b = x, y` included;
    "unsure" when it is bound several times; None when it is not a local of the function bound
    to a value it shows (a parameter, a closure's, a global, a loop variable)."""
    found = scope.lookup(name)
    if found is None or found[0].node is not function:
        return None
    bindings = found[1]
    if len(bindings) != 1:
        return "unsure"
    binding = bindings[0]
    if binding.kind != "assign" or isinstance(binding.node, ast.withitem):
        return None
    if binding.value is not None:
        return binding.node, binding.value
    target = binding.node  # a Name in a tuple target: `a, b = create_task(f()), create_task(g())`
    pair, statement = uses.parents.get(target), uses.parents.get(uses.parents.get(target))
    if isinstance(pair, (ast.Tuple, ast.List)) and isinstance(statement, ast.Assign) \
            and statement.targets == [pair] and isinstance(statement.value, (ast.Tuple, ast.List)) \
            and len(statement.value.elts) == len(pair.elts) \
            and not any(isinstance(e, ast.Starred) for e in (*pair.elts, *statement.value.elts)):
        return statement, statement.value.elts[next(i for i, e in enumerate(pair.elts) if e is target)]
    return None


def _looked_at_only(use) -> bool:
    return use.kind in ("inspected", "tested") or use.kind == "attribute" and use.at.attr in LOOK_METHODS


def _named_task(element: ast.Name, handed, ctx, scope, function, uses) -> str:
    """"made": a local that holds a task made for the wait and nothing else handles (a parameter's
    task, an attribute's, or a task that is also cancelled, awaited, passed on... is not);
    "foreign" when it is not such a local; "unsure" when it may be."""
    binding = _single_local_binding(element.id, scope, function, uses)
    if binding == "unsure":
        return "unsure"
    if binding is None or not _task_factory(binding[1], ctx, scope):
        return "foreign"
    if not _same_turn(binding[0], element, uses):
        return "unsure"
    for use in uses.of({element.id}):
        if not _inside(use.node, handed, uses) and (not _looked_at_only(use) or asserted(use, uses)):
            return "unsure"  # cancelled, awaited, returned, stored, passed on: someone handles it
    return "made"


def _local_collection(name: ast.Name, call: ast.Call, scope, function, uses):
    """The elements of a local list or set of tasks that the wait is given, with the nodes that
    put them there: `tasks = [a, b]`, `tasks = []` then `tasks.append(...)`.  None when the list
    is read anywhere else but to be counted or truth-tested; (None, ...) when it is built some
    other way (a comprehension), which `new_work` reads."""
    binding = _single_local_binding(name.id, scope, function, uses)
    if binding is None or binding == "unsure" or not _same_turn(binding[0], call, uses):
        return None
    fills = []
    for use in uses.of({name.id}):
        if use.node is name:
            continue
        owner = uses.parents.get(use.at) if use.kind == "attribute" else None
        if isinstance(owner, ast.Call) and owner.func is use.at and use.at.attr in FILLS \
                and len(owner.args) == 1 and not owner.keywords:
            fills.append(owner)
        elif use.kind != "inspected":
            return None
    value = binding[1]
    empty = isinstance(value, (ast.List, ast.Set)) and not value.elts or isinstance(value, ast.Call) \
        and isinstance(value.func, ast.Name) and value.func.id in ("list", "set") and not value.args \
        and not value.keywords
    if isinstance(value, COLLECTIONS) and not empty:
        elements = list(value.elts)
    elif empty:
        elements = []
    elif fills:
        return None  # a comprehension and appends: keep it simple
    else:
        return None, [value]
    return elements + [fill.args[0] for fill in fills], [value, *fills]


def _waited(call: ast.Call, ctx, scope, function, uses) -> Waited | None:
    """The tasks made for the wait, or None when it is not sure there are any that only the
    pending set still holds."""
    argument = _waited_argument(call)
    if argument is None:
        return None
    elements, handed = (list(argument.elts), [argument]) if isinstance(argument, COLLECTIONS) else (None, [argument])
    if isinstance(argument, ast.Name):
        collection = _local_collection(argument, call, scope, function, uses)
        if collection is None:
            return None
        elements, handed = collection
        handed = [argument, *handed]
    if elements is None:  # a comprehension or map(): every task it makes is made for the wait
        made = [c for c in new_work(argument, ctx.facts, scope)
                if _task_factory(c, ctx, scope) or ctx.resolver.coroutine_call(c, scope) is not None]
        return Waited(True, (), False) if made else None
    inline, named, foreign = False, [], False
    for element in elements:
        if isinstance(element, ast.Call) and (_task_factory(element, ctx, scope)
                                              or ctx.resolver.coroutine_call(element, scope) is not None):
            inline = True
        elif isinstance(element, ast.Name):
            kind = _named_task(element, handed, ctx, scope, function, uses)
            if kind == "unsure":
                return None
            if kind == "made":
                named.append(element.id)
            foreign = foreign or kind == "foreign"
        else:
            foreign = True  # an attribute, a future from a call, a starred collection
    if not inline and not named:
        return None
    return Waited(inline, tuple(dict.fromkeys(named)), foreign)


@RULE.on_call(last_names(WAITS))
def check(node, ctx):
    if not isinstance(ctx.parent, ast.Await) or ctx.call_named(node, WAITS) is None:
        return
    scope, function = ctx.scope, ctx.function
    reason = leaves_pending(node, ctx.facts, scope)
    outcome = awaited_outcome(ctx.path)
    if reason is None or outcome is None or function is None:
        return
    uses = ctx.facts.uses(function)
    if pending_handled(outcome, uses):
        return
    waited = _waited(node, ctx, scope, function, uses)
    if waited is None:
        return
    why = "times out" if reason == "timeout" else f"returns at {reason}"
    pending = outcome.targets[1].id if outcome.how == "unpacked" and len(outcome.targets) == 2 \
        and isinstance(outcome.targets[1], ast.Name) else None
    names = ", ".join(f"'{n}'" for n in waited.named)
    nor = "" if not names else f", nor {'is' if len(waited.named) == 1 else 'are'} {names}"
    yield RULE.at(node, f"asyncio.wait() {why} with the other tasks still running, and the "
                  f"pending set is never cancelled or awaited{nor}; cancel what is pending",
                  reason=reason, how=outcome.how, pending=pending,
                  # other futures in the wait are someone else's: only our own tasks may be cancelled
                  cancel=list(waited.named) if waited.foreign else None,
                  mixed=waited.foreign and waited.inline)


# -- fix ------------------------------------------------------------------------------------


def _local_name(fx, function, base: str) -> str:
    """A fresh name for a local of `function`: one that no code in the function uses (so nothing
    there can see the new binding) and that no other fix of this pass has taken."""
    cst = fx.cst
    used: set[str] = set()

    class Collect(cst.CSTVisitor):
        def visit_Name(self, node) -> None:
            used.add(node.value)

    function.visit(Collect())
    # names other fixes of this pass introduce (a module-level set, say) must stay visible; the
    # locals these loops introduce may repeat, in this function or another
    if not hasattr(fx, "pending_loop_locals"):
        fx.pending_loop_locals = set()
    locals_here = fx.pending_loop_locals
    taken = fx.names_in_use() - {n.value for n in fx.positions if isinstance(n, cst.Name)} - locals_here
    name, number = base, 1
    while name in used or name in taken:
        number += 1
        name = f"{base}_{number}"
    if name not in fx.names_in_use():
        fx.fresh_name(name)  # registers it, so that other fixes of this pass keep clear of it
    locals_here.add(name)
    return name


def _reads_elsewhere(fx, function, name) -> bool:
    """Whether `function` mentions `name`'s identifier anywhere but at `name`."""
    cst = fx.cst
    found = []

    class Find(cst.CSTVisitor):
        def visit_Name(self, node) -> None:
            if node.value == name.value and node is not name:
                found.append(node)

    function.visit(Find())
    return bool(found)


@RULE.fixes
def fix(finding, fx, options):
    """Cancel what is pending right after the wait: `for task in pending: task.cancel()`, naming the
    pending set when it was `_` or the wait was a statement of its own (safe)."""
    from ..fixing import CannotFix, Fix

    cst = fx.cst
    call = fx.node_at(finding, cst.Call)
    awaited = fx.parent(call)
    holder = fx.parent(awaited)
    line = fx.parent(holder)
    if not isinstance(awaited, cst.Await) or not isinstance(holder, (cst.Expr, cst.Assign, cst.AnnAssign)) \
            or holder.value is not awaited:
        raise CannotFix("the wait is not a statement or an assignment of its own")
    if not isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        raise CannotFix("the code at this position is not what the finding describes")
    function = fx.parent(line)
    while function is not None and not isinstance(function, cst.FunctionDef):
        function = fx.parent(function)
    if function is None:
        raise CannotFix("not inside a function")
    if finding.fix.get("mixed"):
        raise CannotFix("the wait also holds futures made elsewhere, which cancelling the pending set "
                        "would cancel too")
    replacements = {}
    how = finding.fix.get("how")
    own = finding.fix.get("cancel")
    if own:  # only our own tasks, by name: cancelling one that is done does nothing
        if len(own) == 1:
            loop = fx.statement(f"{own[0]}.cancel()\n")
        else:
            task = _local_name(fx, function, "task")
            loop = fx.statement(f"for {task} in ({', '.join(own)}):\n    {task}.cancel()\n")
        index = next(i for i, small in enumerate(line.body) if small is holder)
        return Fix({line: lambda updated: _after(cst, updated, index, loop)})
    if how == "discarded":
        done, pending = _local_name(fx, function, "done"), _local_name(fx, function, "pending")
        replacements[holder] = lambda updated: cst.Assign(
            targets=[cst.AssignTarget(cst.Tuple([cst.Element(cst.Name(done)), cst.Element(cst.Name(pending))],
                                                lpar=[], rpar=[]))],
            value=updated.value, semicolon=updated.semicolon)
    elif how == "unpacked":
        target = holder.targets[0].target if isinstance(holder, cst.Assign) and len(holder.targets) == 1 else None
        if not isinstance(target, (cst.Tuple, cst.List)) or len(target.elements) != 2 \
                or not isinstance(target.elements[1].value, cst.Name):
            raise CannotFix("the code at this position is not what the finding describes")
        name = target.elements[1].value
        pending = name.value
        if pending == "_":
            if _reads_elsewhere(fx, function, name):
                raise CannotFix("'_' is used elsewhere in the function, so it cannot be renamed")
            pending = _local_name(fx, function, "pending")
            replacements[name] = name.with_changes(value=pending)
    elif how == "assigned":
        target = holder.target if isinstance(holder, cst.AnnAssign) else (
            holder.targets[0].target if len(holder.targets) == 1 else None)
        if not isinstance(target, cst.Name):
            raise CannotFix("the code at this position is not what the finding describes")
        pending = f"{target.value}[1]"
    else:
        raise CannotFix("no fix for this form")
    task = _local_name(fx, function, "task")
    loop = fx.statement(f"for {task} in {pending}:\n    {task}.cancel()\n")
    index = next(i for i, small in enumerate(line.body) if small is holder)
    replacements[line] = lambda updated: _after(cst, updated, index, loop)
    return Fix(replacements)


def _after(cst, line, index, loop):
    """`line` with `loop` inserted after its statement `index`: a line of several statements
    (`a; b`) is split there, and a one-line block (`if x: wait`) becomes an indented block."""
    def last(statements):
        return [*statements[:-1], statements[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)]

    before, rest = last(line.body[:index + 1]), line.body[index + 1:]
    if isinstance(line, cst.SimpleStatementLine):
        if not rest:
            return cst.FlattenSentinel([line, loop])
        return cst.FlattenSentinel([line.with_changes(body=before, trailing_whitespace=cst.TrailingWhitespace()),
                                    loop, cst.SimpleStatementLine(rest, trailing_whitespace=line.trailing_whitespace)])
    # a SimpleStatementSuite: the body of `if x: ...`, `while ...: ...`
    if not rest:  # the line's comment stays on the wait
        return cst.IndentedBlock([cst.SimpleStatementLine(before, trailing_whitespace=line.trailing_whitespace), loop])
    return cst.IndentedBlock([cst.SimpleStatementLine(before), loop,
                              cst.SimpleStatementLine(rest, trailing_whitespace=line.trailing_whitespace)])
