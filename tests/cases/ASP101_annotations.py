"""Eval file for ASP101: annotations as evidence.  Parsed, never run.

A message broker's client code.  Type checkers trust annotations, and so does the
linter: a value annotated with a class whose method is an `async def` makes a call of
that method a coroutine call, whether the class is in this module, in a sibling module
(_support_annotations.py) or in an installed package (tests/site/fakebot).  The module
has `from __future__ import annotations`, so no annotation here is ever evaluated.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Awaitable, Optional, Protocol, TypeVar, Union

from _support_annotations import Session, make_session
from fakebot.client import Bot
from nowhere import Client as PhantomClient

if TYPE_CHECKING:
    from _support_annotations import Uploader

log = logging.getLogger(__name__)
T = TypeVar("T")


class Connection:
    async def send(self, payload: bytes) -> None:
        await asyncio.sleep(0)

    async def recv(self) -> bytes:
        await asyncio.sleep(0)
        return b""

    def fileno(self) -> int:
        return 3

    async def frames(self):
        while True:
            yield await self.recv()


class PooledConnection(Connection):
    async def release(self) -> None:
        await asyncio.sleep(0)


class BlockingConnection(Connection):
    def send(self, payload: bytes) -> None:  # a sync override of the async method
        return None


class Pipe:
    async def send(self, payload: bytes) -> None:
        await asyncio.sleep(0)

    def recv(self) -> bytes:  # sync, where Connection.recv is async
        return b""


class Mailbox:
    async def pop(self) -> bytes:
        await asyncio.sleep(0)
        return b""


class Ledger:
    async def index(self, key: str) -> None:
        await asyncio.sleep(0)


class Notifier(Protocol):
    def notify(self, message: str) -> Awaitable[int]: ...  # may return a Future: not a coroutine function


def open_connection(url: str) -> Connection:
    return Connection()


async def connect(url: str) -> Connection:
    await asyncio.sleep(0)
    return Connection()


def other_factory():
    return object()


# -- parameters -----------------------------------------------------------------------


async def publish(conn: Connection, session: Session, bot: Bot, payload: bytes) -> None:
    conn.send(payload)  # error: ASP101
    session.get("https://broker/health")  # error: ASP101
    bot.send_message(42, "published")  # error: ASP101
    log.info("fd %d", conn.fileno())  # a sync method of the same class
    session.headers()  # a sync method of the sibling module's class
    bot.format_text("done")  # a sync method of the package's class


async def optional_forms(
    first: Optional[Connection],
    second: Connection | None,
    third: Union[Connection, None],
    fourth: "Connection",
    fifth: Annotated[Connection, "primary"],
) -> None:
    if first is not None:
        first.send(b"1")  # error: ASP101
    if second is not None:
        second.send(b"2")  # error: ASP101
    if third:
        third.send(b"3")  # error: ASP101
    fourth.send(b"4")  # error: ASP101
    fifth.send(b"5")  # error: ASP101


async def upload_all(uploader: Uploader, paths: list[str]) -> None:
    for path in paths:
        uploader.upload(path)  # error: ASP101


async def pooled(conn: PooledConnection) -> None:
    conn.send(b"ping")  # error: ASP101
    conn.release()  # error: ASP101


async def either(link: Connection | Pipe, other: Union[Pipe, Connection]) -> None:
    link.send(b"x")  # error: ASP101
    other.send(b"y")  # error: ASP101
    link.recv()  # Pipe.recv is sync: the union's classes disagree
    other.recv()  # the same, in the other order


async def ready(conn: Connection) -> bool:
    if conn.recv():  # error: ASP104
        return True
    reply = conn.recv()  # error: ASP101
    return False


# -- locals and return annotations -----------------------------------------------------


async def annotated_local(pool) -> None:
    conn: Connection = pool.acquire_nowait()
    conn.send(b"hello")  # error: ASP101
    session: Session = make_session()
    session.get("https://broker/")  # error: ASP101


async def returned(url: str) -> None:
    conn = open_connection(url)
    conn.send(b"hello")  # error: ASP101
    open_connection(url).recv()  # error: ASP101
    session = make_session()  # `-> Session`, in the sibling module
    session.get(url)  # error: ASP101
    make_session().get(url)  # error: ASP101
    awaited = await connect(url)
    awaited.send(b"hello")  # error: ASP101


# -- attributes ------------------------------------------------------------------------


class Worker:
    conn: Connection

    async def run(self) -> None:
        self.conn.send(b"started")  # error: ASP101


@dataclass
class Job:
    session: Session
    retries: int = 3
    outputs: list[Mailbox] = field(default_factory=list)

    async def fetch(self, url: str) -> bytes:
        self.session.get(url)  # error: ASP101
        self.outputs.pop()  # list.pop: the list's method, not Mailbox.pop
        return b""


class Consumer:
    def __init__(self, factory) -> None:
        self.conn: Connection = factory()
        self._session = Session()

    @property
    def session(self) -> Session:
        return self._session

    def connection(self) -> Connection:
        return self.conn

    async def consume(self) -> None:
        self.conn.recv()  # error: ASP101
        self.session.get("https://broker/next")  # error: ASP101
        self.connection().send(b"ack")  # error: ASP101
        async for frame in self.conn.frames():
            log.info("frame %r", frame)


# -- negatives ---------------------------------------------------------------------------


async def unknowable(anything: Any, thing: object, value: T, clients: list[Mailbox]) -> None:
    anything.send(b"x")  # Any says nothing
    thing.send(b"x")  # object has no such method: says nothing
    value.send(b"x")  # a type variable says nothing
    clients.pop()  # list.pop, not Mailbox.pop


async def overridden(conn: BlockingConnection) -> None:
    conn.send(b"x")  # the subclass overrides send with a sync def
    conn.recv()  # error: ASP101


async def rebound(conn: Connection) -> None:
    conn = other_factory()  # the parameter no longer holds what the annotation says
    conn.send(b"x")


async def protocol(notifier: Notifier) -> None:
    notifier.notify("x")  # `-> Awaitable[int]`: may be a Future, whose work runs anyway


async def phantom(client: PhantomClient) -> None:
    client.get("x")  # a class from a module that does not exist: unknown


async def reindex(primary: Ledger, *ledgers: Ledger, **by_name: Ledger) -> None:
    position = ledgers.index(primary)  # `*ledgers` is a tuple: tuple.index
    by_name.pop("archive")  # `**by_name` is a dict: dict.pop
    primary.index("by_date")  # error: ASP101
    log.info("primary at %d", position)


async def awaited(conn: Connection, session: Session) -> None:
    await conn.send(b"x")  # awaited
    body = await session.get("https://broker/")  # awaited
    conn.frames()  # an async generator method: calling it makes an async iterator
    log.info("%d bytes", len(body))


async def custom_connection_class(make, payload: bytes) -> None:
    # corpus (aiohttp's tests): the annotated class is Connection, but the function passes a
    # subclass of its own whose `send` is a plain def: the value may be that subclass, silent
    class Recording(Connection):
        def send(self, payload: bytes) -> None:
            return None

    conn: Connection = make(Recording)
    conn.send(payload)


# Instances that are called: the class's `__call__` answers (a protocol may declare it by its
# overloads alone, as pytest plugins type their factory fixtures).
from fakebot.testing import BotFactory, MixedFactory, ServerFactory


class Middleware:
    async def __call__(self, request: dict) -> dict:
        return request


class SyncMiddleware:
    def __call__(self, request: dict) -> dict:
        return request


async def called_instances(make_bot: BotFactory, start: ServerFactory, mixed: MixedFactory,
                           middleware: Middleware, plain: SyncMiddleware, anything: Any) -> None:
    make_bot("token")  # error: ASP101
    bot = make_bot("token")  # error: ASP101
    log.info("%s", bot.format_text(" hi "))
    await make_bot("token")  # awaited
    start(8080)  # a plain __call__ returning an awaitable: not a coroutine function, silent
    mixed("token")  # the overloads disagree (one is a plain def): unknown, silent
    middleware({})  # error: ASP101
    plain({})  # a plain __call__
    anything({})  # Any names nothing
    handler = Middleware()
    handler({})  # error: ASP101
    await handler({})  # awaited
    Middleware()  # making the instance calls no __call__
    wrapped = SyncMiddleware()
    wrapped({})


async def rebound_instance(flag: bool) -> None:
    handler = Middleware()
    if flag:
        handler = SyncMiddleware()
    handler({})  # two values of two classes: unknown, silent
