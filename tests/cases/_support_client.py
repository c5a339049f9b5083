"""A sibling module that the eval files import from: it exists on disk, so the
names below can be located and inferred (RULES.md, "What a coroutine call means").
It has no markers and is not an eval file itself."""
import asyncio


async def fetch_json(url):
    await asyncio.sleep(0)
    return {"url": url}


def parse_json(text):
    return {"text": text}


async def stream_lines(url):
    for line in ("a", "b"):
        yield line
