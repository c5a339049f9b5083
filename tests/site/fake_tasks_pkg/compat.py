"""Names that moved between Python versions."""
import asyncio
import sys

if sys.version_info >= (3, 7):
    from asyncio import create_task
else:
    create_task = asyncio.ensure_future

ensure_future = asyncio.ensure_future
