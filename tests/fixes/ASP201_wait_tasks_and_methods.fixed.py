# fix-options: --unsafe-fixes

import asyncio
from asyncio import gather


class Client:
    async def get(self, path):
        await asyncio.sleep(0)
        return path

    async def get_all(self, paths):
        semaphore = asyncio.Semaphore(10)

        async def bounded(awaitable):
            async with semaphore:
                return await awaitable
        tasks = [
            asyncio.create_task(bounded(self.get(p)))  # each one a task
            for p in paths
        ]
        done, _ = await asyncio.wait(tasks)
        return [t.result() for t in done]

    async def get_each(self, paths):
        semaphore_2 = asyncio.Semaphore(10)

        async def bounded_2(awaitable):
            async with semaphore_2:
                return await awaitable
        results = []
        for path in paths:
            results.append(bounded_2(self.get(path)))
        return await gather(*results, return_exceptions=False)
