"""Eval file for ASP104: an async property read without `await`.  Parsed, never run.

A sensor service.  `@property async def` (and `functools.cached_property` on an
`async def`) gives a coroutine when read, so a read that is tested for truth or used
as a value never runs the getter.  Reads that are awaited or handed on, properties
whose getter is a plain def, and reads on the class itself must stay silent.
"""
from __future__ import annotations

import asyncio
import inspect
import json
import logging
from functools import cached_property
from typing import Optional

from async_property import async_property

from ASP104_property_models import Camera, Device

log = logging.getLogger(__name__)


def unknown_cache(function):
    return function.__wrapped__


class Sensor:
    retries = 3

    def __init__(self, address: str) -> None:
        self.address = address
        self.device: Device = Device(address)
        self._ready = False

    @property
    async def ready(self) -> bool:
        await asyncio.sleep(0)
        return self._ready

    @ready.setter
    def ready(self, value: bool) -> None:
        self._ready = value

    @cached_property
    async def readings(self) -> list[float]:
        await asyncio.sleep(0)
        return [20.5, 21.0]

    @property
    async def status(self) -> dict:
        await asyncio.sleep(0)
        return {"code": 200}

    @property
    async def errors(self) -> int:
        await asyncio.sleep(0)
        return 0

    @property
    def refreshed(self):  # a plain getter that returns an awaitable: a design, not a slip
        return asyncio.sleep(0, result=True)

    @property
    async def samples(self):  # an async generator, not a coroutine
        yield 1.0

    @property
    @unknown_cache
    async def calibration(self) -> float:  # a decorator we cannot read
        return 1.0

    @async_property
    async def battery(self) -> int:  # made to be awaited: no plain property
        return 100

    async def wait_ready(self) -> None:
        while not self.ready:  # error: ASP104
            await asyncio.sleep(0.1)

    async def report(self) -> str:
        if self.ready:  # error: ASP104
            log.info("ready")
        assert self.ready, "not ready"  # error: ASP104
        mode = "live" if self.ready else "idle"  # error: ASP104
        count = len(self.readings)  # error: ASP104
        first = self.readings[0]  # error: ASP104
        total = sum(r for r in self.readings)  # error: ASP104
        summary = f"{self.status}"  # error: ASP104
        failing = self.errors > Sensor.retries  # error: ASP104
        score = self.errors + 1  # error: ASP104
        status = self.status  # error: ASP104
        code = status["code"]
        return json.dumps([mode, count, first, total, summary, failing, score, code])

    async def careful(self) -> None:
        if await self.ready:  # awaited
            log.info("ready")
        count = len(await self.readings)  # awaited
        code = (await self.status)["code"]  # awaited
        pending = self.ready
        if await pending:  # the local is awaited
            log.info("ready")
        await asyncio.gather(self.ready, self.errors)  # handed to gather
        await asyncio.wait_for(self.ready, timeout=1)  # handed to wait_for
        task = asyncio.ensure_future(self.status)  # handed on
        self.pending = self.ready  # stored
        if self.refreshed:  # a plain getter
            log.info("refreshed")
        async for sample in self.samples:  # an async generator property
            log.info("%s %s", sample, code)
        if self.calibration:  # unknown decorator: unknown
            log.info("calibrated")
        if self.battery:  # async_property's descriptor, not a property of ours
            log.info("charged")
        if inspect.iscoroutine(self.status):  # asks about the coroutine itself
            log.info("lazy status")
        if self.ready is not None:  # an identity test, not a truth test
            log.info("set")
        log.info("%s %s", count, task)

    @classmethod
    def describe(cls) -> str:
        if cls.ready:  # the property object, on the class
            return cls.ready.__doc__ or ""
        return ""

    def stale(self):
        return self.ready  # returned: the caller may await it


def docs() -> list:
    return [Sensor.ready.fget, Sensor.readings]  # the descriptors themselves


class SensorHub(Sensor):
    @property
    async def ready(self) -> bool:  # an async override of an async property
        return all([await s.ready for s in self.sensors])

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.ready.__doc__:  # the property object: `cls` is the class here
            log.info("undocumented")

    async def check(self) -> None:
        if super().ready:  # error: ASP104
            log.info("base ready")
        if self.device.online:  # error: ASP104
            log.info("device online")


async def poll(sensor: Sensor, device: Device, backup: Optional[Device], raw) -> None:
    if sensor.ready:  # error: ASP104
        log.info("ready")
    if backup and backup.online:  # error: ASP104
        log.info("backup online")
    version = device.firmware["version"]  # error: ASP104
    camera = Camera("front door")
    if not camera.online:  # error: ASP104
        log.info("camera offline")
    online = device.online  # error: ASP104
    if online:
        log.info("online")
    print(sensor.status)  # error: ASP104
    names = [d.name for d in [device] if d.online]  # unknown: `d` has no annotation
    if raw.online:  # unknown receiver
        log.info("raw online")
    if await device.online and await camera.online:  # awaited
        log.info("%s %s", version, names)


def checker(sensor: Sensor):
    ready = sensor.ready  # read in nested functions only, where `ready` is another name
    def count(ready: list) -> int:
        return len(ready)
    return count


def sync_caller(sensor: Sensor) -> bool:
    return bool(sensor.ready)  # error: ASP104


class Valve:
    @property
    async def position(self) -> int:
        return 0

    @position.setter
    def position(self, value: int) -> None:
        self._position = value

    @position.deleter
    def position(self) -> None:
        self._position = 0

    def close(self) -> None:
        self.position = 0  # the setter
        del self.position  # the deleter


class Probe:
    @property
    async def healthy(self) -> bool:
        return True

    def summary(self) -> str:
        return "healthy" if self.healthy else "down"  # a subclass below overrides it: unknown


class FakeProbe(Probe):
    @property
    def healthy(self) -> bool:  # a sync override
        return True


def check_fake(probe: FakeProbe) -> bool:
    return not probe.healthy  # the plain property of the subclass


class SyncThing:
    @property
    def online(self) -> bool:
        return True


def check_thing(thing: SyncThing) -> bool:
    return not thing.online  # a plain property named like an async one elsewhere


class Thermostat:
    def __init__(self, target: float) -> None:
        self.target = target  # goes through the setter: the property stays

    @property
    async def target(self) -> float:
        await asyncio.sleep(0)
        return self._target

    @target.setter
    def target(self, value: float) -> None:
        self._target = value

    def describe(self) -> str:
        return f"target {self.target}"  # error: ASP104


class Shadowed:
    def __init__(self) -> None:
        self.ready = True  # no setter: an instance attribute hides the property

    @property
    async def ready(self) -> bool:
        return True

    def check(self) -> bool:
        return not self.ready
