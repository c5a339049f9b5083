import asyncio


class Session:
    async def get(self, url: str) -> bytes:
        await asyncio.sleep(0)
        return b""

    def close(self) -> None:
        """Close the pool.

        Changed in 2.0: this was ``async def close`` in 1.x; it is a plain method now and
        closing no longer needs the event loop."""
        return None
