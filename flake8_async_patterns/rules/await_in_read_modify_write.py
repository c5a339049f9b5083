"""## What it does
Finds an augmented assignment to shared state whose right side awaits,
inside an `async def`: `self.total += await self.fetch()`,
`self.hits[key] += await count_hits(key)`, `TOTALS[day] -= await refunds(day)`,
or `counter += await step()` where `counter` is declared `global` or
`nonlocal`. Every augmented operator counts (`+=`, `-=`, `|=`, ...), and so
does an `await` anywhere in the right side (`self.total += 1 + await f()`).
The same update spelled out, `self.total = self.total + await f()`, is
reported too.

Shared state means:
- an attribute of `self` or `cls` (the first parameter of a method, also when
  used from a function nested in that method);
- an attribute of an object bound at module level (`STATS.hits`);
- an item of a module-level container or of a `self` attribute
  (`CACHE[key]`, `self.hits[key]`);
- a name the function declares `global` or `nonlocal`.

It leaves alone:
- locals and parameters other than `self`/`cls`, and their attributes
  (`x += await f()`, or `job.retries += await f()` where `job` is a
  parameter);
- a statement inside `async with` or `with` on a lock: an object made from
  `asyncio.Lock`, `Semaphore`, `BoundedSemaphore` or `Condition`, from the
  locks, semaphores and conditions of `threading`, `anyio`, `trio` and
  `multiprocessing` (and anyio's and trio's `CapacityLimiter`), or one whose
  name says it is a lock (`lock`, `self._lock`, `db_mutex`, `guard`). A
  lock created in the statement itself (`async with asyncio.Lock():`) guards
  nothing and does not count. A semaphore counts as a lock whatever its size,
  even though one with more than one slot lets several updates interleave.
  When the code shows what the object is (`state_lock =
  contextlib.nullcontext()`), its class decides, not its name;
- other plain assignments, such as `self.state = await step(self.state)`.

A lock taken with `await lock.acquire()` and released in a `finally` is not
recognised: a statement between the two is still reported. Write the span as
`async with lock:` instead.

## Why is this bad?
Python evaluates an augmented assignment in a fixed order: it first reads the
current value of the target, then evaluates the right side, then combines the
two and stores the result. In `self.total += await self.fetch()` the value of
`self.total` is read before the `await`, and the task is suspended at the
`await` holding that old value. While it waits, the event loop runs other
tasks, and any of them may update `self.total`. When the first task resumes,
it adds its result to the value it read earlier and stores the sum, wiping out
what the others wrote in the meantime.

asyncio runs all tasks on one thread, so it is tempting to think such code
needs no lock. But every `await` is a point where the running task can be
switched out: the code between two awaits runs without interruption, code that
spans an await does not. The example below starts 50 `add()` calls at once and
ends with a total of 1, not 50: every task reads `0` before any of them
resumes. The project's tests run both programs on this page and check these
totals.

Nothing raises: the program just produces wrong counts, balances or sizes,
and only when calls overlap, so tests that await one call at a time pass.
JavaScript has the same trap with `this.total += await fetch()`.

## Example
```python
import asyncio

CALLS = 50


class Counter:
    def __init__(self) -> None:
        self.total = 0

    async def fetch(self) -> int:
        await asyncio.sleep(0)  # stands in for a database or network call
        return 1

    async def add(self) -> None:
        self.total += await self.fetch()


async def main() -> int:
    counter = Counter()
    await asyncio.gather(*(counter.add() for _ in range(CALLS)))
    return counter.total


if __name__ == "__main__":
    print(asyncio.run(main()))  # prints 1, not 50
```

## Use instead
```python
import asyncio

CALLS = 50


class Counter:
    def __init__(self) -> None:
        self.total = 0

    async def fetch(self) -> int:
        await asyncio.sleep(0)  # stands in for a database or network call
        return 1

    async def add(self) -> None:
        value = await self.fetch()
        self.total += value


async def main() -> int:
    counter = Counter()
    await asyncio.gather(*(counter.add() for _ in range(CALLS)))
    return counter.total


if __name__ == "__main__":
    print(asyncio.run(main()))  # prints 50
```
Now `self.total` is read and written with no `await` in between, so no other
task can run between the two. When the update must stay consistent with
something read before the await, hold an `asyncio.Lock` across the whole span
instead.

## Fix safety
The fix moves the awaited operand into a fresh local just before the
statement:
```python
self.total += await fetch()  # the lost update
```
becomes
```python
value = await fetch()
self.total += value  # the lost update
```
and the spelled-out `self.total = self.total + await fetch()` keeps its shape
around the local. It is safe and applied by default: the same coroutine is
awaited once and the same amount is added; what changes is that the target is
read after the await instead of before it, which is what the code meant. One
rare difference remains: an error from reading the target (a `KeyError` for a
missing key) now comes after the awaited work has run instead of before. Left
unchanged and reported with the reason: a target that itself calls or awaits
something (`self.by_key[await fetch(key)] += ...`), whose order would
change.

## Options
None.

## References
- [Python reference: augmented assignment statements](https://docs.python.org/3/reference/simple_stmts.html#augmented-assignment-statements)
- [Python docs: asyncio synchronization primitives](https://docs.python.org/3/library/asyncio-sync.html)
- [ESLint: require-atomic-updates](https://eslint.org/docs/latest/rules/require-atomic-updates), the JavaScript counterpart
- Related rules: [ASP502](ASP502.md) for the same lost update spread over
  several statements, [ASP503](ASP503.md) for lost updates between threads.
"""  # noqa: E501 - the links of the rule page
from __future__ import annotations

import ast

from ..analysis.dependence import own_nodes
from ..analysis.state import held_lock, shared_target
from ..registry import FixSafety, rule

RULE = rule("ASP501", "await-in-read-modify-write",
            "`shared += await ...`: the old value is read before the await, so concurrent runs lose updates",
            doc=__doc__, fix=FixSafety.SAFE)

OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
             ast.Pow: "**", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^", ast.LShift: "<<",
             ast.RShift: ">>", ast.MatMult: "@"}


@RULE.on(ast.AugAssign, ast.Assign)
def check(node, ctx):
    if not ctx.in_async_function or not any(isinstance(n, ast.Await) for n in own_nodes([node.value])):
        return
    if isinstance(node, ast.Assign):
        # `self.total = self.total + await f()`: the same read-modify-write, spelled out
        value = node.value
        if len(node.targets) != 1 or not isinstance(value, ast.BinOp) \
                or ast.unparse(node.targets[0]) not in (ast.unparse(value.left), ast.unparse(value.right)):
            return
        node_target = node.targets[0]
    else:
        node_target = node.target
    target = shared_target(node_target, ctx.scope)
    if target is None or held_lock(ctx.path, ctx.resolver, ctx.scope) is not None:
        return
    op = OPERATORS.get(type(node.op), "?") if isinstance(node, ast.AugAssign) else ""
    shown = f"{target} {op}= await ..." if op else f"{target} = ... {target} ... await ..."
    yield RULE.at(node, f"'{shown}' reads {target} before the await and writes it after, "
                  "so concurrent runs lose updates; await into a local first, then update",
                  target=ast.unparse(node_target), op=op, value=ast.unparse(node.value),
                  spelled_out=isinstance(node, ast.Assign))


# -- the fix ----------------------------------------------------------------------------


@RULE.fixes
def fix(finding, fx, options):
    """Hoist the awaited value into a fresh local first (safe: the update then reads and writes the
    shared state with no await between): `value = await fetch()` then `self.total += value`;
    the spelled-out `self.total = self.total + await f()` keeps its shape around the local."""
    from ..fixing import CannotFix, Fix

    cst = fx.cst
    statement = fx.node_at(finding, cst.AugAssign, cst.Assign)
    if isinstance(statement, cst.AugAssign):
        target, awaited = statement.target, statement.value
    else:
        value = statement.value
        if len(statement.targets) != 1 or not isinstance(value, cst.BinaryOperation):
            raise CannotFix("not a single `x = x <op> ...` assignment")
        target = statement.targets[0].target
        shown = fx.module.code_for_node(target).strip()
        if _bare(fx, value.left) == shown:
            awaited = value.right
        elif _bare(fx, value.right) == shown:
            awaited = value.left
        else:
            raise CannotFix("neither operand is the assigned target")
    if _has(cst, target, (cst.Call, cst.Await, cst.NamedExpr, cst.Yield)):
        raise CannotFix("the target itself calls or awaits something, whose order would change")
    if not _has(cst, awaited, (cst.Await,)):
        raise CannotFix("the await is not in the operand that is added to the target")
    name = fx.fresh_local_name(statement, "value")
    bare = _without_parens(awaited)
    if "\n" in fx.module.code_for_node(bare):
        bare = awaited  # its line breaks may need the parentheses
    hoisted = cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=bare)
    update = statement.deep_replace(awaited, cst.Name(name))
    return Fix(_spread(fx, statement, [hoisted, update]), safe=True)


def _bare(fx, node) -> str:
    return fx.module.code_for_node(_without_parens(node)).strip()


def _without_parens(node):
    if getattr(node, "lpar", None):
        return node.with_changes(lpar=[], rpar=[])
    return node


def _has(cst, node, types) -> bool:
    """`node` or a node under it (not inside a nested lambda or comprehension scope) is of `types`."""
    found = []

    class Finder(cst.CSTVisitor):
        def on_visit(self, child):
            if isinstance(child, types):
                found.append(child)
            return not found and not isinstance(child, cst.Lambda)

    node.visit(Finder())
    return bool(found)


def _spread(fx, small, new: list) -> dict:
    """Replace the small statement `small` by the small statements `new`: one line each when it
    has its line to itself (comments above go first, the trailing comment stays with the last,
    the update), else `;`-separated in place."""
    cst = fx.cst
    line = fx.parent(small)
    if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
        first = cst.SimpleStatementLine(body=[new[0]], leading_lines=line.leading_lines)
        last = line.with_changes(body=[new[-1]], leading_lines=[])
        middle = [cst.SimpleStatementLine(body=[s]) for s in new[1:-1]]
        return {line: cst.FlattenSentinel([first, *middle, last])}
    return {small: cst.FlattenSentinel([s.with_changes(semicolon=cst.MaybeSentinel.DEFAULT) for s in new])}
