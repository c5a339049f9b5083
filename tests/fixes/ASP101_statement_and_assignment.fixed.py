import asyncio


async def fetch(url):
    await asyncio.sleep(0)
    return url


async def main(urls):
    await fetch("first")  # a comment stays
    result = await fetch(  # inside the call
        "second",
    )
    for url in urls:
        await fetch(url)


def sync_caller():
    fetch("not fixable here")
