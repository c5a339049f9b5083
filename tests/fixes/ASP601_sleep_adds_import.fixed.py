"""A worker that waits between rounds."""
import asyncio


async def rounds(n):
    for _ in range(n):
        await asyncio.sleep(
            1  # a second
        )
