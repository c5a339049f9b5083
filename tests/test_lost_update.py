"""ASP501's page is true: `self.total += await f()` loses updates when calls overlap.

The two programs are the "Example" and "Use instead" blocks of ASP501's page (the
docstring of rules/await_in_read_modify_write.py), so the page and this test show
the same code. Each is run for real with asyncio and checked with the tool.
Nothing here depends on timing: the default event loop runs ready tasks in order,
so every `add()` reads `total` before any of them gets past its await.
"""
from __future__ import annotations

import ast
import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import without_summary

from flake8_async_patterns.engine import check_tree
from flake8_async_patterns.registry import all_rules
from flake8_async_patterns.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ASP501 = next(r for r in all_rules() if r.code == "ASP501")


def program(section: str) -> str:
    """The ```python block under `## <section>` of ASP501's docstring."""
    body = re.split(r"^## ", ASP501.doc, flags=re.MULTILINE)
    [text] = [part for part in body if part.startswith(section + "\n")]
    [code] = re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    return code


FLAGGED = program("Example")
FIXED = program("Use instead")


def run(source: str) -> tuple[int, int]:
    """Run the program's `main()` (50 concurrent `add()` calls): (total, calls)."""
    namespace: dict = {"__name__": "asp501_example"}  # not "__main__": nothing runs on exec
    exec(compile(source, "<ASP501 program>", "exec"), namespace)
    return asyncio.run(namespace["main"]()), namespace["CALLS"]


def test_the_programs_are_the_ones_the_issue_describes():
    assert "self.total += await self.fetch()" in FLAGGED
    assert "value = await self.fetch()\n        self.total += value" in FIXED
    assert "await asyncio.sleep(0)" in FLAGGED and "await asyncio.sleep(0)" in FIXED
    assert "asyncio.gather(*(counter.add() for _ in range(CALLS)))" in FLAGGED
    assert FLAGGED.replace("self.total += await self.fetch()",
                           "value = await self.fetch()\n        self.total += value") \
        .replace("# prints 1, not 50", "# prints 50") == FIXED


def test_awaiting_inside_the_augmented_assignment_loses_updates():
    total, calls = run(FLAGGED)
    assert calls >= 20
    assert total <= calls // 10, f"{total} of {calls} updates survived"
    assert total == 1  # every add() read 0 before any of them resumed


def test_awaiting_into_a_local_first_keeps_every_update():
    total, calls = run(FIXED)
    assert total == calls


def test_the_tool_reports_the_flagged_program_as_asp501_only():
    found = check_tree(ast.parse(FLAGGED), Settings())
    assert [f.code for f in found] == ["ASP501"]
    line = FLAGGED.splitlines()[found[0].line - 1]
    assert line.strip() == "self.total += await self.fetch()"
    assert found[0].fix["target"] == "self.total"
    assert found[0].fix["value"] == "await self.fetch()"


def test_the_tool_finds_nothing_in_the_fixed_program():
    assert check_tree(ast.parse(FIXED), Settings()) == []


@pytest.mark.parametrize("source, clean", [(FLAGGED, False), (FIXED, True)], ids=["flagged", "fixed"])
def test_the_cli_agrees(tmp_path, source, clean):
    path = tmp_path / "counter.py"
    path.write_text(source, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "FLAKE8"))}
    done = subprocess.run([sys.executable, "-m", "flake8_async_patterns", "check", "--select", "ASP", str(path)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60, env=env)
    assert without_summary(done.stderr) == ""
    if clean:
        assert done.returncode == 0 and "ASP" not in done.stdout
    else:
        assert done.returncode != 0
        assert "ASP501" in done.stdout and not re.search(r"ASP(?!501)\d{3}", done.stdout)
