"""A small HTTP shop client: the package re-exports what its modules define.

Eval package for cross-module resolution (tests/test_crossmodule.py).  Parsed,
never run.  Re-exports are not calls, so this file has no markers.
"""
from .client import BaseClient, Client, fetch, parse, stream
from .client import fetch as get_page
from .client import fetch_all

__all__ = ["BaseClient", "Client", "fetch", "fetch_all", "get_page", "parse", "stream"]


def warm_up(url):
    parse(url)  # a sync function of client.py, through this package's own import
    stream(url)  # an async generator of client.py: calling it runs nothing either way, not a coroutine
    fetch(url)  # error: ASP101
