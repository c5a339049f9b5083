"""The fan-out fixes, run: the fixed programs do the same work with bounded concurrency."""
from __future__ import annotations

import asyncio
import contextlib
import io
import sys
import textwrap

import pytest

from flake8_async_patterns.fixing import fix_source
from flake8_async_patterns.registry import enabled_codes
from flake8_async_patterns.settings import Settings

PROGRAM = textwrap.dedent("""
    import asyncio

    running = 0
    peak = 0
    done = []


    async def fetch(url):
        global running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        running -= 1
        done.append(url)
        return url.upper()


    async def crawl(urls):
        return await asyncio.gather(*(fetch(u) for u in urls))
""")


def run(source: str, urls: list[str]):
    namespace: dict = {}
    exec(compile(source, "<fixed>", "exec"), namespace)
    results = asyncio.run(namespace["crawl"](urls))
    return results, namespace["peak"], namespace["done"]


def fixed(source: str, unsafe: bool = False, **options) -> str:
    outcome = fix_source(source, "program.py", Settings(concurrency=3), enabled_codes(), unsafe, options)
    assert outcome.changed, outcome.unfixed
    return outcome.new


def test_asp201_fix_bounds_concurrency_and_keeps_order():
    urls = [f"u{i}" for i in range(40)]
    results, peak, done = run(PROGRAM, urls)
    assert peak == 40  # before: everything at once
    new = fixed(PROGRAM, unsafe=True)
    assert "Semaphore(3)" in new
    results_after, peak_after, done_after = run(new, urls)
    assert results_after == results == [u.upper() for u in urls]  # same results, same order
    assert peak_after == 3
    assert sorted(done_after) == sorted(urls)  # all the work ran


DISCARDED = textwrap.dedent("""
    import asyncio

    sent = []


    async def notify(user):
        await asyncio.sleep(0)
        sent.append(user)


    async def main(users):
        [notify(u) for u in users]
        for user in users:
            notify(user)
""")


@pytest.mark.filterwarnings("ignore:coroutine 'notify' was never awaited:RuntimeWarning")
def test_asp102_discarded_coroutines_now_run_and_stay_bounded():
    users = [f"user{i}" for i in range(12)]
    namespace: dict = {}
    exec(compile(DISCARDED, "<before>", "exec"), namespace)
    asyncio.run(namespace["main"](users))
    assert namespace["sent"] == []  # before the fix nothing ran
    new = fixed(DISCARDED, unsafe=True, fix_style="gather")
    namespace = {}
    exec(compile(new, "<fixed>", "exec"), namespace)
    asyncio.run(namespace["main"](users))
    assert sorted(namespace["sent"]) == sorted(users * 2)  # both fan-outs ran every notification
    assert "Semaphore(3)" in new  # and the gathers were bounded


NESTED = textwrap.dedent("""
    import asyncio

    seen = []


    async def part(user, kind):
        await asyncio.sleep(0)
        seen.append((user, kind))


    async def main(users):
        await asyncio.gather(*(asyncio.gather(part(u, "a"), part(u, "b")) for u in users[:4]))
""")


def test_asp401_flattened_gather_runs_the_same_work():
    new = fixed(NESTED)
    assert new.count("gather(") == 1
    namespace: dict = {}
    exec(compile(new, "<fixed>", "exec"), namespace)
    asyncio.run(namespace["main"](["x", "y", "z", "w", "v"]))
    assert sorted(namespace["seen"]) == sorted((u, k) for u in "xyzw" for k in "ab")


MEETING = textwrap.dedent("""
    import asyncio


    async def arrive(barrier, index):
        await barrier.wait()
        return index


    async def main(count):
        barrier = asyncio.Barrier(count)
        arrived = await asyncio.wait_for(asyncio.gather(*(arrive(barrier, i) for i in range(count))), 2)
        print(len(arrived))
""")


def printed(source: str, count: int) -> str:
    namespace: dict = {}
    exec(compile(source, "<program>", "exec"), namespace)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            asyncio.run(namespace["main"](count))
        except (asyncio.TimeoutError, TimeoutError):
            print("timed out")
    return out.getvalue().strip()


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.Barrier is new in Python 3.11")
@pytest.mark.filterwarnings("ignore:coroutine .arrive. was never awaited:RuntimeWarning")  # the timed-out run
def test_awaitables_meeting_at_a_barrier_are_left_unbounded():
    assert printed(MEETING, 20) == "20"
    # what a bound of 10 does to them: ten wait at the barrier for ten that never get a slot
    bounded_by_hand = MEETING.replace(
        "    barrier = asyncio.Barrier(count)\n",
        "    barrier = asyncio.Barrier(count)\n    slots = asyncio.Semaphore(10)\n\n"
        "    async def bounded(awaitable):\n        async with slots:\n            return await awaitable\n",
    ).replace("(arrive(barrier, i) for", "(bounded(arrive(barrier, i)) for")
    assert printed(bounded_by_hand, 20) == "timed out"
    outcome = fix_source(MEETING, "program.py", Settings(concurrency=10), enabled_codes(), True, {})
    assert not outcome.changed
    [(finding, why)] = [(f, w) for f, w in outcome.unfixed if f.code == "ASP201"]
    assert "wait on each other" in why and "Barrier" in why
    assert printed(outcome.new, 20) == "20"
