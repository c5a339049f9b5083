"""Eval file for ASP602 blocking-file-io-in-coroutine: opening files.  Parsed, never run.

A log shipper half ported to asyncio.  Positives carry `# error: ASP602`: a file
opened (and then read or written) on the event loop.  The asynchronous file
APIs, a file opened in a nested sync def, a lambda, a plain function, a default
value, or `open` handed uncalled to a thread must stay silent.
"""
from __future__ import annotations

import asyncio
import builtins
import codecs
import contextlib
import functools
import io
import json
import os
import webbrowser
from io import open as io_open

import aiofiles
import anyio

SPOOL = "/var/spool/shipper"
audit = open(os.devnull, "w")  # module level: runs at import, not on the loop


# -- positives -------------------------------------------------------------------------------


async def ship(path, client):
    with open(path, encoding="utf-8") as lines:  # error: ASP602
        for line in lines:
            await client.send(line)


async def ship_quietly(path, client):
    with contextlib.suppress(OSError), open(path, "rb") as raw:  # error: ASP602
        await client.send(raw.read())


async def snapshot(path):
    return open(path, "rb").read()  # error: ASP602


async def load_state(path):
    return json.load(open(path))  # error: ASP602


async def rotate(paths):
    for path in paths:
        with io.open(path, "a") as log:  # error: ASP602
            log.write("rotated\n")


async def read_plugin(path):
    with io.open_code(path) as source:  # error: ASP602
        return source.read()


async def adopt(fd):
    stream = os.fdopen(fd, "w")  # error: ASP602
    stream.write("adopted\n")
    return stream


async def legacy_headers(path):
    with codecs.open(path, encoding="latin-1") as old:  # error: ASP602
        return old.readline()


async def aliased(path):
    with io_open(path) as handle:  # error: ASP602
        return handle.read()


async def explicit_builtin(path):
    with builtins.open(path, "w") as out:  # error: ASP602
        out.write("")


async def all_heads(paths):
    return [open(path).readline() for path in paths]  # error: ASP602


async def mistaken_async_with(path):
    async with open(path) as handle:  # error: ASP602
        return handle


async def on_error(path, client):
    try:
        await client.flush()
    except ConnectionError:
        with open(path, "a") as spill:  # error: ASP602
            spill.write("unsent\n")


def make_worker(path):
    async def worker(queue):  # an async def nested in a plain function is a coroutine too
        with open(path, "a") as out:  # error: ASP602
            out.write(await queue.get())

    return worker


# -- negatives -------------------------------------------------------------------------------


async def ship_with_aiofiles(path, client):
    async with aiofiles.open(path) as lines:
        async for line in lines:
            await client.send(line)


async def ship_with_anyio(path, client):
    async with await anyio.open_file(path) as lines:
        await client.send(await lines.read())


async def wrapped(path):
    async with anyio.wrap_file(open(path)) as lines:
        return await lines.read()


async def in_a_thread(path):
    handle = await asyncio.to_thread(open, path, "rb")
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(open, path))


async def helper_in_a_thread(path):
    def read_all():
        with open(path, encoding="utf-8") as lines:
            return lines.read()

    return await asyncio.to_thread(read_all)


async def lambda_in_an_executor(path):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, lambda: open(path).read())


def read_sync(path):
    with open(path) as lines:
        return lines.read()


async def default_value(log=open(os.devnull, "w")):  # the default is made at import
    log.write("started\n")


async def shadowed(open, path):
    return open(path)


async def local_helper(path):
    def open(name):
        return name.upper()

    return open(path)


class Archive:
    def open(self, name):
        return name


async def method_named_open(archive: Archive, name):
    return archive.open(name)


async def browser(url):
    webbrowser.open(url)
    webbrowser.open_new_tab(url)


async def awaited_open(store, key):
    return await store.open(key)
