"""Unit tests of the flow fact on its own: analysis/uses.py and analysis/outcomes.py.

`Uses(function).of(names, elements)` says where the value held in `names` (and
its items held in `elements`) is read afterwards, and how.  The outcome helpers
say where the result of an awaited gather/wait lands and whether a wait can
return with tasks still pending.  Each test parses a small module; the function
under test is its first `async def`.
"""
from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_async_patterns.analysis import ModuleFacts
from flake8_async_patterns.analysis.fanout import GATHERS, WAITS
from flake8_async_patterns.analysis.nodes import child_nodes
from flake8_async_patterns.analysis.outcomes import (Outcome, keeps_exceptions, leaves_pending,
                                                     outcome_of)
from flake8_async_patterns.analysis.scopes import FUNCTIONS
from flake8_async_patterns.analysis.uses import Use, Uses
from flake8_async_patterns.settings import Settings


def awaited_calls(function: ast.AST):
    """(await node, its parent) for each `await <call>` in the function's own body."""
    todo = [(child, function) for child in child_nodes(function)]
    while todo:
        node, parent = todo.pop()
        if isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
            yield node, parent
        todo.extend((child, node) for child in child_nodes(node))


# -- helpers -----------------------------------------------------------------------


def parse(source: str) -> tuple[ast.Module, ast.AsyncFunctionDef]:
    tree = ast.parse(textwrap.dedent(source))
    function = next(n for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef))
    return tree, function


def uses(source: str, names=(), elements=()) -> list[Use]:
    _, function = parse(source)
    return Uses(function).of(set(names), set(elements))


def kinds(source: str, names=(), elements=()) -> set[tuple[str, str, bool]]:
    """{(name read, kind, read of an element)} for every use found."""
    return {(u.node.id, u.kind, u.element) for u in uses(source, names, elements)}


def facts_for(source: str):
    """(facts, function, its scope), with the module's imports recorded as the engine does."""
    tree, function = parse(source)
    facts = ModuleFacts(tree, Settings(), "<test>")
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            facts.record_import(node)
    return facts, function, facts.child_scope(function, facts.scope([tree]))


def gathers_keeping_exceptions(source: str) -> list[Outcome]:
    """Every `await gather(..., return_exceptions=True)` of the function, in source order."""
    facts, function, scope = facts_for(source)
    found = [(a, p) for a, p in awaited_calls(function)
             if keeps_exceptions(a.value) and facts.resolver.call_named(a.value, scope, GATHERS)]
    return [outcome_of(a, p) for a, p in sorted(found, key=lambda pair: pair[0].lineno)]


def waits_leaving_pending(source: str) -> list[tuple[Outcome, str]]:
    """(outcome, reason) for every awaited asyncio.wait() that can return early, in source order."""
    facts, function, scope = facts_for(source)
    found = []
    for await_node, parent in sorted(awaited_calls(function), key=lambda pair: pair[0].lineno):
        call = await_node.value
        if facts.resolver.call_named(call, scope, WAITS):
            reason = leaves_pending(call, facts, scope)
            if reason:
                found.append((outcome_of(await_node, parent), reason))
    return found


def reason_for(keywords: str, imports: str = "import asyncio") -> str | None:
    """What leaves_pending says about `await asyncio.wait(tasks, <keywords>)`."""
    found = waits_leaving_pending(f"{imports}\nasync def race(tasks):\n    await asyncio.wait(tasks{keywords})\n")
    return found[0][1] if found else None


# -- each kind of use ------------------------------------------------------------------


def test_iterated_and_the_loop_variable_is_an_element():
    found = kinds("""
        async def f():
            results = await g()
            for r in results:
                r.json()
        """, {"results"})
    assert found == {("results", "iterated", False), ("r", "attribute", True)}


def test_indexed_and_what_the_index_holds_is_an_element():
    found = kinds("""
        async def f():
            results = await g()
            first = results[0]
            await first
        """, {"results"})
    assert found == {("results", "indexed", False), ("first", "awaited", True)}


def test_indexing_an_element_is_not_indexing_the_whole():
    found = kinds("""
        async def f(rows):
            for row in rows:
                return row[0]
        """, (), {"row"})
    assert found == {("row", "returned", True)}


def test_unpacked_into_elements():
    found = kinds("""
        async def f():
            results = await g()
            user, orders = results
            user.cancel()
            return orders
        """, {"results"})
    assert found == {("results", "unpacked", False), ("user", "cancelled", True), ("orders", "returned", True)}


@pytest.mark.parametrize("statement", ["return results", "yield results", "return (yield results)"])
def test_returned(statement):
    assert ("results", "returned", False) in kinds(f"""
        async def f():
            results = await g()
            {statement}
        """, {"results"})


@pytest.mark.parametrize("statement", ["report(results)", "log.info('%s', results)", "await asyncio.gather(*results)",
                                       "handler(items=results)"])
def test_passed_to_a_call(statement):
    assert kinds(f"""
        async def f():
            results = await g()
            {statement}
        """, {"results"}) == {("results", "passed", False)}


@pytest.mark.parametrize("statement", ["self.results = results", "cache[key] = results", "keep = [results, other]",
                                       "self.tasks = {'pending': results}"])
def test_stored_on_an_object_or_in_a_container(statement):
    assert kinds(f"""
        async def f(self, key, other):
            results = await g()
            {statement}
        """, {"results"}) == {("results", "stored", False)}


@pytest.mark.parametrize("test", ["isinstance(r, BaseException)", "isinstance(r, (ValueError, KeyError))",
                                  "issubclass(r, BaseException)", "type(r) is ValueError",
                                  "type(r) == ValueError", "r.exception()", "r.done()", "r.cancelled()",
                                  "r.result()"])
def test_tested(test):
    found = uses(f"""
        async def f(results):
            for r in results:
                if {test}:
                    pass
        """, {"results"})
    tested = [u for u in found if u.node.id == "r"]
    assert [(u.kind, u.element) for u in tested] == [("tested", True)]
    assert isinstance(tested[0].at, (ast.Call, ast.Attribute, ast.Compare))  # the test itself, for the rules


def test_isinstance_with_the_element_as_the_class_argument_is_not_a_type_test_of_it():
    found = kinds("""
        async def f(results, value):
            for r in results:
                isinstance(value, r)
        """, {"results"})
    assert ("r", "passed", True) in found


def test_issubclass_of_the_type_of_an_element_is_a_type_test():
    # `issubclass(type(r), BaseException)` tests r's type just as `type(r) is ...` does
    found = kinds("""
        async def f(results):
            for r in results:
                if issubclass(type(r), BaseException):
                    pass
        """, {"results"})
    assert ("r", "tested", True) in found


def test_awaited():
    assert kinds("""
        async def f():
            task = make()
            return await task
        """, {"task"}) == {("task", "awaited", False)}


def test_cancelled():
    found = kinds("""
        async def f(pending):
            for task in pending:
                task.cancel()
        """, {"pending"})
    assert found == {("pending", "iterated", False), ("task", "cancelled", True)}


def test_cancel_that_is_not_called_is_not_a_cancellation():
    found = kinds("""
        async def f(task, loop):
            loop.call_soon(task.cancel)
        """, {"task"})
    assert ("task", "cancelled", False) not in found


@pytest.mark.parametrize("expression", ["len(pending)", "bool(pending)", "not pending", "pending is None",
                                        "pending and other"])
def test_inspected(expression):
    found = kinds(f"""
        async def f(other):
            done, pending = await g()
            x = {expression}
        """, {"pending"})
    assert found == {("pending", "inspected", False)}


def test_truth_test_of_an_if_or_while_is_inspected():
    found = kinds("""
        async def f():
            pending = make()
            if pending:
                pass
            while pending:
                break
        """, {"pending"})
    assert found == {("pending", "inspected", False)}


def test_a_reader_that_is_not_understood_counts_as_passed():
    found = kinds("""
        async def f():
            results = await g()
            text = f"{results}"
            more = results + [1]
        """, {"results"})
    assert {kind for _, kind, _ in found} == {"passed"}


# -- following elements: loops, comprehensions, zip/enumerate ---------------------------------


def test_nested_loops_follow_elements_of_elements():
    found = kinds("""
        async def f(batches):
            for batch in batches:
                for task in batch:
                    task.cancel()
        """, {"batches"})
    assert ("batch", "iterated", True) in found and ("task", "cancelled", True) in found


def test_async_for_follows_elements():
    found = kinds("""
        async def f(results):
            async for r in results:
                await r
        """, {"results"})
    assert found == {("results", "iterated", False), ("r", "awaited", True)}


@pytest.mark.parametrize("comprehension", [
    "[r for r in results if not isinstance(r, BaseException)]",
    "{r for r in results if isinstance(r, BaseException)}",
    "{i: r for i, r in enumerate(results) if isinstance(r, BaseException)}",
    "any(isinstance(r, BaseException) for r in results)",
])
def test_comprehension_variables_are_elements(comprehension):
    found = kinds(f"""
        async def f():
            results = await g()
            kept = {comprehension}
        """, {"results"})
    assert ("results", "iterated", False) in found
    assert ("r", "tested", True) in found


@pytest.mark.parametrize("call", ["filter(lambda r: not isinstance(r, BaseException), results)",
                                  "map(lambda r: isinstance(r, BaseException), results)"])
def test_filter_and_map_lambdas_take_elements(call):
    found = kinds(f"""
        async def f():
            results = await g()
            kept = list({call})
        """, {"results"})
    assert ("r", "tested", True) in found


def test_lambda_parameter_is_an_element_only_inside_its_lambda():
    found = kinds("""
        async def f(other):
            results = await g()
            kept = list(filter(lambda r: r is not None, results))
            r = other()
            r.cancel()
        """, {"results"})
    assert ("r", "cancelled", True) not in found


def test_loop_variable_rebound_after_the_loop_is_not_an_element():
    found = kinds("""
        async def f(results, other):
            for r in results:
                pass
            r = other()
            r.cancel()
        """, {"results"})
    assert found == {("results", "iterated", False)}


def test_comprehension_that_cancels():
    found = kinds("""
        async def f(pending):
            [task.cancel() for task in pending]
        """, {"pending"})
    assert ("task", "cancelled", True) in found


def test_comprehension_variable_does_not_leak_out():
    found = kinds("""
        async def f(results):
            checked = [r for r in results if isinstance(r, BaseException)]
            r = other()
            r.cancel()
        """, {"results"})
    assert ("r", "cancelled", True) not in found


def test_comprehension_variable_shadows_a_same_named_outer_element():
    found = kinds("""
        async def f(results, others):
            for r in results:
                pass
            names = [r.cancel() for r in others]
        """, {"results"})
    assert found == {("results", "iterated", False)}


def test_comprehension_variable_shadows_the_collection_name():
    found = kinds("""
        async def f(other):
            done, pending = await g()
            names = [pending.get_name() for pending in done]
        """, {"pending"})
    assert found == set()


def test_inner_comprehension_variable_shadows_an_outer_comprehension_variable():
    found = kinds("""
        async def f(results, groups):
            x = [[r.cancel() for r in group] for r in results]
        """, {"results"})
    assert ("r", "cancelled", True) not in found


def test_first_iterable_of_a_comprehension_is_read_in_the_enclosing_scope():
    # `[item for item in item.children]`: the iterable `item.children` is evaluated
    # before the comprehension binds its own `item`, so it reads the outer element
    found = kinds("""
        async def f(results):
            for item in results:
                children = [item for item in item.children]
        """, {"results"})
    assert ("item", "attribute", True) in found


@pytest.mark.parametrize("loop, element", [
    ("for i, r in enumerate(results):", "r"),
    ("for url, r in zip(urls, results):", "r"),
    ("for r in reversed(results):", "r"),
    ("for r in sorted(results, key=str):", "r"),
    ("for r in list(results):", "r"),
])
def test_elements_through_zip_enumerate_and_copies_of_the_list(loop, element):
    found = kinds(f"""
        async def f(urls):
            results = await g()
            {loop}
                await {element}
        """, {"results"})
    assert ("results", "iterated", False) in found
    assert (element, "awaited", True) in found


def test_zip_of_an_element_name():
    found = kinds("""
        async def f(urls, results):
            for url, r in zip(urls, results):
                r.cancel()
        """, {"results"})
    assert ("r", "cancelled", True) in found
    assert not any(name == "url" and kind == "cancelled" for name, kind, _ in found)


# -- copies, walrus, match ----------------------------------------------------------------------


def test_copy_is_followed():
    found = kinds("""
        async def f():
            results = await g()
            kept = results
            for r in kept:
                r.cancel()
        """, {"results"})
    assert ("results", "copied", False) in found
    assert ("kept", "iterated", False) in found
    assert ("r", "cancelled", True) in found


def test_chained_and_annotated_copies():
    found = kinds("""
        async def f():
            results = await g()
            a = b = results
            c: list = results
            return a, len(b), c
        """, {"results"})
    assert ("a", "stored", False) in found  # in the returned tuple
    assert ("b", "inspected", False) in found
    assert ("c", "stored", False) in found


def test_copy_of_an_element_stays_an_element():
    found = kinds("""
        async def f(results):
            for r in results:
                task = r
                task.cancel()
        """, {"results"})
    assert ("task", "cancelled", True) in found


def test_walrus_copies():
    found = kinds("""
        async def f():
            done, pending = await g()
            if (left := pending):
                for task in left:
                    task.cancel()
        """, {"pending"})
    assert ("pending", "copied", False) in found
    assert ("left", "iterated", False) in found
    assert ("task", "cancelled", True) in found


def test_walrus_in_a_comprehension_condition():
    found = kinds("""
        async def f(results):
            bad = [e for r in results if (e := r.exception())]
        """, {"results"})
    assert ("r", "tested", True) in found


def test_match_captures_are_elements():
    found = kinds("""
        async def f():
            results = await g()
            match results:
                case [first, *rest]:
                    await first
                    return rest
        """, {"results"})
    assert ("results", "matched", False) in found
    assert ("first", "awaited", True) in found
    assert ("rest", "returned", True) in found


def test_match_capture_with_as():
    found = kinds("""
        async def f(results):
            for r in results:
                match r:
                    case {"status": status} as payload:
                        return payload
        """, {"results"})
    assert ("payload", "returned", True) in found


def test_match_class_pattern_is_a_type_test():
    # `case BaseException():` is isinstance(r, BaseException) written as a pattern
    found = kinds("""
        async def f(results):
            for r in results:
                match r:
                    case BaseException():
                        log(r)
                    case _:
                        pass
        """, {"results"})
    assert ("r", "tested", True) in found


# -- scope ---------------------------------------------------------------------------------------


def test_read_in_a_nested_function_counts():
    found = kinds("""
        async def f(loop):
            done, pending = await g()
            def stop_losers():
                for task in pending:
                    task.cancel()
            loop.call_soon(stop_losers)
        """, {"pending"})
    assert ("task", "cancelled", True) in found


def test_stores_are_not_uses():
    found = kinds("""
        async def f():
            done, pending = await g()
            pending = set()
            del done
        """, {"pending", "done"})
    assert found == set()


def test_unused_name_has_no_uses():
    assert uses("""
        async def f():
            done, pending = await g()
            return done
        """, {"pending"}) == []


def test_use_records_the_reading_name_node():
    [use] = uses("""
        async def f():
            results = await g()
            return results
        """, {"results"})
    assert isinstance(use.node, ast.Name) and use.node.id == "results" and use.node.lineno == 4
    assert isinstance(use.at, ast.Return)


# -- outcomes: gathers keeping exceptions -----------------------------------------------------------


@pytest.mark.parametrize("keyword, kept", [
    ("return_exceptions=True", True),
    ("return_exceptions=False", False),
    ("return_exceptions=flag", False),
    ("", False),
])
def test_keeps_exceptions(keyword, kept):
    call = ast.parse(f"asyncio.gather(a(), b(), {keyword})").body[0].value
    assert keeps_exceptions(call) is kept


def test_gather_outcomes():
    found = gathers_keeping_exceptions("""
        import asyncio
        import asyncio as aio
        from asyncio import gather as run_all

        async def f(self):
            await asyncio.gather(a(), b(), return_exceptions=True)
            results = await aio.gather(a(), b(), return_exceptions=True)
            user, orders = await run_all(a(), b(), return_exceptions=True)
            [first, second] = await asyncio.gather(a(), b(), return_exceptions=True)
            for r in await asyncio.gather(a(), b(), return_exceptions=True):
                pass
            kept = [r for r in await asyncio.gather(a(), b(), return_exceptions=True)]
            self.results = await asyncio.gather(a(), b(), return_exceptions=True)
            typed: list = await asyncio.gather(a(), b(), return_exceptions=True)
            await asyncio.gather(a(), b())
            await asyncio.gather(a(), b(), return_exceptions=flag)
            await other.gather(a(), b(), return_exceptions=True)
            return await asyncio.gather(a(), b(), return_exceptions=True)
        """)
    summary = [(o.call.lineno, o.how, o.names, o.elements) for o in found]
    assert summary == [
        (7, "discarded", set(), set()),
        (8, "assigned", {"results"}, set()),
        (9, "unpacked", set(), {"user", "orders"}),
        (10, "unpacked", set(), {"first", "second"}),
        (11, "iterated", set(), {"r"}),
        (13, "iterated", set(), {"r"}),
        (14, "other", set(), set()),
        (15, "assigned", {"typed"}, set()),
        (19, "returned", set(), set()),
    ]
    assert [ast.unparse(t) for t in found[2].targets] == ["user", "orders"]


def test_awaited_calls_skip_nested_functions_and_lambdas():
    found = gathers_keeping_exceptions("""
        import asyncio

        async def f():
            async def inner():
                await asyncio.gather(a(), b(), return_exceptions=True)
            later = lambda: asyncio.gather(a(), b(), return_exceptions=True)
            class Holder:
                async def method(self):
                    await asyncio.gather(a(), b(), return_exceptions=True)
            return inner, later, Holder
        """)
    assert found == []


# -- outcomes: waits leaving tasks pending -------------------------------------------------------


@pytest.mark.parametrize("keywords, imports, reason", [
    (", return_when=asyncio.FIRST_COMPLETED", "import asyncio", "FIRST_COMPLETED"),
    (", return_when=asyncio.FIRST_EXCEPTION", "import asyncio", "FIRST_EXCEPTION"),
    (", return_when=FIRST_COMPLETED", "import asyncio\nfrom asyncio import FIRST_COMPLETED", "FIRST_COMPLETED"),
    (", return_when=FAIL_FAST", "import asyncio\nfrom asyncio import FIRST_EXCEPTION as FAIL_FAST",
     "FIRST_EXCEPTION"),
    (", return_when=aio.FIRST_COMPLETED", "import asyncio\nimport asyncio as aio", "FIRST_COMPLETED"),
    (", return_when='FIRST_COMPLETED'", "import asyncio", "FIRST_COMPLETED"),
    (", return_when='FIRST_EXCEPTION'", "import asyncio", "FIRST_EXCEPTION"),
    (", return_when=concurrent.futures.FIRST_COMPLETED", "import asyncio\nimport concurrent.futures",
     "FIRST_COMPLETED"),
    (", timeout=5", "import asyncio", "timeout"),
    (", timeout=0", "import asyncio", "timeout"),
    (", timeout=deadline", "import asyncio", "timeout"),
    (", return_when=asyncio.ALL_COMPLETED, timeout=5", "import asyncio", "timeout"),
    (", return_when=asyncio.FIRST_COMPLETED, timeout=None", "import asyncio", "FIRST_COMPLETED"),
    ("", "import asyncio", None),
    (", timeout=None", "import asyncio", None),
    (", return_when=asyncio.ALL_COMPLETED", "import asyncio", None),
    (", return_when='ALL_COMPLETED'", "import asyncio", None),
    (", return_when=mode", "import asyncio", None),
])
def test_leaves_pending(keywords, imports, reason):
    assert reason_for(keywords, imports) == reason


def test_leaves_pending_through_a_module_constant_alias():
    # `RACE = asyncio.FIRST_COMPLETED` is an alias of the constant, bound once at module level
    assert reason_for(", return_when=RACE", "import asyncio\nRACE = asyncio.FIRST_COMPLETED") == "FIRST_COMPLETED"


def test_wait_outcomes():
    found = waits_leaving_pending("""
        import asyncio
        from asyncio import wait, FIRST_COMPLETED

        async def f(tasks):
            done, pending = await asyncio.wait(tasks, return_when=FIRST_COMPLETED)
            done, _ = await wait(tasks, timeout=1)
            (done, pending) = await asyncio.wait(tasks, timeout=2)
            await asyncio.wait(tasks, timeout=3)
            outcome = await asyncio.wait(tasks, timeout=4)
            done, pending = await asyncio.wait(tasks)
            await other.wait(tasks, timeout=5)
            return await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        """)
    summary = [(o.call.lineno, reason, o.how, [ast.unparse(t) for t in o.targets]) for o, reason in found]
    assert summary == [
        (6, "FIRST_COMPLETED", "unpacked", ["done", "pending"]),
        (7, "timeout", "unpacked", ["done", "_"]),
        (8, "timeout", "unpacked", ["done", "pending"]),
        (9, "timeout", "discarded", []),
        (10, "timeout", "assigned", ["outcome"]),
        (13, "FIRST_EXCEPTION", "returned", []),
    ]


def test_pending_of_a_wait_and_its_uses_together():
    """The two facts combined the way ASP304 combines them: the pending target's uses."""
    source = """
        import asyncio

        async def f(tasks):
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            log.info("%d left", len(pending))
            for task in pending:
                task.cancel()
        """
    [(outcome, _)] = waits_leaving_pending(source)
    pending = outcome.targets[1].id
    found = kinds(source, {pending})
    assert found == {("pending", "inspected", False), ("pending", "iterated", False), ("task", "cancelled", True)}
