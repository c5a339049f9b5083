"""A tiny line-based key-value server on asyncio streams: GET key, SET key value, SAVE.

DELIBERATELY BUGGY DEMO CODE.  Like crawler.py beside it, it contains asyncio
defects on purpose for `async-patterns check examples/` to find.  Do not copy it.
"""
from __future__ import annotations

import asyncio
import atexit
import functools
import json
import sys
from pathlib import Path


class Store:
    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.data: dict[str, str] = {}
        self.lock = asyncio.Lock()
        if self.path.exists():
            self.data = json.loads(self.path.read_text(encoding="utf-8"))
        atexit.register(self.flush)  # BUG ASP104: at exit, flush() is called, never awaited

    async def flush(self) -> None:
        async with self.lock:
            text = json.dumps(self.data, indent=2, sort_keys=True)
            await asyncio.to_thread(self.path.write_text, text, encoding="utf-8")

    async def autosave(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            await self.flush()


async def handle(store: Store, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    async for raw in reader:
        command, _, rest = raw.decode("utf-8", errors="replace").strip().partition(" ")
        if command == "GET":
            reply = store.data.get(rest, "")
        elif command == "SET":
            key, _, value = rest.partition(" ")
            async with store.lock:
                store.data[key] = value
            reply = "OK"
        elif command == "SAVE":
            await store.flush()
            reply = "OK"
        else:
            reply = f"ERR unknown command {command!r}"
        writer.write((reply + "\n").encode())
        await writer.drain()
    writer.close()


async def serve(path: str, port: int) -> None:
    store = Store(path)
    loop = asyncio.get_running_loop()
    loop.create_task(store.autosave(30))  # BUG ASP103: the autosave task is not kept
    server = await asyncio.start_server(functools.partial(handle, store), "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1] if len(sys.argv) > 1 else "store.json", 8765))
