"""A nearer conftest: its fixtures win over the root's for the tests of this folder."""
from __future__ import annotations

import pytest

from webapp.client import Client


@pytest.fixture
def session() -> Client:
    return Client()
