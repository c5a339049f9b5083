"""Behaviour after the fix: ASP303, ASP304, ASP402, ASP403, ASP601.

Each program is fixed at test time by `fix_source` (never a hand-written "after"), then run in a
fresh namespace with `asyncio.run`, and what it does is asserted: the losers are cancelled, the
sleeps interleave, the cancellation is caught, the results stay the same.  No test times anything.
"""
from __future__ import annotations

import asyncio
import gc
import textwrap
import warnings

from flake8_async_patterns.fixing import fix_source
from flake8_async_patterns.registry import enabled_codes
from flake8_async_patterns.settings import Settings


def fixed(source: str, code: str, unsafe: bool = False) -> str:
    """The fixed program; the fix must have removed every finding of `code` and changed the text."""
    source = textwrap.dedent(source)
    outcome = fix_source(source, f"<{code}>", Settings(), enabled_codes(), unsafe)
    assert outcome.error is None
    assert outcome.changed, f"{code} fixed nothing"
    assert [f for f in outcome.fixed if f.code == code], outcome.unfixed
    assert not [f for f, _ in outcome.unfixed if f.code == code], outcome.unfixed
    assert {f.code for f in outcome.fixed} == {code}, "only the rule under test may fire here"
    return outcome.new


def run(source: str, entry: str = "main", *args):
    namespace: dict = {"__name__": "fixed_program"}
    exec(compile(source, "<fixed>", "exec"), namespace)
    return asyncio.run(namespace[entry](*args)), namespace


RACE = """
    import asyncio

    STARTED = []


    async def mirror(delay, name):
        STARTED.append(asyncio.current_task())
        await asyncio.sleep(delay)
        return name


    async def main():
        done, _ = await asyncio.wait(
            [asyncio.create_task(mirror(0, "fast")), asyncio.create_task(mirror(60, "slow"))],
            return_when=asyncio.FIRST_COMPLETED,
        )
        await asyncio.sleep(0)  # let a cancellation land
        await asyncio.sleep(0)
        # asyncio.run cancels what is left when main returns: look before that
        return done.pop().result(), [task.cancelled() for task in STARTED]
"""


def test_asp304_the_losers_are_cancelled():
    program = fixed(RACE, "ASP304")
    assert "_ =" not in program
    before, _ = run(textwrap.dedent(RACE))
    after, _ = run(program)
    assert before == ("fast", [False, False])  # the slow mirror was still running
    assert after == ("fast", [False, True])


def test_asp304_statement_form_cancels_after_the_timeout():
    program = fixed("""
        import asyncio as aio

        STARTED = []


        async def slow():
            STARTED.append(aio.current_task())
            await aio.sleep(60)


        async def main():
            await aio.wait([aio.create_task(slow())], timeout=0.01)
            await aio.sleep(0)
            await aio.sleep(0)
            return [task.cancelled() for task in STARTED]
    """, "ASP304")
    assert "pending = await aio.wait(" in program
    result, _ = run(program)
    assert result == [True]


def test_asp601_time_sleep_no_longer_blocks_the_loop():
    program = fixed("""
        import time
        from time import sleep as nap
        import asyncio

        EVENTS = []


        async def sleeper(name, first, second):
            EVENTS.append(f"{name} starts")
            time.sleep(first)
            EVENTS.append(f"{name} wakes")
            nap(second)
            EVENTS.append(f"{name} ends")


        async def main():
            await asyncio.gather(sleeper("a", 0.02, 0.02), sleeper("b", 0.01, 0.04))
    """, "ASP601")
    assert "time.sleep(" not in program and "nap(" not in program
    _, namespace = run(program)
    events = namespace["EVENTS"]
    # while a sleeps, b starts: the sleeps share the loop (with time.sleep, a would end first)
    assert events.index("b starts") < events.index("a wakes")
    assert events[:2] == ["a starts", "b starts"]
    assert sorted(events) == sorted(f"{n} {w}" for n in "ab" for w in ("starts", "wakes", "ends"))


def test_asp601_blocking_call_runs_in_a_thread_with_unsafe_fixes():
    # the child process waits for a line that only the other task writes: before the fix the
    # loop would be stuck in subprocess.run, after it the other task runs meanwhile
    program = fixed("""
        import asyncio
        import os
        import subprocess
        import sys

        EVENTS = []


        async def ticker(write_end):
            await asyncio.sleep(0)
            EVENTS.append("tick while the child runs")
            os.write(write_end, b"go\\n")


        async def child(read_end):
            subprocess.run([sys.executable, "-c", "import sys; sys.stdin.readline()"], stdin=read_end, check=True)
            EVENTS.append("child done")


        async def main():
            read_end, write_end = os.pipe()
            try:
                await asyncio.gather(child(read_end), ticker(write_end))
            finally:
                os.close(read_end)
                os.close(write_end)
    """, "ASP601", unsafe=True)
    assert "await asyncio.to_thread(subprocess.run, [sys.executable" in program
    _, namespace = run(program)
    assert namespace["EVENTS"] == ["tick while the child runs", "child done"]


def test_asp303_the_check_now_catches_a_cancellation():
    program = fixed("""
        import asyncio


        async def work(n):
            await asyncio.sleep(0)
            return n


        async def stuck():
            await asyncio.sleep(60)


        async def main():
            hanging = asyncio.create_task(stuck())
            asyncio.get_running_loop().call_soon(hanging.cancel)
            results = await asyncio.gather(work(1), hanging, return_exceptions=True)
            failed = [r for r in results if isinstance(r, Exception)]
            succeeded = [r for r in results if not isinstance(r, (ValueError, Exception))]
            return results, failed, succeeded
    """, "ASP303")
    (results, failed, succeeded), _ = run(program)
    assert isinstance(results[1], asyncio.CancelledError)
    assert failed == [results[1]]
    assert succeeded == [1]


PROGRAMS_402 = """
    import asyncio
    from asyncio import gather

    CALLS = []


    async def send(n):
        await asyncio.sleep(0)
        CALLS.append(n)
        return n * 10


    async def main():
        await asyncio.gather(send(1))
        [one] = await asyncio.gather(send(2))
        two, = await gather(send(3), return_exceptions=False)
        listed = await asyncio.gather(send(4))
        await asyncio.gather()
        nothing = await asyncio.gather()
        return one, two, listed, nothing, list(CALLS)
"""


def test_asp402_same_results_as_before():
    source = textwrap.dedent(PROGRAMS_402)
    program = fixed(PROGRAMS_402, "ASP402")
    assert "gather(" not in program.split("async def main", 1)[1]
    before, _ = run(source)
    after, _ = run(program)
    assert after == before == (20, 30, [40], [], [1, 2, 3, 4])


def test_asp402_errors_still_raise():
    program = fixed("""
        import asyncio


        async def fail():
            await asyncio.sleep(0)
            raise KeyError("boom")


        async def main():
            try:
                [value] = await asyncio.gather(fail())
            except KeyError as error:
                return f"caught {error}"
            return value
    """, "ASP402")
    assert run(program)[0] == "caught 'boom'"


def test_asp403_same_results_and_now_concurrent():
    source = textwrap.dedent("""
        import asyncio

        EVENTS = []


        async def fetch(name, gate, opens):
            EVENTS.append(f"{name} starts")
            if gate is not None:
                await gate.wait()
            if opens is not None:
                opens.set()
            await asyncio.sleep(0)
            return name.upper()


        async def main():
            gate = asyncio.Event()
            # the account waits for the orders to start: only concurrent code can finish
            results = await asyncio.gather(await fetch("account", gate, None), fetch("orders", None, gate))
            task = asyncio.create_task(await fetch("profile", None, None))
            done, _ = await asyncio.wait([await fetch("avatar", None, None)])
            return results, await task, [t.result() for t in done], list(EVENTS)
    """)
    program = fixed(source, "ASP403")
    assert "await fetch" not in program
    result, _ = run(program)
    assert result[:3] == (["ACCOUNT", "ORDERS"], "PROFILE", ["AVATAR"])
    assert result[3][:2] == ["account starts", "orders starts"]


def test_asp403_before_the_fix_the_program_is_broken():
    """The same gather before the fix: the awaited result is not awaitable, gather raises."""
    source = textwrap.dedent("""
        import asyncio


        async def fetch(name):
            await asyncio.sleep(0)
            return name.upper()


        async def main():
            try:
                return await asyncio.gather(await fetch("account"), fetch("orders"))
            except TypeError:
                return "TypeError"
    """)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 'fetch' was never awaited
        before = run(source)[0]
        gc.collect()
    assert before == "TypeError"
    after, _ = run(fixed(source, "ASP403"))
    assert after == ["ACCOUNT", "ORDERS"]


USED_AS_RESULT = """
    import asyncio


    class Repository:
        async def get_user(self, uid):
            await asyncio.sleep(0)
            return {"id": uid, "name": "ada"}


    class Service:
        def __init__(self, repo: Repository):
            self.repo = repo

        async def user(self, uid):
            return self.repo.get_user(uid)


    async def main():
        repo = Repository()
        first = repo.get_user(1)["name"]
        user = await Service(repo).user(2)
        return first, user["id"]
"""


def test_asp101_a_coroutine_used_as_its_result_now_gives_the_result():
    import pytest

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(TypeError):  # before: 'coroutine' object is not subscriptable
            run(textwrap.dedent(USED_AS_RESULT))
        gc.collect()
    result, _ = run(fixed(USED_AS_RESULT, "ASP101"))
    assert result == ("ada", 2)
