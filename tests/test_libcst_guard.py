"""libcst's native parser crashes (or runs for minutes) on very long operator chains: such a file
is left unfixed with a reason, and the other files are still fixed and reported."""
from __future__ import annotations

import subprocess
import sys

import pytest

from flake8_async_patterns.fixing import LIBCST_MAX_OPERANDS, libcst_hazard

BUGGY = "async def fetch():\n    return 1\n\n\nasync def main():\n    fetch()\n"


def long_chain(operator: str, terms: int) -> str:
    return BUGGY + "\n\nFLAGS = " + f" {operator} ".join(["x"] * terms) + "\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_8000_term_and_chain_is_refused_and_the_other_file_fixed(tmp_path, jobs):
    deep = long_chain("and", 8000)
    (tmp_path / "deep.py").write_text(deep, encoding="utf-8")
    (tmp_path / "good.py").write_text(BUGGY, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "flake8_async_patterns", "fix", "--jobs", jobs, "."],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr  # a finding is left unfixed; nothing crashed
    assert "Traceback" not in run.stderr and "BrokenProcessPool" not in run.stderr
    assert "await fetch()" in (tmp_path / "good.py").read_text(encoding="utf-8")
    assert (tmp_path / "deep.py").read_text(encoding="utf-8") == deep
    assert "too deep or too long for the fixer's parser" in run.stdout
    assert "good.py: fixed 1" in run.stderr


@pytest.mark.parametrize("source, refused", [
    (long_chain("+", LIBCST_MAX_OPERANDS + 5), True),
    (long_chain("or", LIBCST_MAX_OPERANDS + 5), True),
    (long_chain("<", LIBCST_MAX_OPERANDS + 5), True),
    (long_chain("+", 200), False),
    (BUGGY + "\nWORDS = [" + ", ".join(["'w'"] * 5000) + "]\n", False),  # long, but flat
])
def test_what_counts_as_too_long(source, refused):
    assert (libcst_hazard(source) is not None) is refused
