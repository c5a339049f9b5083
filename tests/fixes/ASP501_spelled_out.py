import asyncio


async def fetch(amount=1):
    await asyncio.sleep(0)
    return amount


class Meter:
    total = 0

    async def add(self):
        self.total = self.total + await fetch()  # spelled out
        self.total = (await fetch(
            2,  # inside
        )) * self.total
