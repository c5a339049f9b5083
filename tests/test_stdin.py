"""Standard input: `check -` and `fix -`, with `--stdin-filename` naming the file it stands for."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BUGGY = "async def fetch():\n    return 1\n\n\nasync def main():\n    fetch()\n"
IMPORTER = "from .client import download\n\n\nasync def main():\n    download()\n"


def run(cwd: Path, *args: str, data: bytes) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8_async_patterns", *args], input=data, cwd=cwd,
                          capture_output=True, timeout=120)


def test_check_reads_standard_input(tmp_path):
    done = run(tmp_path, "check", "-", data=BUGGY.encode())
    assert done.returncode == 1
    assert done.stdout.decode().startswith("-:6:5: ASP101 ")


def test_the_stdin_filename_names_the_findings_and_resolves_imports(tmp_path):
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "client.py").write_text("async def download():\n    return 1\n")
    # the file on disk is clean: what is linted is the text on standard input
    (package / "service.py").write_text("async def main():\n    pass\n")
    done = run(tmp_path, "check", "-", "--stdin-filename", "shop/service.py", data=IMPORTER.encode())
    assert done.returncode == 1, done.stderr
    assert done.stdout.decode().startswith("shop/service.py:5:5: ASP101 coroutine 'download'")


def test_configuration_is_found_from_the_stdin_filename(tmp_path):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[tool.async-patterns]\nignore = ["ASP101"]\n')
    done = run(tmp_path, "check", "-", "--stdin-filename", "project/src/app.py", data=BUGGY.encode())
    assert (done.returncode, done.stdout) == (0, b"")
    assert run(tmp_path, "check", "-", "--stdin-filename", "elsewhere/app.py", data=BUGGY.encode()).returncode == 1


def test_fix_prints_the_fixed_text(tmp_path):
    done = run(tmp_path, "fix", "-", data=BUGGY.encode())
    assert done.stdout.decode() == BUGGY.replace("    fetch()", "    await fetch()")
    assert done.returncode == 1  # it changed something
    clean = run(tmp_path, "fix", "-", data=done.stdout)
    assert (clean.returncode, clean.stdout) == (0, done.stdout)


def test_fix_diff_prints_a_patch_and_unfixed_findings_go_to_stderr(tmp_path):
    source = BUGGY + ("\n\nimport asyncio\n\n\nasync def spawn(items):\n    for item in items:\n"
                      "        asyncio.create_task(item)\n")
    done = run(tmp_path, "fix", "-", "--diff", "--stdin-filename", "app.py", data=source.encode())
    assert done.stdout.startswith(b"--- a/app.py\n+++ b/app.py\n")
    assert b"+    await fetch()" in done.stdout
    assert b"[not fixed:" not in done.stdout


def test_undecodable_or_broken_input_is_one_line_and_exit_2(tmp_path):
    bad = run(tmp_path, "check", "-", "--stdin-filename", "x.py", data=b"x = '\xff'\n")
    assert bad.returncode == 2 and bad.stderr.decode().startswith("x.py:1:6: cannot decode")
    assert len(bad.stderr.splitlines()) == 1
    broken = run(tmp_path, "fix", "-", data=b"def (:\n")
    assert broken.returncode == 2 and b"E999 SyntaxError" in broken.stderr
    assert broken.stdout == b"def (:\n"  # the text passes through unchanged
