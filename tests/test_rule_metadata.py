"""Every rule is complete: one module named after it, an eval file, a fix pair and a behaviour
test when it has a fix, and the tables that list the rules agree with the registry."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from flake8_async_patterns import rules
from flake8_async_patterns.registry import Rule, all_rules

ROOT = Path(__file__).parent.parent
TESTS = Path(__file__).parent
KEBAB = re.compile(r"[a-z]+(-[a-z]+)*")
MARKER = re.compile(r"#\s*error:(?P<codes>.*)$")
MIN_POSITIVES = MIN_NEGATIVES = 12
RULES = all_rules()
# gaps still open: (check, code) pairs reported as xfail until they are closed
GAPS: set[tuple[str, str]] = set()


def gap(kind: str, rule) -> None:
    if (kind, rule.code) in GAPS:
        pytest.xfail(f"known gap: {kind} of {rule.code}")


def module_rules(module) -> list[Rule]:
    return [value for value in vars(module).values()
            if isinstance(value, Rule) and value.code in {r.code for r in RULES}
            and value.__module__ == "flake8_async_patterns.registry"
            and _defined_here(module, value)]


def _defined_here(module, found: Rule) -> bool:
    checks = [check for _, check in found.checks] + [check for _, check in found.call_checks]
    return any(check.__module__ == module.__name__ for check in checks) or (
        found.fixer is not None and found.fixer.__module__ == module.__name__)


def test_every_module_in_rules_registers_exactly_one_rule():
    owners = {module.__name__.rsplit(".", 1)[1]: [r.code for r in module_rules(module)] for module in rules.MODULES}
    assert {name: codes for name, codes in owners.items() if len(codes) != 1} == {}
    assert sorted(code for codes in owners.values() for code in codes) == [r.code for r in RULES]


def test_names_are_unique_and_kebab_case():
    names = [r.name for r in RULES]
    assert len(set(names)) == len(names)
    assert [n for n in names if not KEBAB.fullmatch(n)] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_module_is_named_after_the_rule(rule):
    owner = next(m for m in rules.MODULES if rule in module_rules(m))
    if owner.__name__.rsplit(".", 1)[1] != rule.name.replace("-", "_"):
        gap("module-name", rule)
    assert owner.__name__.rsplit(".", 1)[1] == rule.name.replace("-", "_")


def _case_files(rule) -> list[Path]:
    return sorted(p for p in (TESTS / "cases").glob(f"{rule.code}*.py") if re.fullmatch(rf"{rule.code}(_\w+)?", p.stem))


def _positives_and_negatives(path: Path, code: str) -> tuple[int, int]:
    """Marked lines of `code`, and unmarked lines inside functions that call or await something
    (each a place the rule could have fired and must not)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    marked = {number for number, line in enumerate(lines, 1)
              if (found := MARKER.search(line)) and code in found["codes"]}
    try:
        tree = ast.parse(source)
    except SyntaxError:  # an eval file of a newer Python's syntax: its markers still count
        return len(marked), 0
    candidates = {node.lineno for function in ast.walk(tree)
                  if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
                  for node in ast.walk(function) if isinstance(node, (ast.Call, ast.Await))}
    return len(marked), len(candidates - marked)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_eval_files_have_enough_positives_and_negatives(rule):
    files = _case_files(rule)
    assert files, f"no tests/cases/{rule.code}.py"
    counts = [_positives_and_negatives(path, rule.code) for path in files]
    assert sum(p for p, _ in counts) >= MIN_POSITIVES
    assert sum(n for _, n in counts) >= MIN_NEGATIVES


@pytest.mark.parametrize("rule", [r for r in RULES if r.fix_available], ids=lambda r: r.code)
def test_a_fixable_rule_has_a_fix_pair(rule):
    pairs = [p for p in (TESTS / "fixes").glob(f"{rule.code}_*.py")
             if not p.name.endswith(".fixed.py") and p.with_name(p.stem + ".fixed.py").is_file()]
    assert pairs, f"no tests/fixes/{rule.code}_<case>.py with its .fixed.py"


def _behaviour_tests() -> set[str]:
    names = set()
    for path in TESTS.glob("test_fix_behaviour*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names.update(node.name for node in tree.body
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_"))
    return names


@pytest.mark.parametrize("rule", [r for r in RULES if r.fix_available], ids=lambda r: r.code)
def test_a_fixable_rule_has_a_behaviour_test_named_after_its_code(rule):
    """A runnable program whose behaviour after the fix is asserted (tests/test_fix_behaviour_*.py)."""
    prefix = f"test_{rule.code.lower()}_"
    if not any(name.startswith(prefix) for name in _behaviour_tests()):
        gap("behaviour", rule)
    assert any(name.startswith(prefix) for name in _behaviour_tests()), f"no {prefix}... behaviour test"


def _table_rows(path: Path) -> dict[str, list[str]]:
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells and re.fullmatch(r"ASP\d{3}(, ASP\d{3})*", cells[0]):
            for code in cells[0].split(", "):
                rows[code] = cells[1:]
    return rows


def test_the_readme_rule_table_matches_the_registry():
    rows = _table_rows(ROOT / "README.md")
    assert rows == {r.code: [r.name, "on" if r.default else "opt-in"] for r in RULES}


def test_the_fixing_guide_table_matches_the_registry():
    rows = _table_rows(ROOT / "docs" / "fixing.md")
    assert sorted(rows) == [r.code for r in RULES]
    for found in RULES:
        said = rows[found.code][0]
        if not found.fix_available:
            assert said.startswith("no fix"), (found.code, said)
        else:
            declared = found.fix_text.split()[0].strip("(;,")
            assert said.split(":")[0].split()[0].strip(",;") == declared, (found.code, said, found.fix)


def _safety_of_each_fix() -> dict[str, set[bool]]:
    """code -> the `Fix.safe` values its fixer gives on the fix pairs (each with its own options)."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper

    from flake8_async_patterns.engine import check_tree
    from flake8_async_patterns.fixing import CannotFix, FixContext
    from flake8_async_patterns.registry import RULES as BY_CODE
    from test_fixes import BEFORE, options_of

    seen: dict[str, set[bool]] = {}
    for before in BEFORE:
        source = before.read_text(encoding="utf-8")
        options = options_of(source)
        findings = check_tree(ast.parse(source), options["settings"], str(before), options["codes"], source)
        fx = FixContext(MetadataWrapper(cst.parse_module(source)), source, options["settings"])
        for finding in findings:
            fixer = BY_CODE[finding.code].fixer
            if fixer is None:
                continue
            try:
                made = fixer(finding, fx, {"fix_style": options["fix_style"], "unsafe": options["unsafe"],
                                           "path": str(before)})
            except CannotFix:
                continue
            if made is not None:
                seen.setdefault(finding.code, set()).add(made.safe)
    return seen


def test_the_declared_fix_safety_is_what_the_fixes_report():
    from flake8_async_patterns.registry import FixSafety

    seen = _safety_of_each_fix()
    expected = {FixSafety.SAFE: {True}, FixSafety.UNSAFE: {False}, FixSafety.SAFE_OR_UNSAFE: {True, False}}
    for found in RULES:
        if not found.fix_available:
            continue
        assert seen.get(found.code) == expected[found.fix], (
            f"{found.code} declares fix={found.fix.value}, its fixes on the fix pairs are "
            f"{sorted('safe' if s else 'unsafe' for s in seen.get(found.code, ()))}")
