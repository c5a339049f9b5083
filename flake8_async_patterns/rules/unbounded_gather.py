"""## What it does
Finds fan-outs without a ceiling: `asyncio.gather(*...)`, `asyncio.wait(...)`
or `asyncio.as_completed(...)` given one awaitable per item of a collection
whose size the tool cannot bound, while nothing limits how many of those
awaitables run at the same time.

The collections it follows are a generator expression or a list or set
comprehension (`check_link(url) for url in urls`), `map(check_link, urls)`
(also with a `lambda`), either of them wrapped in `list()`, `tuple()` or
`set()`, and a name local to the function that is bound once to one of
those, to a list, tuple or set literal, or to an empty list or set filled by
a single `.extend(...)` or by `.append(...)`/`.add(...)` calls in one loop.
For `asyncio.wait()` and `asyncio.as_completed()` it is their first argument
(or `fs=`/`aws=`).

It leaves alone:
- awaitables that already exist: the element is not a call, possibly inside
  `asyncio.create_task()`, `asyncio.ensure_future()`, `asyncio.Task()`,
  `asyncio.wait_for()` or `asyncio.shield()` (`gather(*tasks)` where `tasks`
  is a parameter, `job.task for job in jobs`,
  `wait([ensure_future(f) for f in futures])`);
- work on items that already exist: every element calls a method of the
  item (a name that the comprehension, the `lambda` or the filling loop
  binds) or of one of its attributes (`conn.close() for conn in conns`),
  seen through any one-argument wrapper: asyncio's own, `loop.create_task()`,
  a task group's spawner, or a helper that awaits what it is given or makes a
  task of it (`start_task(worker.shutdown()) for worker in workers`; a helper
  the tool cannot read counts as one), or a bound method of the item given
  uncalled (`create_task(conn.close)`). That makes as many awaitables as
  objects the program already holds. A helper that does work of its own
  with its argument (`upload(conn.snapshot())`) is no wrapper;
- awaitables gathered again: a name that an earlier gather, wait or
  as_completed of the same function already fanned out (the same tasks
  gathered in `finally` after cancelling them) starts nothing new;
- a small fan-out: the iterable provably has at most
  `async-patterns-max-fanout` items. That is a list, tuple, set or dict
  literal, a string, `range()` or a slice `xs[:k]` (or `xs[0:k]`) whose
  bounds are constants (an int, simple arithmetic on ints, or a name bound
  once to an int), a comprehension with one `for` over such an iterable,
  `.keys()`, `.values()` or `.items()` of one, any of these through
  `enumerate()`, `reversed()`, `sorted()`, `list()`, `tuple()`, `set()`,
  `zip()` or `as_completed()`, a literal with starred parts that are small
  themselves (`(*Color, DEFAULT)`), an `Enum` class (as many items as
  members), and a name bound only once to one of them: in the function, at
  module level, in a class body (read as `self.X`, `cls.X` or `Klass.X`, and
  assigned nowhere else in the class) or in the module it is imported from
  (a slice or a string excepted: a name bound to one is not followed; so is a
  list, set or dict that the code grows with `.append()`, `.add()`,
  `xs[k] = v` or `+=`). The `*args` parameter
  of the function the fan-out is in counts as small: it holds what the
  callers wrote out. A name bound to a literal of calls
  (`checks = [ping(a), ping(b), ...]`, then `gather(*checks)`) is measured
  the same way, and reported when it has more items than the limit;
- a bounded fan-out: running the element enters a limiter, with
  `async with <limiter>:` or `await <limiter>.acquire()`. The tool looks in
  the called coroutine function, in coroutines that function awaits (one level
  down), and, for a wrapper call such as `limited(check_link(url))`,
  `asyncio.wait_for(check_link(url), 5)` or
  `asyncio.create_task(check_link(url))`, in the wrapper and in the call it
  wraps. A limiter is an object made by `asyncio.Semaphore`,
  `asyncio.BoundedSemaphore`, anyio's or trio's `Semaphore` or
  `CapacityLimiter`, or `aiolimiter.AsyncLimiter` (also one that another
  module binds and this one imports); when its origin cannot be seen, a name
  or attribute ending in `sem`, `semaphore`, `limit`, `limiter`, `throttle`,
  `concurrency`, `capacity` or `slot(s)` counts as one. The coroutine
  function, the wrapper and the object whose method is called (a processor
  made from a class, or a parameter annotated with one) may be defined in
  this module, in another module of the project or in an installed package;
- a pool of queue workers: when the called coroutine loops taking work from
  a queue or a stream (`while True: item = await queue.get()`, `async for`),
  the number started is the concurrency, and the work waits in the queue;
- tasks created one by one in a loop and gathered afterwards: the
  unbounded-task-spawn rule (ASP202) reports that loop instead.

Only a coroutine function that the tool can see into (its source or stub in
the project or an installed package) can prove a bound: a call into a library
that hides its limit (a compiled module, a dynamic attribute) counts as
unbounded.

The message names where the collection comes from: `gather() starts one
awaitable per item of 'keys' (the result of 'await self.store.keys(...)')`,
`... of 'urls' (a parameter)`, `... of 'self.nodes' (an attribute)`,
`... of 'range(count)' ('count': a parameter)`. That origin is one of
`awaited`, `parameter`, `attribute`, `call`, `local` and `constant`, and
`async-patterns check --format json` gives it in each finding's `origin`.
A fan-out over a constant collection (a literal, a `range()` or a
module-level tuple over the limit) is not data-sized, so by default it is
not reported: `async-patterns-fanout-origins` chooses the origins that are.

## Why is this bad?
`asyncio.gather()` is not a worker pool. It turns every awaitable into a task
and all of them start on the next pass of the event loop; `asyncio.wait()` and
`asyncio.as_completed()` do the same. A list of 20 URLs is harmless. The same
code fed 20,000 rows from a CSV file opens 20,000 connections at once: each one
holds a file descriptor, and with the usual limit of 1,024 per process the run
dies with `OSError: [Errno 24] Too many open files`. Before that, the DNS
resolver's thread pool backs up, connection pools time out, memory grows with
every response held at once, and the server sees a burst it answers with
`429 Too Many Requests`, dropped connections or a ban. The code passed its
tests with five items.

When one awaitable fails, `gather()` raises that error but does not cancel the
others: thousands of requests stay in flight, still loading the server, with
no one left to read their results.

## Example
```python
import asyncio


async def check_link(url: str) -> bool:
    await asyncio.sleep(0.05)  # stands in for an HTTP HEAD request
    return True


async def check_links(urls: list[str]) -> list[bool]:
    return await asyncio.gather(*(check_link(url) for url in urls))
```

## Use instead
```python
import asyncio


async def check_link(url: str) -> bool:
    await asyncio.sleep(0.05)  # stands in for an HTTP HEAD request
    return True


async def check_links(urls: list[str]) -> list[bool]:
    limit = asyncio.Semaphore(10)

    async def check_one(url: str) -> bool:
        async with limit:
            return await check_link(url)

    return await asyncio.gather(*(check_one(url) for url in urls))
```
Every item still gets its coroutine up front, but at most ten are past the
`async with` at any time, and the results keep the order of `urls`. For very
long inputs, a fixed number of worker tasks reading from an `asyncio.Queue`
avoids creating all the coroutines at once.

## Fix safety
The fix writes the bounded form shown above: a semaphore of
`async-patterns-concurrency` slots and a small wrapper, added at the top of
the function and shared by all its gathers, and each awaitable wrapped where
it is made:
```python
pages = await aio.gather(*(fetch(u) for u in urls))
```
becomes
```python
semaphore = aio.Semaphore(10)
async def bounded(awaitable):
    async with semaphore:
        return await awaitable
pages = await aio.gather(*(bounded(fetch(u)) for u in urls))
```
`map(fetch, urls)` becomes `(bounded(fetch(item)) for item in urls)`; in a
list filled by a loop or a comprehension of tasks, the coroutine is wrapped
where it is made (`asyncio.create_task(bounded(self.get(p)))`).

The fix is unsafe, applied only with `--unsafe-fixes`. The same work runs,
the results come back in the same order and the same first error is raised,
but awaitables that wait for each other can deadlock once bounded: twenty
coroutines meeting at an `asyncio.Barrier(20)` all get through unbounded,
while with ten slots the ten inside wait at the barrier for ten that never
get a slot. The limit holds per call of the function, not across calls.

Refused where the code shows the awaitables waiting on each other: the
function around the gather makes a `Barrier`, `Event` or `Condition`
(asyncio's, anyio's or trio's); a gathered coroutine function (read in this
module or another) calls `x.wait()` (an event, a barrier, a condition) or
`x.wait_for(predicate)` (a condition); or one gathered function takes from
a queue or stream (`await queue.get()`, `await stream.receive()`) while
another puts into one (`put()`, `put_nowait()`, `send()`), or one function
both gets from and puts into a queue. Only objects the awaitables can share
count: an object a gathered function makes for itself
(`process = await asyncio.create_subprocess_exec(...)`, then
`await process.wait()`) does not refuse the fix. Also refused: an `asyncio.wait()` with
`return_when=FIRST_COMPLETED` or `FIRST_EXCEPTION` (a race: the awaitables
without a slot cannot finish first, and listeners that never finish keep the
others from ever starting) and an `asyncio.wait()` or `as_completed()` with a
`timeout` (the awaitables waiting for a slot use up the time). Waiting that
the tool cannot see (in a coroutine the gathered one calls, or through a
library) is not detected: check by hand. Also left unchanged and reported with the reason: a gather
outside an `async def`, and `map()` over several iterables.

## Options
- `async-patterns-max-fanout`: a fan-out over a collection that provably
  has at most this many items is small and not reported.
- `async-patterns-fanout-origins`: the origins of collections that are
  reported, comma-separated (default: all but `constant`); for example
  `awaited,parameter` keeps only collections the code fetches or is given.
  Test suites fan out on purpose: lint them with
  `per-file-ignores = tests/*: ASP201,ASP202`.
- `async-patterns-concurrency`: the semaphore size that the message suggests
  and that the fix writes.

## References
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
- [Python docs: asyncio.Semaphore](https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore)
- [Python docs: asyncio.wait](https://docs.python.org/3/library/asyncio-task.html#asyncio.wait) and [asyncio.as_completed](https://docs.python.org/3/library/asyncio-task.html#asyncio.as_completed)
- [Python docs: asyncio.Queue](https://docs.python.org/3/library/asyncio-queue.html)
- [AnyIO docs: capacity limiters](https://anyio.readthedocs.io/en/stable/synchronization.html#capacity-limiters)
- Related rules: [ASP202](ASP202.md) for tasks started in a loop,
  [ASP102](ASP102.md) for coroutines that are never gathered at all.
"""  # noqa: E501 - the links of the rule page
from __future__ import annotations

import ast
from dataclasses import replace

from ..analysis.nodes import walk
from ..analysis.vocabulary import last_names
from ..analysis.fanout import AS_COMPLETED, GATHERS, WAITS, fanout_of, is_small, unparse, unwrap
from ..analysis.fanout import defined_elsewhere
from ..registry import FixSafety, rule
from ..analysis.tasks import direct_spawner

RULE = rule("ASP201", "unbounded-gather",
            "gather/wait/as_completed over a collection of unknown size with nothing bounding concurrency",
            doc=__doc__, fix=FixSafety.UNSAFE)

APIS = GATHERS | WAITS | AS_COMPLETED


def _position(node: ast.AST) -> list[int]:
    return [node.lineno, node.col_offset, node.end_lineno, node.end_col_offset]


def fanned_out(call: ast.Call, api: str) -> list[ast.expr]:
    """The arguments of `call` that stand for many awaitables."""
    if api in GATHERS:
        return [a.value for a in call.args if isinstance(a, ast.Starred)]
    first = call.args[0] if call.args else next(
        (k.value for k in call.keywords if k.arg in ("fs", "aws")), None)
    return [first] if first is not None and not isinstance(first, ast.Starred) else []


@RULE.on_call(last_names(APIS))
def check(node, ctx):
    api = ctx.call_named(node, APIS)
    if api is None:
        return
    unbounded = [(argument, fanout) for argument in fanned_out(node, api)
                 for fanout in [fanout_of(argument, ctx.facts, ctx.scope)] if _unbounded(fanout, ctx)]
    if not unbounded:
        return
    argument, fanout = unbounded[0]
    origin = fanout.origin(ctx.resolver)
    if origin.kind not in ctx.settings.fanout_origins:
        return
    if _gathered_before(argument, node, ctx):
        return  # the same awaitables gathered again (after cancelling them): nothing new starts
    if fanout.iterable is not None:
        source = unparse(fanout.iterable)
        per = f"item of '{source}' ({origin.text})"
    elif fanout.iterables:
        source = "several iterables"
        per = f"item of several iterables ({origin.text})"
    else:
        source = "a while loop"
        per = "round of a while loop"
    short = api.rsplit(".", 1)[-1]
    finding = RULE.at(  # one finding per call, with what the fix needs for every unbounded argument
        node,
        f"{short}() starts one awaitable per {per} with no limit on how many run at once; "
        f"bound them with asyncio.Semaphore({ctx.settings.concurrency})",
        api=api, source=fanout.source, iterable=source,
        element=ast.unparse(fanout.element), element_line=fanout.element.lineno,
        element_col=fanout.element.col_offset, concurrency=ctx.settings.concurrency,
        wrap=[_position(unwrap(e, ctx.resolver, f.element_scope))
              for _, f in unbounded if f.source != "map()" for e in f.elements],
        map_calls=[_position(a) for a, f in unbounded if f.source == "map()"],
        not_bounded_because=why_not_bounded(node, api, [f for _, f in unbounded], ctx),
    )
    yield replace(finding, origin=origin.kind)


def _gathered_before(argument: ast.expr, node: ast.Call, ctx) -> bool:
    """`argument` is a name of the function that an earlier gather/wait/as_completed of the
    same function already fanned out: the awaitables were started (or consumed) there."""
    if not isinstance(argument, ast.Name):
        return False
    found = ctx.scope.lookup(argument.id)
    if found is None or not found[0].is_function:
        return False
    where = found[0]
    for other in walk(where.node):
        if other is node or not isinstance(other, ast.Call) or (other.lineno, other.col_offset) >= (
                node.lineno, node.col_offset):
            continue
        api = ctx.resolver.call_named(other, where, APIS)
        if api and any(isinstance(a, ast.Name) and a.id == argument.id for a in fanned_out(other, api)):
            return True
    return False


# Awaitables that wait for one another: bounded, the one that would release the others may be
# the one still waiting for a slot.  A primitive made where the gather is made is passed to them.
SYNCHRONISERS = frozenset({"Barrier", "Event", "Condition"})
TAKES = frozenset({"get", "receive"})  # a queue; a memory stream or channel (anyio, trio)
GIVES = frozenset({"put", "put_nowait", "send", "send_nowait"})


def why_not_bounded(call: ast.Call, api: str, fanouts, ctx) -> str | None:
    """Why bounding this fan-out would change what the program does, as far as the code shows."""
    if api not in GATHERS:
        keywords = {k.arg: k.value for k in call.keywords}
        first_done = keywords.get("return_when")
        if first_done is not None and not ast.unparse(first_done).endswith("ALL_COMPLETED"):
            return (f"a race ({api.rsplit('.', 1)[-1]}(return_when={ast.unparse(first_done)})): bounded, the "
                    "awaitables without a slot cannot finish first, and one that never finishes keeps the "
                    "others from starting")
        timeout = keywords.get("timeout")
        if timeout is not None and not (isinstance(timeout, ast.Constant) and timeout.value is None):
            return ("a wait with a timeout: bounded, the awaitables still waiting for a slot use up the "
                    "time")
    waiting = waits_on_siblings(call, fanouts, ctx)
    if waiting:
        return (f"the awaitables may wait on each other ({waiting}): bounded, the one that would release "
                "the others may never get a slot")
    return None


def waits_on_siblings(call: ast.Call, fanouts, ctx) -> str | None:
    """Why the awaitables this gather starts may wait on each other, as far as the code shows:
    the function around the gather makes a Barrier, Event or Condition; a gathered coroutine
    function (read in this module or another) calls `<x>.wait()` (an Event, Barrier or Condition)
    or `<x>.wait_for(predicate)` (a Condition); or one gathered function takes from a queue or
    stream while another puts into one (or one function both gets from and puts into a queue).
    None when none of that is seen."""
    for node in walk(ctx.function) if ctx.function is not None else ():
        if isinstance(node, ast.Call) and _last_name(node.func) in SYNCHRONISERS:
            return f"the function makes '{ast.unparse(node.func)}()'"
    elements = [(unwrap(e, ctx.resolver, f.element_scope), f.element_scope) for f in fanouts for e in f.elements]
    elements += [(a, ctx.scope) for a in call.args if not isinstance(a, ast.Starred)]
    takes, gives = [], []  # (function, method, what it says)
    for element, scope in elements:
        function = _coroutine_function(element, scope, ctx.resolver)
        if function is None:
            continue
        made_here = _locals_made_here(function)
        for node in walk(function):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if _root_name(node.func.value) in made_here:
                continue  # its own object (`proc = await create_subprocess_exec(...)`): no sibling shares it
            method, receiver = node.func.attr, ast.unparse(node.func.value)
            positional_only = not node.keywords
            if method == "wait" and not node.args and positional_only \
                    or method == "wait_for" and len(node.args) == 1 and positional_only:  # not asyncio.wait_for
                return f"'{function.name}' waits on '{receiver}.{method}()'"
            if method in TAKES and not node.args:
                takes.append((function, method, f"'{function.name}' takes from '{receiver}'"))
            elif method in GIVES and node.args:
                gives.append((function, method, f"'{function.name}' puts into '{receiver}'"))
    for taker, took, took_text in takes:
        for giver, gave, gave_text in gives:
            if taker is not giver or (took == "get" and gave.startswith("put")):
                return f"{took_text} and {gave_text}"
    return None


def _locals_made_here(function: ast.AST) -> set[str]:
    """Local names bound only to what a call made here returns (`proc = await
    create_subprocess_exec(...)`, `async with open_channel() as channel`): objects no sibling holds
    unless the function hands them out.  A name also bound otherwise (`event = self.ready`) is not."""
    made, other, seen = set(), set(), set()
    for node in walk(function):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            value = node.value.value if isinstance(node.value, ast.Await) else node.value
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    (made if isinstance(value, ast.Call) else other).add(target.id)
                    seen.add(id(target))
        elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
            made.add(node.optional_vars.id)
            seen.add(id(node.optional_vars))
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            other.update(node.names)
    other |= {n.id for n in walk(function)
              if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and id(n) not in seen}
    return made - other


def _root_name(expr: ast.AST) -> str | None:
    while isinstance(expr, (ast.Attribute, ast.Subscript)):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _coroutine_function(element: ast.AST, scope, resolver):
    """The `async def` that the call `element` runs, in this module or another, if it can be read."""
    if not isinstance(element, ast.Call):
        return None
    callee = resolver.coroutine_call(element, scope)
    if callee is not None and callee.node is None:
        callee, _ = defined_elsewhere(callee.name, resolver)
    node = getattr(callee, "node", None)
    return node if isinstance(node, ast.AsyncFunctionDef) else None


def _last_name(expr: ast.AST) -> str | None:
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else None


def _unbounded(fanout, ctx) -> bool:
    if fanout is None or not isinstance(unwrap(fanout.element, ctx.resolver, fanout.element_scope), ast.Call):
        return False  # the awaitables already exist (tasks or futures made elsewhere): not this fan-out
    if fanout.source == "loop" and direct_spawner(fanout.element, ctx.resolver, ctx.get_scope):
        return False  # tasks started in a loop: ASP202 reports the loop
    if fanout.iterable is not None and is_small(
            fanout.iterable, ctx.resolver, fanout.iterable_scope, ctx.settings.max_fanout):
        return False
    return not (fanout.bounded(ctx.facts) or fanout.works_on_items(ctx.resolver))


BOUNDED_HELPER = """\
{semaphore} = {semaphore_class}({size})
async def {bounded}(awaitable):
    async with {semaphore}:
        return await awaitable
"""


@RULE.fixes
def fix(finding, fx, options):
    """Wrap each awaitable in a local helper that holds an asyncio.Semaphore (unsafe: the same
    work and order of results, but awaitables that wait on each other can deadlock once bounded)."""
    from ..fixing import CannotFix, Fix, Finding

    cst = fx.cst
    if finding.fix.get("not_bounded_because"):
        raise CannotFix(finding.fix["not_bounded_because"])
    gather = fx.node_at(finding, cst.Call)
    function = fx.parent(gather)
    while function is not None and not isinstance(function, cst.FunctionDef):
        function = fx.parent(function)
    if function is None or function.asynchronous is None:
        raise CannotFix("not inside an async def")
    semaphore_class, imports = fx.asyncio_attr("Semaphore")
    existing = _existing_helper(function, cst)
    semaphore, bounded = existing or (fx.fresh_name("semaphore"), fx.fresh_name("bounded"))
    replacements = {}
    for line, col, end_line, end_col in finding.fix.get("map_calls", []):
        mapped = fx.node_at(Finding(finding.code, line, col, "", end_line, end_col), cst.Call)
        if len(mapped.args) != 2 or mapped.args[0].keyword or mapped.args[1].keyword:
            raise CannotFix("map() over several iterables")
        item = fx.fresh_name("item")
        function_text = fx.module.code_for_node(mapped.args[0].value)
        iterable_text = fx.module.code_for_node(mapped.args[1].value)
        replacements[mapped] = fx.expression(f"({bounded}({function_text}({item})) for {item} in {iterable_text})")
    for line, col, end_line, end_col in finding.fix.get("wrap", []):
        element = fx.node_at(Finding(finding.code, line, col, "", end_line, end_col), cst.Call)
        replacements[element] = lambda updated: cst.Call(func=cst.Name(bounded), args=[cst.Arg(updated)])
    if not replacements:
        raise CannotFix("no awaitable to wrap")
    helper = cst.parse_module(BOUNDED_HELPER.format(
        semaphore=semaphore, bounded=bounded, semaphore_class=semaphore_class, size=fx.settings.concurrency)).body
    # a blank line before the nested def, as pycodestyle wants (E306), with no indent of its own
    helper = [helper[0], helper[1].with_changes(leading_lines=[cst.EmptyLine(indent=False)])]

    def with_helper(updated):
        if isinstance(updated.body, cst.SimpleStatementSuite):  # `async def f(): await gather(...)`
            suite = updated.body
            line = cst.SimpleStatementLine(body=suite.body, trailing_whitespace=suite.trailing_whitespace)
            return updated.with_changes(body=cst.IndentedBlock(body=[*helper, line]))
        body = list(updated.body.body)
        first = 1 if body and _is_docstring(body[0], cst) else 0
        return updated.with_changes(body=updated.body.with_changes(body=body[:first] + list(helper) + body[first:]))

    if existing is None:
        replacements[function] = with_helper
    return Fix(replacements, safe=False, imports=imports if existing is None else [])


def _existing_helper(function, cst):
    """(semaphore, helper) names of a wrapper an earlier fix put in this function, to reuse."""
    for statement in function.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.asynchronous is not None \
                and statement.name.value.startswith("bounded") and len(statement.body.body) == 1:
            inner = statement.body.body[0]
            if isinstance(inner, cst.With) and inner.asynchronous is not None and len(inner.items) == 1 \
                    and isinstance(inner.items[0].item, cst.Name):
                return inner.items[0].item.value, statement.name.value
    return None


def _is_docstring(statement, cst) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Expr) \
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
