import asyncio
import asyncio as aio


async def send_receipt(order_id):
    await asyncio.sleep(0)
    return order_id


async def complete_order(order_id):
    await send_receipt(order_id)
    receipt = await send_receipt(order_id)
    copy = await send_receipt(order_id)
    again = await send_receipt(order_id)

    async def nested():
        inner = await send_receipt(0)
        return inner

    return receipt, copy, again, await nested()
