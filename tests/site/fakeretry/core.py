import asyncio
import functools


def retry(times: int = 3, delay: float = 0.1):
    """`@retry(times=3)`: await the function again when it raises, up to `times` tries."""
    def decorate(function):
        @functools.wraps(function)
        async def wrapper(*args, **kwargs):
            for attempt in range(times):
                try:
                    return await function(*args, **kwargs)
                except Exception:
                    if attempt == times - 1:
                        raise
                    await asyncio.sleep(delay * 2 ** attempt)
        return wrapper
    return decorate


def with_deadline(function):
    """`@with_deadline`: the coroutine gets at most `deadline=` seconds (default 30)."""
    @functools.wraps(function)
    async def wrapper(*args, deadline: float = 30.0, **kwargs):
        return await asyncio.wait_for(function(*args, **kwargs), deadline)
    return wrapper
