"""Eval file for ASP602 blocking-file-io-in-coroutine: pathlib.  Parsed, never run.

A static-site builder whose pipeline is async.  Positives carry
`# error: ASP602`: a `pathlib.Path` method that asks the disk, called on the
event loop on a value that is surely a path.  Pure path arithmetic, the awaited
methods of `anyio.Path` and `trio.Path`, project classes with methods of the
same names, and values that may not be paths must stay silent.
"""
from __future__ import annotations

import asyncio
import json
import pathlib
from dataclasses import dataclass
from pathlib import Path, PosixPath, PurePosixPath
from pathlib import Path as P
from typing import Optional, Union

import anyio
import pytest
import trio

SITE = Path("site")
CACHE_ROOT = Path.home() / ".cache" / "builder"


def output_dir() -> Path:
    return SITE / "public"


@dataclass
class Page:
    source: Path
    slug: str


class Builder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.theme: Path = root / "theme"

    async def clean(self):
        for stale in self.root.glob("*.html"):  # error: ASP602
            stale.unlink()  # error: ASP602
        self.theme.mkdir(exist_ok=True)  # error: ASP602


# -- positives -------------------------------------------------------------------------------


async def render(page: Page, name: str):
    template = Path("templates", name).read_text(encoding="utf-8")  # error: ASP602
    return template.format(body=page.slug)


async def publish(html: bytes, slug: str):
    target = output_dir() / f"{slug}.html"
    target.write_bytes(html)  # error: ASP602


async def has_config(root: Path):
    return (root / "site.toml").exists()  # error: ASP602


async def size_of(asset: Optional[Path]):
    return asset.stat().st_size  # error: ASP602


async def touch_marker(marker: "Path | None"):
    marker.touch()  # error: ASP602


async def prepare_cache():
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)  # error: ASP602
    (pathlib.Path.cwd() / "build").mkdir(exist_ok=True)  # error: ASP602


async def sources(root: Path):
    return sorted(root.rglob("*.md"))  # error: ASP602


async def drafts(root: Union[Path, None]):
    return [draft.name for draft in root.iterdir() if draft.is_file()]  # error: ASP602


async def copy_pair():
    left, right = Path("a.css"), Path("b.css")
    right.write_text(left.read_text())  # error: ASP602


async def nested_output(slug):
    folder = SITE
    folder = folder / "posts"
    folder = folder.joinpath(slug)
    folder.parent.mkdir(parents=True, exist_ok=True)  # error: ASP602


async def backup(page: Page):
    page.source.with_suffix(".bak").write_text("")  # error: ASP602


async def canonical(link: P):
    return link.resolve()  # error: ASP602


async def posix_only(raw: str):
    return PosixPath(raw).is_symlink()  # error: ASP602


async def manifest(folder: Path):
    async def load():
        return json.loads((folder / "manifest.json").read_text())  # error: ASP602

    return await load()


async def unbound_method(path: Path):
    return Path.exists(path)  # error: ASP602


# -- negatives -------------------------------------------------------------------------------


async def pure_parts(page: Page, root: Path):
    slug = page.source.stem + page.source.suffix
    relative = page.source.relative_to(root)
    sibling = page.source.with_name("index.md").with_suffix(".html")
    parts = root.joinpath("a", "b").parent.parts
    return slug, relative.as_posix(), sibling.name, parts, root.is_absolute(), root.match("*.md")


async def cwd_and_home(root: Path):
    return root.absolute(), root.expanduser(), PurePosixPath("/srv").with_name("www")


async def in_a_thread(page: Page):
    text = await asyncio.to_thread(page.source.read_text, encoding="utf-8")
    names = await asyncio.to_thread(list, page.source.parent.iterdir())
    return text, names


async def later(root: Path):
    pending = root.glob("*.md")  # made here, iterated in the thread
    return await asyncio.to_thread(list, pending)


async def anyio_paths(raw: str):
    path = anyio.Path(raw)
    if await path.exists():
        return await path.read_text()
    return await anyio.Path(raw).stat()


async def trio_paths(raw: str):
    path = trio.Path(raw)
    await path.mkdir(exist_ok=True)
    return await trio.Path(raw).is_file()


class Document:
    def exists(self) -> bool:
        return True

    def read_text(self) -> str:
        return ""


async def project_class(doc: Document):
    if doc.exists():
        return doc.read_text()
    return Document().read_text()


async def maybe_a_path(target: str | Path, name: str, unknown):
    return target.exists(), name.read_text(), unknown.exists()


async def helper_in_a_thread(root: Path):
    def collect():
        return [p.read_text() for p in root.glob("*.md")]

    return await asyncio.to_thread(collect)


def build_sync(root: Path):
    return (root / "site.toml").read_text()


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs procfs")  # made at import
async def test_reads_proc(tmp_path=Path("/tmp").resolve()):
    return tmp_path


async def rebound(raw: str):
    target = Path(raw)
    target = raw  # no longer surely a path
    return target.exists()
