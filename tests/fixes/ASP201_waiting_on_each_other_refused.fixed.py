# fix-options: --unsafe-fixes

"""Awaitables that wait for one another are left unbounded: a bound could deadlock them."""
import asyncio


async def meet(barrier, name):
    await barrier.wait()
    return name


async def meet_all(names):
    barrier = asyncio.Barrier(len(names))
    return await asyncio.gather(*(meet(barrier, name) for name in names))


async def wait_for_last(ready, index, total):
    if index == total - 1:
        ready.set()
    else:
        await ready.wait()


async def start_together(ready, total):
    await asyncio.gather(*(wait_for_last(ready, i, total) for i in range(total)))


async def take_one(queue):
    return await queue.get()


async def give_one(queue, item):
    await queue.put(item)


async def hand_over(queue, items):
    await asyncio.gather(*(take_one(queue) for _ in items), *(give_one(queue, item) for item in items))


async def until_ready(condition, states, key):
    async with condition:
        await condition.wait_for(lambda: states.get(key))


async def wait_all_keys(condition, states, keys):
    await asyncio.gather(*(until_ready(condition, states, key) for key in keys))


async def listen(channel):
    return await channel.receive_message()


async def first_message(channels):
    listeners = [asyncio.ensure_future(listen(channel)) for channel in channels]
    done, pending = await asyncio.wait(listeners, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return done


async def within_a_second(channels):
    done, pending = await asyncio.wait([listen(channel) for channel in channels], timeout=1)
    for task in pending:
        task.cancel()
    return done
