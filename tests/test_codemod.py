"""The fixer as a libcst codemod command, run as its users run it: `python -m libcst.tool codemod`.

Contract: issue 6 "libcst users" (the fixes are reachable as a libcst codemod command);
docs/fixing.md gives the invocations tested here.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest
from libcst.codemod import CodemodContext, SkipFile

from flake8_async_patterns.codemod import AsyncPatternsFix

BUGGY = """\
async def fetch():
    return 1


async def main():
    fetch()
"""
FIXED = BUGGY.replace("    fetch()", "    await fetch()")
CONFIG = """\
modules:
- 'libcst.codemod.commands'
- 'flake8_async_patterns'
formatter: []
"""


def libcst_tool(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "libcst.tool", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_external_command_fixes_the_file_and_skips_a_clean_one(tmp_path):
    buggy = tmp_path / "buggy.py"
    buggy.write_text(BUGGY)
    clean = tmp_path / "clean.py"
    clean.write_text(FIXED)
    done = libcst_tool(tmp_path, "codemod", "-x", "flake8_async_patterns.codemod.AsyncPatternsFix", "--no-format", ".")
    assert done.returncode == 0, done.stderr
    assert buggy.read_text() == FIXED
    assert clean.read_text() == FIXED
    assert "Transformed 1 files successfully" in done.stderr and "Skipped 1 files" in done.stderr, done.stderr


def test_configured_module_command(tmp_path):
    (tmp_path / ".libcst.codemod.yaml").write_text(CONFIG)
    buggy = tmp_path / "buggy.py"
    buggy.write_text(BUGGY)
    listed = libcst_tool(tmp_path, "list")
    assert listed.returncode == 0, listed.stderr
    assert "codemod.AsyncPatternsFix - " in listed.stdout
    done = libcst_tool(tmp_path, "codemod", "codemod.AsyncPatternsFix", "--no-format", "buggy.py")
    assert done.returncode == 0, done.stderr
    assert buggy.read_text() == FIXED


def test_unfixed_findings_are_warnings(tmp_path):
    source = BUGGY + "\n\nimport threading\n\n\ndef start():\n    threading.Thread(target=fetch)\n"
    path = tmp_path / "slot.py"
    path.write_text(source)
    done = libcst_tool(tmp_path, "codemod", "-x", "flake8_async_patterns.codemod.AsyncPatternsFix",
                       "--no-format", "-j", "1", "slot.py")
    assert done.returncode == 0, done.stderr
    assert path.read_text() == source.replace("    fetch()\n", "    await fetch()\n", 1)
    assert "ASP104" in done.stderr and "not fixed: no fix for this rule" in done.stderr, done.stderr


def test_settings_come_from_the_nearest_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.async-patterns]\nignore = ["ASP101"]\n')
    path = tmp_path / "buggy.py"
    path.write_text(BUGGY)
    done = libcst_tool(tmp_path, "codemod", "-x", "flake8_async_patterns.codemod.AsyncPatternsFix",
                       "--no-format", "-j", "1", "buggy.py")
    assert done.returncode == 0, done.stderr
    assert path.read_text() == BUGGY
    assert "Skipped 1 files" in done.stderr, done.stderr


def test_unsafe_fixes_argument_is_offered(tmp_path):
    done = libcst_tool(tmp_path, "codemod", "-x", "flake8_async_patterns.codemod.AsyncPatternsFix", "--help")
    assert done.returncode == 0, done.stderr
    assert "--unsafe-fixes" in done.stdout and "--fix-style" in done.stdout


def test_in_process_transform(tmp_path):
    path = tmp_path / "crlf.py"
    command = AsyncPatternsFix(CodemodContext(filename=str(path)))
    crlf = BUGGY.replace("\n", "\r\n")
    result = command.transform_module(cst.parse_module(crlf))
    assert result.code == FIXED.replace("\n", "\r\n")
    with pytest.raises(SkipFile):
        AsyncPatternsFix(CodemodContext(filename=str(path))).transform_module_impl(cst.parse_module(FIXED))
