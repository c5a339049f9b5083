"""Eval file for ASP602 blocking-file-io-in-coroutine: os.path.  Parsed, never run.

An upload handler that checks its storage folder.  Positives carry
`# error: ASP602`: an `os.path` query that asks the disk (a `stat` behind it),
made on the event loop.  The string-only functions of `os.path` (join,
basename, dirname, split, splitext, normpath, abspath, relpath, ...) never
touch the disk and must stay silent, as must the awaited `aiofiles.os.path`.
"""
from __future__ import annotations

import asyncio
import os
import os.path as osp
import posixpath
from os import path
from os.path import exists, getsize

import aiofiles.os

STORAGE = "/srv/uploads"
READY = os.path.isdir(STORAGE)  # module level


# -- positives -------------------------------------------------------------------------------


async def store(name: str, body: bytes, writer):
    target = os.path.join(STORAGE, name)
    if os.path.exists(target):  # error: ASP602
        raise FileExistsError(target)
    await writer(target, body)


async def quota_used(names):
    return sum(os.path.getsize(os.path.join(STORAGE, n)) for n in names)  # error: ASP602


async def newest(names):
    return max(names, key=lambda n: n) if not osp.isfile(names[0]) else names[0]  # error: ASP602


async def age(name: str):
    return os.path.getmtime(name) - os.path.getctime(name)  # error: ASP602


async def last_read(name: str):
    return os.path.getatime(name)  # error: ASP602


async def resolved(name: str):
    return path.realpath(name)  # error: ASP602


async def is_link(name: str):
    return os.path.islink(name) or os.path.lexists(name)  # error: ASP602


async def mounted(folder: str):
    return os.path.ismount(folder)  # error: ASP602


async def same(a: str, b: str):
    return os.path.samefile(a, b)  # error: ASP602


async def imported_names(name: str):
    if exists(name):  # error: ASP602
        return getsize(name)  # error: ASP602
    return 0


async def posix_module(name: str):
    return posixpath.isdir(name)  # error: ASP602


async def in_a_loop(names):
    for name in names:
        if not os.path.isfile(name):  # error: ASP602
            continue
        yield name


# -- negatives -------------------------------------------------------------------------------


async def pure_strings(name: str):
    base = os.path.basename(name)
    folder = os.path.dirname(name)
    stem, ext = os.path.splitext(base)
    head, tail = os.path.split(name)
    return os.path.join(folder, stem + ext), head, tail


async def normalised(name: str):
    return (os.path.normpath(name), os.path.abspath(name), os.path.relpath(name, STORAGE),
            osp.expanduser(name), osp.expandvars(name), osp.isabs(name), osp.normcase(name),
            os.path.commonpath([name, STORAGE]))


async def open_descriptors(first: int, second: int):
    return os.path.sameopenfile(first, second)


async def with_aiofiles(name: str):
    if await aiofiles.os.path.exists(name):
        return await aiofiles.os.path.getsize(name)
    return 0


async def in_a_thread(name: str):
    loop = asyncio.get_running_loop()
    found = await asyncio.to_thread(os.path.exists, name)
    return found and await loop.run_in_executor(None, os.path.getsize, name)


async def helper_in_a_thread(names):
    def sizes():
        return [os.path.getsize(n) for n in names if os.path.isfile(n)]

    return await asyncio.to_thread(sizes)


async def lambda_in_a_thread(name: str):
    return await asyncio.to_thread(lambda: os.path.exists(name))


def check_sync(name: str):
    return os.path.exists(name) and os.path.isdir(name)


class Storage:
    def exists(self, name: str) -> bool:
        return bool(name)


async def project_method(storage: Storage, name: str):
    return storage.exists(name)
