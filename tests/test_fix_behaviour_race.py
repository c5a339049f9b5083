"""ASP304's fix, run on races over tasks held in local names.

Each program is fixed at test time by `fix_source`, then run with `asyncio.run`; the racers note in
a list whether they finished or were cancelled (in their `finally`), and `main` looks at that list
before it returns (asyncio.run cancels whatever is left once `main` is done).  The unfixed program
is run too, to show the losers really were left running.  No test times anything.
"""
from __future__ import annotations

import asyncio
import textwrap

from flake8_async_patterns.fixing import fix_source
from flake8_async_patterns.registry import enabled_codes
from flake8_async_patterns.settings import Settings

RACERS = """
    import asyncio

    EVENTS = []


    async def racer(name, delay):
        try:
            await asyncio.sleep(delay)
            EVENTS.append(f"{name} finished")
            return name
        except asyncio.CancelledError:
            EVENTS.append(f"{name} cancelled")
            raise


    async def settle():
        for _ in range(3):  # let cancellations land
            await asyncio.sleep(0)
"""


def fixed(source: str) -> str:
    """The fixed program: every ASP304 finding fixed, and nothing else."""
    outcome = fix_source(source, "<race>", Settings(), enabled_codes(), False)
    assert outcome.error is None
    assert not [f for f, _ in outcome.unfixed if f.code == "ASP304"], outcome.unfixed
    assert [f.code for f in outcome.fixed] and {f.code for f in outcome.fixed} == {"ASP304"}
    return outcome.new


def run(source: str):
    namespace: dict = {"__name__": "race_program"}
    exec(compile(source, "<race>", "exec"), namespace)
    result = asyncio.run(namespace["main"]())
    return result, namespace["EVENTS"]


def program(main: str) -> str:
    return textwrap.dedent(RACERS) + textwrap.dedent(main)


def test_named_losers_are_cancelled():
    source = program("""
        async def main():
            fast = asyncio.create_task(racer("fast", 0))
            slow = asyncio.create_task(racer("slow", 60))
            done, _ = await asyncio.wait({fast, slow}, return_when=asyncio.FIRST_COMPLETED)
            await settle()
            return done.pop().result(), list(EVENTS)
    """)
    after = fixed(source)
    assert "done, pending = await asyncio.wait({fast, slow}" in after
    assert run(source)[0] == ("fast", ["fast finished"])  # the slow one was still running
    assert run(after)[0] == ("fast", ["fast finished", "slow cancelled"])


def test_tasks_appended_to_a_local_list_are_cancelled_after_the_timeout():
    source = program("""
        async def main():
            attempts = []
            for name, delay in (("a", 60), ("b", 60), ("c", 0)):
                attempts.append(asyncio.create_task(racer(name, delay)))
            done, pending = await asyncio.wait(attempts, timeout=0.01)
            await settle()
            return len(done), sorted(EVENTS)
    """)
    after = fixed(source)
    assert run(source)[0] == (1, ["c finished"])
    assert run(after)[0] == (1, ["a cancelled", "b cancelled", "c finished"])


def test_only_our_own_tasks_are_cancelled_beside_a_future_made_elsewhere():
    source = program("""
        async def wait_for_message(closed):
            incoming = asyncio.create_task(racer("incoming", 60))
            done, _ = await asyncio.wait([incoming, closed], return_when=asyncio.FIRST_COMPLETED)
            return incoming in done


        async def main():
            closed = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().call_soon(closed.set_result, None)
            got_message = await wait_for_message(closed)
            await settle()
            return got_message, closed.cancelled(), list(EVENTS)
    """)
    after = fixed(source)
    assert "incoming.cancel()" in after and "for task in" not in after
    assert run(source)[0] == (False, False, [])
    assert run(after)[0] == (False, False, ["incoming cancelled"])  # the caller's future is left alone


def test_a_new_pair_each_turn_leaves_no_waiter_behind():
    source = program("""
        async def relay(stop, messages, delivered):
            while True:
                incoming = asyncio.create_task(messages.get())
                stopping = asyncio.create_task(stop.wait())
                done, pending = await asyncio.wait({incoming, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if stopping in done:
                    return
                delivered.append(incoming.result())


        def others():
            return [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]


        async def main():
            stop, messages, delivered = asyncio.Event(), asyncio.Queue(), []
            for message in ("hello", "world"):
                messages.put_nowait(message)
            relay_task = asyncio.create_task(relay(stop, messages, delivered))
            while len(delivered) < 2:
                await asyncio.sleep(0)
            await settle()  # the relay is in its third turn, waiting on its new pair
            running = len(others()) - 1
            stop.set()
            await relay_task
            await settle()
            return delivered, running, len(others())
    """)
    after = fixed(source)
    # unfixed, every turn that delivers leaves its stop.wait() behind, and the last turn its
    # messages.get(), which nothing will ever finish
    assert run(source)[0] == (["hello", "world"], 4, 1)
    assert run(after)[0] == (["hello", "world"], 2, 0)


def test_the_pair_kept_whole_in_a_one_line_block():
    source = program("""
        async def main():
            fast = asyncio.create_task(racer("fast", 0))
            slow = asyncio.create_task(racer("slow", 60))
            if fast: outcome = await asyncio.wait((fast, slow), return_when=asyncio.FIRST_COMPLETED)
            await settle()
            return list(EVENTS)
    """)
    after = fixed(source)
    assert "in outcome[1]:" in after
    assert run(source)[0] == ["fast finished"]
    assert run(after)[0] == ["fast finished", "slow cancelled"]


def test_a_second_fix_changes_nothing():
    source = program("""
        async def main():
            task = asyncio.create_task(racer("fast", 0))
            other = asyncio.create_task(racer("slow", 60))
            try:
                done, _ = await asyncio.wait([task, other], timeout=1)
            finally:
                await settle()
            return sorted(EVENTS)
    """)
    after = fixed(source)
    assert "for task_2 in pending:" in after  # `task` is the function's own name
    assert run(after)[0] == ["fast finished", "slow cancelled"]
    again = fix_source(after, "<race>", Settings(), enabled_codes(), False)
    assert not again.changed
