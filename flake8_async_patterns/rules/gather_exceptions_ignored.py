"""## What it does
Finds an `await asyncio.gather(..., return_exceptions=True)` whose result is
thrown away while the gather starts new work: the awaited gather is a
statement of its own, is assigned to `_`, or is assigned to a local variable
that the function never reads.

New work means that at least one argument of the gather makes a call right
there: a call such as `send_page(user)` (whatever it is, since gather only
takes awaitables), the same inside `asyncio.create_task()`, or the calls made
by a comprehension, a generator expression, `map()`, or a local list built in
one of those ways (`*(send_page(u) for u in users)`). The rule leaves alone the gathers that
usually ignore outcomes on purpose:
- waiting for tasks or futures that already exist (`gather(*tasks, ...)`
  where `tasks` came from elsewhere, `create_task(coro)` of a coroutine object
  made earlier), since nothing new starts there;
- best-effort cleanup: calls whose name begins with the word `close`,
  `aclose`, `closed`, `disconnect`, `shutdown`, `stop`, `terminate`, `kill`,
  `cleanup`, `teardown`, `release`, `finish`, `unsubscribe`, `cancel` or
  `cancelled`, or is `wait_closed` (`conn.close() for conn in conns`; not
  `load_closed_tickets`, whose verb is `load`);
- a local collection of tasks (`*tasks`) whose tasks the function also
  cancels or looks at one by one (`t.cancel()`, `t.exception()`,
  `t.cancelled()`): such a gather waits for them to wind down, and their
  outcomes are seen elsewhere.

When the result is assigned to a name that is read, the rule is silent:
whether that use checks for failures is the business of
[ASP302](ASP302.md) and [ASP303](ASP303.md).

## Why is this bad?
When one awaitable fails, `asyncio.gather()` does not cancel the others.
Without `return_exceptions` it raises the first error at once while the rest
keep running, unsupervised, and their later errors are never looked at. People
add `return_exceptions=True` to get away from that: the gather then waits for
every awaitable, and each failure is put into the result list in its slot, as
the exception object, instead of being raised. A cancelled awaitable gets its
slot too, holding a `CancelledError`, which since Python 3.8 is a
`BaseException` and not an `Exception`. None of these errors is raised.

So the result list is the only place where the failures are. Throw it away and
they vanish without a trace: no traceback, no log line, not even the "Task
exception was never retrieved" warning, because the gather did retrieve each
exception, to put it in the list. The caller goes on as though the pages were
sent and the rows were written. JavaScript's `Promise.allSettled()` has the
same trap, but there each outcome at least comes wrapped in an object with a
`status`; here a failure is just another value in the list.

## Example
```python
import asyncio


async def send_page(engineer: str, incident: str) -> None:
    await asyncio.sleep(0.01)  # stands in for a call to the paging service
    print(f"paged {engineer} about {incident}")


async def page_on_call(incident: str) -> None:
    await asyncio.gather(
        send_page("alice", incident),
        send_page("bob", incident),
        return_exceptions=True,
    )
```

## Use instead
```python
import asyncio


async def send_page(engineer: str, incident: str) -> None:
    await asyncio.sleep(0.01)  # stands in for a call to the paging service
    print(f"paged {engineer} about {incident}")


async def page_on_call(incident: str) -> None:
    results = await asyncio.gather(
        send_page("alice", incident),
        send_page("bob", incident),
        return_exceptions=True,
    )
    failures = [result for result in results if isinstance(result, BaseException)]
    if failures:
        raise BaseExceptionGroup(f"{len(failures)} page(s) failed", failures)
```
Both pages are still attempted even if one fails, and the caller learns about
every failure. `BaseExceptionGroup` (Python 3.11+) accepts a `CancelledError`
among the failures, and builds an `ExceptionGroup`, which `except Exception`
catches, when every failure is an `Exception`. On older versions, raise the
first failure, or log each one, if the work really is best-effort.

## Fix safety
The fix keeps the results and raises the failures after the gather:
```python
await aio.gather(notify("ada"), notify("grace"), return_exceptions=True)
```
becomes
```python
results = await aio.gather(notify("ada"), notify("grace"), return_exceptions=True)
failures = [result for result in results if isinstance(result, BaseException)]
if failures:
    raise failures[0]
```
When `async-patterns-target-version` is 3.11 or later, the last line is
`raise BaseExceptionGroup("gathered awaitables failed", failures)` instead,
which raises all of them at once (as an `ExceptionGroup` when every failure is
an `Exception`). A result assigned to `_` gets a name of its own; a name that
is never read is kept. The fix is unsafe, applied only with `--unsafe-fixes`:
code that carried on silently now raises, a cancelled awaitable's
`CancelledError` included. Left unchanged and reported with the reason: a
gather on a line with other statements (`if urgent: await ...`,
`x = 1; await ...`), where no `if` can follow it, and results assigned to
anything but a single name.

## Options
- `async-patterns-target-version`: the lowest Python version the code must run
  on; from 3.11 the fix raises a `BaseExceptionGroup` of all the failures,
  before that the first failure.

## References
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
- [Python docs: ExceptionGroup](https://docs.python.org/3/library/exceptions.html#exception-groups)
- [PEP 654: exception groups and except*](https://peps.python.org/pep-0654/)
- [MDN: Promise.allSettled()](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Promise/allSettled), the JavaScript counterpart
- Related rules: [ASP302](ASP302.md) for results that are used without a
  check, [ASP305](ASP305.md) for a gather whose error is caught while the
  others keep running.
"""  # noqa: E501 - the links of the rule page
from __future__ import annotations

import ast

from ..analysis.fanout import GATHERS
from ..analysis.flow import discarded
from ..analysis.outcomes import is_teardown, keeps_exceptions, looked_after, new_work
from ..registry import FixSafety, rule

RULE = rule("ASP301", "gather-exceptions-ignored",
            "the result of gather(..., return_exceptions=True) is thrown away, and every failure with it",
            doc=__doc__, fix=FixSafety.UNSAFE)


@RULE.on(ast.Expr, ast.Assign, ast.AnnAssign)
def check(node, ctx):
    awaited = node.value
    if not isinstance(awaited, ast.Await) or not isinstance(awaited.value, ast.Call):
        return
    call = awaited.value
    if not keeps_exceptions(call) or ctx.call_named(call, GATHERS) is None:
        return
    # Waiting for tasks that already run (after cancelling them, say) and ignoring how they
    # ended is cleanup, and so is best-effort closing; new work whose failures vanish is not.
    function = ctx.function
    uses = ctx.facts.uses(function) if function is not None else None
    work = [c for a in call.args if not (uses and looked_after(a, uses))
            for c in new_work(a, ctx.facts, ctx.scope) if not is_teardown(c, ctx.facts, ctx.scope)]
    if not work:
        return
    how = discarded(node, ctx.facts, ctx.get_scope)
    if how is None:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if not (len(targets) == 1 and isinstance(targets[0], ast.Name) and targets[0].id == "_"):
            return
        how = "underscore"
    yield RULE.at(call, "gather(..., return_exceptions=True) returns the failures as values and this result "
                  "is thrown away, so every failure is silently lost; check the results and raise",
                  how=how, in_async=ctx.in_async_function, target_version=list(ctx.settings.target_version))


# -- the fix ----------------------------------------------------------------------------


@RULE.fixes
def fix(finding, fx, options):
    """Keep the results and raise the failures (unsafe: the code now raises where it carried on).
    From Python 3.11 all of them at once in a `BaseExceptionGroup` (which is an `ExceptionGroup`
    when every failure is an `Exception`; a cancelled awaitable gives a `CancelledError`, a
    `BaseException`, which `ExceptionGroup` refuses); before 3.11 the first failure."""
    from ..fixing import CannotFix, Fix

    cst = fx.cst
    call = fx.node_at(finding, cst.Call)
    awaited = fx.parent(call)
    small = fx.parent(awaited)
    if not isinstance(awaited, cst.Await) or not isinstance(small, (cst.Expr, cst.Assign, cst.AnnAssign)) \
            or small.value is not awaited:
        raise CannotFix("the gather is not awaited by a statement of its own or an assignment")
    line = fx.parent(small)
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        raise CannotFix("the statement shares its line with others, where no `if` can follow it")
    if isinstance(small, cst.Expr):
        results = fx.fresh_local_name(small, "results")
        first = cst.Assign(targets=[cst.AssignTarget(cst.Name(results))], value=awaited)
    else:
        targets = small.targets if isinstance(small, cst.Assign) else [small]
        if len(targets) != 1 or not isinstance(targets[0].target, cst.Name):
            raise CannotFix("the results are not assigned to a single name")
        results = targets[0].target.value
        if results == "_":  # a throwaway name: the check gets a name of its own
            results = fx.fresh_local_name(small, "results")
            first = small.deep_replace(targets[0].target, cst.Name(results))
        else:  # a name that is never read: keep it and read it
            first = small
    failures = fx.fresh_local_name(small, "failures")
    result = fx.fresh_local_name(small, "result")
    version = tuple(finding.fix.get("target_version") or fx.settings.target_version)
    if version >= (3, 11):
        # BaseExceptionGroup makes an ExceptionGroup when every failure is an Exception
        raise_ = f'raise BaseExceptionGroup("gathered awaitables failed", {failures})'
    else:
        raise_ = f"raise {failures}[0]"
    check = [
        fx.statement(f"{failures} = [{result} for {result} in {results} if isinstance({result}, BaseException)]\n"),
        fx.statement(f"if {failures}:\n    {raise_}\n"),
    ]
    return Fix({line: cst.FlattenSentinel([line.with_changes(body=[first]), *check])}, safe=False)
