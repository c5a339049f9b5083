"""The fixes of ASP103, ASP301 and ASP501, run: each program below is fixed by the real fixer at
test time, executed in a fresh namespace with asyncio.run, and shown to do the right thing.
Nothing here measures time."""
from __future__ import annotations

import asyncio
import gc
import sys
import textwrap

import pytest

from flake8_async_patterns.fixing import fix_source
from flake8_async_patterns.settings import Settings


def fixed(source: str, code: str, *, unsafe: bool = False, target_version=(3, 9)) -> str:
    source = textwrap.dedent(source)
    outcome = fix_source(source, f"<{code}>", Settings(target_version=target_version), frozenset({code}), unsafe)
    assert outcome.fixed and all(f.code == code for f in outcome.fixed), outcome.unfixed
    assert not outcome.unfixed, outcome.unfixed
    return outcome.new


def load(source: str) -> dict:
    namespace = {"__name__": "fixed_program"}
    exec(compile(textwrap.dedent(source), "<program>", "exec", dont_inherit=True), namespace)
    return namespace


# -- ASP501: the counter is exact ------------------------------------------------------------

LOST_UPDATE = """
import asyncio as aio


class Counter:
    def __init__(self):
        self.total = 0

    async def fetch(self):
        await aio.sleep(0)  # every add reaches this await before any of them writes
        return 1

    async def add(self):
        self.total += await self.fetch()


async def main():
    counter = Counter()
    await aio.gather(*(counter.add() for _ in range(50)))
    return counter.total
"""

LOST_UPDATE_SPELLED_OUT = LOST_UPDATE.replace("self.total += await self.fetch()",
                                              "self.total = self.total + await self.fetch()")


@pytest.mark.parametrize("program", [LOST_UPDATE, LOST_UPDATE_SPELLED_OUT], ids=["augmented", "spelled-out"])
def test_asp501_counter_is_exact_after_the_fix(program):
    assert asyncio.run(load(program)["main"]()) == 1  # every add read 0 before its await
    new = fixed(program, "ASP501")
    assert "await self.fetch()\n" in new and new != textwrap.dedent(program)
    assert asyncio.run(load(new)["main"]()) == 50


# -- ASP103: the set holds the task while it runs and lets go of it after ------------------

DANGLING = """
import asyncio as aio

log = []


async def work(started, release):
    started.set()
    await release.wait()
    log.append("work done")


async def spawn(started, release):
    aio.create_task(work(started, release))  # nobody keeps the task
"""


def test_asp103_task_is_kept_while_running_and_released_after():
    new = fixed(DANGLING, "ASP103")
    namespace = load(new)
    tasks = namespace["_background_tasks"]

    async def drive():
        started, release = aio_events = asyncio.Event(), asyncio.Event()
        await namespace["spawn"](*aio_events)
        await started.wait()
        assert len(tasks) == 1  # the set holds the only reference while it runs
        [task] = tasks
        assert not task.done()
        gc.collect()
        assert task in tasks and not task.done()
        release.set()
        await task
        await asyncio.sleep(0)  # let every done callback run
        return task

    task = asyncio.run(drive())
    assert task.done() and not task.cancelled()
    assert namespace["log"] == ["work done"]  # the work ran to the end
    assert tasks == set()  # add_done_callback(set.discard) let go of it


def test_asp103_unused_name_form_runs_the_same():
    program = DANGLING.replace("    aio.create_task(work(started, release))  # nobody keeps the task",
                               "    pending = aio.create_task(work(started, release))")
    new = fixed(program, "ASP103")
    assert "_background_tasks.add(pending)" in new
    namespace = load(new)

    async def drive():
        started, release = asyncio.Event(), asyncio.Event()
        await namespace["spawn"](started, release)
        await started.wait()
        running = set(namespace["_background_tasks"])
        release.set()
        for task in running:
            await task
        await asyncio.sleep(0)
        return running

    assert len(asyncio.run(drive())) == 1
    assert namespace["log"] == ["work done"]
    assert namespace["_background_tasks"] == set()


# -- ASP301: the failure is raised -----------------------------------------------------------

SWALLOWED = """
import asyncio as aio

log = []


async def ok():
    await aio.sleep(0)
    log.append("ok ran")


async def boom():
    await aio.sleep(0)
    raise ValueError("boom")


async def main():
    await aio.gather(ok(), boom(), ok(), return_exceptions=True)
    log.append("carried on")
"""


def test_asp301_unfixed_swallows_the_failure():
    namespace = load(SWALLOWED)
    asyncio.run(namespace["main"]())
    assert namespace["log"] == ["ok ran", "ok ran", "carried on"]


def test_asp301_is_not_applied_without_unsafe_fixes():
    source = textwrap.dedent(SWALLOWED)
    outcome = fix_source(source, "<ASP301>", Settings(), frozenset({"ASP301"}), unsafe=False)
    assert outcome.new == source
    assert [why for _, why in outcome.unfixed] == ["unsafe fix: run with --unsafe-fixes"]


def test_asp301_before_311_raises_the_first_failure():
    namespace = load(fixed(SWALLOWED, "ASP301", unsafe=True, target_version=(3, 9)))
    with pytest.raises(ValueError, match="boom"):
        asyncio.run(namespace["main"]())
    assert namespace["log"] == ["ok ran", "ok ran"]  # every awaitable ran, then the failure surfaced


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception groups need Python 3.11")
def test_asp301_from_311_raises_an_exception_group_of_the_failures():
    new = fixed(SWALLOWED.replace("ok(), return_exceptions", "boom(), return_exceptions"), "ASP301",
                unsafe=True, target_version=(3, 11))
    namespace = load(new)
    with pytest.raises(ExceptionGroup) as raised:  # noqa: F821 (3.11+)
        asyncio.run(namespace["main"]())
    assert [str(e) for e in raised.value.exceptions] == ["boom", "boom"]
    assert namespace["log"] == ["ok ran"]


CANCELLED_SIBLING = SWALLOWED.replace('''async def main():''', '''async def cancelled():
    await aio.sleep(0)
    raise aio.CancelledError()  # gather(return_exceptions=True) returns it as a value


async def main():''').replace("ok(), boom(), ok(),", "ok(), boom(), cancelled(),")


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception groups need Python 3.11")
def test_asp301_a_cancelled_sibling_is_raised_too_not_a_type_error():
    """ExceptionGroup refuses a CancelledError (a BaseException); the fix's BaseExceptionGroup takes it."""
    namespace = load(fixed(CANCELLED_SIBLING, "ASP301", unsafe=True, target_version=(3, 11)))
    with pytest.raises(BaseExceptionGroup) as raised:  # noqa: F821 (3.11+)
        asyncio.run(namespace["main"]())
    group = raised.value
    assert not isinstance(group, ExceptionGroup)  # noqa: F821
    assert [type(e) for e in group.exceptions] == [ValueError, asyncio.CancelledError]
