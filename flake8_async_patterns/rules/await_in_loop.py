"""## What it does
Finds a `for` loop in an `async def` that awaits work for each item, one item
after another, although the passes do not depend on each other, so they could
run concurrently. This rule is opt-in: enable it with
`--extend-select ASP203` (flake8 or the `async-patterns` command) or with
`extend-select = ["ASP203"]` under `[tool.async-patterns]` in
`pyproject.toml`.

It reports the loop, at its first `await`, only when all of these hold:
- it is a plain `for` loop (not `async for`) without an `else` clause, and its
  body holds no nested `for` or `while` loop, `try`, `async with` or
  `async for`, and no sync `with` around an await (`with self.subTest(...)`,
  `with mock.patch.dict(os.environ, ...)`: every pass would share what it
  sets up), unless that `with` only catches exceptions (`pytest.raises`,
  `assertRaises`, `contextlib.suppress`);
- every `await` in the body awaits a call of a coroutine function defined in
  the same module (a function, a nested function, or a method of a class of
  the module reached through `self`, `cls` or the class), and the arguments of each of those calls read
  the loop variable (or a name unpacked from it). Awaits of library coroutines
  such as `asyncio.sleep()` keep a loop out of the rule (a name listed in
  `async-patterns-coroutine-functions` is not enough either: the rule needs
  the definition), and so does a call whose arguments do not read the loop
  variable: the same call on every pass is polling, not work per item;
- no value flows from one pass to the next: no augmented assignment
  (`total += await price(item)`), no name that the body reads before it
  assigns it (the loop variables aside; an assignment stores after its value
  is computed, so `data = await transform(data, step)` carries `data`), no attribute that the body both
  assigns and reads (`self.offset = await upload(chunk, self.offset)`), and no
  container that the body both fills (`.append()`, `.add()`, `.update()`,
  `x[key] = ...` and the like) and reads elsewhere
  (`history.append(await reply(message, history))`);
- the body neither leaves the loop nor checks what it awaited: no `break`,
  `return`, `raise`, `yield` or `assert`, no `if` or conditional
  expression whose test awaits or reads a name assigned from an await
  (`up = await check(host)` then `if up:`), and no `match` on such a name.
  A `continue` alone does not count: skipping an item changes no other pass;
- no awaited call keeps its order on purpose. A call does when:
  - a word of the callee's name is one that names an ordered operation. The
    name is split into words at underscores and camelCase humps
    (`fetchUserPage_v2` gives `fetch`, `user`, `page`, `v`, `2`), and the
    words are `sleep`, `wait`, `retry`, `retries`, `backoff`; `acquire`,
    `lock`, `unlock`; `page`, `pages`, `paginate`, `cursor`, `next`; `send`,
    `recv`, `receive`, `read`, `write`, `drain`, `flush`, `put`, `queue`,
    `enqueue`, `dequeue`, `emit`, `notify`, `publish`; `commit`, `rollback`,
    `execute`, `exec`, `create`, `insert`, `update`, `upsert`, `delete`,
    `remove`, `save`, `store`, `set`, `patch`, `migrate`, `reset`, `clear`;
    `connect`, `disconnect`, `open`, `close`, `start`, `stop`, `login`,
    `logout`, `init`, `setup`. A word that starts with `read`, `write`,
    `recv` or `send` counts too (`readline`, `writelines`, `sendall`). Only
    whole words match: `get_posts()` and `load_settings()` do not;
  - an argument is a bare name for a shared channel, which serves one
    operation at a time: `conn`, `connection`, `cursor`, `cur`, `tx`, `txn`,
    `transaction`, `session`, `db`, `database`, `writer`, `reader`, `stream`,
    `ws`, `websocket`, `socket`, `sock`, `channel` or `chan`, in any case,
    with leading underscores or trailing digits allowed; the loop variable is
    exempt, being a different object on each pass;
  - the callee itself awaits a method with such an ordered name on one of its
    parameters (`emit(writer, line)` whose body awaits `writer.drain()`);
  - the callee is a method called on the same object each pass whose body
    awaits an operation on one connection of that object
    (`await self.save_row(row)` whose body awaits `self._conn.execute(...)`,
    with an attribute named as the channels above);
  - the callee sets an attribute of an argument that every pass gives the
    same object (`await check_case(app, case)` whose body does
    `app.mode = ...`): each pass reconfigures the state the next one runs
    against;
  - the callee cannot overlap with anything: its body has no `await`,
    `async for` or `async with`, or it is abstract (`@abstractmethod`, or a
    body of only `...`, `pass` or `raise NotImplementedError`), so what
    really runs is not known;
- the loop does not run things registered in order, whose order is the
  point: an iterable named with a word such as `hooks`, `handlers`,
  `callbacks`, `middlewares`, `migrations`, `operations`, `steps`, `plugins`,
  `listeners`, `stages`, `processors`, `filters`, `interceptors`,
  `subscribers` or `observers` (`for hook in self._startup_hooks:`, also
  through `reversed()`, `list()`, `sorted()`, `enumerate()` and `.items()`,
  `.values()`, `.keys()`);
- no container reached through attributes is filled in the body and read
  there too (`if user in self.state.seen: continue` and
  `self.state.seen.add(user)`);
- no statement after the loop compares a list that the function records
  into (`.append()`, `.extend()`, also from a nested callback) with two or
  more values written out in order (`assert calls == ["a", "b"]`,
  `self.assertEqual(seen, [...])`): the order of the passes is what is
  checked.

## Why is this bad?
Each pass waits until its call has finished before the next one starts. A loop
over 200 profile lookups of 50 ms each spends ten seconds, nearly all of it
waiting on the network; with ten running at a time, the same lookups take
about one second.

The rule is opt-in because a linter sees how values flow inside the loop, but
not what the calls do outside it, and many loops are sequential on purpose.
Running the passes concurrently is wrong when the calls share a connection or
session that handles one request at a time, when a later call relies on what
an earlier one changed on the server, when the remote API has a rate limit
that the one-at-a-time loop respects, or when a failure must stop the
remaining items: in the loop, an exception ends it at the failing item, while
in a `gather()` the other items have already started and keep running. Turn
the rule on to review a code base, or in projects where such loops are known
to be independent, and mark the deliberate ones with `# noqa: ASP203`.

## Example
```python
import asyncio


async def fetch_profile(user_id: int) -> dict:
    await asyncio.sleep(0.05)  # stands in for a call to the profile service
    return {"id": user_id}


async def load_profiles(user_ids: list[int]) -> dict[int, dict]:
    profiles = {}
    for user_id in user_ids:
        profiles[user_id] = await fetch_profile(user_id)
    return profiles
```

## Use instead
```python
import asyncio


async def fetch_profile(user_id: int) -> dict:
    await asyncio.sleep(0.05)  # stands in for a call to the profile service
    return {"id": user_id}


async def load_profiles(user_ids: list[int]) -> dict[int, dict]:
    limit = asyncio.Semaphore(10)

    async def fetch_one(user_id: int) -> dict:
        async with limit:
            return await fetch_profile(user_id)

    found = await asyncio.gather(*(fetch_one(user_id) for user_id in user_ids))
    return dict(zip(user_ids, found))
```
The semaphore keeps the lookups at ten at a time, as the unbounded-gather
rule ([ASP201](ASP201.md)) asks, and `gather()` returns the results in the
order of `user_ids`.

## Fix safety
The fix moves the loop's body into a local coroutine and gathers one call per
item (a `continue` in the body becomes `return`):
```python
for user_id in user_ids:
    profile = await fetch_profile(user_id)  # the slow part
    profiles.append(profile)
```
becomes
```python
async def one_item(user_id):
    profile = await fetch_profile(user_id)  # the slow part
    profiles.append(profile)
await asyncio.gather(*(one_item(user_id) for user_id in user_ids))
```
When the items are not provably few, the [ASP201](ASP201.md) fix then bounds
the gather with a semaphore in a later pass. The fix is unsafe, applied only
with `--unsafe-fixes` (and, like the rule, only when ASP203 is selected): the
passes overlap, their side effects happen in the order they finish (above,
`profiles` is no longer in the order of `user_ids`), and when one fails the
others have already started instead of never running. Left unchanged and
reported with the reason: a loop target that is not a single name
(`for key, value in pairs:`), and a body that sets a name read after the loop.

## Options
- `async-patterns-concurrency`: the semaphore size written when the gather is
  bounded.
- `async-patterns-max-fanout`: up to this many items, a literal or `range()`
  loop counts as small and the gather is left unbounded.
- `async-patterns-non-coroutine-decorators`: decorators after which an
  `async def` no longer returns a coroutine; awaits of such functions are not
  treated as per-item coroutine calls.

## References
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
- [Python docs: asyncio.Semaphore](https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore)
- [ESLint: no-await-in-loop](https://eslint.org/docs/latest/rules/no-await-in-loop), the JavaScript rule
  this one mirrors
- Related rules: [ASP204](ASP204.md) for independent awaits written one after
  another, [ASP201](ASP201.md) for gathers without a bound.
"""
from __future__ import annotations

import ast
import textwrap

from ..analysis.dependence import (carries_value, control_depends, in_order, loaded_names, ordered_call, own_nodes,
                                   stored_names, words)
from ..analysis.vocabulary import last_name
from ..analysis.fanout import unparse
from ..registry import FixSafety, rule

RULE = rule("ASP203", "await-in-loop",
            "a loop awaits independent work one item at a time: it could run concurrently",
            doc=__doc__, default=False, fix=FixSafety.UNSAFE)


def independent_awaits(loop: ast.For, ctx) -> list[ast.Await] | None:
    """The awaits of `loop` when each pass awaits a local coroutine on its own item and
    nothing flows between passes; None otherwise."""
    body = loop.body
    nodes = list(own_nodes(body))
    if any(isinstance(n, (ast.AsyncWith, ast.AsyncFor, ast.For, ast.While, ast.Try)) for n in nodes):
        return None
    if any(isinstance(n, ast.With) and not all(map(only_catches, n.items))
           and any(isinstance(m, ast.Await) for m in own_nodes(n.body)) for n in nodes):
        return None  # a sync `with` per pass around the await (a patch, a subtest): passes would share it
    awaits = in_order(n for n in nodes if isinstance(n, ast.Await))
    if not awaits:
        return None
    targets = stored_names([loop.target])
    for awaited in awaits:
        callee = ctx.resolver.coroutine_call(awaited.value, ctx.get_scope)
        if callee is None or callee.node is None or ordered_call(awaited.value, callee, frozenset(targets)):
            return None
        if not loaded_names(awaited.value.args + [k.value for k in awaited.value.keywords]) & targets:
            return None  # the same call every pass: polling or repeating, not per-item work
    if carries_value(body, targets) or control_depends(body):
        return None
    return awaits


EXCEPTION_CATCHERS = frozenset({"raises", "assertRaises", "assertRaisesRegex", "suppress"})


def only_catches(item: ast.withitem) -> bool:
    """`with pytest.raises(E):`, `self.assertRaises(E)`, `contextlib.suppress(E)`: a context that
    only catches what its own block raises, nothing the other passes see."""
    expr = item.context_expr
    return isinstance(expr, ast.Call) and last_name(expr.func) in EXCEPTION_CATCHERS


# what a loop over things registered in order runs in that order on purpose
REGISTERED_IN_ORDER = frozenset("""
    hook hooks handler handlers callback callbacks middleware middlewares migration migrations operation
    operations ops step steps plugin plugins listener listeners stage stages processor processors filter
    filters interceptor interceptors subscriber subscribers observer observers
""".split())


def runs_registered_in_order(iterable: ast.AST) -> bool:
    """`for hook in self._startup_hooks:`, `for m in reversed(self.middlewares):`,
    `for name, handler in self.handlers.items():`."""
    while isinstance(iterable, ast.Call):
        if iterable.args and last_name(iterable.func) in ("reversed", "list", "sorted", "tuple", "enumerate"):
            iterable = iterable.args[0]
        elif not iterable.args and isinstance(iterable.func, ast.Attribute) \
                and iterable.func.attr in ("values", "items", "keys", "copy"):
            iterable = iterable.func.value
        else:
            break
    name = last_name(iterable.func if isinstance(iterable, ast.Call) else iterable)
    return name is not None and bool(set(words(name)) & REGISTERED_IN_ORDER)


RECORDING = frozenset({"append", "extend", "insert", "appendleft"})
ORDER_ASSERTIONS = frozenset({"assertEqual", "assertListEqual", "assertSequenceEqual", "assertTupleEqual"})


def order_asserted_after(loop: ast.For, ctx) -> bool:
    """A statement after the loop asserts that a list the function records into equals a list
    written out in order (`assert calls == ["a", "b"]`, `self.assertEqual(seen, [...])`): the
    order of the passes' side effects is what the code checks."""
    parent, function = ctx.parent, ctx.function
    block = next((b for b in (getattr(parent, f, None) for f in ("body", "orelse", "finalbody"))
                  if isinstance(b, list) and any(s is loop for s in b)), None)
    if block is None or function is None:
        return False
    recorders = {n.func.value.id for n in ast.walk(function)
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in RECORDING
                 and isinstance(n.func.value, ast.Name)}
    for statement in block[next(i for i, s in enumerate(block) if s is loop) + 1:]:
        for node in own_nodes([statement]):
            sides = []
            if isinstance(node, ast.Compare) and any(isinstance(o, ast.Eq) for o in node.ops):
                sides = [node.left, *node.comparators]
            elif isinstance(node, ast.Call) and last_name(node.func) in ORDER_ASSERTIONS and len(node.args) >= 2:
                sides = node.args[:2]
            if any(written_in_order(expected) and loaded_names([recorded]) & recorders
                   for expected in sides for recorded in sides if recorded is not expected):
                return True
    return False


def written_in_order(expr: ast.AST) -> bool:
    """A list of two or more values in a given order: `["a", "b"]`, `[f(i) for i in (4, 5)]`."""
    return isinstance(expr, ast.ListComp) or isinstance(expr, (ast.List, ast.Tuple)) and len(expr.elts) >= 2


@RULE.on(ast.For)
def check(node, ctx):
    if not ctx.in_async_function or node.orelse or runs_registered_in_order(node.iter):
        return
    awaits = independent_awaits(node, ctx)
    if awaits is None or order_asserted_after(node, ctx):
        return
    first = awaits[0]
    yield RULE.at(first, f"'await' in a loop over '{unparse(node.iter)}' runs independent iterations one "
                  "after another; run them concurrently with a bounded asyncio.gather()",
                  loop_line=node.lineno, iterable=unparse(node.iter), element=ast.unparse(first.value))


ONE_ITEM = """\
async def {helper}({target}):
{body}
await {gather}(*({helper}({target}) for {target} in {iterable}))
"""


@RULE.fixes
def fix(finding, fx, options):
    """Move the loop's body into a local coroutine and gather one call per item (unsafe: the
    iterations now run concurrently; side effects such as appends happen in completion order).
    The unbounded-gather fix bounds the gather in the next pass when the items are not few."""
    from ..fixing import CannotFix, Fix, Finding

    cst = fx.cst
    line = finding.fix["loop_line"]
    loop = fx.node_at(Finding(finding.code, line, _loop_column(fx, line), ""), cst.For, end=False)
    target = loop.target
    if not isinstance(target, cst.Name):
        raise CannotFix("the loop target is not a single name")
    assigned = _stored(loop.body, cst) - {target.value}
    if _read_after(loop, assigned, fx):
        raise CannotFix("a name set in the loop is read after it")
    gather_name, imports = fx.asyncio_attr("gather")
    helper = fx.fresh_name("one_item")
    body_block = loop.body.visit(_ContinueToReturn(cst))  # `continue` in the loop = `return` in the helper
    statements_text = "".join(fx.module.code_for_node(statement) for statement in body_block.body)
    body = textwrap.indent(textwrap.dedent(statements_text), "    ").rstrip("\n")
    text = ONE_ITEM.format(helper=helper, target=target.value, body=body, gather=gather_name,
                           iterable=fx.iterable_text(loop.iter))
    statements = cst.parse_module(text).body
    block = fx.parent(loop)
    leading = list(loop.leading_lines)
    if all(line.comment is not None for line in leading) and getattr(block, "body", None) \
            and block.body[0] is not loop:
        leading.insert(0, cst.EmptyLine(indent=False))  # pycodestyle wants a blank line before a nested def (E306)
    statements = [statements[0].with_changes(leading_lines=leading), *statements[1:]]
    return Fix({loop: cst.FlattenSentinel(statements)}, safe=False, imports=imports)


class _ContinueToReturn:
    def __new__(cls, cst):
        class Transformer(cst.CSTTransformer):
            def __init__(self):
                super().__init__()
                self.depth = 0

            def visit_For(self, node):
                self.depth += 1

            def leave_For(self, original, updated):
                self.depth -= 1
                return updated

            def visit_While(self, node):
                self.depth += 1

            def leave_While(self, original, updated):
                self.depth -= 1
                return updated

            def visit_FunctionDef(self, node):
                return False

            def visit_Lambda(self, node):
                return False

            def leave_Continue(self, original, updated):
                return cst.Return() if self.depth == 0 else updated

        return Transformer()


def _loop_column(fx, line: int) -> int:
    text = fx.lines[line - 1]
    return len(text.encode("utf-8")) - len(text.lstrip().encode("utf-8"))


def _walk(node, cst):
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        todo.extend(current.children)


def _stored(node, cst) -> set[str]:
    """Names the code binds: assignment, for and with targets, walrus."""
    holders = []
    for current in _walk(node, cst):
        if isinstance(current, cst.AssignTarget):
            holders.append(current.target)
        elif isinstance(current, (cst.AnnAssign, cst.AugAssign, cst.NamedExpr, cst.For, cst.CompFor)):
            holders.append(current.target)
        elif isinstance(current, cst.AsName):
            holders.append(current.name)
    return {name for holder in holders for name in _bound(holder, cst)}


def _bound(target, cst) -> set[str]:
    """Names a target binds: `x`, `a, (b, *c)`; not the containers of `d[k]` or `obj.x`."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {name for element in target.elements for name in _bound(element.value, cst)}
    if isinstance(target, cst.StarredElement):
        return _bound(target.value, cst)
    return set()


def _read_after(loop, names: set[str], fx) -> bool:
    """Some of `names` is used after the loop in the same function (a value it left behind)."""
    cst = fx.cst
    end = fx.positions[loop].end.line
    function = fx.parent(loop)
    while function is not None and not isinstance(function, cst.FunctionDef):
        function = fx.parent(function)
    if function is None:
        return True
    for node in _walk(function, cst):
        if isinstance(node, cst.Name) and node.value in names and fx.positions[node].start.line > end:
            return True
    return False
