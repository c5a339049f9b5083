"""The unsafe fixes of the opt-in rules, run: what changes is what they promise."""
from __future__ import annotations

import asyncio
import sys
import textwrap

import pytest

from flake8_async_patterns.fixing import fix_source
from flake8_async_patterns.registry import enabled_codes
from flake8_async_patterns.settings import Settings

ORDER = textwrap.dedent("""
    import asyncio

    events = []


    async def reserve(order):
        try:
            await asyncio.sleep(10)
            events.append("reserved")
        except asyncio.CancelledError:
            events.append("reserve cancelled")
            raise


    async def charge(order):
        await asyncio.sleep(0)
        raise RuntimeError("card declined")


    async def place(order):
        try:
            outcome = await asyncio.gather(reserve(order), charge(order))
        except Exception:
            events.append("failed")
            return None
        return outcome


    async def main():
        result = await place("o-1")
        await asyncio.sleep(0)
        return result
""")


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.TaskGroup needs Python 3.11")
def test_asp305_taskgroup_fix_cancels_the_sibling_that_gather_orphaned():
    before: dict = {}
    exec(compile(ORDER, "<before>", "exec"), before)
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(before["main"]()) is None
        assert before["events"] == ["failed"]  # reserve() still running, unsupervised
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        assert pending  # the orphan
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    finally:
        loop.close()
    outcome = fix_source(ORDER, "order.py", Settings(target_version=(3, 11)),
                         enabled_codes(extend_select=["ASP305"]), True)
    assert "TaskGroup" in outcome.new
    after: dict = {}
    exec(compile(outcome.new, "<after>", "exec"), after)
    assert asyncio.run(after["main"]()) is None
    assert after["events"] == ["reserve cancelled", "failed"]  # the sibling is cancelled first


LOADER = textwrap.dedent("""
    import asyncio

    active = 0
    peak = 0


    async def fetch(user_id):
        global active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0)
        active -= 1
        return {"id": user_id}


    async def load(user_ids):
        profiles = {}
        for user_id in user_ids:
            profiles[user_id] = await fetch(user_id)
        return profiles
""")


def test_asp203_fix_runs_items_concurrently_with_the_same_result():
    before: dict = {}
    exec(compile(LOADER, "<before>", "exec"), before)
    expected = asyncio.run(before["load"](list(range(20))))
    assert before["peak"] == 1
    outcome = fix_source(LOADER, "loader.py", Settings(concurrency=4), enabled_codes(extend_select=["ASP203"]), True)
    after: dict = {}
    exec(compile(outcome.new, "<after>", "exec"), after)
    assert asyncio.run(after["load"](list(range(20)))) == expected
    assert after["peak"] == 4  # concurrent, and bounded by the semaphore the next pass added


DASHBOARD = textwrap.dedent("""
    import asyncio

    started = []


    async def fetch_user(uid):
        started.append("user")
        await asyncio.sleep(0)
        return {"id": uid}


    async def fetch_orders(uid):
        started.append("orders")
        await asyncio.sleep(0)
        return [uid]


    async def dashboard(uid):
        user = await fetch_user(uid)
        orders = await fetch_orders(uid)
        return user, orders
""")


def test_asp204_fix_gathers_with_the_same_results():
    outcome = fix_source(DASHBOARD, "dash.py", Settings(), enabled_codes(extend_select=["ASP204"]), True)
    assert "gather(fetch_user(uid), fetch_orders(uid))" in outcome.new
    before: dict = {}
    exec(compile(DASHBOARD, "<before>", "exec"), before)
    after: dict = {}
    exec(compile(outcome.new, "<after>", "exec"), after)
    assert asyncio.run(after["dashboard"](7)) == asyncio.run(before["dashboard"](7))
    assert after["started"] == ["user", "orders"]  # both started before either finished


SAVER = textwrap.dedent("""
    import asyncio

    saved = []


    async def save(record):
        await asyncio.sleep(0)
        saved.append(record)


    async def handle(records):
        for record in records:
            save(record)
        return len(records)
""")


@pytest.mark.filterwarnings("ignore:coroutine 'save' was never awaited:RuntimeWarning")
def test_missing_await_fix_makes_the_work_run_in_order():
    before: dict = {}
    exec(compile(SAVER, "<before>", "exec"), before)
    asyncio.run(before["handle"](["a", "b", "c"]))
    assert before["saved"] == []  # never ran
    outcome = fix_source(SAVER, "saver.py", Settings(), enabled_codes())  # safe fixes only
    after: dict = {}
    exec(compile(outcome.new, "<after>", "exec"), after)
    asyncio.run(after["handle"](["a", "b", "c"]))
    assert after["saved"] == ["a", "b", "c"]  # ran, one after another as written
