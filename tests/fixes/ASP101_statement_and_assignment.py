import asyncio


async def fetch(url):
    await asyncio.sleep(0)
    return url


async def main(urls):
    fetch("first")  # a comment stays
    result = fetch(  # inside the call
        "second",
    )
    for url in urls:
        fetch(url)


def sync_caller():
    fetch("not fixable here")
