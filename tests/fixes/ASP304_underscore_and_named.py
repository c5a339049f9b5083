import asyncio
from asyncio import FIRST_COMPLETED, wait

MIRRORS = ("eu", "us")


async def download(url):
    await asyncio.sleep(0)
    return url


async def fastest():
    done, _ = await asyncio.wait(  # the race
        [asyncio.create_task(download(url)) for url in MIRRORS],
        return_when=asyncio.FIRST_COMPLETED,
    )
    return done.pop().result()


async def fastest_named():
    done, pending = await wait({asyncio.create_task(download(u)) for u in MIRRORS}, return_when=FIRST_COMPLETED)
    print(len(pending), "still running")
    return done.pop().result()


async def within(seconds):
    result = await wait([asyncio.create_task(download("eu"))], timeout=seconds)
    return seconds
