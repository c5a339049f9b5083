# fix-options: --unsafe-fixes --extend-select=ASP305
import asyncio
import logging

log = logging.getLogger(__name__)


async def reserve(order):
    await asyncio.sleep(0)
    return "reserved"


async def charge(order):
    await asyncio.sleep(0)
    return "charged"


async def place(order):
    try:
        outcome = await asyncio.gather(reserve(order), charge(order))
    except Exception:
        log.exception("order %s failed", order)
        return None
    return outcome
