"""A small web app whose modules import each other with absolute imports.

Eval package for cross-module resolution (tests/test_crossmodule.py).  Parsed,
never run.  The package re-exports api.py with a star import.
"""
from app.api import *  # noqa: F403 - the re-export that handlers.py imports through
