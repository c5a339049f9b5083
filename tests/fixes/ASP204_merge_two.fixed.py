# fix-options: --unsafe-fixes --extend-select=ASP204
import asyncio


async def fetch_user(uid):
    await asyncio.sleep(0)
    return {"id": uid}


async def fetch_orders(uid):
    await asyncio.sleep(0)
    return [uid]


async def dashboard(uid):
    # load both
    user, orders = await asyncio.gather(fetch_user(uid), fetch_orders(uid))  # the last one
    return user, orders
