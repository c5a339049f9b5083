"""## What it does
Finds two or more statements in a row, in an `async def`, that each await one
call and bind its result (`account = await fetch_account(user_id)`, also with
a tuple target or an annotation), where no call uses a result bound by an
earlier one. This rule is opt-in: enable it with `--extend-select ASP204`
(flake8 or the `async-patterns` command) or with `extend-select = ["ASP204"]`
under `[tool.async-patterns]` in `pyproject.toml`.

A statement joins a run when it assigns, to names or a tuple of them, the
`await` of a call of a coroutine function defined in the same module (a function, a nested
function, or a method of a class of the module reached through `self`, `cls`
or the class), with no `await` among the call's arguments, and when the call
does not keep its order on purpose by the tests of [ASP203](ASP203.md): a
word of the callee's name such as `sleep`, `lock`, `read`, `write`, `send`,
`commit`, `save`, `set`, `login` or `init` (whole words of the name split at
underscores and camelCase; `read`, `write`, `recv` and `send` also as the
start of a word, as in `readline`), a connection, session, cursor or stream
passed as a bare name (`await debit(conn, account, amount)`), a callee
that awaits such ordered methods on a channel passed in, a method whose body
awaits an operation on one connection of its object (`self._conn.fetchval`),
or a callee that cannot overlap with anything (no `await`, `async for` or
`async with` in its body, or abstract). Any other statement, a bare
`await f()` included, ends the run.

A statement that could join ends the run before it, and starts a new one,
when:
- its call reads a name bound earlier in the run
  (`order = await fetch_order(order_id)` then
  `customer = await fetch_customer(order["customer_id"])`, also inside a
  lambda), or it binds again a name bound earlier in the run;
- it calls a method on the same local name as an earlier call
  (`await client.fetch_user(uid)` then `await client.fetch_orders(uid)`;
  `self` and `cls` do not count): that object is likely a connection or
  session that serves one request at a time;
- it repeats an earlier call of the run exactly
  (`head = await self._fetch_chunk()` then `tail = await self._fetch_chunk()`):
  the same call made twice reads a stateful source in turn.

The finding is on the first statement of each run. Every block of the
function is examined: `if`/`else`, loops, `with`, `try`/`except`/`finally`
and `match` cases; nested functions and classes are left to their own check.

## Why is this bad?
Awaits written one after another run one after another: two independent
lookups of 50 ms and 80 ms take 130 ms, where running them together takes
80 ms. In a request handler that fans out to several services, that
difference is paid on every request.

The rule is opt-in because independence in the code does not prove
independence in the world. The second call may need a side effect of the
first (a login, a cache filled, a row written), both may go through a shared
client that takes one request at a time, or the first may be a cheap check
whose failure should stop the second from being sent at all. Running them
with `asyncio.gather()` also changes what happens on failure: the first error
is raised, but the other call is not cancelled and goes on running. Turn the
rule on where handlers are known to call independent services, and mark the
deliberate sequences with `# noqa: ASP204`.

## Example
```python
import asyncio


async def fetch_account(user_id: int) -> dict:
    await asyncio.sleep(0.05)  # stands in for a call to the accounts service
    return {"id": user_id}


async def fetch_orders(user_id: int) -> list[dict]:
    await asyncio.sleep(0.08)  # stands in for a call to the orders service
    return []


async def dashboard(user_id: int) -> dict:
    account = await fetch_account(user_id)
    orders = await fetch_orders(user_id)
    return {"account": account, "orders": orders}
```

## Use instead
```python
import asyncio


async def fetch_account(user_id: int) -> dict:
    await asyncio.sleep(0.05)  # stands in for a call to the accounts service
    return {"id": user_id}


async def fetch_orders(user_id: int) -> list[dict]:
    await asyncio.sleep(0.08)  # stands in for a call to the orders service
    return []


async def dashboard(user_id: int) -> dict:
    account, orders = await asyncio.gather(fetch_account(user_id), fetch_orders(user_id))
    return {"account": account, "orders": orders}
```
On Python 3.11 and later, an `asyncio.TaskGroup` with one task per call also
cancels the other call when one fails.

## Fix safety
The fix joins the run into one gather:
```python
user = await fetch_user(uid)
orders = await fetch_orders(uid)  # the last one
```
becomes
```python
user, orders = await asyncio.gather(fetch_user(uid), fetch_orders(uid))  # the last one
```
It is unsafe, applied only with `--unsafe-fixes` (and only when ASP204 is
selected): the second call starts before the first has finished, it is sent
even when the first fails, and the error raised is the first one to happen
rather than the first one in the source. Left unchanged and reported with the
reason: a run with a statement other than a plain `name = await call()`, and
comments between the awaits, which would be lost.

## Options
- `async-patterns-non-coroutine-decorators`: decorators after which an
  `async def` no longer returns a coroutine; awaits of such functions do not
  join a run.

## References
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
- [Python docs: task groups](https://docs.python.org/3/library/asyncio-task.html#task-groups)
- Related rules: [ASP203](ASP203.md) for the same pattern inside a loop,
  [ASP403](ASP403.md) for an `await` written inside the `gather()` call.
"""
from __future__ import annotations

import ast

from ..analysis.dependence import loaded_names, ordered_call, own_nodes, stored_names
from ..analysis.scopes import FUNCTIONS
from ..registry import FixSafety, rule

RULE = rule("ASP204", "sequential-independent-awaits",
            "consecutive awaits whose calls do not use each other's results: they could run together",
            doc=__doc__, default=False, fix=FixSafety.UNSAFE)

BLOCKS = ("body", "orelse", "finalbody")


def awaited_fetch(statement: ast.stmt, resolver, scope):
    """(names it binds, call) for `name = await local_coroutine(...)`."""
    if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or not isinstance(statement.value, ast.Await):
        return None
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    if not all(isinstance(t, (ast.Name, ast.Tuple)) for t in targets):
        return None
    call = statement.value.value
    callee = resolver.coroutine_call(call, scope)
    if callee is None or callee.node is None or ordered_call(call, callee):
        return None
    if any(isinstance(n, ast.Await) for n in own_nodes([*call.args, *[k.value for k in call.keywords]])):
        return None
    return stored_names(targets), call


def _receiver(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id not in ("self", "cls"):
        return func.value.id
    return None


def runs(statements: list[ast.stmt], resolver, scope):
    """Maximal runs of two or more independent awaited fetches."""
    current: list = []
    for statement in [*statements, None]:
        fetch = awaited_fetch(statement, resolver, scope) if statement is not None else None
        if fetch is not None and current:
            bound = set().union(*(names for _, names, _ in current))
            receivers = {_receiver(call) for _, _, call in current} - {None}
            uses = loaded_names([fetch[1]])
            repeated = ast.dump(fetch[1]) in {ast.dump(call) for _, _, call in current}
            # a repeated call (`await self._readline()` twice) reads a stateful source in turn
            if uses & bound or (_receiver(fetch[1]) in receivers) or fetch[0] & bound or repeated:
                if len(current) > 1:
                    yield current
                current = []
        if fetch is None:
            if len(current) > 1:
                yield current
            current = []
            continue
        current.append((statement, *fetch))


@RULE.on(ast.AsyncFunctionDef)
def check(node, ctx):
    scope = ctx.facts.child_scope(node, ctx.scope)  # names in the body are the function's own
    todo = [node.body]
    while todo:
        statements = todo.pop()
        for run in runs(statements, ctx.resolver, scope):
            first = run[0][0]
            yield RULE.at(first, f"{len(run)} awaits in a row (lines {first.lineno}-{run[-1][0].lineno}) do not "
                          "use each other's results; run them together with asyncio.gather()",
                          lines=[s.lineno for s, _, _ in run])
        for statement in statements:
            if isinstance(statement, (*FUNCTIONS, ast.ClassDef)):
                continue
            for field in BLOCKS:
                block = getattr(statement, field, None)
                if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                    todo.append(block)
            for handler in getattr(statement, "handlers", ()):
                todo.append(handler.body)
            for case in getattr(statement, "cases", ()):
                todo.append(case.body)


@RULE.fixes
def fix(finding, fx, options):
    """`a = await f()` / `b = await g()` -> `a, b = await asyncio.gather(f(), g())` (unsafe: the
    calls now run concurrently, and side effects can interleave)."""
    from ..fixing import CannotFix, Fix

    cst = fx.cst
    first = fx.node_at(finding, cst.SimpleStatementLine, end=False)
    block = fx.parent(first)
    body = list(block.body)
    start = next(i for i, statement in enumerate(body) if statement is first)
    run = body[start:start + len(finding.fix.get("lines", []))]
    targets, calls = [], []
    for index, statement in enumerate(run):
        small = statement.body[0] if len(statement.body) == 1 else None
        if not isinstance(small, cst.Assign) or len(small.targets) != 1 or not isinstance(small.value, cst.Await):
            raise CannotFix("only plain `name = await call()` statements can be merged")
        if index and statement.leading_lines or index < len(run) - 1 and statement.trailing_whitespace.comment:
            raise CannotFix("comments between the awaits would be lost")
        target = small.targets[0].target
        text = fx.module.code_for_node(target)
        targets.append(f"({text})" if isinstance(target, cst.Tuple) else text)
        calls.append(fx.module.code_for_node(small.value.expression))
    gather_name, imports = fx.asyncio_attr("gather")
    merged = cst.parse_statement(f"{', '.join(targets)} = await {gather_name}({', '.join(calls)})\n")
    merged = merged.with_changes(leading_lines=first.leading_lines,
                                 trailing_whitespace=run[-1].trailing_whitespace)
    replacements = {first: merged}
    for statement in run[1:]:
        replacements[statement] = cst.RemovalSentinel.REMOVE
    return Fix(replacements, safe=False, imports=imports)
