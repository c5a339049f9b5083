import asyncio as aio


async def heartbeat(n):
    await aio.sleep(n)


async def give_it_a_moment(done, task):
    if done:
        # a short grace period
        await aio.wait([aio.create_task(heartbeat(1))], timeout=0.1)  # then move on
    pending = [task]

    def helper():
        async def inner():
            await aio.wait(
                [aio.create_task(heartbeat(2)),
                 aio.create_task(heartbeat(3))],
                timeout=0.1,
            )

        return inner

    return pending, helper
