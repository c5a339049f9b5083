"""stubbed: a driver whose classes are built at import time, so its source says nothing
about them; stubbed/__init__.pyi declares what they are."""
import importlib


def _build(name):
    backend = importlib.import_module("stubbed._native")
    return type(name, (backend.Base,), dict(backend.METHODS[name]))


Conn = _build("Conn")
Cursor = _build("Cursor")


def __getattr__(name):
    return _build(name)
