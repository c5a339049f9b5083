"""A worker that waits between rounds."""
import time


async def rounds(n):
    for _ in range(n):
        time.sleep(
            1  # a second
        )
