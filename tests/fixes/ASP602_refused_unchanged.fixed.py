# fix-options: --unsafe-fixes --extend-select=ASP602
import os
from pathlib import Path


async def read_lines(path: str) -> list:
    # an open: moving only the open to a thread leaves the reads on the loop
    with open(path, encoding="utf-8") as lines:
        return [line.rstrip("\n") for line in lines]


async def append(path: Path, text: str) -> None:
    with path.open("a") as out:
        out.write(text)


async def first_bytes(path: str) -> bytes:
    return open(path, "rb").read(16)


async def count(top: str) -> int:
    # iterated results: the I/O happens while they are iterated
    return sum(len(files) for _root, _dirs, files in os.walk(top))


async def sources(root: Path) -> list:
    return sorted(root.rglob("*.py"))


async def names(folder: str) -> list:
    with os.scandir(folder) as entries:
        return [entry.name for entry in entries]


async def sizes(paths: list) -> int:
    # inside a generator expression an await would make an async generator
    return sum(os.path.getsize(p) for p in paths)
