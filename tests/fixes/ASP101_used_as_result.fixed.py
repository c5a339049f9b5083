import asyncio


class Repository:
    async def get_user(self, uid):
        await asyncio.sleep(0)
        return {"id": uid, "name": "ada"}

    async def count(self):
        return 3


async def main(repo: Repository):
    name = (await repo.get_user(1))["name"]  # subscripted
    total = await repo.count() + 1
    user = await repo.get_user(2)
    print(user["name"])
    return name, total, len(str(await repo.count()))


class Service:
    def __init__(self, repo: Repository):
        self.repo = repo

    async def user(self, uid):
        return await self.repo.get_user(uid)  # the caller's await gets a coroutine
