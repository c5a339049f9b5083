"""## What it does
Finds coroutines that are created and then dropped: a call of a coroutine
function that is a statement of its own (`save(record)`), or whose result is
assigned to a local variable that the function never reads
(`pending = save(record)`). Also a coroutine used as if it were its result,
directly or through the local it is assigned to: subscripted
(`get_user(uid)["name"]`), read for an attribute other than the coroutine's own
(`user = get_user(uid); user.name`), iterated, unpacked, used in arithmetic or
a comparison (other than `is`), formatted in an f-string, or passed to a sync
builtin or well-known function that needs the value (`len`, `str`, `list`,
`print`, `json.dumps`, ...); and a coroutine returned from an `async def`
(`async def get(self): return self._fetch()`), where the caller's `await`
yields the inner coroutine, which never runs.

A call counts as a coroutine call when the tool can tell that the callee is an
`async def` without `yield` (see [resolution](../resolution.md)): a function of
the same module or of another module of the project, a method reached through
`self`, `cls` or `super()`, a method of an object whose class is known from an
assignment (`c = Client()`) or an annotation (`def f(c: Client)`,
`self.c: Client`, `def make() -> Client`), a function or method of an
installed package (read from its source or stubs, never imported), a method
that the same function awaits elsewhere on the same receiver
(`await stream.read()` ... `stream.read()`), a coroutine function of the
standard library such as `asyncio.sleep`, or a name listed in
`async-patterns-coroutine-functions`. Calling an async generator is not a
coroutine call, and neither is calling an `async def` behind a decorator that
is not known to keep it a coroutine function: a decorator is read, and it keeps
one when it returns the function itself or an `async def` wrapper;
`contextlib.asynccontextmanager`, `property`, `pytest.fixture`, a wrapper that
runs the coroutine with `asyncio.run`, and any decorator that cannot be read
all count as changing it. When the callee cannot be resolved, the rule stays
silent. A call on a line whose type-checker comment says the coroutine is
dropped on purpose (`# type: ignore[unused-coroutine]`,
`# pyright: ignore[reportUnusedCoroutine]`) is left alone too.

A coroutine that is awaited, returned, passed to another call
(`asyncio.create_task(save(r))`, `pending.append(save(r))`) or stored in an
attribute or a container is not flagged. The statement form is also flagged
in plain functions and at module level, where the coroutine cannot be awaited
at all.

## Why is this bad?
Calling an `async def` function runs none of its body. It only builds a
coroutine object; the body starts when that object is awaited or wrapped in a
task. Drop the object and the work silently never happens: the row is not
written, the request is not sent, and no exception is raised. People coming
from JavaScript are caught by this: there, calling an async function runs it
up to its first `await`, and the promise settles whether anyone waits for it
or not. In Python nothing runs at all.

The only sign of the mistake is a `RuntimeWarning` saying that the coroutine
was never awaited, issued when the abandoned coroutine object is
garbage-collected rather than as an error at the call. By then the program has
carried on as if the work were done, and a warning in a log is easy to miss or
to filter out. Forgetting the `await` on `asyncio.sleep()` is a common
variant: the intended pause returns at once and a throttled loop runs flat out.

## Example
```python
import asyncio

ACCOUNTS = {"ada": {"plan": "pro"}, "grace": {"plan": "free"}}


async def write_audit_log(user: str, action: str) -> None:
    await asyncio.sleep(0.01)  # stands in for an INSERT into the audit table
    print(f"audit: {user} {action}")


async def delete_account(user: str) -> None:
    write_audit_log(user, "delete_account")  # builds a coroutine, never runs it
    ACCOUNTS.pop(user, None)
```

## Use instead
```python
import asyncio

ACCOUNTS = {"ada": {"plan": "pro"}, "grace": {"plan": "free"}}


async def write_audit_log(user: str, action: str) -> None:
    await asyncio.sleep(0.01)  # stands in for an INSERT into the audit table
    print(f"audit: {user} {action}")


async def delete_account(user: str) -> None:
    await write_audit_log(user, "delete_account")
    ACCOUNTS.pop(user, None)
```

## Fix safety
Inside an `async def`, `async-patterns fix` puts `await` in front of the call:
`fetch("first")` becomes `await fetch("first")`, and the unused
`result = fetch("second")` becomes `result = await fetch("second")`. This fix
is safe and applied by default: the coroutine now runs, as its author meant.

With `--fix-style=gather`, a `for` loop whose whole body is the call becomes
one gather instead:
```python
for url in urls:
    fetch(url)
```
becomes
```python
await asyncio.gather(*(fetch(url) for url in urls))
```
which the [ASP201](ASP201.md) fix then bounds with a semaphore in a later
pass when the items are not provably few. This style is unsafe: the calls now
run concurrently instead of one after another, so it is applied only with
`--unsafe-fixes`; without that flag, and in a loop with anything else in its
body, the call gets the plain `await`.

A call outside an `async def` is left unchanged and reported with the reason
("not inside an async def"), since `await` is not allowed there: call the
function from a coroutine, or run it with `asyncio.run()`.

## Options
- `async-patterns-coroutine-functions`: more functions, by dotted name, to
  treat as coroutine functions (for example ones imported from another package).
- `async-patterns-non-coroutine-decorators`: decorators after which an
  `async def` no longer returns a coroutine, so calling it is not flagged.
- `async-patterns-concurrency`: the semaphore size written when the gather of
  `--fix-style=gather` is bounded.

## References
- [Python docs: coroutines](https://docs.python.org/3/library/asyncio-task.html#coroutines)
- [Python docs: detect never-awaited coroutines](https://docs.python.org/3/library/asyncio-dev.html#detect-never-awaited-coroutines)
- [PEP 492: coroutines with async and await syntax](https://peps.python.org/pep-0492/)
- Related rules: [ASP102](ASP102.md) for whole collections of coroutines,
  [ASP104](ASP104.md) for coroutine functions handed to code that does not await them.
"""  # noqa: E501 - the links of the rule page
from __future__ import annotations

import ast
import re

from ..analysis.coroutines import RECEIVER
from ..analysis.flow import assigned_name, discarded
from ..analysis.value_use import local_value_uses, value_use
from ..analysis.vocabulary import callee_name
from ..registry import MAY_BE_COROUTINE, FixSafety, rule

RULE = rule("ASP101", "coroutine-not-awaited",
            "a coroutine is created and never awaited, so it never runs",
            doc=__doc__, fix=FixSafety.SAFE_OR_UNSAFE,
            fix_cases="safe (add await); unsafe with --fix-style=gather")


# the author told the type checker that this coroutine is dropped on purpose
INTENDED = re.compile(r"#\s*(?:type|pyright):\s*ignore\[[^\]]*(?:unused-coroutine|reportUnusedCoroutine)")


def said_intended(node, facts) -> bool:
    source = facts.source
    if source is None or "nused" not in source:
        return False
    lines = facts.memo("lines", source.splitlines)
    return any(INTENDED.search(lines[n - 1]) for n in range(node.lineno, (node.end_lineno or node.lineno) + 1)
               if n <= len(lines))


@RULE.on(ast.Expr, ast.Assign, ast.AnnAssign)
def check(node, ctx):
    call = node.value
    if not isinstance(call, ast.Call) or not ctx.resolver.may_be_coroutine_function(call.func):
        return
    how = discarded(node, ctx.facts, ctx.get_scope)  # first: most assigned values are used, and resolving costs more
    used = None
    if how is None:
        used = _used_through_local(node, ctx)
        if not used:
            return
        how = "value"
    callee = ctx.resolver.coroutine_call(call, ctx.get_scope)
    if callee is None or said_intended(node, ctx.facts) or used and callee.evidence == RECEIVER:
        return
    name = callee_name(call.func)
    in_async = ctx.in_async_function
    if used:
        read, use = used[0]
        message = (f"coroutine '{name}' is assigned to '{assigned_name(node)}', which is {use} on line "
                   f"{read.lineno} as if it were its result; the coroutine never runs: {_advice(in_async)}")
    elif how == "unused":
        message = (f"coroutine '{name}' is assigned to '{assigned_name(node)}' and never awaited, "
                   "so it never runs; await it")
    elif in_async:
        message = f"coroutine '{name}' is never awaited, so it never runs; add 'await'"
    else:
        message = (f"coroutine '{name}' is never awaited, so it never runs; "
                   "call it from a coroutine with 'await', or run it with asyncio.run()")
    loop = ctx.loop
    yield RULE.at(call, message, how=how, callee=callee.name, evidence=callee.evidence, in_async=in_async,
                  loop_line=loop.lineno if loop is not None else None)


def _advice(in_async: bool) -> str:
    return "add 'await'" if in_async else "call it from a coroutine with 'await', or run it with asyncio.run()"


def _used_through_local(node, ctx):
    """`user = get_user()` then `user.name`: the reads of the local that use it as a result,
    when no read hands it on (None or empty: not this shape)."""
    target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else \
        node.target if isinstance(node, ast.AnnAssign) else None
    scope = ctx.scope
    if not isinstance(target, ast.Name) or not scope.is_function or len(scope.bindings.get(target.id, ())) != 1 \
            or target.id in scope.globals or target.id in scope.nonlocals:
        return None
    function = scope.node
    return local_value_uses(target.id, function, ctx.facts.uses(function),
                            lambda func: ctx.resolver.qualified_name(func, ctx.scope))


@RULE.on_call(MAY_BE_COROUTINE)
def check_value(node, ctx):
    """A coroutine call whose value is used as its result, or returned from an `async def`."""
    parent = ctx.parent
    if isinstance(parent, ast.Return):
        function = ctx.function
        if not isinstance(function, ast.AsyncFunctionDef):
            return
        callee = ctx.resolver.coroutine_call(node, ctx.get_scope)
        if callee is not None:
            yield RULE.at(node, f"coroutine '{callee_name(node.func)}' is returned from 'async def {function.name}', "
                          "so the caller's await gets a coroutine that never runs; 'return await' it",
                          how="returned", callee=callee.name, evidence=callee.evidence, in_async=True)
        return
    if isinstance(parent, (ast.Expr, ast.Assign, ast.AnnAssign)) and parent.value is node \
            and not (isinstance(parent, ast.Assign)
                     and any(isinstance(t, (ast.Tuple, ast.List)) for t in parent.targets)):
        return  # the statement check's
    use = value_use(node, parent, lambda func: ctx.resolver.qualified_name(func, ctx.scope))
    if use is None:
        return
    callee = ctx.resolver.coroutine_call(node, ctx.get_scope)
    if callee is None or callee.evidence == RECEIVER:
        # an awaited `conn.execute(...)` may return an awaitable that is also iterable, a context...
        return
    in_async = ctx.in_async_function
    yield RULE.at(node, f"coroutine '{callee_name(node.func)}' is {use} as if it were its result; it never "
                  f"runs: {_advice(in_async)}", how="value", callee=callee.name, evidence=callee.evidence,
                  in_async=in_async, parens=isinstance(parent, (ast.Attribute, ast.Subscript)))


@RULE.fixes
def fix(finding, fx, options):
    """Insert `await` before the call (safe: the coroutine now runs as its author meant)."""
    from ..fixing import CannotFix, Fix

    if not finding.fix.get("in_async"):
        raise CannotFix("not inside an async def, where nothing can await it")
    call = fx.node_at(finding, fx.cst.Call)
    if options.get("fix_style") == "gather" and options.get("unsafe") and finding.fix.get("loop_line") \
            and finding.fix.get("how") == "statement":
        gathered = _gather_loop(finding, fx, call)
        if gathered is not None:
            return gathered
    if finding.fix.get("parens"):  # `(await get_user()).name`
        return Fix({call: lambda updated: fx.cst.Await(expression=updated, lpar=[fx.cst.LeftParen()],
                                                       rpar=[fx.cst.RightParen()])})
    return Fix({call: lambda updated: fx.cst.Await(expression=updated)})


def _gather_loop(finding, fx, call):
    """With --fix-style=gather: `for x in xs: f(x)` becomes one gather of the loop's calls
    (unsafe: the calls now run concurrently; an unbounded gather is bounded in the next pass)."""
    from ..fixing import Fix

    cst = fx.cst
    statement = fx.statement_of(call)
    block = fx.parent(statement)
    loop = fx.parent(block)
    if not (isinstance(loop, cst.For) and loop.asynchronous is None and loop.orelse is None
            and isinstance(block, cst.IndentedBlock) and len(block.body) == 1 and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr) and statement.body[0].value is call):
        return None  # anything else in the loop: keep it sequential
    gather_name, imports = fx.asyncio_attr("gather")
    target, iterable = fx.module.code_for_node(loop.target), fx.iterable_text(loop.iter)
    text = f"await {gather_name}(*({fx.module.code_for_node(call)} for {target} in {iterable}))"
    replacement = cst.SimpleStatementLine(body=[cst.Expr(fx.expression(text))], leading_lines=loop.leading_lines,
                                          trailing_whitespace=statement.trailing_whitespace)
    return Fix({loop: replacement}, safe=False, imports=imports)
