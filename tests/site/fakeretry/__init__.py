"""fakeretry: retry and timeout decorators for coroutine functions."""
from .core import retry, with_deadline

__all__ = ["retry", "with_deadline"]
