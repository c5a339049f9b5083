"""Eval file for ASP602 blocking-file-io-in-coroutine: os functions.  Parsed, never run.

A job runner's workspace housekeeping.  Positives carry `# error: ASP602`: an
`os` call that reads or changes the file system, on the event loop.  Calls that
only ask the process (`getcwd`, `getpid`, `environ`, `fspath`, `cpu_count`), the
awaited `aiofiles.os` functions, and a lazy `os.walk()` that is not iterated
here must stay silent.
"""
from __future__ import annotations

import asyncio
import functools
import os
from os import listdir, makedirs

import aiofiles.os

WORKSPACE = "/var/lib/runner"
os.makedirs(WORKSPACE, exist_ok=True)  # module level


# -- positives -------------------------------------------------------------------------------


async def workspace_size(top: str):
    total = 0
    for root, _dirs, files in os.walk(top):  # error: ASP602
        total += len(files) + len(root)
    return total


async def jobs():
    return sorted(os.listdir(WORKSPACE))  # error: ASP602


async def entries(folder: str):
    with os.scandir(folder) as found:  # error: ASP602
        return [entry.name for entry in found]


async def job_size(name: str):
    return os.stat(name).st_size  # error: ASP602


async def discard(name: str):
    os.remove(name)  # error: ASP602
    os.unlink(name + ".lock")  # error: ASP602


async def finish(temporary: str, final: str):
    os.replace(temporary, final)  # error: ASP602
    os.rename(final, final + ".done")  # error: ASP602


async def prepare(job: str):
    makedirs(os.path.join(WORKSPACE, job), exist_ok=True)  # error: ASP602
    os.mkdir(os.path.join(WORKSPACE, job, "out"))  # error: ASP602


async def cleanup(folder: str):
    os.rmdir(folder)  # error: ASP602


async def make_executable(script: str):
    os.chmod(script, 0o755)  # error: ASP602


async def flush(fd: int):
    os.fsync(fd)  # error: ASP602


async def readable(name: str):
    return os.access(name, os.R_OK)  # error: ASP602


async def imported(folder: str):
    return [name for name in listdir(folder) if name.endswith(".job")]  # error: ASP602


async def first_level(top: str):
    return next(os.walk(top))  # error: ASP602


# -- negatives -------------------------------------------------------------------------------


async def process_facts():
    return os.getcwd(), os.getpid(), os.environ.get("HOME"), os.cpu_count(), os.fspath(WORKSPACE)


async def with_aiofiles(name: str):
    await aiofiles.os.remove(name)
    await aiofiles.os.makedirs(name, exist_ok=True)
    return await aiofiles.os.stat(name)


async def in_a_thread(name: str):
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(os.remove, name)
    await loop.run_in_executor(None, functools.partial(os.makedirs, name, exist_ok=True))
    return await asyncio.to_thread(os.listdir, name)


async def walk_in_a_thread(top: str):
    walker = os.walk(top)  # made here, iterated in the thread
    return await asyncio.to_thread(list, walker)


async def helper_in_a_thread(top: str):
    def count():
        return sum(len(files) for _root, _dirs, files in os.walk(top))

    return await asyncio.to_thread(count)


def cleanup_sync(name: str):
    os.remove(name)
    os.rmdir(os.path.dirname(name))


class Remote:
    async def stat(self, name: str):
        return name

    def remove(self, name: str):
        return name


async def project_methods(remote: Remote, name: str):
    remote.remove(name)
    return await remote.stat(name)
