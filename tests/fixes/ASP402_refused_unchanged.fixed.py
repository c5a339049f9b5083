import asyncio


async def fetch_stock(sku):
    await asyncio.sleep(0)
    return sku


async def stock(sku):
    # the error comes back in the list: a direct await would raise it instead
    [result] = await asyncio.gather(fetch_stock(sku), return_exceptions=True)
    return result


def stock_future(sku):
    # the caller gets a future, and awaits a one-item list
    return asyncio.gather(fetch_stock(sku))


async def commented(sku):
    # the comment after the comma would have nowhere to go
    [result] = await asyncio.gather(
        fetch_stock(sku),  # the one left
        return_exceptions=False,
    )
    return result


async def maybe_quiet(sku, quiet):
    [result] = await asyncio.gather(fetch_stock(sku), return_exceptions=quiet)
    return result
