"""The results cache of `check` (.async_patterns_cache), run as a user runs it: a subprocess.

A cached entry is proved used by editing its findings: the edited message comes back while
nothing it depends on changed, and goes away as soon as something does.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_cli import ONE_FINDING, findings, no_crash, run, write

CLIENT = "async def fetch():\n    return 1\n"
SYNC_CLIENT = "def fetch():\n    return 1\n"
APP = "from pkg.client import fetch\n\n\nasync def main():\n    fetch()\n"
MARK = "edited in the cache"


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    write(tmp_path, "pyproject.toml", '[project]\nname = "demo"\n')
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/client.py", CLIENT)
    write(tmp_path, "pkg/app.py", APP)
    write(tmp_path, "pkg/other.py", "async def unrelated():\n    return 2\n")
    return tmp_path


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*/*.json"))


def edit_entries(folder: Path) -> int:
    """Change the message of every cached finding; the number of entries edited."""
    edited = 0
    for entry in entries(folder):
        data = json.loads(entry.read_text(encoding="utf-8"))
        for finding in data["findings"]:
            finding["message"] = MARK
            edited += 1
        entry.write_text(json.dumps(data), encoding="utf-8")
    return edited


def check(cwd: Path, *args: str):
    result = run("check", *args, cwd=cwd)
    no_crash(result)
    return result


def test_changing_an_imported_module_rechecks_its_importer(pkg):
    first = check(pkg, "pkg")
    assert findings(first.stdout) == [("pkg/app.py", 5, 5, "ASP101")]
    folder = pkg / ".async_patterns_cache"
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    tag = (folder / "CACHEDIR.TAG").read_text(encoding="utf-8")
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert len(entries(folder)) == 4
    assert edit_entries(folder) == 1
    assert MARK in check(pkg, "pkg").stdout  # nothing changed: the entry answers

    write(pkg, "pkg/client.py", SYNC_CLIENT)  # `async def` -> `def`
    second = check(pkg, "pkg")
    assert second.returncode == 0 and second.stdout == ""

    write(pkg, "pkg/client.py", CLIENT)
    assert findings(check(pkg, "pkg").stdout) == [("pkg/app.py", 5, 5, "ASP101")]


def test_a_change_elsewhere_leaves_the_entry_alone(pkg):
    check(pkg, "pkg")
    folder = pkg / ".async_patterns_cache"
    edit_entries(folder)
    write(pkg, "pkg/other.py", "async def unrelated():\n    return 3\n")  # not imported by app.py
    write(pkg, "pkg/more.py", "async def another():\n    return 4\n")  # a new module
    again = check(pkg, "pkg")
    assert MARK in again.stdout, again.stdout
    assert len(entries(folder)) == 5


def test_a_new_module_that_shadows_the_import_rechecks(pkg):
    check(pkg, "pkg")
    edit_entries(pkg / ".async_patterns_cache")
    # `pkg.client` is now a package whose __init__ is found first
    write(pkg, "pkg/client/__init__.py", SYNC_CLIENT)
    os.remove(pkg / "pkg" / "client.py")
    assert check(pkg, "pkg").stdout == ""


def test_a_conftest_fixture_is_a_dependency(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "demo"\n')
    write(tmp_path, "client.py", "class Client:\n    async def get(self):\n        return 1\n")
    write(tmp_path, "tests/conftest.py",
          "import pytest\nfrom client import Client\n\n\n@pytest.fixture\ndef client() -> Client:\n"
          "    return Client()\n")
    write(tmp_path, "tests/test_app.py", "async def test_get(client):\n    client.get()\n")
    assert findings(check(tmp_path, "tests/test_app.py").stdout) == [("tests/test_app.py", 2, 5, "ASP101")]
    edit_entries(tmp_path / ".async_patterns_cache")
    assert MARK in check(tmp_path, "tests/test_app.py").stdout
    write(tmp_path, "tests/conftest.py",
          "import pytest\n\n\n@pytest.fixture\ndef client():\n    return object()\n")
    assert check(tmp_path, "tests/test_app.py").stdout == ""


def test_settings_and_codes_are_part_of_the_key(pkg):
    check(pkg, "pkg")
    edit_entries(pkg / ".async_patterns_cache")
    assert check(pkg, "pkg", "--select", "ASP1").stdout.count(MARK) == 0  # other codes: linted
    write(pkg, "pyproject.toml", '[project]\nname = "demo"\n\n[tool.async-patterns]\nmax-fanout = 7\n')
    assert MARK not in check(pkg, "pkg").stdout


def test_no_cache_reads_and_writes_nothing(pkg):
    check(pkg, "pkg")
    folder = pkg / ".async_patterns_cache"
    edit_entries(folder)
    before = {p: p.stat().st_mtime_ns for p in entries(folder)}
    result = check(pkg, "pkg", "--no-cache")
    assert findings(result.stdout) == [("pkg/app.py", 5, 5, "ASP101")] and MARK not in result.stdout
    assert {p: p.stat().st_mtime_ns for p in entries(folder)} == before
    shutil.rmtree(folder)
    check(pkg, "pkg", "--no-cache")
    assert not folder.exists()


def test_no_cache_from_the_environment(pkg, monkeypatch):
    monkeypatch.setenv("ASYNC_PATTERNS_NO_CACHE", "1")
    check(pkg, "pkg")
    assert not (pkg / ".async_patterns_cache").exists()


def test_cache_dir_flag_environment_and_configuration(pkg, monkeypatch, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    check(pkg, "pkg", "--cache-dir", str(elsewhere / "flag"))
    assert entries(elsewhere / "flag") and not (pkg / ".async_patterns_cache").exists()

    write(pkg, "pyproject.toml", '[project]\nname = "demo"\n\n[tool.async-patterns]\ncache-dir = "build/lint"\n')
    check(pkg, "pkg")
    assert entries(pkg / "build" / "lint") and (pkg / "build" / "lint" / ".gitignore").is_file()

    monkeypatch.setenv("ASYNC_PATTERNS_CACHE_DIR", str(elsewhere / "env"))
    check(pkg, "pkg")
    assert entries(elsewhere / "env")


def test_bad_cache_dir_in_configuration_is_one_line(pkg):
    write(pkg, "pyproject.toml", '[project]\nname = "demo"\n\n[tool.async-patterns]\ncache-dir = 3\n')
    result = run("check", "pkg", cwd=pkg)
    assert result.returncode == 2
    assert "cache-dir: must be a folder name" in result.stderr and "Traceback" not in result.stderr


def test_a_broken_or_unwritable_cache_is_only_slower(pkg):
    check(pkg, "pkg")
    folder = pkg / ".async_patterns_cache"
    for entry in entries(folder):
        entry.write_bytes(b"\x00not json{")
    assert findings(check(pkg, "pkg").stdout) == [("pkg/app.py", 5, 5, "ASP101")]
    blocker = pkg / "a_file"
    blocker.write_text("", encoding="utf-8")
    result = check(pkg, "pkg", "--cache-dir", str(blocker / "cache"))
    assert findings(result.stdout) == [("pkg/app.py", 5, 5, "ASP101")] and result.stderr.count("\n") <= 1


def test_another_tool_version_starts_a_new_folder(pkg):
    check(pkg, "pkg")
    folder = pkg / ".async_patterns_cache"
    stale = folder / "0123456789abcdef"
    (stale / "ab").mkdir(parents=True)
    (stale / "ab" / "old.json").write_text("{}", encoding="utf-8")
    shutil.rmtree(next(p for p in folder.iterdir() if p.is_dir() and p != stale))
    check(pkg, "pkg")
    assert not stale.exists() and entries(folder)


def test_findings_from_the_cache_are_the_findings(tmp_path):
    """Every eval file, linted cold and then answered from the cache, in every output detail."""
    cases = Path(__file__).parent / "cases"
    shutil.copytree(cases, tmp_path / "cases")
    cold = check(tmp_path, "--output-format", "json", "--extend-select", "ASP2,ASP3,ASP6", "cases")
    warm = check(tmp_path, "--output-format", "json", "--extend-select", "ASP2,ASP3,ASP6", "cases")
    assert json.loads(cold.stdout) and json.loads(warm.stdout) == json.loads(cold.stdout)
    assert warm.returncode == cold.returncode
    assert entries(tmp_path / ".async_patterns_cache")


def test_standard_input_is_never_cached(tmp_path):
    done = subprocess.run([sys.executable, "-m", "flake8_async_patterns", "check", "-", "--stdin-filename", "app.py"],
                          input=ONE_FINDING, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert findings(done.stdout) == [("app.py", 6, 5, "ASP101")]
    assert not (tmp_path / ".async_patterns_cache").exists()
