"""The classes the fixtures give; no markers here."""
from __future__ import annotations


class Client:
    async def get(self, path: str) -> bytes:
        return path.encode()

    def close(self) -> None:
        pass


class Pool:
    async def acquire(self) -> Client:
        return Client()

    def size(self) -> int:
        return 1


class SyncClient(Client):
    def get(self, path: str) -> bytes:  # a plain override: not a coroutine
        return path.encode()


def connect() -> Client:
    return Client()
