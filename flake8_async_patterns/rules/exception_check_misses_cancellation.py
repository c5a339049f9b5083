"""## What it does
Finds an `isinstance()` test with `Exception` applied to the results of
`await asyncio.gather(..., return_exceptions=True)`: `isinstance(r, Exception)`,
or a tuple of classes that names `Exception` (plain or as an attribute such as
`builtins.Exception`) but neither `BaseException` nor `CancelledError`
(`isinstance(r, (ValueError, Exception))`).

The results are followed as in [ASP302](ASP302.md): the name the gather is
assigned to and its copies, names unpacked from it, and the names that take
its items in `for` loops and comprehensions (also through `zip()`,
`enumerate()` and the like), `:=` and `match` captures. The test is reported
wherever it sits: in an `if`, in the filter of a comprehension, or under
`not`.

It leaves alone:
- tests with `BaseException`, or with a tuple that also names
  `CancelledError` (`isinstance(r, (Exception, asyncio.CancelledError))`);
- `isinstance(x, Exception)` on anything else: a caught error, an item of a
  list that did not come from such a gather;
- results that went through something the tool does not follow first: a
  helper function, or a new list built from them (`[r for r in results]`,
  `list(filter(...))`).

## Why is this bad?
`asyncio.gather()` does not cancel the other awaitables when one fails.
Without `return_exceptions` it raises the first error and leaves the rest
running; with `return_exceptions=True` it waits for all of them and turns
every failure into a value in the result list, so the code sorts the results
itself, usually with `isinstance()`. That test has a Python-specific trap.

Since Python 3.8, `asyncio.CancelledError` derives from `BaseException`, not
from `Exception`, so that the common `except Exception:` no longer swallows a
cancellation by accident. The flip side shows up in the results of
`gather(..., return_exceptions=True)`: when one of the gathered tasks is
cancelled (by a shutdown handler, a watchdog, or a future it was waiting on
being cancelled), its slot in the list holds a `CancelledError` instance, and
`isinstance(result, Exception)` is `False` for it. The test that was meant to
sort failures from successes files the cancelled task under the successes. The
same goes for any other exception that derives only from `BaseException`.
Code written before 3.8, when `CancelledError` was an ordinary `Exception`,
changed meaning silently on upgrade.

What follows is a cancelled piece of work reported as done, a
`CancelledError` object used as a value (and the crash or bad data further
on), or a retry that never happens. Because cancellations are rare in tests,
the bug tends to show up only in production, during deploys and shutdowns.

## Example
```python
import asyncio
import logging

log = logging.getLogger(__name__)

TABLES = ("users", "orders", "invoices")


async def refresh_cache(table: str) -> int:
    await asyncio.sleep(0.01)  # stands in for reloading the table into the cache
    return 42


async def refresh_all() -> list[str]:
    results = await asyncio.gather(
        *(refresh_cache(table) for table in TABLES),
        return_exceptions=True,
    )
    refreshed = [t for t, r in zip(TABLES, results) if not isinstance(r, Exception)]
    log.info("refreshed %s", ", ".join(refreshed))
    return refreshed
```

## Use instead
```python
import asyncio
import logging

log = logging.getLogger(__name__)

TABLES = ("users", "orders", "invoices")


async def refresh_cache(table: str) -> int:
    await asyncio.sleep(0.01)  # stands in for reloading the table into the cache
    return 42


async def refresh_all() -> list[str]:
    results = await asyncio.gather(
        *(refresh_cache(table) for table in TABLES),
        return_exceptions=True,
    )
    refreshed = [t for t, r in zip(TABLES, results) if not isinstance(r, BaseException)]
    log.info("refreshed %s", ", ".join(refreshed))
    return refreshed
```

## Fix safety
The fix replaces `Exception` with `BaseException` in the reported test:
`isinstance(r, Exception)` becomes `isinstance(r, BaseException)`; in a tuple
only that class changes (`(ValueError, Exception)` becomes
`(ValueError, BaseException)`), and `builtins.Exception` becomes
`builtins.BaseException`. It is safe and applied by default: every `Exception`
still matches, and the only results whose treatment changes are cancellations
and other `BaseException`s, which the test was meant to catch as failures in
the first place.

## Options
This rule has no options.

## References
- [Python docs: asyncio.CancelledError](https://docs.python.org/3/library/asyncio-exceptions.html#asyncio.CancelledError), a `BaseException` since 3.8
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
- [Python docs: exception hierarchy](https://docs.python.org/3/library/exceptions.html#exception-hierarchy)
- Related rules: [ASP302](ASP302.md) for results used with no test at all,
  [ASP301](ASP301.md) for results that are thrown away.
"""  # noqa: E501 - the links of the rule page
from __future__ import annotations

import ast

from ..analysis.vocabulary import last_names
from ..analysis.fanout import GATHERS
from ..registry import FixSafety, rule
from ..analysis.outcomes import gather_outcome

RULE = rule("ASP303", "exception-check-misses-cancellation",
            "gather(return_exceptions=True) results tested with isinstance(r, Exception), which lets "
            "CancelledError through as a success", doc=__doc__, fix=FixSafety.SAFE)


def _class_name(node: ast.AST) -> str | None:
    """`Exception`, `builtins.Exception`, `asyncio.CancelledError`; another module's `x.Exception` is not ours."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        if node.attr == "Exception":
            return "Exception" if isinstance(node.value, ast.Name) and node.value.id == "builtins" else None
        return node.attr
    return None


def names_exception_only(types: ast.AST) -> ast.AST | None:
    """The `Exception` name node in `types` when it has no `BaseException` beside it."""
    parts = types.elts if isinstance(types, ast.Tuple) else [types]
    names = {_class_name(p): p for p in parts}
    if "BaseException" in names or "CancelledError" in names:
        return None
    return names.get("Exception")


@RULE.on_call(last_names(GATHERS))
def check(node, ctx):
    found = gather_outcome(ctx.path, ctx.facts, ctx.get_scope)
    if found is None:
        return
    outcome, uses = found
    for use in uses.of(outcome.names, outcome.elements):
        test = use.at
        if use.kind != "tested" or not isinstance(test, ast.Call) or len(test.args) != 2 \
                or not isinstance(test.func, ast.Name) or test.func.id != "isinstance":
            continue
        exception = names_exception_only(test.args[1])
        if exception is not None and not _cancellation_tested_beside(test, uses.parents):
            yield RULE.at(exception, "isinstance(..., Exception) on gather results lets CancelledError "
                          "(a BaseException) pass as a success; test BaseException")


def _cancellation_tested_beside(test: ast.Call, parents: dict) -> bool:
    """Another `isinstance` on the same value, in the same loop body (or function, outside a
    loop), tests `BaseException` or `CancelledError`: cancellation is handled there
    (`if isinstance(r, CancelledError): ... elif isinstance(r, Exception): ...`)."""
    region = parents.get(test)
    while region is not None and not isinstance(region, (ast.For, ast.AsyncFor, ast.While, ast.comprehension,
                                                         ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        region = parents.get(region)
    if isinstance(region, ast.comprehension):
        region = parents.get(region)
    if region is None:
        return False
    subject = ast.dump(test.args[0])
    for node in ast.walk(region):
        if node is not test and isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "isinstance" and len(node.args) == 2 and ast.dump(node.args[0]) == subject:
            parts = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
            if {_class_name(p) for p in parts} & {"BaseException", "CancelledError"}:
                return True
    return False


# -- fix ------------------------------------------------------------------------------------


@RULE.fixes
def fix(finding, fx, options):
    """`Exception` -> `BaseException` in the reported type test, a tuple's other classes kept (safe)."""
    from ..fixing import CannotFix, Fix

    cst = fx.cst
    node = fx.node_at(finding, cst.Name, cst.Attribute)
    if isinstance(node, cst.Attribute):  # builtins.Exception
        if node.attr.value != "Exception":
            raise CannotFix("the code at this position is not what the finding describes")
        return Fix({node.attr: node.attr.with_changes(value="BaseException")})
    if node.value != "Exception":
        raise CannotFix("the code at this position is not what the finding describes")
    return Fix({node: node.with_changes(value="BaseException")})
