"""Eval file for ASP101: attributes of typed values.  Parsed, never run.

`sdk.models.retrieve(...)`: `sdk` is known to be an `AsyncSDK` (its annotation), and the
class says what its `models` is: a property or cached property with a return annotation, a
class-level annotation, or `self.backup: AsyncFiles = ...` in a method; `cached_property`
may come from the package's own `_compat` module, which binds it only to a property.  The class may live
in this module, in the project, or in an installed package (tests/site/fakesdk: generated-client
style, the resource classes imported only for the type checker and again inside the property).
The value may also come from a factory or a method annotated to return the class
(`make_sdk(...).models`, `sdk.with_options(...).session`). An attribute the class does not declare, declares as `Any`, or as a union of classes that
disagree stays unknown, so silent.
"""
from __future__ import annotations

import logging
from functools import cached_property

from fakesdk import AsyncSDK, SyncSDK, make_sdk, make_untyped

log = logging.getLogger(__name__)


async def sync_models(sdk: AsyncSDK, names: list[str]) -> None:
    sdk.models.retrieve(names[0])  # error: ASP101
    sdk.models.delete(names[-1])  # error: ASP101
    sdk.files.upload("a.txt")  # error: ASP101
    sdk.backup.upload("b.txt")  # error: ASP101
    sdk.session.close()  # error: ASP101
    sdk.jobs.retrieve("j")  # error: ASP101
    found = sdk.models.retrieve(names[0])  # error: ASP101
    log.info("%s", found["id"])


async def built_by_factories(sdk: AsyncSDK) -> None:
    made = make_sdk("token")
    made.files.upload("a.txt")  # error: ASP101
    make_sdk("token").models.retrieve("m")  # error: ASP101
    sdk.with_options(timeout=5).session.close()  # error: ASP101
    make_untyped("token").models.retrieve("m")  # the factory says nothing of what it returns
    loose = make_untyped("token")
    loose.files.upload("a.txt")


async def used_as_a_result(sdk: AsyncSDK) -> str:
    return sdk.models.retrieve("m")["id"]  # error: ASP101


async def awaited_properly(sdk: AsyncSDK) -> None:
    await sdk.models.retrieve("m")
    await sdk.files.upload("a.txt")
    await sdk.session.close()


async def plain_methods_and_unknown_attributes(sdk: AsyncSDK, other) -> None:
    sdk.models.list()  # a plain def returning an awaitable: not a coroutine call
    sdk.files.path_of("x")  # a plain method of the declared class
    sdk.session.closed()
    sdk.options.retrieve("m")  # declared Any
    sdk.either.retrieve("m")  # a union of classes that disagree
    sdk.untyped.retrieve("m")  # a property without a return annotation
    sdk.logged.retrieve("m")  # a decorator named like a property that is not one
    sdk.plain.retrieve("m")  # assigned, not declared
    sdk.undeclared.retrieve("m")  # not declared at all
    other.models.retrieve("m")  # nothing says what `other` is


async def the_sync_client(sdk: SyncSDK) -> None:
    sdk.models.retrieve("m")  # the sync SDK's resource: a plain method
    sdk.files.upload("a.txt")


class Pool:
    async def acquire(self) -> None: ...

    def size(self) -> int:
        return 1


class Database:
    pool: Pool

    def __init__(self, replica) -> None:
        self.replica = replica

    @property
    def primary(self) -> Pool:
        return self.pool

    @cached_property
    def cached(self) -> Pool:
        return Pool()


class Repository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def refresh(self, db: Database) -> None:
        db.pool.acquire()  # error: ASP101
        db.primary.acquire()  # error: ASP101
        db.cached.acquire()  # error: ASP101
        self.db.pool.acquire()  # error: ASP101
        db.pool.size()
        db.replica.acquire()  # a parameter without an annotation, stored as is
        await db.pool.acquire()
