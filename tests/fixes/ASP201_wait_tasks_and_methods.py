# fix-options: --unsafe-fixes

import asyncio
from asyncio import gather


class Client:
    async def get(self, path):
        await asyncio.sleep(0)
        return path

    async def get_all(self, paths):
        tasks = [
            asyncio.create_task(self.get(p))  # each one a task
            for p in paths
        ]
        done, _ = await asyncio.wait(tasks)
        return [t.result() for t in done]

    async def get_each(self, paths):
        results = []
        for path in paths:
            results.append(self.get(path))
        return await gather(*results, return_exceptions=False)
