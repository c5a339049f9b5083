"""An edit made to a file while `fix` works on it is never lost: the file is left as it is now."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flake8_async_patterns import fixing
from flake8_async_patterns.registry import enabled_codes
from flake8_async_patterns.settings import Settings

BUGGY = "async def fetch():\n    return 1\n\n\nasync def main():\n    fetch()\n"
APPENDED = "\n\ndef added_meanwhile():\n    return 2\n"


def fix_while_someone_appends(path: Path, monkeypatch, links: int = 1):
    real_fix_source = fixing.fix_source

    def slow_fix(*args, **kwargs):
        outcome = real_fix_source(*args, **kwargs)
        with open(path, "a", encoding="utf-8") as handle:  # the user saves in the editor meanwhile
            handle.write(APPENDED)
        return outcome

    monkeypatch.setattr(fixing, "fix_source", slow_fix)
    return fixing.fix_file(str(path), Settings(), enabled_codes(), False, {}, write=True)


def test_an_append_during_the_fix_is_kept_and_reported(tmp_path, monkeypatch):
    path = tmp_path / "app.py"
    path.write_text(BUGGY, encoding="utf-8")
    outcome = fix_while_someone_appends(path, monkeypatch)
    assert path.read_text(encoding="utf-8") == BUGGY + APPENDED
    assert "changed while it was being fixed" in outcome.error
    assert not outcome.changed
    assert [p.name for p in tmp_path.iterdir()] == ["app.py"]  # no temporary file left behind


def test_a_hard_linked_file_written_in_place_is_checked_too(tmp_path, monkeypatch):
    path = tmp_path / "app.py"
    path.write_text(BUGGY, encoding="utf-8")
    os.link(path, tmp_path / "other-name.py")
    outcome = fix_while_someone_appends(path, monkeypatch)
    assert path.read_text(encoding="utf-8") == BUGGY + APPENDED
    assert (tmp_path / "other-name.py").read_text(encoding="utf-8") == BUGGY + APPENDED
    assert "changed while it was being fixed" in outcome.error


def test_an_unchanged_file_is_still_fixed(tmp_path):
    path = tmp_path / "app.py"
    path.write_text(BUGGY, encoding="utf-8")
    outcome = fixing.fix_file(str(path), Settings(), enabled_codes(), False, {}, write=True)
    assert outcome.error is None and "    await fetch()\n" in path.read_text(encoding="utf-8")


def test_the_cli_reports_the_file_and_exits_2(tmp_path):
    """Through the command line, with the edit made from inside the run (a sitecustomize hook)."""
    path = tmp_path / "app.py"
    path.write_text(BUGGY, encoding="utf-8")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "from flake8_async_patterns import fixing\n"
        "real = fixing.fix_source\n"
        "def slow(*args, **kwargs):\n"
        "    outcome = real(*args, **kwargs)\n"
        f"    open({str(path)!r}, 'a').write({APPENDED!r})\n"
        "    return outcome\n"
        "fixing.fix_source = slow\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(hook) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    run = subprocess.run([sys.executable, "-m", "flake8_async_patterns", "fix", str(path)],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert f"{path}: changed while it was being fixed" in run.stderr
    assert path.read_text(encoding="utf-8") == BUGGY + APPENDED
