"""Eval file for ASP101: what a context manager made by contextlib yields.  Parsed, never run.

`async with connect() as conn`, where `connect` is decorated with
`contextlib.asynccontextmanager` and annotated `-> AsyncIterator[Connection]`: `conn` is a
`Connection`. `as (client, session)` of `AsyncIterator[tuple[A, B]]` takes each element. The
manager may be defined here or in an installed package (tests/site/fakesdk: `open_sdk`,
`open_pair`). A manager without an annotation, yielding `Any`, a tuple of another length, a
decorator that is not contextlib's, or entered with the wrong kind of `with` stays unknown.
"""
from __future__ import annotations

import contextlib
from contextlib import asynccontextmanager, contextmanager
from typing import Any, AsyncGenerator, AsyncIterator, Iterator

from fakesdk import open_pair, open_sdk


class Connection:
    async def execute(self, query: str) -> None: ...

    def cursor(self) -> None: ...


class Channel:
    async def publish(self, message: str) -> None: ...


class SyncConnection:
    def execute(self, query: str) -> None: ...


@asynccontextmanager
async def connect(dsn: str) -> AsyncIterator[Connection]:
    yield Connection()


@contextlib.asynccontextmanager
async def connect_with_channel(dsn: str) -> AsyncGenerator[tuple[Connection, Channel], None]:
    yield Connection(), Channel()


@contextmanager
def borrowed(dsn: str) -> Iterator[Connection]:
    yield Connection()


@asynccontextmanager
async def untyped(dsn: str):
    yield Connection()


@asynccontextmanager
async def anything(dsn: str) -> AsyncIterator[Any]:
    yield Connection()


@asynccontextmanager
async def either(dsn: str, sync: bool) -> AsyncIterator[Connection | SyncConnection]:
    yield SyncConnection() if sync else Connection()


def homemade(function):
    return function


@homemade
async def not_contextlib(dsn: str) -> AsyncIterator[Connection]:
    yield Connection()


async def migrate(dsn: str) -> None:
    async with connect(dsn) as conn:
        conn.execute("create table t (x int)")  # error: ASP101
        conn.cursor()
        await conn.execute("insert into t values (1)")
    async with connect_with_channel(dsn) as (conn, channel):
        conn.execute("select 1")  # error: ASP101
        channel.publish("done")  # error: ASP101
    with borrowed(dsn) as conn:
        conn.execute("select 2")  # error: ASP101
    async with open_sdk("token") as sdk:
        sdk.models.retrieve("m")  # error: ASP101
        sdk.session.close()  # error: ASP101
    async with open_pair("token") as (sdk, session):
        sdk.files.upload("a.txt")  # error: ASP101
        session.close()  # error: ASP101
        session.closed()


async def unknown_managers(dsn: str) -> None:
    async with untyped(dsn) as conn:
        conn.execute("select 1")  # no annotation
    async with anything(dsn) as conn:
        conn.execute("select 1")  # yields Any
    async with either(dsn, True) as conn:
        conn.execute("select 1")  # a union of classes that disagree
    async with not_contextlib(dsn) as conn:
        conn.execute("select 1")  # not contextlib's decorator
    async with connect_with_channel(dsn) as (conn, channel, extra):
        conn.execute("select 1")  # three names, two elements
    async with connect(dsn) as (conn, other):
        conn.execute("select 1")  # unpacking a Connection: nothing to read
    with connect(dsn) as conn:
        conn.execute("select 1")  # an async manager entered by a plain with
