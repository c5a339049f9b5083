import asyncio as aio

requests_seen = 0


async def fetch(amount=1):
    await aio.sleep(0)
    return amount


class Meter:
    def __init__(self):
        self.total = 0
        self.by_key = {}

    async def add(self, key):
        global requests_seen
        # count what came back
        self.total += await fetch()  # the lost update
        self.by_key[key] -= (
            await fetch(  # a comment inside
                2,
            )
        )
        requests_seen += 2 * await fetch()
        if key: self.total += await fetch(3)
        extra = 1; self.total += await fetch(extra); extra += 1
        self.total += await fetch(4) \
            + 1


def outer():
    hits = 0

    async def hit():
        nonlocal hits
        value = 1
        hits += await fetch(value)

    return hit
