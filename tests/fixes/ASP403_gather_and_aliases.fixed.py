import asyncio as aio
from asyncio import gather


async def fetch_account(user_id):
    await aio.sleep(0)
    return {"id": user_id}


async def fetch_orders(user_id):
    await aio.sleep(0)
    return []


async def dashboard(user_id):
    account, orders = await aio.gather(fetch_account(user_id), fetch_orders(user_id))
    again, more = await gather(
        fetch_account(user_id),
        (fetch_orders(user_id)),  # parenthesized, odd spacing
    )

    async def nested():
        return await gather(fetch_account(1), fetch_orders(1),)

    return account, orders, again, more, await nested()
