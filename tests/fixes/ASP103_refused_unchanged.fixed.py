import asyncio
import signal


async def ping(host):
    await asyncio.sleep(0)


async def run(hosts):
    if hosts: [asyncio.create_task(ping(h)) for h in hosts]  # no room for a loop on this line
    ((asyncio.create_task(ping("a")), asyncio.create_task(ping("b"))))  # doubly parenthesised
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.create_task(ping("reload")))
