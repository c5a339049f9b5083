"""## What it does
Finds an `asyncio.gather()` call, awaited or returned, that is given no
awaitable at all, or exactly one positional awaitable and no starred
argument: `await asyncio.gather(send_receipt(order_id))`.

It leaves alone:
- a starred argument (`asyncio.gather(*jobs)`), even when the collection may
  hold a single item, and a gather of two or more awaitables;
- a gather that is not the direct operand of `await` or `return`, being kept
  as a future: assigned to a name (`gathering = asyncio.gather(child())`, to
  cancel it later), passed to another call
  (`loop.run_until_complete(asyncio.gather(main()))`), or written as a bare
  statement;
- one argument that is not a call (a task, a future, a name) together with a
  `return_exceptions` that is not `False`:
  `await asyncio.gather(task, return_exceptions=True)` waits for a task that
  is already running, perhaps cancelled, and keeps its error quiet, which
  `await task` would not.

It does report a single call, such as a coroutine call, with
`return_exceptions=True`
(`await asyncio.gather(fetch_stock(sku), return_exceptions=True)`): the
coroutine starts there and a `try` around a direct `await` says the same.
It also reports a single task or future without `return_exceptions`, and
`gather()` of nothing, whatever its keywords.

## Why is this bad?
`gather()` exists to run several awaitables at the same time. With one,
nothing overlaps: the coroutine is wrapped in a task, a second future collects
its result into a one-item list, and the reader is led to believe that
something runs in parallel. It is often what is left after a refactoring
removed the other calls. The list is a trap of its own:
`receipt = await asyncio.gather(send_receipt(order_id))` binds `[result]`,
not the result. With no awaitables, `await asyncio.gather()` waits for nothing
and returns an empty list.

## Example
```python
import asyncio


async def send_receipt(order_id: int) -> None:
    await asyncio.sleep(0.05)  # stands in for the mail service
    print("receipt sent for order", order_id)


async def complete_order(order_id: int) -> None:
    await asyncio.gather(send_receipt(order_id))
```

## Use instead
```python
import asyncio


async def send_receipt(order_id: int) -> None:
    await asyncio.sleep(0.05)  # stands in for the mail service
    print("receipt sent for order", order_id)


async def complete_order(order_id: int) -> None:
    await send_receipt(order_id)
```

## Fix safety
The fix awaits the single awaitable directly (and drops the import of `gather`, or of
`asyncio`, when nothing else uses it):
`[receipt] = await aio.gather(send_receipt(order_id))` becomes
`receipt = await send_receipt(order_id)`, the statement
`await asyncio.gather(send_receipt(order_id))` becomes
`await send_receipt(order_id)`, and a one-item list that is used keeps its
list (`values = await aio.gather(fetch(key))` becomes
`values = [await fetch(key)]`). A statement `await asyncio.gather()` is
removed (a `pass` stays where the block would be empty); elsewhere
`await asyncio.gather()` becomes `[]`. `return_exceptions=False` goes away.

It is safe and applied by default: the same coroutine runs once, with the
same result and the same error. What changes is only that it runs in the
calling task instead of a task of its own, so a context variable it sets is
now visible to the caller afterwards. Left unchanged and reported with the
reason: a gather with `return_exceptions=True` (or anything but `False`),
which hands the error back inside the list where a direct `await` raises it,
so rewrite that one by hand with `try`/`except`; a gather that is returned
without `await`; unpacked arguments and unknown keywords; comments that would
be lost; and an argument that is itself awaited, which the
[ASP403](ASP403.md) fix handles first.

## Options
This rule has no options.

## References
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
- [Python docs: context variables and asyncio](https://docs.python.org/3/library/contextvars.html#asyncio-support)
- Related rules: [ASP401](ASP401.md) for gathers nested per item,
  [ASP204](ASP204.md) for independent awaits that a gather would run together.
"""
from __future__ import annotations

import ast

from ..analysis.vocabulary import last_names
from ..analysis.fanout import GATHERS
from ..registry import FixSafety, rule

RULE = rule("ASP402", "trivial-gather",
            "gather() of no awaitable or of exactly one: overhead without concurrency",
            doc=__doc__, fix=FixSafety.SAFE)


@RULE.on_call(last_names(GATHERS))
def check(node, ctx):
    if ctx.call_named(node, GATHERS) is None:
        return
    if any(isinstance(a, ast.Starred) for a in node.args) or len(node.args) > 1:
        return
    if not isinstance(ctx.parent, (ast.Await, ast.Return)):
        return  # a gather kept as a future (to cancel it, or in tests of gather itself)
    swallows = any(k.arg == "return_exceptions" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                   for k in node.keywords)
    if swallows and node.args and not isinstance(node.args[0], ast.Call):
        return  # gather(task, return_exceptions=True): waits for a running task and keeps its error quiet
    if not node.args:
        yield RULE.at(node, "gather() of nothing: it waits for nothing; remove it", count=0)
        return
    yield RULE.at(node, f"gather() of a single awaitable runs nothing concurrently; await "
                  f"'{ast.unparse(node.args[0])[:40]}' directly",
                  count=1)


# -- fix ------------------------------------------------------------------------------------


def awaitable_operand(value):
    """`value` as it can follow `await`: parenthesized unless it is a primary already."""
    import libcst as cst

    primaries = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.BaseNumber, cst.SimpleString,
                 cst.List, cst.Tuple, cst.Dict, cst.Set, cst.ListComp, cst.SetComp, cst.DictComp)
    if value.lpar or isinstance(value, primaries) and not (isinstance(value, cst.Tuple) and not value.lpar):
        return value
    return value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _closing_whitespace(arg):
    """The whitespace before a call's `)`, after its last argument (with or without a trailing comma)."""
    import libcst as cst

    from ..fixing import comments_in

    candidates = [arg.whitespace_after_arg]
    if isinstance(arg.comma, cst.Comma):
        candidates = [arg.comma.whitespace_before, arg.comma.whitespace_after, arg.whitespace_after_arg]
    for candidate in candidates:
        if comments_in(candidate):
            return candidate
    for candidate in candidates:
        if isinstance(candidate, cst.ParenthesizedWhitespace):
            return candidate
    return cst.SimpleWhitespace("")


def unwrap_call(call, kept):
    """The argument `kept` of `call` in place of the call: `gather(f())` -> `f()`.  Comments inside
    the call's parentheses stay where they were, the parentheses then staying too: `(  # why\\n f()\\n)`."""
    import libcst as cst
    from ..fixing import CannotFix, comments_in

    value = kept.value
    dropped = comments_in(call) - comments_in(value)
    if not dropped:
        return value
    opening, closing = call.whitespace_before_args, _closing_whitespace(call.args[-1])
    if dropped - comments_in(opening) - comments_in(closing):
        raise CannotFix("a comment inside the call would be lost")
    return value.with_changes(lpar=[cst.LeftParen(whitespace_after=opening), *value.lpar],
                              rpar=[*value.rpar, cst.RightParen(whitespace_before=closing)])


def _has_comments(line) -> bool:
    import libcst as cst

    trailing = getattr(line, "trailing_whitespace", None)
    return any(empty.comment is not None for empty in getattr(line, "leading_lines", ())) \
        or (isinstance(trailing, cst.TrailingWhitespace) and trailing.comment is not None)


def _remove_statement(fx, expr):
    """Remove the statement `expr` (an `await gather()`); a `pass` when it was all its block had."""
    cst = fx.cst
    line = fx.parent(expr)
    if isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) and len(line.body) > 1:
        index = next(i for i, small in enumerate(line.body) if small is expr)

        def without(updated):
            body = [s for i, s in enumerate(updated.body) if i != index]
            return updated.with_changes(body=[*body[:-1], body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)])

        return {line: without}
    block = fx.parent(line)
    alone = isinstance(line, cst.SimpleStatementSuite) or (
        isinstance(block, cst.IndentedBlock) and len(block.body) == 1)
    if alone or _has_comments(line):
        return {expr: cst.Pass(semicolon=expr.semicolon)}  # keeps the block, and the comments around
    return {line: cst.RemoveFromParent()}


@RULE.fixes
def fix(finding, fx, options):
    """`await gather(f())` -> `await f()`, `[r] = await gather(f())` -> `r = await f()`, a gather
    whose list is used -> `[await f()]`, a statement `await gather()` -> removed (safe)."""
    from ..fixing import CannotFix, Fix, comments_in

    cst = fx.cst
    call = fx.node_at(finding, cst.Call)
    awaited = fx.parent(call)
    if not isinstance(awaited, cst.Await) or awaited.expression is not call:
        raise CannotFix("the gather is returned without 'await': the caller gets a future, not the result")
    if any(arg.star for arg in call.args):
        raise CannotFix("the gather has unpacked arguments")
    positional = [arg for arg in call.args if arg.keyword is None]
    for arg in call.args:
        if arg.keyword is None:
            continue
        if arg.keyword.value != "return_exceptions":
            raise CannotFix(f"gather() is given '{arg.keyword.value}=', which the fix does not know")
        kept_quiet = not (isinstance(arg.value, cst.Name) and arg.value.value == "False")
        if kept_quiet and positional:
            raise CannotFix("with return_exceptions the gather hands the error back in its list, where a "
                            "direct 'await' raises it: rewrite it with try/except")
    holder = fx.parent(awaited)
    statement = isinstance(holder, cst.Expr) and holder.value is awaited
    unused = fx.import_of(call.func)  # `gather` (or `asyncio`) once the call is gone

    if not positional:  # gather() of nothing: an empty list, at once
        if comments_in(call):
            raise CannotFix("a comment inside the call would be lost")
        if statement:
            return Fix(_remove_statement(fx, holder), maybe_unused=unused)
        return Fix({awaited: cst.List(elements=[], lpar=awaited.lpar, rpar=awaited.rpar)},
                   maybe_unused=unused)

    if isinstance(positional[0].value, cst.Await):
        # gather(await f()): without the gather `await (await f())` would hide what ASP403 reports
        raise CannotFix("its one argument is awaited before gather() starts (ASP403): that comes first")
    index = next(i for i, arg in enumerate(call.args) if arg is positional[0])
    unwrap_call(call, call.args[index])  # raises CannotFix here, not in the middle of the edit
    replacements = {call: lambda updated: awaitable_operand(unwrap_call(updated, updated.args[index]))}
    if statement:
        return Fix(replacements, maybe_unused=unused)
    single = _single_target(fx, holder, awaited)
    if single is not None:
        target, element = single
        replacements[target] = lambda updated: updated.with_changes(target=element.value)
        return Fix(replacements, maybe_unused=unused)
    # the one-item list is used: keep it, made without the gather
    replacements[awaited] = lambda updated: cst.List(
        elements=[cst.Element(updated.with_changes(lpar=[], rpar=[]))], lpar=updated.lpar, rpar=updated.rpar)
    return Fix(replacements, maybe_unused=unused)


def _single_target(fx, holder, awaited):
    """`[r] = await gather(...)` or `r, = ...`: the AssignTarget and its one element, else None."""
    from ..fixing import comments_in

    cst = fx.cst
    if not isinstance(holder, cst.Assign) or holder.value is not awaited or len(holder.targets) != 1:
        return None
    target = holder.targets[0]
    if not isinstance(target.target, (cst.List, cst.Tuple)) or len(target.target.elements) != 1:
        return None
    element = target.target.elements[0]
    if isinstance(element, cst.StarredElement):
        return None  # `[*r] = ...` keeps the list
    if comments_in(target.target) - comments_in(element.value):
        return None
    return target, element
