import asyncio


async def fetch(amount=1):
    await asyncio.sleep(0)
    return amount


class Meter:
    def __init__(self):
        self.by_key = {}
        self.total = 0
        self.lock = asyncio.Lock()

    async def add(self, key):
        # the key is awaited too: hoisting would change what is read first
        self.by_key[await fetch(key)] += await fetch()
        async with self.lock:
            self.total += await fetch()
