"""## What it does
Finds, within one `async def`, shared state that is copied into a local, then
an `await`, then the same state written back from an expression that uses the
local:
`available = self.stock`, later `await self.record(order)`, later
`self.stock = available - quantity`. The finding is on the write and names the
line of the read.

In detail:
- the read is an assignment (plain or annotated) to one local name whose
  right side reads the state: an attribute of `self` or `cls`, an attribute
  of an object bound at module level (`CONFIG.version`), an item of a
  module-level container or of a `self` attribute (`QUOTAS[user]`,
  `self.hits[key]`, matched by how it is written), or a name declared
  `global` or `nonlocal`;
- then, in the statements that follow it (in the same block, in blocks
  nested in those, and after the end of the block, as when the read is
  inside a `try` or an `if` and the rest comes after it), the task can be
  suspended: an `await` (also one in a branch or loop that may not run), an
  `async for`, or the entry of an `async with`. An `await` in the writing
  statement itself counts too (`self.stock = available - await reserved()`);
- then an assignment to the same state whose right side uses the local
  (`self.stock = available - quantity`), also as one element of a tuple
  assignment (`self.stock, self.sold = available - quantity, sold`).

It leaves alone:
- awaits made while a lock held at the read is still held: an `async with`
  or `with` on an object made from the lock, semaphore and condition classes
  of `asyncio`, `threading`, `anyio`, `trio` and `multiprocessing`, or on one
  whose name says it is a lock (`self._lock`, `mutex`). The lock has to cover
  the read and the await: an `async with lock:` entered after the read, or an
  await after the lock was released, is reported;
- state read again between the await and the write, including a write whose
  right side reads it afresh (`self.stock = self.stock - quantity`);
- a bare restore `self.x = snapshot`: writing back exactly the value saved
  earlier, typically in a `finally` that undoes a temporary change, is done on
  purpose;
- a write before any await, a write that does not use the local, and a write
  after the local has been assigned again;
- a local that holds the fresh result of a call the state was only handed to
  (`page = await self.poll(offset=self.offset)`, then
  `self.offset = page[-1].id + 1`; `attempt = dial(token=self.conn.token)`,
  then `self.conn = await wait_for(attempt, 60)`): it is no copy of the state.
  A copy or conversion still is one (`self.items.copy()`, `int(self.count)`,
  `sorted(self.items)`, `list(...)`, `dict(...)`).

## Why is this bad?
While a coroutine waits at an `await`, the event loop runs other tasks, and
they may change the state that was copied into the local. Writing the state
back from that copy then throws their changes away. This is the lost update of
[ASP501](ASP501.md) spread over several statements, and it is easier to miss
because the copy is usually taken for a reason: a check, a log line, a
computation.

In the example, two overlapping `reserve()` calls for one unit each, with 10
units in stock, both read 10, both pass the check, and both write 9: two units
are sold and one is deducted. With one unit left, both calls pass the check
and the item is sold twice. asyncio running everything on one thread does not
help: only the code between two awaits runs without interruption, and here the
read and the write are on opposite sides of one.

## Example
```python
import asyncio


class Inventory:
    def __init__(self, stock: int) -> None:
        self.stock = stock

    async def record_reservation(self, order_id: str, quantity: int) -> None:
        await asyncio.sleep(0.05)  # stands in for an INSERT into the orders table

    async def reserve(self, order_id: str, quantity: int) -> None:
        available = self.stock
        if quantity > available:
            raise ValueError(f"only {available} left")
        await self.record_reservation(order_id, quantity)
        self.stock = available - quantity
```

## Use instead
```python
import asyncio


class Inventory:
    def __init__(self, stock: int) -> None:
        self.stock = stock
        self._lock = asyncio.Lock()

    async def record_reservation(self, order_id: str, quantity: int) -> None:
        await asyncio.sleep(0.05)  # stands in for an INSERT into the orders table

    async def reserve(self, order_id: str, quantity: int) -> None:
        async with self._lock:
            available = self.stock
            if quantity > available:
                raise ValueError(f"only {available} left")
            await self.record_reservation(order_id, quantity)
            self.stock = available - quantity
```
The lock makes the check, the await and the write one step for other
`reserve()` calls, at the cost of running them one at a time. When nothing
decided from the old value has to hold until the write, a lock is not needed:
do the await first and update the state afterwards with no await in between
(`self.stock -= quantity`).

## Fix safety
Report only: there is no automatic fix, because whether to hold a lock across
the span or to read the state again after the await depends on whether what
the code decided from the old value must still be true when it writes.

## Options
None.

## References
- [Python docs: asyncio.Lock](https://docs.python.org/3/library/asyncio-sync.html#asyncio.Lock)
- [Python docs: coroutines and tasks](https://docs.python.org/3/library/asyncio-task.html)
- [ESLint: require-atomic-updates](https://eslint.org/docs/latest/rules/require-atomic-updates), the JavaScript counterpart
- Related rules: [ASP501](ASP501.md) for `shared += await ...` in one
  statement, [ASP503](ASP503.md) for lost updates between threads.
"""  # noqa: E501 - the links of the rule page
from __future__ import annotations

import ast

from ..analysis.vocabulary import last_name
from ..analysis.dependence import loaded_names
from ..analysis.scopes import FUNCTIONS
from ..analysis.state import is_lock, shared_target
from ..registry import rule

RULE = rule("ASP502", "stale-read-across-await",
            "shared state read into a local, an await, then written back from the local: a lost update",
            doc=__doc__)

NESTED = ("body", "orelse", "finalbody")
COMPOUND = (*NESTED, "handlers", "cases")


def blocks(statements: list[ast.stmt], locked: bool, after: list, resolver, scope):
    """Every statement list in a function, with whether a lock is held around it and what runs
    after it: (statement, still inside the lock held around this list) pairs, in order."""
    yield statements, locked, after
    for index, statement in enumerate(statements):
        if isinstance(statement, (*FUNCTIONS, ast.ClassDef)) or not any(
                getattr(statement, field, None) for field in COMPOUND):
            continue
        inner = locked or isinstance(statement, (ast.With, ast.AsyncWith)) and any(
            is_lock(item.context_expr, resolver, scope) for item in statement.items)
        rest = [(s, locked) for s in statements[index + 1:]] + after
        for field in NESTED:
            block = getattr(statement, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield from blocks(block, inner, rest, resolver, scope)
        for handler in getattr(statement, "handlers", ()):
            yield from blocks(handler.body, inner, rest, resolver, scope)
        for case in getattr(statement, "cases", ()):
            yield from blocks(case.body, inner, rest, resolver, scope)


def in_order(statements: list[ast.stmt]):
    """The statements and, after each compound one's header, its nested statements, in order."""
    for statement in statements:
        yield statement
        if isinstance(statement, (*FUNCTIONS, ast.ClassDef)):
            continue
        for field in ("body", "handlers", "orelse", "finalbody", "cases"):
            block = getattr(statement, field, None)
            if isinstance(block, list):
                for item in block:
                    yield from in_order(item.body if isinstance(item, (ast.ExceptHandler, ast.match_case))
                                        else [item])


def header(statement: ast.stmt) -> list[ast.AST]:
    """The expressions a statement evaluates itself (not its nested statements)."""
    return [c for c in ast.iter_child_nodes(statement)
            if not isinstance(c, (ast.stmt, ast.ExceptHandler, ast.match_case))]


def expressions(nodes: list[ast.AST]):
    todo = list(nodes)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Lambda):
            continue
        yield node
        todo.extend(ast.iter_child_nodes(node))


def state_key(node: ast.AST, scope) -> str | None:
    """The text that names a piece of shared state: `self.balance`, `self.hits[key]`, `QUOTAS[user]`."""
    if not isinstance(node, (ast.Attribute, ast.Name, ast.Subscript)) or shared_target(node, scope) is None:
        return None
    return ast.unparse(node)


def shared_reads(value: ast.AST, scope) -> set[str]:
    return {key for node in expressions([value]) if isinstance(getattr(node, "ctx", None), ast.Load)
            for key in [state_key(node, scope)] if key}


# calls whose result is the state itself, or a copy or conversion of it
COPYING_CALLS = frozenset({"int", "float", "str", "bytes", "list", "dict", "set", "tuple", "frozenset", "sorted",
                           "copy", "deepcopy", "Decimal", "Counter", "OrderedDict", "defaultdict", "deque"})


def copied_reads(value: ast.AST, scope) -> set[str]:
    """The state that `local = value` copies: read directly or through a copy or conversion
    (`self.items.copy()`, `int(self.n)`), not only handed as an argument to a call whose fresh
    result is kept (`dial(token=self.conn.token)`, `await self.poll(offset=self.offset)`)."""
    found: set[str] = set()
    todo = [value]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(getattr(node, "ctx", None), ast.Load):
            key = state_key(node, scope)
            if key:
                found.add(key)
        if isinstance(node, ast.Call) and last_name(node.func) not in COPYING_CALLS:
            todo.append(node.func)  # the receiver is read; the arguments are only handed on
            continue
        todo.extend(ast.iter_child_nodes(node))
    return found


def shared_reads_of(nodes, scope) -> set[str]:
    return {key for node in nodes if isinstance(getattr(node, "ctx", None), ast.Load)
            for key in [state_key(node, scope)] if key}


def writes(statement: ast.stmt, scope):
    """(state, value) pairs that `statement` writes: `s = v`, `a, b = x, y`."""
    if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or statement.value is None:
        return []
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    pairs = []
    for target in targets:
        if isinstance(target, (ast.Tuple, ast.List)) and isinstance(statement.value, (ast.Tuple, ast.List)) \
                and len(target.elts) == len(statement.value.elts):
            pairs.extend(zip(target.elts, statement.value.elts))
        else:
            pairs.append((target, statement.value))
    return [(key, value) for target, value in pairs for key in [state_key(target, scope)] if key]


def stale_write(local: str, state: str, after: list, scope):
    """The statement after the read that writes `state` from `local` once an await has passed.

    `after` holds (statement, still under the lock held at the read) pairs: an await while
    that lock is held lets no other task change the state."""
    awaited = False
    for outer, in_lock in after:
        for statement in in_order([outer]):
            own = list(expressions(header(statement)))
            if not in_lock and (isinstance(statement, (ast.AsyncFor, ast.AsyncWith))
                                or any(isinstance(n, ast.Await) for n in own)):
                awaited = True  # also `self.x = local + await f()`, which awaits before it writes
            written = [value for key, value in writes(statement, scope) if key == state]
            if written:
                value = written[0]
                # `state = local` restores a snapshot on purpose; `state = local + 1` is the lost update
                stale = awaited and local in loaded_names([value]) and not isinstance(value, ast.Name) \
                    and state not in shared_reads(value, scope)
                return statement if stale else None
            if awaited and state in shared_reads_of(own, scope):
                return None  # read again after the await: fresh
            if local in {n.id for n in own if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}:
                return None  # the local is rebound
    return None


def written_parts(function: ast.AsyncFunctionDef) -> set[str]:
    """The last names of what the function's own assignments write that could be shared state
    (`total` of `self.total = ...`, `hits` of `self.hits[k] = ...`, a global `count`): a cheap
    look before anything is resolved."""
    parts: set[str] = set()
    names: set[str] = set()  # shared only when declared global/nonlocal
    declared: set[str] = set()
    for statement in in_order(function.body):
        if isinstance(statement, (ast.Global, ast.Nonlocal)):
            declared.update(statement.names)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                for element in target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]:
                    while isinstance(element, ast.Subscript):
                        element = element.value
                    if isinstance(element, ast.Attribute):
                        parts.add(element.attr)
                    elif isinstance(element, ast.Name) and element is not target:
                        parts.add(element.id)  # `COUNTS[k] = ...`: maybe a module-level container
                    elif isinstance(element, ast.Name):
                        names.add(element.id)
    return parts | (names & declared)


def might_read(node: ast.AST, parts: set[str]) -> bool:
    return last_name(node) in parts


@RULE.on(ast.AsyncFunctionDef)
def check(node, ctx):
    parts = written_parts(node)
    if not parts:
        return
    scope = ctx.facts.child_scope(node, ctx.scope)
    for statements, locked, after in blocks(node.body, False, [], ctx.resolver, scope):
        for index, statement in enumerate(statements):
            target = statement.targets[0] if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                else statement.target if isinstance(statement, ast.AnnAssign) and statement.value is not None else None
            if not isinstance(target, ast.Name):
                continue
            local = target.id
            if not any(might_read(n, parts) for n in expressions([statement.value])):
                continue
            for state in sorted(copied_reads(statement.value, scope)):
                following = [(s, locked) for s in statements[index + 1:]] + after
                write = stale_write(local, state, following, scope)
                if write is not None:
                    yield RULE.at(write, f"{state} is read into '{local}' on line {statement.lineno}, then an "
                                  f"await lets other tasks change it, then it is written back from '{local}': "
                                  "their updates are lost; re-read after the await or hold a lock",
                                  state=state, local=local, read_line=statement.lineno)
                    break
