"""Tests that make the event loop busy on purpose keep their time.sleep; the others are fixed."""
import asyncio
import time


async def busy_handler():
    time.sleep(0.1)  # pretend the loop is busy
    return "late"


async def slow_callback():
    # block the loop deliberately, so the watchdog sees a slow callback
    time.sleep(0.2)


async def cancel_while_held(task, started):
    # let the worker start, then hold the event loop with a sync sleep
    # so that the callback is still queued when the cancellation lands
    started.wait(5)
    time.sleep(0.1)
    task.cancel()


async def reuse_after_keepalive(session, url):
    await session.get(url)
    # time.sleep is a harder case for the server than the coroutine sleep
    time.sleep(0.5)
    await session.get(url)


async def past_the_deadline(scope):
    scope.cancel()
    time.sleep(0.11)  # noqa: ASYNC251


async def stalls_for(seconds):
    # simulate a CPU-bound step

    time.sleep(seconds)  # the comment above is cut off by a blank line: fixed


async def poll(ready):
    while not ready():
        time.sleep(0.5)  # back off before asking again
