"""Tasks made one step removed: helpers that return one, and a gather nobody awaits."""
from asyncio import gather

import fake_tasks_pkg
from fake_tasks_pkg import fire


async def ping(host):
    pass


def spawn(coro):
    return fake_tasks_pkg.create_task(coro)


async def start(coro):
    return spawn(coro)


async def run(hosts):
    spawn(ping(hosts[0]))  # the primary
    fire(ping(hosts[1])).add_done_callback(print)
    pending = fake_tasks_pkg.launch(ping(hosts[2]))
    await start(ping(hosts[3]))
    gather(ping(hosts[0]), ping(hosts[1]))  # both mirrors
    [spawn(ping(h)) for h in hosts]
