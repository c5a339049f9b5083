from __future__ import annotations

from typing import Any


class AsyncFiles:
    def __init__(self, client: Any) -> None:
        self._client = client

    async def upload(self, path: str) -> str:
        return path

    def path_of(self, name: str) -> str:
        return name


class Files:
    def __init__(self, client: Any) -> None:
        self._client = client

    def upload(self, path: str) -> str:
        return path
