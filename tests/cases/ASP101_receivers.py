"""Eval file for ASP101: receiver evidence.  Parsed, never run.

A streaming proxy whose objects come from frameworks the linter cannot see: no
parameter is annotated and no class is known.  The code itself says what a method is:
when `stream.read_block()` is awaited somewhere in a function, another call of the same
`stream.read_block` (same receiver text, same function) is a coroutine call too,
before or after the awaited one.  Not evidence: an await in another function (nested
ones included), another receiver or method, a receiver bound twice, and the APIs that
return a future whose work runs anyway (`run_in_executor`, `create_task`...).
"""
from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)


async def copy(stream, sink):
    header = await stream.read_block()
    sink.write(header)
    # meant to skip a block: it never runs
    stream.read_block()  # error: ASP101
    while block := await stream.read_block():
        sink.write(block)
    if stream.read_block():  # error: ASP104
        log.warning("trailing data")


async def handshake(ws, hello):
    # the awaited call comes later: order does not matter
    ws.send_json(hello)  # error: ASP101
    reply = await ws.receive_json()
    await ws.send_json({"ack": reply["id"]})


async def on_command(ctx, text):
    ctx.bot.reply(ctx.chat, "working...")  # error: ASP101
    try:
        result = await ctx.bot.reply(ctx.chat, text.upper())
    except ConnectionError:
        log.exception("reply failed")
        return None
    ack = ctx.bot.reply(ctx.chat, "done")  # error: ASP101
    return result


class Upstream:
    def __init__(self, conn):
        self.conn = conn

    async def forward(self, messages):
        await self.conn.send(messages[0])
        for message in messages[1:]:
            self.conn.send(message)  # error: ASP101
        self.conn.flush()  # never awaited in this function: unknown

    async def close(self):
        if self.conn.drain():  # error: ASP104
            log.info("drained")
        await self.conn.drain()


async def relay(reader, writer):
    await writer.drain()
    data = await reader.read(1024)
    writer.write(data)  # `write` is never awaited here: a plain method as far as we know
    writer.drain()  # error: ASP101


# -- negatives -------------------------------------------------------------------------


async def only_awaited_elsewhere(stream):
    await stream.prefetch()


async def not_awaited_here(stream):
    stream.prefetch()  # awaited in another function only: says nothing here


async def other_receiver(primary, replica):
    await primary.read()
    replica.read()  # another receiver, maybe another kind of object


async def other_method(stream):
    await stream.read_block()
    stream.rewind()  # another method of the same receiver


async def rebound(stream, open_other):
    await stream.read_block()
    stream = open_other()  # the name now holds another object
    stream.read_block()


async def futures(loop, executor, work, nursery):
    await loop.run_in_executor(executor, work)
    loop.run_in_executor(executor, work)  # a Future: the work runs anyway
    await nursery.create_task(work())
    nursery.create_task(work())  # a task of an unknown nursery: scheduled, runs anyway
    await asyncio.ensure_future(work())
    asyncio.ensure_future(work())  # error: ASP103


async def nested(stream, items):
    def on_item(item):
        stream.peek()  # a nested sync def is another function: the outer await is no evidence here

    async def later():
        await stream.close()

    grab = lambda: stream.peek()  # noqa: E731 - a lambda is another function too (and returns it)
    await stream.peek()
    for item in items:
        on_item(item)
    stream.close()  # awaited only in the nested `later`, not in this function
    return later, grab


async def made_each_time(get_stream):
    await get_stream().read_block()
    get_stream().read_block()  # the receiver is a call: a new object each time


async def sync_and_async(client, is_async):
    if is_async:
        await client.close()
    else:
        client.close()  # the other branch: code written for a sync client and an async one


async def from_a_comment(stream):
    # The old code did `await stream.flush()` here; the new stream flushes on its own.
    stream.flush()  # an await in a comment or a string is no evidence
    log.info("await stream.flush() is no longer needed")


class Transport:
    def __init__(self, loop):
        self.loop = loop

    def send(self, data) -> asyncio.Future:
        future = self.loop.create_future()
        self.loop.call_soon(future.set_result, len(data))
        return future

    async def send_all(self, first, rest):
        await self.send(first)
        self.send(rest)  # resolved to a plain def returning a Future: the receiver's await proves nothing


async def rows_of(conn, table):
    # aiomysql's and aiodocker's shape: the call returns an awaitable that is also
    # async-iterable, so being awaited elsewhere says nothing about this use
    await conn.execute(f"lock table {table}")
    async for row in conn.execute(f"select * from {table}"):
        log.info("%s", row)
    lines = [line async for line in conn.log(follow=True)]
    await conn.log(follow=False)
    return lines
