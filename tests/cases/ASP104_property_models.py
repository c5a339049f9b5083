"""Eval file for ASP104: async properties, the classes.  Parsed, never run.

The models of a small device service.  Their async properties are read correctly
here (awaited), but for one `__repr__`; ASP104_properties.py imports them and reads
them wrong.
"""
from __future__ import annotations

import asyncio
import functools


class Device:
    def __init__(self, name: str) -> None:
        self.name = name
        self._online = False

    @property
    async def online(self) -> bool:
        await asyncio.sleep(0)  # stands in for a ping
        return self._online

    @functools.cached_property
    async def firmware(self) -> dict:
        await asyncio.sleep(0)
        return {"version": "1.0"}

    @property
    def label(self) -> str:
        return self.name.upper()

    async def describe(self) -> str:
        if await self.online:  # awaited
            return f"{self.label}: {(await self.firmware)['version']}"
        return self.label


class Camera(Device):
    async def snapshot(self) -> bytes | None:
        if not await self.online:  # awaited, through the base class
            return None
        return b""

    def __repr__(self) -> str:
        return f"<Camera {self.name} online={self.online}>"  # error: ASP104
