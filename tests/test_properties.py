"""Unit tests of flake8_async_patterns.analysis.properties: is this attribute read the read
of an async property?  Each test asks about the attribute read on the line marked `# <-`."""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_async_patterns.analysis import ModuleFacts, external
from flake8_async_patterns.analysis.properties import async_property
from flake8_async_patterns.settings import Settings
from test_analysis import MARK, marked_line, path_to


def found_in(facts: ModuleFacts, source: str, attr: str):
    line = marked_line(facts, source, MARK)
    path = path_to(facts.tree, lambda n: isinstance(n, ast.Attribute) and n.attr == attr and n.lineno == line)
    return async_property(facts.resolver, path[-1], facts.scope(path))


def read(source: str, attr: str = "ready"):
    source = textwrap.dedent(source)
    return found_in(ModuleFacts(ast.parse(source), Settings(), "<test>", source), source, attr)


SENSOR = """
import functools
from functools import cached_property
from typing import Optional
class Sensor:
    @property
    async def ready(self) -> bool: ...
    @ready.setter
    def ready(self, value): ...
    @functools.cached_property
    async def readings(self): ...
    @property
    def label(self): ...
    @property
    def pending(self):
        return self.refresh()
    async def refresh(self): ...
    @property
    async def stream(self):
        yield 1
    async def method(self): ...
"""


@pytest.mark.parametrize("code, attr", [
    ("class Hub(Sensor):\n    def f(self):\n        self.ready  # <-", "ready"),
    ("class Hub(Sensor):\n    def f(self):\n        super().ready  # <-", "ready"),
    ("def f():\n    s = Sensor()\n    s.readings  # <-", "readings"),
    ("def f(s: Sensor):\n    s.ready  # <-", "ready"),
    ("def f(s: Optional[Sensor]):\n    s.ready  # <-", "ready"),
    ("def f(s: 'Sensor | None'):\n    s.ready  # <-", "ready"),
    ("class Holder:\n    sensor: Sensor\n    def f(self):\n        self.sensor.ready  # <-", "ready"),
])
def test_async_properties_are_found_through_every_kind_of_receiver(code, attr):
    found = read(SENSOR + code, attr)
    assert found is not None and found.name == f"Sensor.{attr}"


@pytest.mark.parametrize("code, attr", [
    ("def f(s: Sensor):\n    s.label  # <-", "label"),  # a plain property
    ("def f(s: Sensor):\n    s.pending  # <-", "pending"),  # a plain getter returning a coroutine
    ("def f(s: Sensor):\n    s.stream  # <-", "stream"),  # an async generator
    ("def f(s: Sensor):\n    s.method  # <-", "method"),  # a coroutine method, not called
    ("def f(s):\n    s.ready  # <-", "ready"),  # unknown receiver
    ("def f():\n    Sensor.ready  # <-", "ready"),  # the property object
    ("class Hub(Sensor):\n    @classmethod\n    def f(cls):\n        cls.ready  # <-", "ready"),
    ("class Hub(Sensor):\n    def __init_subclass__(cls):\n        cls.ready  # <-", "ready"),
    ("class Hub(Sensor):\n    def __new__(cls):\n        cls.ready  # <-", "ready"),
])
def test_what_is_no_async_property_read(code, attr):
    assert read(SENSOR + code, attr) is None


def test_a_setter_defined_before_the_getter_is_no_getter():
    assert read("""
        class Odd:
            @property
            def ready(self): ...
            @ready.getter
            async def ready(self): ...
            def f(self):
                self.ready  # <-
    """) is not None
    assert read("""
        class Odd:
            async def ready(self): ...
            @ready.setter
            def ready(self, value): ...
            def f(self):
                self.ready  # <-
    """) is None


@pytest.mark.parametrize("decorators, found", [
    (["property"], True),
    (["property", "abc.abstractmethod"], True),
    (["abc.abstractproperty"], True),
    (["property", "unknown"], False),
    (["unknown", "property"], False),
    (["async_property"], False),
    (["functools.lru_cache"], False),
])
def test_decorators(decorators, found):
    lines = "\n".join(f"    @{d}" for d in decorators)
    source = f"import abc, functools\nfrom async_property import async_property\nfrom x import unknown\n" \
             f"class C:\n{lines}\n    async def ready(self): ...\n    def f(self):\n        self.ready  # <-\n"
    assert (read(source) is not None) == found


def test_a_sync_override_in_a_subclass_of_the_module_makes_it_unknown():
    base = textwrap.dedent("""
        class Probe:
            @property
            async def ready(self): ...
            def f(self):
                self.ready  # <-
        class Fake(Probe):
            pass
    """)
    assert read(base) is not None
    assert read(base + "class Faker(Fake):\n    ready = True\n") is None
    assert read(base + "class Faker(Fake):\n    @property\n    def ready(self): ...\n") is None
    assert read(base + "class Faker(Fake):\n    @property\n    async def ready(self): ...\n") is not None


@pytest.fixture
def site(tmp_path: Path, monkeypatch):
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    caches = (external.package_roots, external.installed_module, external._with_packages, external._package_offered)
    for cache in caches:
        cache.cache_clear()
    yield folder
    for cache in caches:
        cache.cache_clear()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def read_in_project(tmp_path: Path, source: str, attr: str = "ready"):
    module = write(tmp_path / "project", "main.py", source)
    text = module.read_text(encoding="utf-8")
    return found_in(ModuleFacts(ast.parse(text), Settings(), str(module), text), text, attr)


def test_a_class_of_an_installed_package_through_a_re_export_and_a_base(site, tmp_path):
    write(site, "fakedev/__init__.py", "from .device import Device, Camera\n")
    write(site, "fakedev/base.py", "class Base:\n    @property\n    async def ready(self): ...\n")
    write(site, "fakedev/device.py", """
        from .base import Base
        class Device(Base):
            @property
            def label(self): ...
        class Camera(Device):
            pass
    """)
    for receiver in ("d: Device", "d: Camera"):
        found = read_in_project(tmp_path,
                                f"from fakedev import Device, Camera\ndef f({receiver}):\n    d.ready  # <-\n")
        assert found is not None and found.evidence == "annotation", receiver
    assert read_in_project(tmp_path, "from fakedev import Device\ndef f(d: Device):\n    d.label  # <-\n",
                           "label") is None
    found = read_in_project(tmp_path, "import fakedev\ndef f():\n    d = fakedev.Device()\n    d.ready  # <-\n")
    assert found is not None


def test_a_class_of_another_project_module(tmp_path):
    write(tmp_path / "project", "models.py", "class Model:\n    @property\n    async def ready(self): ...\n")
    found = read_in_project(tmp_path, "from models import Model\nclass Sub(Model):\n    def f(self):\n"
                                      "        self.ready  # <-\n")
    assert found is not None and found.name.endswith("Model.ready")
    assert read_in_project(tmp_path, "import models\ndef f():\n    models.Model.ready  # <-\n") is None


def test_the_premise_holds_at_run_time():
    """What the rule says about async properties, checked by running one."""
    import asyncio
    import functools

    class Pool:
        @property
        async def healthy(self) -> bool:
            return False

        @functools.cached_property
        async def members(self) -> list:
            return []

    pool = Pool()
    read = pool.healthy
    assert asyncio.iscoroutine(read) and bool(read)  # always true, whatever the getter says
    read.close()
    members = pool.members
    with pytest.raises(TypeError):
        len(members)
    assert asyncio.run(_awaited(members)) == []


async def _awaited(awaitable):
    return await awaitable
