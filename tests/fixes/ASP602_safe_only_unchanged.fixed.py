# fix-options: --extend-select=ASP602
import json
import os
import shutil
from pathlib import Path


async def load_settings(folder: Path) -> dict:
    settings = folder / "settings.json"
    if not settings.exists():
        return {}
    return json.loads(settings.read_text(encoding="utf-8"))


async def save(folder: Path, data: dict) -> None:
    # keep the comment
    (folder / "settings.json").write_text(json.dumps(data), encoding="utf-8")


async def report(name: str) -> int:
    if os.path.isfile(name):
        return os.stat(name).st_size
    return 0


async def reset(build: str) -> None:
    shutil.rmtree(build, ignore_errors=True)
    os.makedirs(build, exist_ok=True)
