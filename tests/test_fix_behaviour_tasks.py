"""ASP103's fix of the shapes one step removed, run: a helper that returns a task, an awaited
`async def` that returns one, a display of tasks and a gather nobody awaits.  Each program is
fixed at test time by the real fixer, executed in a fresh namespace, and shown to do the right
thing: the work waits on a future that only its task refers to, so a garbage collection in
the middle destroys a task nobody holds; after the fix every task survives it, completes, and
its result or exception can be seen through the set that keeps it.  Nothing here measures time."""
from __future__ import annotations

import asyncio
import gc
import textwrap
import warnings

import pytest

from flake8_async_patterns.fixing import fix_source
from flake8_async_patterns.settings import Settings

WORK = """
import asyncio
import weakref

waiting = weakref.WeakSet()  # the test releases the work through these, without keeping it
done = []


async def work(name, fail=False):
    future = asyncio.get_running_loop().create_future()
    waiting.add(future)
    await future  # nothing but this task refers to the future
    if fail:
        raise RuntimeError(name)
    done.append(name)
    return name


def spawn(coro):
    return asyncio.create_task(coro)


async def start(coro) -> asyncio.Task:
    await asyncio.sleep(0)
    return asyncio.ensure_future(coro)
"""

PROGRAMS = {
    "helper": WORK + """
async def main():
    spawn(work("a"))
    spawn(work("b", fail=True))
""",
    "awaited helper": WORK + """
async def main():
    await start(work("a"))
    await start(work("b", fail=True))
""",
    "display": WORK + """
async def main():
    [spawn(work("a")), asyncio.create_task(work("b", fail=True))]
""",
    "comprehension": WORK + """
async def main():
    [spawn(work(name, fail=name == "b")) for name in ("a", "b")]
""",
    "gather": WORK + """
async def main():
    asyncio.gather(work("a"), work("b", fail=True), return_exceptions=True)
""",
}


def fixed(source: str) -> str:
    source = textwrap.dedent(source)
    outcome = fix_source(source, "<ASP103>", Settings(), frozenset({"ASP103"}), False)
    assert outcome.fixed and all(f.code == "ASP103" for f in outcome.fixed), outcome.unfixed
    assert not outcome.unfixed, outcome.unfixed
    return outcome.new


def load(source: str) -> dict:
    namespace = {"__name__": "fixed_program"}
    exec(compile(source, "<program>", "exec", dont_inherit=True), namespace)
    return namespace


async def drive(namespace: dict) -> list:
    """Start the program, collect garbage while its work waits, then release the work that
    is still there and return the futures the program kept (its set of tasks, if any)."""
    await namespace["main"]()
    for _ in range(5):
        await asyncio.sleep(0)  # let every task reach its wait
    gc.collect()
    for future in list(namespace["waiting"]):
        future.set_result(None)
    for _ in range(5):
        await asyncio.sleep(0)
    return list(namespace.get("_background_tasks", ()))


@pytest.mark.parametrize("shape", PROGRAMS)
def test_before_the_fix_a_collection_destroys_the_work(shape):
    namespace = load(textwrap.dedent(PROGRAMS[shape]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Task was destroyed but it is pending!"
        asyncio.run(drive(namespace))
    assert namespace["done"] == []  # nobody held the tasks: the work never finished


@pytest.mark.parametrize("shape", PROGRAMS)
def test_after_the_fix_the_work_completes_and_its_outcome_is_seen(shape):
    new = fixed(PROGRAMS[shape])
    namespace = load(new)
    kept = asyncio.run(drive(namespace))
    assert namespace["done"] == ["a"]  # the work ran to the end
    assert kept == []  # add_done_callback(set.discard) let go of every finished task


@pytest.mark.parametrize("shape", ["helper", "display"])
def test_the_kept_tasks_can_be_awaited_for_their_result_and_error(shape):
    namespace = load(fixed(PROGRAMS[shape]))

    async def main():
        await namespace["main"]()
        tasks = list(namespace["_background_tasks"])  # held while they run
        gc.collect()
        for _ in range(5):
            await asyncio.sleep(0)
        for future in list(namespace["waiting"]):
            future.set_result(None)
        return await asyncio.gather(*tasks, return_exceptions=True)

    outcomes = asyncio.run(main())
    assert "a" in outcomes
    assert [type(o) for o in outcomes if not isinstance(o, str)] == [RuntimeError]  # the failure is seen
