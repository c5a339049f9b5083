"""Eval file for ASP304 pending-tasks-leaked.  Parsed, never run.

A mirror-racing download client and a small connection supervisor: the
`Promise.race` pattern in asyncio.  Positives carry `# error: ASP304`: an
`asyncio.wait()` that can return early (FIRST_COMPLETED, FIRST_EXCEPTION or a
timeout) over tasks made for that wait, whose pending set is then dropped.
Every other wait is a negative that must stay silent.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
import concurrent.futures
import logging
from asyncio import FIRST_COMPLETED
from asyncio import FIRST_EXCEPTION as FAIL_FAST
from asyncio import create_task, wait

from mirrorlib import wait as wait_for_mirrors  # another library's wait, not asyncio's

log = logging.getLogger(__name__)
_LIMIT = asyncio.Semaphore(8)
MIRRORS = ("https://eu.example.org", "https://us.example.org", "https://ap.example.org")


async def download(mirror: str, path: str) -> bytes:
    async with _LIMIT:
        await asyncio.sleep(0.01)
        return (mirror + path).encode()


async def probe(host: str) -> float:
    async with _LIMIT:
        await asyncio.sleep(0.01)
        return 0.01


async def heartbeat(interval: float) -> None:
    while True:
        await asyncio.sleep(interval)


async def read_frames(reader) -> None:
    await asyncio.sleep(0)


async def write_frames(writer) -> None:
    await asyncio.sleep(0)


def cancel_all(tasks) -> None:
    for task in tasks:
        task.cancel()


# -- positives: the losers of the race keep running ---------------------------------------


async def fastest_copy(path: str) -> bytes:
    done, pending = await asyncio.wait(  # error: ASP304
        [asyncio.create_task(download(MIRRORS[0], path)), asyncio.create_task(download(MIRRORS[1], path))],
        return_when=asyncio.FIRST_COMPLETED,
    )
    return done.pop().result()


async def fastest_copy_underscore(path: str) -> bytes:
    done, _ = await asyncio.wait([create_task(download(MIRRORS[0], path)),  # error: ASP304
                                  create_task(download(MIRRORS[2], path))], return_when=FIRST_COMPLETED)
    return next(iter(done)).result()


async def fastest_copy_counted(path: str) -> bytes:
    done, pending = await asyncio.wait(  # error: ASP304
        [create_task(download(MIRRORS[1], path)), create_task(download(MIRRORS[2], path))],
        return_when=FIRST_COMPLETED)
    log.debug("%d mirrors still downloading", len(pending))  # only counted, never cancelled
    return done.pop().result()


async def fastest_copy_if_pending(path: str) -> bytes:
    done, pending = await asyncio.wait(  # error: ASP304
        [create_task(download(m, path)) for m in MIRRORS], return_when=FIRST_COMPLETED)
    if pending:  # a truth test does not stop them
        log.info("slow mirrors left behind")
    return done.pop().result()


async def fail_fast_pair(path: str) -> None:
    done, pending = await asyncio.wait(  # error: ASP304
        [create_task(download(MIRRORS[0], path)), create_task(probe("eu.example.org"))],
        return_when=asyncio.FIRST_EXCEPTION,
    )
    for task in done:
        task.result()


async def fail_fast_alias(path: str) -> None:
    done, _ = await wait([create_task(download(MIRRORS[0], path)),  # error: ASP304
                          create_task(download(MIRRORS[1], path))], return_when=FAIL_FAST)
    for task in done:
        task.result()


async def within_deadline(path: str) -> set:
    done, pending = await asyncio.wait(  # error: ASP304
        [create_task(download(m, path)) for m in MIRRORS], timeout=2.5)
    return done


async def warm_mirrors() -> None:
    # the statement form: nothing keeps the tasks once the timeout expires
    await asyncio.wait([create_task(probe("eu.example.org")), create_task(probe("us.example.org"))],  # error: ASP304
                       timeout=1.0)


async def module_alias_race(path: str) -> bytes:
    done, pending = await aio.wait(  # error: ASP304
        [aio.ensure_future(download(MIRRORS[0], path)), aio.ensure_future(download(MIRRORS[1], path))],
        return_when=aio.FIRST_COMPLETED)
    return done.pop().result()


async def race_by_string(path: str) -> bytes:
    done, pending = await asyncio.wait(  # error: ASP304
        {create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[2], path))},
        return_when="FIRST_COMPLETED")  # the constants are these very strings
    return done.pop().result()


async def race_futures_constant(path: str) -> bytes:
    done, pending = await asyncio.wait(  # error: ASP304
        [create_task(download(MIRRORS[1], path)), create_task(download(MIRRORS[2], path))],
        return_when=concurrent.futures.FIRST_COMPLETED)
    return done.pop().result()


async def race_local_list(path: str) -> bytes:
    attempts = [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))]
    done, pending = await asyncio.wait(attempts, return_when=FIRST_COMPLETED)  # error: ASP304
    log.debug("raced %d mirrors", len(attempts))  # the list is only counted afterwards
    return done.pop().result()


async def until_stopped(stop: asyncio.Event) -> None:
    # the event's waiter task never finishes once the heartbeat task fails
    done, pending = await asyncio.wait(  # error: ASP304
        [asyncio.ensure_future(stop.wait()), create_task(heartbeat(5.0))],
        return_when=FIRST_COMPLETED)
    for task in done:
        task.result()


async def race_whole_result(path: str) -> None:
    outcome = await asyncio.wait(  # error: ASP304
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))], timeout=3)


async def race_pending_only_named(path: str) -> bytes:
    done, pending = await asyncio.wait(  # error: ASP304
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[2], path))],
        return_when=FIRST_COMPLETED)
    for task in pending:
        log.info("abandoning %s", task.get_name())  # looked at, never cancelled
    return done.pop().result()


async def race_pending_shadowed(path: str) -> list[str]:
    done, pending = await asyncio.wait(  # error: ASP304
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)
    # this `pending` is the comprehension's own variable, not the set
    return [pending.get_name() for pending in done]


async def race_list_target(path: str) -> bytes:
    [done, pending] = await asyncio.wait(  # error: ASP304
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)
    pending = set()  # rebinding the name does not stop the tasks
    return done.pop().result()


async def race_on_event_loop(path: str) -> bytes:
    loop = asyncio.get_running_loop()
    done, _ = await asyncio.wait(  # error: ASP304
        [loop.create_task(download(MIRRORS[0], path)), loop.create_task(download(MIRRORS[1], path))],
        timeout=10)
    return done.pop().result()


RACE_MODE = asyncio.FIRST_COMPLETED  # a module constant naming the asyncio constant


async def race_mode_constant(path: str) -> bytes:
    done, pending = await asyncio.wait(  # error: ASP304
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=RACE_MODE)
    return done.pop().result()


async def race_keyword_fs(path: str) -> bytes:
    done, _ = await asyncio.wait(  # error: ASP304
        fs=[create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)
    return done.pop().result()


async def race_coroutines_directly(path: str) -> bytes:
    # before Python 3.11 wait() wrapped bare coroutines in tasks of its own
    done, pending = await asyncio.wait(  # error: ASP304
        [download(MIRRORS[0], path), download(MIRRORS[1], path)], return_when=FIRST_COMPLETED)
    return done.pop().result()


async def race_pending_checked_only(path: str) -> bytes:
    done, pending = await asyncio.wait(  # error: ASP304
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)
    for task in pending:
        if not task.done():  # looking at a task does not stop it
            log.warning("still downloading: %s", task.get_name())
    return done.pop().result()


async def race_pending_copied(path: str) -> bytes:
    done, pending = await asyncio.wait(  # error: ASP304
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)
    stragglers = pending  # a copy that is only counted is no better than the original
    log.debug("%d stragglers", len(stragglers))
    return done.pop().result()


class Supervisor:
    def __init__(self, reader, writer) -> None:
        self.reader = reader
        self.writer = writer
        loop = asyncio.get_event_loop()
        self.closed: asyncio.Future = loop.create_future()
        self.ready: asyncio.Future = loop.create_future()
        self._stragglers: set = set()
        self._background: set = set()

    async def pump(self) -> None:
        done, _ = await asyncio.wait(  # error: ASP304
            [create_task(read_frames(self.reader)), create_task(write_frames(self.writer))],
            return_when=FIRST_COMPLETED)
        for task in done:
            task.result()


# -- negatives: the pending set is dealt with, or nothing new was started -----------------


async def fastest_copy_cancelled(path: str) -> bytes:
    done, pending = await asyncio.wait(
        [create_task(download(m, path)) for m in MIRRORS], return_when=FIRST_COMPLETED)
    for task in pending:  # the losers are cancelled
        task.cancel()
    return done.pop().result()


async def fastest_copy_cancelled_in_finally(path: str) -> bytes:
    pending: set = set()
    try:
        done, pending = await asyncio.wait(
            [create_task(download(m, path)) for m in MIRRORS], return_when=FIRST_COMPLETED)
        return done.pop().result()
    finally:
        for task in pending:
            task.cancel()


async def fastest_copy_cancel_comprehension(path: str) -> bytes:
    done, pending = await asyncio.wait(
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)
    [task.cancel() for task in pending]  # terse, but it cancels every one
    return done.pop().result()


async def fastest_copy_drained(path: str) -> bytes:
    done, pending = await asyncio.wait(
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)
    cancel_all(pending)
    await asyncio.wait(pending)  # and waited for until they are gone
    return done.pop().result()


async def race_and_hand_back(path: str):
    done, pending = await asyncio.wait(
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)
    return done, pending  # the caller decides what to do with the rest


async def race_whole_result_returned(path: str):
    outcome = await asyncio.wait(
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))], timeout=3)
    return outcome


async def race_to_helper(path: str) -> bytes:
    done, pending = await asyncio.wait(
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)
    cancel_all(pending)  # an unknown helper given the set counts as handling it
    return done.pop().result()


async def all_mirrors(path: str) -> list[bytes]:
    # ALL_COMPLETED without a timeout returns only when nothing is pending
    done, pending = await asyncio.wait(
        [create_task(download(m, path)) for m in MIRRORS], return_when=asyncio.ALL_COMPLETED)
    return [task.result() for task in done]


async def all_mirrors_default(path: str) -> list[bytes]:
    done, _ = await asyncio.wait([create_task(download(m, path)) for m in MIRRORS], timeout=None)
    return [task.result() for task in done]


async def as_they_finish(path: str) -> list[bytes]:
    results = []
    pending = {create_task(download(m, path)) for m in MIRRORS}
    while pending:  # waits again on what is left until nothing is
        done, pending = await asyncio.wait(pending, return_when=FIRST_COMPLETED)
        results.extend(task.result() for task in done)
    return results


async def first_then_rest(path: str) -> list[bytes]:
    done, pending = await asyncio.wait(
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)
    first = done.pop().result()
    while pending:
        done, pending = await asyncio.wait(pending, timeout=1.0)
        log.info("%d more finished", len(done))
    return [first]


async def race_tasks_kept(path: str) -> bytes:
    attempts = [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))]
    done, _ = await asyncio.wait(attempts, return_when=FIRST_COMPLETED)
    for task in attempts:  # the list itself is cancelled afterwards
        if not task.done():
            task.cancel()
    return done.pop().result()


async def race_callers_tasks(tasks: list[asyncio.Task]) -> set:
    # the caller made these tasks and still holds them
    done, _ = await asyncio.wait(tasks, return_when=FIRST_COMPLETED)
    return done


async def race_with_closure(path: str) -> bytes:
    done, pending = await asyncio.wait(
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)

    def stop_losers() -> None:
        for task in pending:
            task.cancel()

    asyncio.get_running_loop().call_soon(stop_losers)
    return done.pop().result()


async def other_library_wait(path: str) -> None:
    # mirrorlib.wait is not asyncio.wait
    done, _ = await wait_for_mirrors([create_task(download(MIRRORS[0], path))], return_when=FIRST_COMPLETED)


class ConnectionSupervisor(Supervisor):
    async def wait_closed_or_ready(self) -> None:
        # existing futures owned by the object, not tasks made for this wait
        await asyncio.wait([self.closed, self.ready], return_when=FIRST_COMPLETED)

    async def wait_either(self) -> None:
        await asyncio.wait([self.ready, self._stop_future()], return_when=FIRST_COMPLETED)

    def _stop_future(self) -> asyncio.Future:
        return self.ready

    async def pump_and_keep(self) -> None:
        done, pending = await asyncio.wait(
            [create_task(read_frames(self.reader)), create_task(write_frames(self.writer))],
            return_when=FIRST_COMPLETED)
        self._stragglers = pending  # stored: someone cancels them at shutdown

    async def pump_into_background(self) -> None:
        done, pending = await asyncio.wait(
            [create_task(read_frames(self.reader)), create_task(write_frames(self.writer))],
            return_when=FIRST_COMPLETED)
        self._background.update(pending)

    async def pump_awaited(self) -> None:
        done, pending = await asyncio.wait(
            [create_task(read_frames(self.reader)), create_task(write_frames(self.writer))],
            return_when=FAIL_FAST)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib_suppress_cancelled():
                await task  # awaited until it has really stopped


async def race_in_task_group(path: str) -> bytes:
    async with asyncio.TaskGroup() as tg:
        # the group owns the tasks and awaits the pending ones when the block ends
        done, _ = await asyncio.wait(
            [tg.create_task(download(MIRRORS[0], path)), tg.create_task(download(MIRRORS[1], path))],
            return_when=FIRST_COMPLETED)
        return done.pop().result()


async def race_mode_from_caller(path: str, mode: str) -> set:
    # whether wait() can return early depends on the caller
    done, _ = await asyncio.wait(
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))], return_when=mode)
    return done


async def race_all_with_no_deadline(path: str) -> set:
    done, _ = await asyncio.wait(
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=asyncio.ALL_COMPLETED, timeout=None)
    return done


async def race_copied_then_cancelled(path: str) -> bytes:
    done, pending = await asyncio.wait(
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)
    losers = pending
    for task in losers:
        task.cancel()
    return done.pop().result()


async def race_pending_gathered(path: str) -> bytes:
    done, pending = await asyncio.wait(
        [create_task(download(MIRRORS[0], path)), create_task(download(MIRRORS[1], path))],
        return_when=FIRST_COMPLETED)
    await asyncio.gather(*pending)  # the rest are waited for too
    return done.pop().result()


def contextlib_suppress_cancelled():
    import contextlib

    return contextlib.suppress(asyncio.CancelledError)
