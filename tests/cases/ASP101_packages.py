"""Eval file for ASP101: installed packages as evidence.  Parsed, never run.

A chat bot that stores what it relays.  Names imported from a distribution installed
in the environment the tool runs in are read from its source, or from its `.pyi` stubs
when it ships them, never imported.  The packages live in tests/site (on the path of
every lint in the tests):

- fakebot: `Bot.send_message` and `fetch_updates` are `async def`, re-exported from
  fakebot/client.py; `Bot.close` is inherited from fakebot/base.py;
- stubbed: its source builds its classes with `type(...)`; its `__init__.pyi` says
  `Conn.query` is an `async def` and `Conn.execute` returns a `Coroutine`;
- fakeclient: `Session.close` was `async def` in 1.x and is a plain `def` now.
"""
from __future__ import annotations

import asyncio
import logging

import fakebot
import fakebot.client
import stubbed
from fakebot import Bot, fetch_updates
from fakebot.client import parse_update
from fakeclient import Session
from notinstalled import Bot as OtherBot
from stubbed import Conn, connect, connect_sync

log = logging.getLogger(__name__)


async def relay(bot: Bot, chat_id: int, text: str) -> None:
    bot.send_message(chat_id, bot.format_text(text))  # error: ASP101
    bot.close()  # error: ASP101
    bot.format_text(text)  # a sync method of the package's class
    if bot.is_closed():  # a sync method inherited from the package's base class
        log.info("closed")


async def poll(token: str) -> None:
    fetch_updates(token)  # error: ASP101
    fakebot.fetch_updates(token, offset=10)  # error: ASP101
    fakebot.client.fetch_updates(token)  # error: ASP101
    parse_update({"id": 1})  # a sync function of the package
    fakebot.client.parse_update({"id": 2})  # the same, through the module


async def instances(token: str) -> None:
    b = fakebot.Bot(token)
    b.send_message(1, "hello")  # error: ASP101
    other = Bot(token)
    other.close()  # error: ASP101
    if other.send_message(2, "ping"):  # error: ASP104
        log.info("sent")
    sent = b.send_message(3, "unused")  # error: ASP101
    b.format_text("sync")  # a sync method
    b.edit_message(1, "x")  # an attribute the package does not define: unknown


async def store(conn: Conn) -> None:
    conn.query("SELECT 1")  # error: ASP101
    conn.execute("DELETE FROM relay")  # error: ASP101
    conn.cursor()  # declared `def cursor(self) -> Cursor` in the stub: sync
    conn.close()  # a sync method of the stub
    conn.vacuum()  # the stub declares no such method: unknown


async def connected(dsn: str) -> None:
    conn = await connect(dsn)
    conn.query("SELECT 2")  # error: ASP101
    connect(dsn)  # error: ASP101
    stubbed.connect(dsn)  # error: ASP101
    sync_conn = connect_sync(dsn)
    sync_conn.query("SELECT 3")  # error: ASP101
    sync_conn.cursor()  # sync
    connect_sync(dsn)  # a sync function of the stub
    stubbed.Cursor()  # a class, not a coroutine function


async def http(session: Session, url: str) -> None:
    session.get(url)  # error: ASP101
    session.close()  # fakeclient 2.x: a plain def (it was async in 1.x)


async def not_installed(bot: OtherBot) -> None:
    bot.send_message(1, "x")  # `notinstalled` is not installed: unknown
    bot.close()  # the same: the name alone says nothing



# A diamond of bases across the modules of a package: the async override comes before the
# sync definition in the MRO (AsyncSearch, Search, AsyncCommands, Commands).
from fakemix import AsyncSearch, Search, Unreadable


async def diamond(search: AsyncSearch, sync_search: Search, odd: Unreadable) -> None:
    search.search("q")  # error: ASP101
    search.info()  # error: ASP101
    search.explain("q")  # not overridden: the plain def of Commands
    search.index_name()  # a plain def of Search
    sync_search.search("q")  # the sync class: a plain def
    odd.search("q")  # a base that cannot be read may define it: unknown, silent
    await search.search("q")


async def custom_class_through_a_factory(dsn: str) -> None:
    # corpus (aiohttp's tests: `resp = await req.send(conn)` with a local ClientResponse subclass
    # whose `read` is a plain def): the factory names no class the subclass could be compared
    # with, so any local subclass overriding the method with a plain def makes it unknown
    class Recording(Conn):
        def query(self, sql: str) -> list:
            return [sql]

    conn = await connect(dsn, factory=Recording)
    assert conn.query("select 1") == ["select 1"]


async def factory_without_local_override(dsn: str) -> None:
    conn = await connect(dsn)
    assert conn.query("select 1") == []  # error: ASP101
