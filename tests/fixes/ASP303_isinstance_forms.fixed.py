import asyncio
import builtins

TABLES = ("users", "orders")


async def refresh_cache(table):
    await asyncio.sleep(0)
    return table


async def refresh_all():
    results = await asyncio.gather(
        *(refresh_cache(table) for table in TABLES),
        return_exceptions=True,
    )
    refreshed = [t for t, r in zip(TABLES, results) if not isinstance(r, BaseException)]
    for result in results:
        if isinstance(result, (ValueError,  # the usual suspect
                               BaseException)):
            print("failed:", result)
        elif isinstance(result, builtins.BaseException):
            print("never reached")
    return refreshed
