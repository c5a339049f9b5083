"""## What it does
Finds the results of `await asyncio.gather(..., return_exceptions=True)` that
the function uses as if every awaitable had succeeded, when nothing in the
function tests them for exceptions.

The results it follows are those assigned to a name (`results = await ...`,
and the names that name is copied to), unpacked (`user, orders = await ...`)
or iterated at once (`for quote in await ...`), along with the names that take
their items: a `for` loop or comprehension over them (also through `zip()`,
`enumerate()`, `reversed()`, `sorted()`, `list()`, `tuple()` or `iter()`),
unpacking, `:=`, and the captures of a `match`. A use that treats a result as
a success is one of: reading an attribute of an item or calling its method
(`quote.price`, `response.json()`), indexing the list or an item
(`results[0].id`), unpacking, matching, iterating over the list, or testing an
item for truth (`if user:`).

It stays silent when:
- any of those names meets a type test anywhere in the function:
  `isinstance(r, ...)` or `type(r)` in a comparison
  (`type(r) is TimeoutError`). Which exception classes are tested does not
  matter here; testing `Exception` instead of `BaseException` is
  [ASP303](ASP303.md)'s business;
- the whole list is handed on, so the check may happen elsewhere: passed to a
  call (`raise_failures(results)`), returned or yielded, stored in an
  attribute or a container, or awaited;
- every use of the items hands them on in the same way. To stay quiet when
  unsure, a use that the tool does not recognise (arithmetic such as
  `total += amount`, formatting in an f-string) counts as handing on;
- the gather is returned directly (`return await asyncio.gather(...)`), or its
  result is thrown away ([ASP301](ASP301.md) covers that).

The analysis stays inside one function.

## Why is this bad?
`return_exceptions=True` tells `asyncio.gather()` not to raise: a failed
awaitable's exception object is put into the result list, in the slot where
its value would have been. That is useful, since one failure no longer hides
the outcome of the others, but it turns every result into "a value or an
exception", and the code has to tell them apart. Code that goes straight to
`quote.price` treats a `TimeoutError` instance as a quote. At best it crashes
with an `AttributeError` that points at the wrong line and hides the real
error; at worst the exception object is stored, serialised or compared without
any error at all (`str(error)` is a perfectly good string), and bad data flows
on. JavaScript's `Promise.allSettled()` wraps each outcome in an object with a
`status` field; Python hands the bare exception over, so nothing forces the
check.

## Example
```python
import asyncio
from dataclasses import dataclass


@dataclass
class Quote:
    symbol: str
    price: float


async def fetch_quote(symbol: str) -> Quote:
    await asyncio.sleep(0.01)  # stands in for a request to the quote service
    return Quote(symbol, 101.5)


async def print_quotes() -> None:
    quotes = await asyncio.gather(
        fetch_quote("AAPL"),
        fetch_quote("MSFT"),
        fetch_quote("NVDA"),
        return_exceptions=True,
    )
    for quote in quotes:
        print(f"{quote.symbol}: {quote.price:.2f}")
```

## Use instead
```python
import asyncio
from dataclasses import dataclass


@dataclass
class Quote:
    symbol: str
    price: float


async def fetch_quote(symbol: str) -> Quote:
    await asyncio.sleep(0.01)  # stands in for a request to the quote service
    return Quote(symbol, 101.5)


async def print_quotes() -> None:
    symbols = ("AAPL", "MSFT", "NVDA")
    quotes = await asyncio.gather(
        *(fetch_quote(symbol) for symbol in symbols),
        return_exceptions=True,
    )
    for symbol, quote in zip(symbols, quotes):
        if isinstance(quote, BaseException):
            print(f"{symbol}: unavailable ({quote!r})")
        else:
            print(f"{quote.symbol}: {quote.price:.2f}")
```
Testing `BaseException` rather than `Exception` also catches a cancelled
fetch, whose slot holds a `CancelledError` (see [ASP303](ASP303.md)). If a
single failure should fail the whole operation, drop `return_exceptions=True`
and let the error propagate, or use `asyncio.TaskGroup` (Python 3.11+), which
also cancels the remaining fetches.

## Fix safety
Report only: there is no automatic fix, because what to do with a failure
(skip it, retry it, replace it with a default, or raise) depends on the code.

## Options
This rule has no options.

## References
- [Python docs: asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
- [Python docs: task groups](https://docs.python.org/3/library/asyncio-task.html#task-groups)
- [MDN: Promise.allSettled()](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Promise/allSettled), the JavaScript counterpart
- Related rules: [ASP301](ASP301.md) for results that are thrown away,
  [ASP303](ASP303.md) for a test that lets a cancellation through.
"""  # noqa: E501 - the links of the rule page
from __future__ import annotations

import ast

from ..analysis.vocabulary import last_names
from ..analysis.fanout import GATHERS
from ..analysis.outcomes import gather_outcome
from ..registry import rule

RULE = rule("ASP302", "gather-results-unchecked",
            "results of gather(..., return_exceptions=True) are used with no exception test",
            doc=__doc__)

HANDLED = frozenset({"passed", "stored", "returned", "awaited", "tested", "cancelled"})
USED = frozenset({"iterated", "indexed", "unpacked", "attribute", "matched", "inspected"})


def unchecked_use(outcome, uses) -> ast.AST | None:
    """The first use of the results that treats them as successes, when nothing tests them."""
    if outcome.how not in ("assigned", "unpacked", "iterated"):
        return None
    found = uses.of(outcome.names, outcome.elements)
    if any(use.kind == "tested" for use in found):
        return None
    # the whole list handed on (to a helper, a caller, an attribute) may be checked there
    if any(use.kind in HANDLED for use in found if not use.element):
        return None
    element_uses = [use for use in found if use.element]
    if element_uses and all(use.kind in HANDLED for use in element_uses):
        return None
    used = [use.node for use in found if use.kind in USED and (use.element or use.kind != "inspected")]
    return min(used, key=lambda n: (n.lineno, n.col_offset)) if used else None


@RULE.on_call(last_names(GATHERS))
def check(node, ctx):
    found = gather_outcome(ctx.path, ctx.facts, ctx.get_scope)
    first = unchecked_use(*found) if found else None
    if first is not None:
        yield RULE.at(node, f"results of gather(..., return_exceptions=True) are used (line {first.lineno}) "
                      "without testing for exceptions: a failure arrives as an exception object; "
                      "check isinstance(result, BaseException)", first_use_line=first.lineno)
