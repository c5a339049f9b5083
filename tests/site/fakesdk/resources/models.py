from __future__ import annotations

from typing import Any, Awaitable


class AsyncModels:
    def __init__(self, client: Any) -> None:
        self._client = client

    async def retrieve(self, name: str) -> dict:
        return {}

    async def delete(self, name: str) -> None: ...

    def list(self) -> Awaitable[list]:
        """A paginator: a plain def whose result is awaited or iterated."""
        return self._client.paginate()


class Models:
    def __init__(self, client: Any) -> None:
        self._client = client

    def retrieve(self, name: str) -> dict:
        return {}

    def delete(self, name: str) -> None: ...
