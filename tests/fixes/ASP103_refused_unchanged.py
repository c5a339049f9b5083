import asyncio
import signal


async def ping(host):
    await asyncio.sleep(0)


async def run(hosts):
    [asyncio.create_task(ping(h)) for h in hosts]  # a comprehension: keep the list instead
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.create_task(ping("reload")))
