"""A small order pipeline with one defect of each remaining family (see `make demo`)."""
import asyncio
import time


async def fetch_order(order_id: int) -> dict:
    await asyncio.sleep(0.01)  # stands in for a call to the orders service
    return {"id": order_id, "total": order_id * 10}


async def notify(order: dict) -> None:
    await asyncio.sleep(0.01)  # stands in for sending an e-mail


class Ledger:
    def __init__(self) -> None:
        self.total = 0

    async def record(self, order_id: int) -> None:
        # ASP501: the old total is read before the await; concurrent records lose updates
        self.total += (await fetch_order(order_id))["total"]


async def load_orders(order_ids: list[int]) -> list[dict]:
    # ASP201: one request per id, all at once, however many ids there are
    return await asyncio.gather(*[fetch_order(i) for i in order_ids])


async def notify_all(orders: list[dict]) -> None:
    # ASP301: every failure to notify is swallowed
    await asyncio.gather(*(notify(o) for o in orders[:3]), return_exceptions=True)


async def first_order() -> dict:
    # ASP402: a gather of one awaitable is an await with extra steps
    [order] = await asyncio.gather(fetch_order(1))
    return order


async def main() -> None:
    ledger = Ledger()
    orders = await load_orders(list(range(20)))
    await notify_all(orders)
    await ledger.record(1)
    time.sleep(0.1)  # ASP601: every other task waits here too
    print(await first_order(), ledger.total)


if __name__ == "__main__":
    asyncio.run(main())
