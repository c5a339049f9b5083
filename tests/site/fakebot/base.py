"""The base class every fakebot client shares."""
import asyncio


class BaseBot:
    def __init__(self, token: str) -> None:
        self.token = token
        self._closed = False

    async def close(self) -> None:
        await asyncio.sleep(0)
        self._closed = True

    def is_closed(self) -> bool:
        return self._closed
