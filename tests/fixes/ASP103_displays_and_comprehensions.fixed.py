"""Tasks made in displays and comprehensions that are thrown away."""
import asyncio

_background_tasks: set[asyncio.Task] = set()


async def ping(host):
    await asyncio.sleep(0)


async def run(hosts, loop):
    # the two mirrors first
    for task_2 in [asyncio.create_task(ping("a")), asyncio.create_task(ping("b"))]:  # both mirrors
        _background_tasks.add(task_2)
        task_2.add_done_callback(_background_tasks.discard)
    for task_3 in (loop.create_task(ping("c")), loop.create_task(ping("d"))):
        _background_tasks.add(task_3)
        task_3.add_done_callback(_background_tasks.discard)
    for task_4 in asyncio.ensure_future(ping("e")), asyncio.ensure_future(ping("f")):
        _background_tasks.add(task_4)
        task_4.add_done_callback(_background_tasks.discard)
    for task_5 in [
        asyncio.create_task(ping(hosts[0])),  # the primary
        asyncio.create_task(ping(hosts[1])),
    ]:
        _background_tasks.add(task_5)
        task_5.add_done_callback(_background_tasks.discard)
    for host in hosts:
        for task_6 in {asyncio.create_task(ping(h)) for h in (host, host + "-backup")}:
            _background_tasks.add(task_6)
            task_6.add_done_callback(_background_tasks.discard)
    task = "a name already taken"
    for task_7 in [asyncio.create_task(ping(h)) for h in hosts]:
        _background_tasks.add(task_7)
        task_7.add_done_callback(_background_tasks.discard)
    return task
