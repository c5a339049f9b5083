"""Tests that make the event loop busy on purpose keep their time.sleep; the others are fixed."""
import asyncio
import time


async def busy_handler():
    time.sleep(0.1)  # pretend the loop is busy
    return "late"


async def slow_callback():
    # block the loop deliberately, so the watchdog sees a slow callback
    time.sleep(0.2)


async def stalls_for(seconds):
    # simulate a CPU-bound step

    time.sleep(seconds)  # the comment above is cut off by a blank line: fixed


async def poll(ready):
    while not ready():
        time.sleep(0.5)  # back off before asking again
