"""The import layers of the package (docs/contributing.md, "Layers"):

- `analysis/` answers questions about code: it imports only itself and `settings`;
- a rule imports only `analysis/`, `registry` and the fix toolkit (`fixing`), never another rule
  or the engine;
- analysis functions take `(node, facts, scope)` (or a resolver, a path), never the engine's
  `Context`, so a parameter named `ctx` does not appear in `analysis/`.

Every import counts, the ones inside functions too.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "flake8_async_patterns"
NAME = PACKAGE.name


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_imports(path: Path, root: Path = PACKAGE.parent) -> set[str]:
    """The modules of this package that `path` (a file under `root`) imports, as dotted names."""
    module = _module_name(path, root)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == NAME)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != NAME:
                continue
            if node.module is None:  # `from . import client`: each name is a module
                found.update(f"{target}.{alias.name}" for alias in node.names)
            else:
                found.add(target)
    return found


def _allowed(target: str, prefixes: tuple[str, ...]) -> bool:
    return any(target == p or target.startswith(p + ".") for p in prefixes)


ANALYSIS = sorted((PACKAGE / "analysis").glob("*.py"))
RULES = sorted(p for p in (PACKAGE / "rules").glob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("path", ANALYSIS, ids=lambda p: p.name)
def test_analysis_imports_only_itself_and_settings(path):
    wrong = {t for t in _package_imports(path) if not _allowed(t, (f"{NAME}.analysis", f"{NAME}.settings"))}
    assert not wrong, f"analysis/{path.name} imports {sorted(wrong)}"


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.name)
def test_rules_import_only_analysis_registry_and_the_fix_toolkit(path):
    allowed = (f"{NAME}.analysis", f"{NAME}.registry", f"{NAME}.fixing", f"{NAME}.settings")
    wrong = {t for t in _package_imports(path) if not _allowed(t, allowed)}
    assert not wrong, f"rules/{path.name} imports {sorted(wrong)}: move what it shares into analysis/ or fixing"


@pytest.mark.parametrize("path", ANALYSIS, ids=lambda p: p.name)
def test_analysis_functions_do_not_take_the_engine_context(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    takes_ctx = [f"{node.name}:{node.lineno}" for node in ast.walk(tree)
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and any(a.arg == "ctx" for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs])]
    assert not takes_ctx, f"analysis/{path.name}: {takes_ctx} take ctx; pass (node, facts, scope) instead"


def test_the_layer_check_sees_a_wrong_import(tmp_path):
    """The checks above can fail: a rule importing another rule is caught."""
    probe = tmp_path / NAME / "rules" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("from .dangling_task import RULE\nfrom ..engine import check_tree\nimport os\n"
                     "def f():\n    from . import trivial_gather\n", encoding="utf-8")
    assert _package_imports(probe, tmp_path) == {f"{NAME}.rules.dangling_task", f"{NAME}.engine",
                                                 f"{NAME}.rules.trivial_gather"}
