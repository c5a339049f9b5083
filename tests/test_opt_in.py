"""The real opt-in rules ASP203 and ASP204, turned on and off through both doors.

The other select tests use stand-in rules; these use the implemented opt-in rules
on a file that triggers each of them once, run by the real flake8 (a subprocess,
`python -m flake8`) and by the CLI (`python -m flake8_async_patterns check`).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = """\
import asyncio


async def fetch(x):
    await asyncio.sleep(0.01)
    return x


async def f():
    await asyncio.sleep(0.01)
    return 1


async def g():
    await asyncio.sleep(0.01)
    return 2


async def fetch_all(xs):
    results = []
    for x in xs:
        results.append(await fetch(x))  # ASP203
    return results


async def both():
    a = await f()  # ASP204
    b = await g()
    return a, b
"""


def line_of(marker: str) -> int:
    return next(i for i, text in enumerate(SOURCE.splitlines(), 1) if text.endswith(f"# {marker}"))


EXPECTED = {"ASP203": line_of("ASP203"), "ASP204": line_of("ASP204")}
FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) ")

# (arguments, the opt-in codes they must turn on)
SELECTIONS = [
    (["--select", "ASP"], set()),
    (["--extend-select", "ASP203"], {"ASP203"}),
    (["--select", "ASP", "--extend-select", "ASP203"], {"ASP203"}),
    (["--select", "ASP2"], {"ASP203", "ASP204"}),  # more precise than ASP: turns opt-in rules on
    (["--extend-select", "ASP203,ASP204"], {"ASP203", "ASP204"}),
    (["--select", "ASP", "--extend-select", "ASP203,ASP204"], {"ASP203", "ASP204"}),
]
IDS = [" ".join(args) for args, _ in SELECTIONS]


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "FLAKE8"))}


def asp_findings(stdout: str) -> set[tuple[int, str]]:
    rows = set()
    for line in stdout.splitlines():
        match = FINDING.match(line)
        assert match, f"not a finding line: {line!r}"
        if match["code"].startswith("ASP"):
            rows.add((int(match["line"]), match["code"]))
    return rows


def expected(codes: set[str]) -> set[tuple[int, str]]:
    return {(EXPECTED[code], code) for code in codes}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch folder with the sample and an empty pyproject.toml, so no outer config leaks in."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'scratch'\n", encoding="utf-8")
    (tmp_path / "sample.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def run_flake8(project: Path, *args: str) -> set[tuple[int, str]]:
    result = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--jobs=1", *args, "sample.py"],
                            cwd=project, capture_output=True, text=True, timeout=120, env=clean_env())
    assert result.returncode in (0, 1), result.stderr
    assert "ASP000" not in result.stdout, result.stdout
    return asp_findings(result.stdout)


def run_cli(project: Path, *args: str) -> set[tuple[int, str]]:
    result = subprocess.run([sys.executable, "-m", "flake8_async_patterns", "check", *args, "sample.py"],
                            cwd=project, capture_output=True, text=True, timeout=120, env=clean_env())
    assert "Traceback" not in result.stderr, result.stderr
    rows = asp_findings(result.stdout)
    assert result.returncode == (1 if rows else 0), (result.returncode, result.stdout, result.stderr)
    return rows


def test_the_sample_triggers_only_the_opt_in_rules(project):
    """Sanity: with everything on, each rule reports exactly its one marked line."""
    both = ["--select", "ASP", "--extend-select", "ASP203,ASP204"]
    assert run_flake8(project, *both) == expected({"ASP203", "ASP204"})
    assert run_cli(project, *both) == expected({"ASP203", "ASP204"})


@pytest.mark.parametrize("args, codes", SELECTIONS, ids=IDS)
def test_flake8_selects_opt_in_rules(project, args, codes):
    assert run_flake8(project, *args) == expected(codes)


@pytest.mark.parametrize("args, codes", SELECTIONS, ids=IDS)
def test_cli_selects_opt_in_rules(project, args, codes):
    assert run_cli(project, *args) == expected(codes)


def test_flake8_default_run_reports_no_opt_in_rule(project):
    assert run_flake8(project) == set()


def test_cli_default_run_reports_no_opt_in_rule(project):
    assert run_cli(project) == set()


def test_cli_extend_select_from_pyproject(project):
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'scratch'\n\n[tool.async-patterns]\nextend-select = [\"ASP204\"]\n", encoding="utf-8")
    assert run_cli(project) == expected({"ASP204"})
    # the command line adds to what the config turned on
    assert run_cli(project, "--extend-select", "ASP203") == expected({"ASP203", "ASP204"})
