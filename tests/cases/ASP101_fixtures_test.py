"""ASP101 through pytest fixtures defined in the test module itself.

The file name ends in `_test.py`, so pytest collects its `test*` functions, and
fills each parameter without a default with the fixture of that name.
"""
import pytest


class Client:
    async def get(self, path):
        return path

    def close(self):
        pass


class Stub:
    def get(self, path):  # a plain method of the same name
        return path


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture()
def built():
    made = Client()
    return made


@pytest.fixture
def stub():
    return Stub()


def some_decorator(function):
    return function


@some_decorator
def decorated():  # not a fixture we can read: it may be one
    return Client()


async def test_direct(client, built, stub):
    client.get("/")  # error: ASP101
    built.get("/")  # error: ASP101
    stub.get("/")  # a plain method: silent
    client.close()


async def test_unreadable(decorated):
    decorated.get("/")  # silent


def test_sync_test(client):
    client.get("/")  # error: ASP101


@pytest.mark.parametrize("client", [Stub()])
async def test_parametrized(client):
    client.get("/")  # silent


@pytest.mark.skip
async def test_marked(client):
    client.get("/")  # error: ASP101


class TestMarked:
    pytestmark = pytest.mark.parametrize("client", [Stub()])

    async def test_class_parametrized(self, client):
        client.get("/")  # silent


class TestGenerated:
    @staticmethod
    def pytest_generate_tests(metafunc):
        metafunc.parametrize("client", [Stub()])

    async def test_generated(self, client):
        client.get("/")  # silent


async def test_reassigned(client):
    client = Stub()
    client.get("/")  # rebound: silent
