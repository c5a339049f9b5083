"""fakeclient 2.0: an HTTP client."""
from .session import Session

__all__ = ["Session"]
