"""Code written for a newer Python than the one running gets one E999 line naming the version."""
from __future__ import annotations

import subprocess
import sys

import pytest

NEWER = [
    ((3, 11), "async def main(work):\n    try:\n        await work()\n    except* ValueError:\n        pass\n"),
    ((3, 12), "type Handler = int\n"),
    ((3, 12), "def first[T](items: list[T]) -> T:\n    return items[0]\n"),
    ((3, 12), "class Box[T]:\n    pass\n"),
    ((3, 14), "def f():\n    try:\n        pass\n    except ValueError, TypeError:\n        pass\n"),
]


@pytest.mark.parametrize("command", ["check", "fix"])
@pytest.mark.parametrize("needs, source", NEWER, ids=["except-star", "type-alias", "generic-def", "generic-class",
                                                      "except-without-parentheses"])
def test_newer_syntax_says_which_python_it_needs(tmp_path, command, needs, source):
    if sys.version_info[:2] >= needs:
        pytest.skip(f"Python {sys.version_info[0]}.{sys.version_info[1]} reads this syntax")
    (tmp_path / "new.py").write_text(source, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "flake8_async_patterns", command, "new.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.startswith("new.py")]
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert " E999 SyntaxError: " in lines[0]
    assert f"(this syntax needs Python {needs[0]}.{needs[1]}+; running {sys.version_info[0]}." in lines[0]


def test_an_ordinary_syntax_error_names_no_version(tmp_path):
    (tmp_path / "bad.py").write_text("def (:\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "flake8_async_patterns", "check", "bad.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "E999" in done.stderr and "needs Python" not in done.stderr
