"""An SDK client in the shape of generated API clients: resources as cached properties,
imported for the type checker only, and again inside the property."""
from __future__ import annotations

from contextlib import asynccontextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any, AsyncIterator, Optional, Union

from ._compat import cached_property as compat_cached_property
from ._compat import property_logged

if TYPE_CHECKING:
    from .resources.files import AsyncFiles, Files
    from .resources.models import AsyncModels, Models


class AsyncSDK:
    session: AsyncSession
    options: Any
    either: Union[AsyncModels, Models]

    def __init__(self) -> None:
        self.backup: AsyncFiles = self._make_files()
        self.plain = object()

    @cached_property
    def models(self) -> AsyncModels:
        from .resources.models import AsyncModels

        return AsyncModels(self)

    @property
    def files(self) -> Optional[AsyncFiles]:
        from .resources.files import AsyncFiles

        return AsyncFiles(self)

    def with_options(self, **options: Any) -> AsyncSDK:
        return self

    @compat_cached_property
    def jobs(self) -> AsyncModels:
        from .resources.models import AsyncModels

        return AsyncModels(self)

    @property_logged
    def logged(self) -> AsyncModels:
        from .resources.models import AsyncModels

        return AsyncModels(self)

    @property
    def untyped(self):
        return self.models

    def _make_files(self):
        from .resources.files import AsyncFiles

        return AsyncFiles(self)


class SyncSDK:
    @cached_property
    def models(self) -> Models:
        from .resources.models import Models

        return Models(self)

    @cached_property
    def files(self) -> Files:
        from .resources.files import Files

        return Files(self)


class AsyncSession:
    async def close(self) -> None: ...

    def closed(self) -> bool:
        return False


@asynccontextmanager
async def open_sdk(token: str) -> AsyncIterator[AsyncSDK]:
    yield AsyncSDK()


@asynccontextmanager
async def open_pair(token: str) -> AsyncIterator[tuple[AsyncSDK, AsyncSession]]:
    yield AsyncSDK(), AsyncSession()


def make_sdk(token: str) -> AsyncSDK:
    return AsyncSDK()


def make_untyped(token: str):
    return AsyncSDK()
