"""A sibling module of the decorator eval file: decorators it imports.
It has no markers and is not an eval file itself."""
import asyncio
import functools
import logging
import time

log = logging.getLogger(__name__)


def timed(function):
    """Log how long each await of the coroutine takes."""
    @functools.wraps(function)
    async def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            log.debug("%s took %.3fs", function.__name__, time.perf_counter() - started)
    return wrapper


def blocking(function):
    """Make a coroutine function callable from sync code: it runs to completion."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return asyncio.run(function(*args, **kwargs))
    return wrapper
