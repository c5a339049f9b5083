"""Robustness: the whole standard library is linted with no internal error."""
import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def test_standard_library_has_no_internal_errors():
    run = subprocess.run(
        [sys.executable, "-m", "flake8_async_patterns", "check", "--format", "json", "--jobs", "2", str(STDLIB)],
        capture_output=True, text=True, timeout=600,
    )
    assert run.returncode in (0, 1, 2), run.stderr
    findings = json.loads(run.stdout)
    internal = [f for f in findings if f["code"] == "ASP000"]
    assert internal == []
    # Files it could not process are the stdlib's own deliberately broken test inputs,
    # each reported on one line naming the file.
    for line in run.stderr.splitlines():
        assert line.startswith(str(STDLIB)), line
        assert "/test/" in line or "/lib2to3/tests/" in line or "/idlelib/" in line, line
