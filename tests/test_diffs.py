"""`fix --diff` prints a patch that `git apply` takes as it is, for any file `fix` would write."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BUGGY = "async def fetch():\n    return 1\n\n\nasync def main():\n    fetch()\n"
UNFIXABLE = "import asyncio\n\n\nasync def spawn(items):\n    for item in items:\n        asyncio.create_task(item)\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(repo: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, input=data, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    return tmp_path


def fix(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8_async_patterns", "fix", *args],
                          cwd=repo, capture_output=True)


def applies_and_matches(repo: Path, files: dict[str, bytes], *args: str) -> bytes:
    """Write `files`, take the diff, apply it with git, and compare with what `fix` writes."""
    for name, data in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(data)
    diff = fix(repo, "--diff", *args)
    assert diff.returncode == 1, diff.stderr
    checked = git(repo, "apply", "--check", "-", data=diff.stdout)
    assert checked.returncode == 0, checked.stderr.decode() + diff.stdout.decode(errors="replace")
    assert git(repo, "apply", "-", data=diff.stdout).returncode == 0
    patched = {name: (repo / name).read_bytes() for name in files}
    for name, data in files.items():
        (repo / name).write_bytes(data)
    fix(repo, *args)
    assert patched == {name: (repo / name).read_bytes() for name in files}
    return diff.stdout


def test_run_on_dot_the_headers_have_no_dot_folder(repo):
    diff = applies_and_matches(repo, {"pkg/app.py": BUGGY.encode()}, ".")
    assert diff.startswith(b"--- a/pkg/app.py\n+++ b/pkg/app.py\n")


def test_an_absolute_path_under_the_folder_is_shown_relative(repo):
    diff = applies_and_matches(repo, {"app.py": BUGGY.encode()}, str(repo / "app.py"))
    assert diff.startswith(b"--- a/app.py\n")


def test_a_file_with_a_bom_is_diffed_in_its_own_bytes(repo):
    applies_and_matches(repo, {"bom.py": b"\xef\xbb\xbf" + BUGGY.encode()}, "bom.py")


def test_a_latin_1_file_is_diffed_in_latin_1(repo):
    source = "# -*- coding: latin-1 -*-\n" + BUGGY.replace("    fetch()", "    label = 'caf\xe9'\n    fetch()")
    diff = applies_and_matches(repo, {"old.py": source.encode("latin-1")}, "old.py")
    assert b"label = 'caf\xe9'\n" in diff  # the context line, in the file's own bytes


def test_crlf_line_endings_survive_the_patch(repo):
    applies_and_matches(repo, {"win.py": BUGGY.replace("\n", "\r\n").encode()}, "win.py")


def test_not_fixed_lines_go_to_stderr_never_into_the_patch(repo):
    unfixable = UNFIXABLE.split("\n", 2)[2].replace("asyncio.", "__import__('asyncio').")
    (repo / "a.py").write_text(BUGGY + "\n\n" + unfixable, encoding="utf-8")
    (repo / "b.py").write_text(UNFIXABLE, encoding="utf-8")
    diff = fix(repo, "--diff", "a.py", "b.py")
    assert b"[not fixed:" not in diff.stdout
    assert b"[not fixed:" in diff.stderr
    assert git(repo, "apply", "--check", "-", data=diff.stdout).returncode == 0


@pytest.mark.skipif(sys.platform == "darwin", reason="the file system normalises names to UTF-8")
def test_a_file_name_that_is_not_utf8_is_named_in_its_own_bytes(repo):
    name = os.fsencode(repo) + b"/caf\xe9.py"
    with open(name, "wb") as handle:
        handle.write(BUGGY.encode())
    diff = fix(repo, "--diff", ".")
    assert diff.stdout.startswith(b"--- a/caf\xe9.py\n")
    assert git(repo, "apply", "--check", "-", data=diff.stdout).returncode == 0
