"""The new-rule scaffold writes a rule that registers, renders and fails its tests until written."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "flake8_async_patterns"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    shutil.copytree(PACKAGE, tmp_path / "flake8_async_patterns", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "tests" / "cases").mkdir(parents=True)
    return tmp_path


def run(checkout: Path, *args: str, code: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    command = ["-c", code] if code else ["-m", "flake8_async_patterns.new_rule", *args, "--root", str(checkout)]
    return subprocess.run([sys.executable, *command], capture_output=True, text=True, cwd=checkout, env=env)


def test_the_new_rule_is_registered_with_a_page_and_an_eval_file(checkout):
    made = run(checkout, "ASP699", "gather-in-finally", "--opt-in")
    assert made.returncode == 0, made.stderr
    assert (checkout / "tests" / "cases" / "ASP699.py").is_file()
    shown = run(checkout, code=(
        "from flake8_async_patterns.registry import all_rules, opt_in_codes\n"
        "from flake8_async_patterns.docs import render_page\n"
        "found = {r.code: r for r in all_rules()}['ASP699']\n"
        "print(found.name, 'ASP699' in opt_in_codes())\n"
        "print(render_page(found))\n"))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("gather-in-finally True\n")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead",
                    "## Fix safety", "## Options", "## References"):
        assert section in shown.stdout
    # the empty check finds nothing in the example yet: test_docs fails until the rule is written
    linted = run(checkout, code=(
        "import ast\n"
        "from flake8_async_patterns.docs import render_page\n"
        "from flake8_async_patterns.engine import check_tree\n"
        "from flake8_async_patterns.settings import Settings\n"
        "from flake8_async_patterns.registry import all_rules\n"
        "page = render_page({r.code: r for r in all_rules()}['ASP699'])\n"
        "example = page.split('## Example')[1].split('```python')[1].split('```')[0]\n"
        "print([f.code for f in check_tree(ast.parse(example), Settings(), '<x>', frozenset({'ASP699'}))])\n"))
    assert linted.returncode == 0, linted.stderr
    assert linted.stdout.strip() == "[]"


@pytest.mark.parametrize("args, said", [
    (("ASP101", "something-new"), "ASP101 is taken by coroutine-not-awaited"),
    (("ASP699", "coroutine-not-awaited"), "coroutine-not-awaited is taken by ASP101"),
    (("ASP69", "something-new"), "is not a rule code"),
    (("ASP699", "Bad_Name"), "is not a rule name"),
])
def test_a_taken_or_malformed_code_or_name_is_one_line_and_exit_2(checkout, args, said):
    made = run(checkout, *args)
    assert made.returncode == 2
    assert said in made.stderr and len(made.stderr.strip().splitlines()) == 1
    assert list((checkout / "tests" / "cases").iterdir()) == []


def test_an_existing_file_is_never_overwritten(checkout):
    (checkout / "tests" / "cases" / "ASP699.py").write_text("keep me\n")
    made = run(checkout, "ASP699", "gather-in-finally")
    assert made.returncode == 2 and "exists already" in made.stderr
    assert (checkout / "tests" / "cases" / "ASP699.py").read_text() == "keep me\n"
    assert not (checkout / "flake8_async_patterns" / "rules" / "gather_in_finally.py").exists()
