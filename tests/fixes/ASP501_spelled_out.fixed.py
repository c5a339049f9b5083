import asyncio


async def fetch(amount=1):
    await asyncio.sleep(0)
    return amount


class Meter:
    total = 0

    async def add(self):
        value = await fetch()
        self.total = self.total + value  # spelled out
        value_2 = (await fetch(
            2,  # inside
        ))
        self.total = value_2 * self.total
