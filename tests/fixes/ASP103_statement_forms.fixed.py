"""Tasks started and forgotten, in every spelling."""
import asyncio as aio

_background_tasks: set[aio.Task] = set()


async def refresh(key, *, force=False):
    await aio.sleep(0)
    return key


async def start_all(loop):
    # refresh the cache in the background
    task = aio.create_task(refresh("users"))  # fire and forget
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    task_2 = aio.ensure_future(
        refresh(  # the slow one
            "orders",
            force=True,
        ),
    )
    _background_tasks.add(task_2)
    task_2.add_done_callback(_background_tasks.discard)
    task_3 = loop.create_task(refresh("items"))
    _background_tasks.add(task_3)
    task_3.add_done_callback(_background_tasks.discard)
    task_3.add_done_callback(print)
    if loop: task_4 = aio.create_task(refresh("one-liner")); _background_tasks.add(task_4); task_4.add_done_callback(_background_tasks.discard)
    count = 1; task_5 = aio.create_task(refresh("semicolons")); _background_tasks.add(task_5); task_5.add_done_callback(_background_tasks.discard); count += 1
    task_6 = aio.create_task \
        (refresh("continued"))
    _background_tasks.add(task_6)
    task_6.add_done_callback(_background_tasks.discard)


class Service:
    def __init__(self, loop):
        self.loop = loop

    async def poke(self):
        async def later():
            task = aio.get_running_loop().create_task(refresh("nested"))
            _background_tasks.add(task)
            task.add_done_callback(_background_tasks.discard)

        task = self.loop.create_task(refresh("method"))
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
        await later()


def start_from_sync(loop):
    task = loop.create_task(refresh("sync"))
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
