import asyncio
from asyncio import FIRST_COMPLETED, create_task


async def read_message(reader):
    await asyncio.sleep(0)
    return b""


async def keepalive():
    await asyncio.sleep(30)


class Relay:
    def __init__(self):
        self.closed = asyncio.get_event_loop().create_future()

    async def next_message(self, reader):
        # the object's future is someone else's: only the reader task may be cancelled
        incoming = create_task(read_message(reader))
        done, pending = await asyncio.wait([incoming, self.closed], return_when=FIRST_COMPLETED)
        incoming.cancel()
        return incoming.result() if incoming in done else None

    async def next_message_or_beat(self, reader):
        incoming = create_task(read_message(reader))
        beat = create_task(keepalive())
        done, _ = await asyncio.wait([incoming, beat, self.closed], return_when=FIRST_COMPLETED)
        for task in (incoming, beat):
            task.cancel()
        return incoming.result() if incoming in done else None

    async def next_message_inline(self, reader):
        # a task without a name beside a future that is not ours: left for a human
        done, _ = await asyncio.wait([create_task(read_message(reader)), self.closed],
                                     return_when=FIRST_COMPLETED)
        return done
