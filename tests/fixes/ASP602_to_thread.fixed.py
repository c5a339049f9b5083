# fix-options: --unsafe-fixes --extend-select=ASP602
import json
import os
import shutil
from pathlib import Path
import asyncio


async def load_settings(folder: Path) -> dict:
    settings = folder / "settings.json"
    if not await asyncio.to_thread(settings.exists):
        return {}
    return json.loads(await asyncio.to_thread(settings.read_text, encoding="utf-8"))


async def save(folder: Path, data: dict) -> None:
    # keep the comment
    await asyncio.to_thread((folder / "settings.json").write_text, json.dumps(data), encoding="utf-8")


async def report(name: str) -> int:
    if await asyncio.to_thread(os.path.isfile, name):
        return (await asyncio.to_thread(os.stat, name)).st_size
    return 0


async def reset(build: str) -> None:
    await asyncio.to_thread(shutil.rmtree, build, ignore_errors=True)
    await asyncio.to_thread(os.makedirs, build, exist_ok=True)
