"""Every rule's docstring is its documentation page: check its shape, run its examples."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_async_patterns import docs
from flake8_async_patterns.engine import check_tree
from flake8_async_patterns.registry import all_rules
from flake8_async_patterns.settings import OPTIONS, Settings

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead",
            "Fix safety", "Options", "References")
RULES = all_rules()


def by_code(test):
    return pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])(test)


def sections(doc: str) -> dict[str, str]:
    """`## heading` -> the text under it, in order of appearance."""
    found: dict[str, str] = {}
    parts = re.split(r"^## (.+?)[ \t]*$", doc, flags=re.MULTILINE)
    for heading, body in zip(parts[1::2], parts[2::2]):
        assert heading not in found, f"section {heading!r} appears twice"
        found[heading] = body
    return found


def python_block(rule, section: str) -> str:
    body = sections(rule.doc)[section]
    blocks = re.findall(r"^```python\n(.*?)^```$", body, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, f"{rule.code}: '## {section}' needs exactly one ```python block"
    return blocks[0]


def findings(rule, section: str):
    source = python_block(rule, section)
    compile(source, f"<{rule.code} {section}>", "exec")
    return check_tree(ast.parse(source), Settings())


def test_there_are_rules():
    assert {"ASP101", "ASP102", "ASP103", "ASP104"} <= {r.code for r in RULES}


@by_code
def test_docstring_has_the_sections_in_order(rule):
    assert rule.doc and rule.doc.strip() != rule.code, f"{rule.code} has no documentation"
    assert tuple(sections(rule.doc)) == SECTIONS
    assert not re.search(r"^# ", rule.doc, flags=re.MULTILINE), "the title is added by the renderer"


@by_code
def test_example_reports_only_its_own_code(rule):
    codes = [f.code for f in findings(rule, "Example")]
    assert codes, f"the {rule.code} example reports nothing"
    assert set(codes) == {rule.code}, codes


@by_code
def test_use_instead_is_clean(rule):
    assert [(f.line, f.code, f.message) for f in findings(rule, "Use instead")] == []


@by_code
def test_options_mentioned_exist(rule):
    known = {option.key for option in OPTIONS}
    mentioned = set(re.findall(r"async-patterns-[a-z][a-z0-9-]*[a-z0-9]", rule.doc))
    assert mentioned <= known, sorted(mentioned - known)


@by_code
def test_page_is_rendered_from_the_docstring(rule):
    page = docs.render_page(rule)
    assert page.startswith(f"# {rule.name} ({rule.code})\n")
    assert rule.doc.strip() in page


def test_generated_pages_are_up_to_date():
    assert docs.main(["--check", "--output", str(ROOT / "docs" / "rules")]) == 0, \
        "docs/rules is stale: run 'python -m flake8_async_patterns.docs'"


def test_check_mode_notices_a_stale_page(tmp_path):
    assert docs.main(["--output", str(tmp_path)]) == 0
    assert docs.main(["--check", "--output", str(tmp_path)]) == 0
    first = tmp_path / f"{RULES[0].code}.md"
    first.write_text(first.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    (tmp_path / "ASP999.md").write_text("a rule that does not exist\n", encoding="utf-8")
    assert docs.main(["--check", "--output", str(tmp_path)]) == 1
    assert docs.main(["--output", str(tmp_path)]) == 0
    assert not (tmp_path / "ASP999.md").exists()
    assert docs.main(["--check", "--output", str(tmp_path)]) == 0


def test_index_lists_every_rule():
    index = docs.render_index(RULES)
    for rule in RULES:
        assert f"[{rule.code}]({rule.code}.md)" in index


def test_cli_prints_the_page():
    rule = next(r for r in RULES if r.code == "ASP101")
    done = subprocess.run([sys.executable, "-m", "flake8_async_patterns", "rule", "asp101"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == docs.render_page(rule)
