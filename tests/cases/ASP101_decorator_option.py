# options: --async-patterns-non-coroutine-decorators=myapp.testing.sync_test,bare_wrap
"""Eval file for ASP101: the `async-patterns-non-coroutine-decorators` option.  Parsed, never run.

myapp.testing.sync_test (tests/site/myapp/testing.py) reads as a decorator that returns
the function, and `bare_wrap` below too, so without the option their `async def`s would
stay coroutine functions; the option says they are replaced at run time by something
that drives the coroutine itself.  A dotted entry names that decorator however it is
imported; a bare entry names any decorator of that name.
"""
from __future__ import annotations

import asyncio
import functools

import myapp.testing
from myapp.testing import sync_test

HOOKS: dict = {}


def bare_wrap(function):
    HOOKS[function.__name__] = function  # the test runner swaps in its loop-driving wrapper
    return function


def traced(function):
    @functools.wraps(function)
    async def wrapper(*args, **kwargs):
        return await function(*args, **kwargs)
    return wrapper


@myapp.testing.sync_test
async def test_login() -> None:
    await asyncio.sleep(0)


@sync_test
async def test_logout() -> None:
    await asyncio.sleep(0)


@bare_wrap
async def test_refresh() -> None:
    await asyncio.sleep(0)


@traced
async def login(user: str) -> None:
    await asyncio.sleep(0)


@sync_test
@traced
async def test_traced_login() -> None:
    await asyncio.sleep(0)


async def smoke(user: str) -> None:
    test_login()  # the option names myapp.testing.sync_test
    test_logout()  # the same decorator, imported by name
    test_refresh()  # the option names bare_wrap
    test_traced_login()  # sync_test, outermost, makes traced's coroutine function a plain one
    login(user)  # error: ASP101
    if login(user):  # error: ASP104
        return
    pending = login(user)  # error: ASP101
