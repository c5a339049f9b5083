import asyncio as aio


async def heartbeat(n):
    await aio.sleep(n)


async def give_it_a_moment(done, task):
    if done:
        # a short grace period
        done_2, pending_2 = await aio.wait([aio.create_task(heartbeat(1))], timeout=0.1)  # then move on
        for task_2 in pending_2:
            task_2.cancel()
    pending = [task]

    def helper():
        async def inner():
            done, pending = await aio.wait(
                [aio.create_task(heartbeat(2)),
                 aio.create_task(heartbeat(3))],
                timeout=0.1,
            )
            for task in pending:
                task.cancel()

        return inner

    return pending, helper
