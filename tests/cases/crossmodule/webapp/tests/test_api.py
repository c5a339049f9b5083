"""Tests whose fixtures come from the conftest.py files above."""
from __future__ import annotations

import pytest

from webapp.client import Client, SyncClient


async def test_client(client):
    client.get("/")  # error: ASP101
    client.close()  # a plain method: silent
    await client.get("/")


async def test_pool(pool):
    pool.acquire()  # error: ASP101
    pool.size()


async def test_unannotated(unannotated, from_factory, renamed):
    unannotated.get("/")  # error: ASP101
    from_factory.get("/")  # error: ASP101
    renamed.get("/")  # error: ASP101


async def test_nearest_conftest_wins(session):
    session.get("/")  # error: ASP101
    session.acquire()  # the root's Pool is overridden here: unknown, silent


async def test_fixture_chains(wrapped, depends_on_client):
    wrapped.get("/")  # error: ASP101
    depends_on_client.get("/")  # error: ASP101


async def test_unsure_values(maybe, either, nowhere):
    maybe.get("/")  # None on one path: silent
    either.get("/")  # Client or Pool: silent
    nowhere.get("/")  # no such fixture: silent


async def test_in_a_task_list(client):
    tasks = [client.get(p) for p in ("/a", "/b")]  # error: ASP102
    del tasks


@pytest.mark.parametrize("client", [SyncClient()])
async def test_parametrized_directly(client):
    client.get("/")  # the parameter is not the fixture: silent


@pytest.mark.parametrize("client", ["x"], indirect=True)
async def test_parametrized_indirectly(client):
    client.get("/")  # error: ASP101


async def test_with_a_default(client=None):
    client.get("/")  # a default: not a fixture, silent


async def helper(client):
    client.get("/")  # not a test: pytest does not fill its parameters, silent


class TestClass:
    async def test_method(self, client):
        client.get("/")  # error: ASP101


class TestOverride:
    @pytest.fixture
    def client(self):
        return SyncClient()

    async def test_overridden(self, client):
        client.get("/")  # the class's fixture: a plain get, silent

    async def test_chain_sees_the_override(self, depends_on_client):
        depends_on_client.get("/")  # `client` is the class's here: silent


class TestWithBase(Client):
    async def test_not_collected_as_is(self, client):
        client.get("/")  # a test class with bases may be anything: silent


@pytest.fixture
def local_client():
    client = Client()
    yield client
    client.close()


async def test_local_fixture(local_client):
    local_client.get("/")  # error: ASP101
