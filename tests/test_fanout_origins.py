"""ASP201 names where its collection comes from: in the message, on the Finding (`origin`),
in the JSON output; `fanout-origins` from pyproject.toml chooses which origins are reported."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_async_patterns.engine import check_tree
from flake8_async_patterns.settings import DEFAULT_FANOUT_ORIGINS, FANOUT_ORIGINS, Settings, SettingsError, build, \
    load_project

SOURCE = textwrap.dedent("""\
    import asyncio

    SHARDS = tuple(range(64))


    async def get(key):
        await asyncio.sleep(0)


    class Mirror:
        def __init__(self, store):
            self.store = store
            self.nodes = []

        async def awaited(self, prefix):
            keys = await self.store.keys(prefix)
            await asyncio.gather(*(get(k) for k in keys))

        async def parameter(self, urls):
            await asyncio.gather(*(get(u) for u in urls))

        async def attribute(self):
            await asyncio.gather(*(get(n) for n in self.nodes))

        async def call(self):
            await asyncio.gather(*(get(k) for k in self.store.cached()))

        async def local(self, text):
            words = []
            for word in text.split():
                words.append(word)
            await asyncio.gather(*(get(w) for w in words))

        async def constant(self):
            await asyncio.gather(*(get(s) for s in SHARDS))
""")
LINES = {"awaited": 17, "parameter": 20, "attribute": 23, "call": 26, "local": 32, "constant": 35}


def findings(settings: Settings = Settings(), source: str = SOURCE):
    return [f for f in check_tree(ast.parse(source), settings, "mirror.py") if f.code == "ASP201"]


def test_each_origin_is_carried_by_the_finding():
    everything = Settings(fanout_origins=frozenset(FANOUT_ORIGINS))
    assert {f.line: f.origin for f in findings(everything)} == {line: kind for kind, line in LINES.items()}


def test_constants_are_silent_by_default():
    assert DEFAULT_FANOUT_ORIGINS == frozenset(FANOUT_ORIGINS) - {"constant"}
    assert {f.origin for f in findings()} == DEFAULT_FANOUT_ORIGINS


@pytest.mark.parametrize("kept", [{"awaited", "parameter"}, {"constant"}, {"local", "call"}])
def test_only_the_chosen_origins_are_reported(kept):
    assert {f.origin for f in findings(Settings(fanout_origins=frozenset(kept)))} == kept


@pytest.mark.parametrize("kind, words", [
    ("awaited", "of 'keys' (the result of 'await self.store.keys(...)')"),
    ("parameter", "of 'urls' (a parameter)"),
    ("attribute", "of 'self.nodes' (an attribute)"),
    ("call", "of 'self.store.cached()' (a call's result)"),
    ("local", "of 'words' (a local)"),
    ("constant", "of 'SHARDS' (a constant)"),
])
def test_the_message_names_the_origin(kind, words):
    everything = Settings(fanout_origins=frozenset(FANOUT_ORIGINS))
    (found,) = [f for f in findings(everything) if f.origin == kind]
    assert words in found.message, found.message


def test_origin_seen_through_size_keeping_wrappers():
    source = textwrap.dedent("""\
        import asyncio

        async def get(key):
            await asyncio.sleep(0)

        async def indexed(count, pairs):
            await asyncio.gather(*(get(i) for i in range(count)))
            await asyncio.gather(*(get(k) for k, _ in sorted(pairs.items())))
    """)
    messages = {f.line: (f.origin, f.message) for f in findings(source=source)}
    assert messages[7][0] == "parameter" and "of 'range(count)' ('count': a parameter)" in messages[7][1]
    assert messages[8][0] == "parameter" and "('pairs': a parameter)" in messages[8][1]


def test_other_rules_carry_no_origin():
    source = "import asyncio\n\nasync def f():\n    asyncio.sleep(1)\n"
    (found,) = check_tree(ast.parse(source), Settings(), "f.py")
    assert found.code == "ASP101" and found.origin is None


def test_json_output_has_the_origin(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.async-patterns]\nfanout-origins = ["awaited", "constant"]\n',
                                             encoding="utf-8")
    (tmp_path / "mirror.py").write_text(SOURCE, encoding="utf-8")
    completed = subprocess.run([sys.executable, "-m", "flake8_async_patterns", "check", "--format", "json",
                                "--select", "ASP201,ASP101", "mirror.py"],
                               capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    rows = json.loads(completed.stdout)
    assert sorted((r["line"], r["origin"]) for r in rows) == [(17, "awaited"), (35, "constant")]


def test_json_rows_of_other_rules_have_no_origin_key(tmp_path: Path):
    (tmp_path / "f.py").write_text("import asyncio\n\nasync def f():\n    asyncio.sleep(1)\n", encoding="utf-8")
    completed = subprocess.run([sys.executable, "-m", "flake8_async_patterns", "check", "--format", "json", "f.py"],
                               capture_output=True, text=True, timeout=120, cwd=tmp_path)
    (row,) = json.loads(completed.stdout)
    assert "origin" not in row


@pytest.mark.parametrize("value, expected", [
    ("awaited,parameter", {"awaited", "parameter"}),
    (["Awaited", "CONSTANT"], {"awaited", "constant"}),
    ("", DEFAULT_FANOUT_ORIGINS),
])
def test_build_reads_the_key(value, expected):
    assert build({"fanout-origins": value}).fanout_origins == expected


def test_a_bad_origin_is_a_clear_error(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.async-patterns]\nfanout-origins = "awaited,everywhere"\n',
                                             encoding="utf-8")
    with pytest.raises(SettingsError, match="fanout-origins.*'everywhere'.*choose from awaited, parameter"):
        load_project(tmp_path)
