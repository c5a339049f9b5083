# requires-python: 3.11
"""Eval file for ASP305 with `except*` handlers (Python 3.11 syntax).  Parsed, never run.

A handler for exception groups catches the gather's error all the same: the siblings of
the failed awaitable keep running unsupervised.
"""
from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)


async def fetch_feed(url: str) -> str:
    await asyncio.sleep(0)
    return url


async def except_star(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup))  # error: ASP305
    except* Exception:
        log.exception("refresh failed")


async def except_star_narrow(primary: str, backup: str) -> None:
    # a narrow handler of errors the feeds are not seen to raise (as with a plain `except`)
    try:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup))
    except* (ValueError, KeyError) as group:
        log.warning("bad feeds: %s", group.exceptions)


async def except_star_reraises(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup))
    except* Exception:
        log.exception("refresh failed")
        raise


async def task_group(primary: str, backup: str) -> None:
    try:
        async with asyncio.TaskGroup() as group:  # cancels the siblings when one fails
            group.create_task(fetch_feed(primary))
            group.create_task(fetch_feed(backup))
    except* Exception:
        log.exception("refresh failed")
