"""Tasks made in displays and comprehensions that are thrown away."""
import asyncio


async def ping(host):
    await asyncio.sleep(0)


async def run(hosts, loop):
    # the two mirrors first
    [asyncio.create_task(ping("a")), asyncio.create_task(ping("b"))]  # both mirrors
    (loop.create_task(ping("c")), loop.create_task(ping("d")))
    asyncio.ensure_future(ping("e")), asyncio.ensure_future(ping("f"))
    [
        asyncio.create_task(ping(hosts[0])),  # the primary
        asyncio.create_task(ping(hosts[1])),
    ]
    for host in hosts:
        {asyncio.create_task(ping(h)) for h in (host, host + "-backup")}
    task = "a name already taken"
    [asyncio.create_task(ping(h)) for h in hosts]
    return task
