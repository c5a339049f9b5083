# fix-options: --unsafe-fixes --extend-select=ASP203
import asyncio


async def fetch_profile(user_id):
    await asyncio.sleep(0)
    return {"id": user_id}


async def load(user_ids):
    semaphore = asyncio.Semaphore(10)

    async def bounded(awaitable):
        async with semaphore:
            return await awaitable
    profiles = []

    # one by one, though they do not depend on each other
    async def one_item(user_id):
        profile = await fetch_profile(user_id)  # the slow part
        profiles.append(profile)
    await asyncio.gather(*(bounded(one_item(user_id)) for user_id in user_ids))
    return profiles
