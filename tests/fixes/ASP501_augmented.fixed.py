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
        value = await fetch()
        self.total += value  # the lost update
        value_2 = (
            await fetch(  # a comment inside
                2,
            )
        )
        self.by_key[key] -= value_2
        value_3 = 2 * await fetch()
        requests_seen += value_3
        if key: value_4 = await fetch(3); self.total += value_4
        extra = 1; value_5 = await fetch(extra); self.total += value_5; extra += 1
        value_6 = await fetch(4) \
            + 1
        self.total += value_6


def outer():
    hits = 0

    async def hit():
        nonlocal hits
        value = 1
        value_2 = await fetch(value)
        hits += value_2

    return hit
