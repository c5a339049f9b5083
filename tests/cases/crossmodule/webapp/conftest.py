"""The app's root conftest: fixtures for every test below this folder."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from webapp.client import Client, Pool, connect


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
async def pool() -> AsyncIterator[Pool]:
    pool = Pool()
    yield pool


@pytest.fixture
def unannotated():
    return Client()  # no annotation: what it surely returns


@pytest.fixture
def from_factory():
    return connect()  # a factory annotated in another module


@pytest.fixture(name="renamed")
def _renamed_client() -> Client:
    return Client()


@pytest.fixture
def session() -> Pool:
    return Pool()  # overridden by tests/conftest.py for the tests below it


@pytest.fixture
def maybe(request):
    if request.param:
        return Client()
    return None  # sometimes nothing: unknown


@pytest.fixture
def either(request):
    if request.param:
        return Client()
    return Pool()  # two classes: unknown


@pytest.fixture
def wrapped(client: Client) -> Client:
    return client


@pytest.fixture
def depends_on_client(client):
    return client  # what `client` is where the test asks for it
