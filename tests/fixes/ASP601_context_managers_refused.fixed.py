# fix-options: --unsafe-fixes

import os
import subprocess

import httpx
import asyncio


async def follow(url, client: httpx.Client):
    # leaving the `with` waits for the process: a thread for the call would not help
    with subprocess.Popen(["tail", "-f", "build.log"]) as tail:
        await asyncio.to_thread(tail.wait)
    with os.popen("git log -1") as pipe:
        last = pipe.read()
    # the request is made when the stream is entered
    with httpx.stream("GET", url) as response:
        lines = list(response.iter_lines())
    with client.stream("GET", url) as response:
        more = list(response.iter_lines())
    return last, lines, more
