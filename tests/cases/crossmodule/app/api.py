"""Request handlers' building blocks.  No markers: nothing here depends on another module."""
import asyncio
import os
import contextlib

import pytest

__all__ = ["get_user", "get_config", "watch_users", "list_users", "user_fixture", "user_lock"]


async def get_user(user_id: int) -> dict:
    await asyncio.sleep(0)
    return {"id": user_id}


async def list_users() -> list:
    return [await get_user(1)]


def get_config() -> dict:
    return {}


async def watch_users():
    while True:
        yield await get_user(1)


@pytest.fixture
async def user_fixture():
    return await get_user(1)


@contextlib.asynccontextmanager
async def user_lock(user_id: int):
    yield user_id


def make_fetcher():
    async def fetch_profile(user_id: int) -> dict:
        return await get_user(user_id)

    return fetch_profile


# Names bound by assignment: our own reading of this module cannot see what they
# are, astroid can (or says it cannot tell).
load_user = get_user
fetch_profile = make_fetcher()
config_alias = get_config
watch_alias = watch_users
HANDLERS = {"user": get_user, "config": get_config}
dynamic_handler = HANDLERS[os.environ.get("HANDLER", "user")]
