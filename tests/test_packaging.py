"""The Pythons the package declares are the ones the test run covers."""
from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def declared_versions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    prefix = "Programming Language :: Python :: "
    return {c[len(prefix):] for c in project["classifiers"] if re.fullmatch(re.escape(prefix) + r"3\.\d+", c)}


def test_requires_python_is_the_oldest_declared_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    oldest = min(declared_versions(), key=lambda v: tuple(map(int, v.split("."))))
    assert project["requires-python"] == f">={oldest}"


def test_every_declared_python_is_tested():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    others = set(re.search(r"^OTHER_PYTHONS := (.*)$", makefile, re.M).group(1).split())
    main = re.search(r"command -v python(3\.\d+)", makefile).group(1)  # the interpreter of `make test`
    assert others | {main} == declared_versions()
    assert "make test-pythons" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_this_interpreter_is_declared():
    assert f"{sys.version_info.major}.{sys.version_info.minor}" in declared_versions()
