import asyncio
from gettext import gettext as _


async def download(url):
    await asyncio.sleep(0)
    return url


async def fastest():
    # `_` is gettext here too: renaming the pending set would change what `_(...)` means below
    done, _ = await asyncio.wait([asyncio.create_task(download(u)) for u in ("eu", "us")], timeout=5)
    print(_("done"))
    return done
