"""Fix pairs: tests/fixes/ASPnnn_<case>.py is fixed into exactly ASPnnn_<case>.fixed.py.

A pair may start with a header line giving fixer options:

    # fix-options: --unsafe-fixes --fix-style=gather --extend-select=ASP203 --target-version=3.11

Every pair is also checked to be a fixed point: fixing the expected output
changes nothing (the fixer is idempotent), and the output compiles.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from flake8_async_patterns.fixing import fix_source
from flake8_async_patterns.registry import enabled_codes
from flake8_async_patterns.settings import Settings, parse_version

FIXES = Path(__file__).parent / "fixes"
BEFORE = sorted(p for p in FIXES.glob("ASP*.py") if not p.name.endswith(".fixed.py"))
HEADER = re.compile(r"#\s*fix-options:(?P<options>.*)$", re.MULTILINE)


def options_of(text: str) -> dict:
    match = HEADER.search(text.split("\n\n", 1)[0])
    words = shlex.split(match.group("options")) if match else []
    style = next((w.split("=", 1)[1] for w in words if w.startswith("--fix-style=")), "sequential")
    select = next((w.split("=", 1)[1] for w in words if w.startswith("--extend-select=")), "")
    version = next((w.split("=", 1)[1] for w in words if w.startswith("--target-version=")), "3.9")
    return {"unsafe": "--unsafe-fixes" in words, "fix_style": style,
            "codes": enabled_codes(extend_select=[select] if select else None),
            "settings": Settings(target_version=parse_version(version))}


def run_fix(text: str, path: Path) -> str:
    options = options_of(text)
    outcome = fix_source(text, str(path), options["settings"], options["codes"], options["unsafe"],
                         {"fix_style": options["fix_style"]})
    return outcome.new


def test_there_are_fix_pairs():
    assert BEFORE


@pytest.mark.parametrize("before", BEFORE, ids=[p.stem for p in BEFORE])
def test_fix_pair(before: Path):
    after = before.with_name(before.stem + ".fixed.py")
    assert after.exists(), f"{after.name} is missing"
    source = before.read_text(encoding="utf-8")
    expected = after.read_text(encoding="utf-8")
    assert run_fix(source, before) == expected
    compile(expected, str(after), "exec", dont_inherit=True)


@pytest.mark.parametrize("before", BEFORE, ids=[p.stem for p in BEFORE])
def test_second_run_changes_nothing(before: Path):
    after = before.with_name(before.stem + ".fixed.py")
    expected = after.read_text(encoding="utf-8")
    # the header travels with the file, so the second run uses the same options
    assert run_fix(expected, after) == expected


def test_fixed_outputs_keep_pycodestyle_blank_lines_and_whitespace():
    """A helper the fixer inserts gets the blank line pycodestyle wants before a nested def
    (E306), and no blank line it writes carries indentation (W293)."""
    import subprocess
    import sys

    outputs = sorted(str(p) for p in FIXES.glob("ASP*.fixed.py"))
    done = subprocess.run([sys.executable, "-m", "flake8", "--isolated",
                           "--select", "E301,E302,E303,E305,E306,W291,W293", *outputs],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout == "", done.stdout
