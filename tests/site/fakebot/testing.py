"""Test helpers a pytest plugin would offer: callables typed by protocols."""
from typing import Awaitable, Protocol, overload

from .client import Bot


class BotFactory(Protocol):
    @overload
    async def __call__(self, token: str) -> Bot: ...
    @overload
    async def __call__(self, token: str, *, timeout: float) -> Bot: ...


class ServerFactory(Protocol):
    def __call__(self, port: int) -> Awaitable[int]: ...


class MixedFactory(Protocol):
    @overload
    async def __call__(self, token: str) -> Bot: ...
    @overload
    def __call__(self, token: bytes) -> Bot: ...
