# fix-options: --unsafe-fixes --extend-select=ASP203
import asyncio


async def fetch_profile(user_id):
    await asyncio.sleep(0)
    return {"id": user_id}


async def load(user_ids):
    profiles = []
    # one by one, though they do not depend on each other
    for user_id in user_ids:
        profile = await fetch_profile(user_id)  # the slow part
        profiles.append(profile)
    return profiles
