"""Cross-module eval packages: tests/cases/crossmodule/<package>/, checked by the real flake8.

Each package is a small project whose modules import each other (relative and
absolute imports, `from . import client`, re-exports through `__init__.py`, a
star re-export, base classes in another module, `self.client = Client()`).  The
files are parsed, never run, and marked like the single-file eval files of
test_cases.py: `# error: ASP101` on a line that must be reported, silence
everywhere else, compared exactly on (line, code).  Every marker is one that
fires only because the callee is resolved in another module of the package
(test_every_marker_needs_cross_module_resolution checks this).

Each file is linted at its place on disk, inside its package, since what is
resolved depends on the files next to it.  Tests that need a package of their
own (a broken module, astroid's limits) write one under tmp_path.
"""
from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_cases import FORMAT, SELECT, SEP, describe, markers, parse_flake8_output, run_flake8_in_process

from flake8_async_patterns.analysis import coroutines, external
from flake8_async_patterns.analysis.coroutines import Resolver
from flake8_async_patterns.engine import check_tree
from flake8_async_patterns.settings import Settings

CROSS_DIR = Path(__file__).parent / "cases" / "crossmodule"
PACKAGES = sorted(p for p in CROSS_DIR.iterdir() if (p / "__init__.py").is_file())
FILES = sorted(path for package in PACKAGES for path in package.rglob("*.py"))

Pair = tuple[int, str]


def ident(path: Path) -> str:
    return path.relative_to(CROSS_DIR).as_posix()


def expected_by_file() -> dict[str, set[Pair]]:
    return {ident(path): markers(path) for path in FILES}


def write_package(base: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = base / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return base


def run_python(script: str, cwd: Path) -> dict:
    """Run `script` in a fresh interpreter (nothing imported yet); it prints one JSON line."""
    completed = subprocess.run([sys.executable, "-c", textwrap.dedent(script)],
                               capture_output=True, text=True, timeout=120, cwd=cwd)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


LINT_SCRIPT = """
    import json, sys
    from flake8_async_patterns.cli import lint_file
    from flake8_async_patterns.registry import all_rules
    from flake8_async_patterns.settings import Settings

    codes = frozenset(rule.code for rule in all_rules())
    results = {{}}
    for path in {paths!r}:
        result = lint_file(path, Settings(), codes)
        assert result.error is None, result.error
        results[path] = sorted([f.line, f.code] for f in result.findings)
    print(json.dumps({{"astroid": "astroid" in sys.modules, "findings": results}}))
"""


# -- the eval packages ------------------------------------------------------------------


def test_there_are_packages_with_enough_markers():
    assert len(PACKAGES) >= 2, f"want at least two eval packages in {CROSS_DIR}"
    for package in PACKAGES:
        assert not list(package.rglob("ASP*.py")), "the single-file harness would pick these up"
        found = [pair for path in package.rglob("*.py") for pair in markers(path)]
        assert len(found) >= 10, f"{package.name}: only {len(found)} markers"
    codes = {code for path in FILES for _, code in markers(path)}
    assert {"ASP101", "ASP102", "ASP104"} <= codes


@pytest.mark.parametrize("path", FILES, ids=[ident(p) for p in FILES])
def test_package_file(path: Path, tmp_path: Path):
    compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)
    expected = markers(path)
    reported = run_flake8_in_process(path, tmp_path)
    assert set(reported) == expected, describe(path, expected, reported)


def test_every_marker_needs_cross_module_resolution(monkeypatch):
    """With the seam to other modules closed, no marked finding is left: the markers test
    cross-module resolution, not what a single module can already tell."""
    monkeypatch.setattr(Resolver, "external", lambda self, *args: None)
    monkeypatch.setattr(Resolver, "external_method", lambda self, *args: None)
    monkeypatch.setattr(Resolver, "_returned_elsewhere", lambda self, *args, **kwargs: None)
    monkeypatch.setattr(external, "class_definition", lambda *args: None)
    monkeypatch.setattr(external, "definition", lambda *args: None)
    monkeypatch.setattr(coroutines, "receiver_evidence", lambda *args: None)  # needs no other module
    problems = []
    for path in FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        alone = {(f.line, f.code) for f in check_tree(tree, Settings(), str(path))}
        expected = markers(path)
        if alone & expected:
            problems.append(f"{ident(path)}: fire without other modules: {sorted(alone & expected)}")
        if alone - expected:
            problems.append(f"{ident(path)}: unmarked findings: {sorted(alone - expected)}")
    assert not problems, "\n".join(problems)


def test_flake8_subprocess_with_workers_and_relative_paths():
    """flake8's own process pool, run from the packages' parent folder with relative paths."""
    completed = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", *SELECT, "--jobs=2", f"--format=%(path)s{SEP}{FORMAT}",
         *(p.name for p in PACKAGES)],
        capture_output=True, text=True, timeout=300, cwd=CROSS_DIR,
    )
    assert completed.returncode in (0, 1), completed.stderr + completed.stdout
    reported: dict[str, set[Pair]] = {ident(p): set() for p in FILES}
    for line in completed.stdout.splitlines():
        if line.strip():
            path, rest = line.split(SEP, 1)
            name = Path(path).as_posix().removeprefix("./")
            reported.setdefault(name, set()).update(parse_flake8_output(rest))
    assert reported == expected_by_file()


@pytest.mark.parametrize("jobs", [1, 2])
def test_cli_json_agrees_with_markers(jobs: int, tmp_path: Path):
    """`async-patterns check --format json <package>` reports exactly the markers."""
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.async-patterns]\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_async_patterns", "check", "--format", "json", "--jobs", str(jobs),
         *SELECT, "--config", str(config),
         *(str(p) for p in PACKAGES)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert completed.returncode == 1, completed.stderr
    reported: dict[str, set[Pair]] = {ident(p): set() for p in FILES}
    for row in json.loads(completed.stdout):
        reported[ident(Path(row["path"]))].add((row["line"], row["code"]))
    assert reported == expected_by_file()


def test_messages_name_the_callee_by_its_absolute_name(tmp_path: Path):
    """Rules that show the resolved name show an importable one, not `.client.fetch`."""
    service = CROSS_DIR / "shop" / "service.py"
    messages = run_flake8_in_process(service, tmp_path).values()
    named = [m for m in messages if m.startswith(("ASP102", "ASP104"))]
    assert named
    assert not [m for m in named if "'." in m], named
    assert any("'shop.client.fetch'" in m for m in named), named


# -- when astroid is imported -------------------------------------------------------------


def test_no_astroid_for_a_module_that_resolves_everything_itself(tmp_path: Path):
    """Local names, asyncio, and names of other project modules that our own reading of
    those modules resolves: astroid is never imported."""
    write_package(tmp_path, {
        "alone.py": """
            import asyncio
            from asyncio import sleep

            async def save(x):
                await sleep(0)

            async def main():
                save(1)
                asyncio.sleep(1)
                print("done")
        """,
        "pkg/__init__.py": "from .client import fetch\n",
        "pkg/client.py": """
            class Base:
                async def close(self):
                    pass

            async def fetch(url):
                pass

            def parse(text):
                pass
        """,
        "pkg/service.py": """
            from . import client
            from .client import Base, parse
            from pkg import fetch

            class Service(Base):
                async def run(self):
                    fetch(1)
                    client.fetch(2)
                    parse(3)
                    self.close()
        """,
    })
    paths = ["alone.py", "pkg/service.py"]
    found = run_python(LINT_SCRIPT.format(paths=paths), tmp_path)
    assert found["findings"] == {
        "alone.py": [[9, "ASP101"], [10, "ASP101"]],
        "pkg/service.py": [[8, "ASP101"], [9, "ASP101"], [11, "ASP101"]],
    }
    assert found["astroid"] is False


ASSIGNED = {
    "pkg/__init__.py": "",
    "pkg/client.py": """
        import os

        def make_fetcher():
            async def get(url):  # another name than the one it is bound to
                pass
            return get

        def make_parser():
            def parse(text):
                pass
            return parse

        fetch = make_fetcher()
        parse = make_parser()
        CHOICES = {"a": fetch, "b": parse}
        chosen = CHOICES[os.environ["CHOICE"]]
    """,
    "pkg/service.py": """
        from .client import chosen, fetch, parse

        async def run():
            fetch(1)
            parse(2)
            chosen(3)
    """,
}


def test_astroid_for_a_name_bound_by_assignment(tmp_path: Path):
    """`fetch = make_fetcher()` in the other module: only astroid can tell, and it is asked;
    where astroid cannot tell (`CHOICES[os.environ[...]]`) the lint is silent."""
    write_package(tmp_path, ASSIGNED)
    found = run_python(LINT_SCRIPT.format(paths=["pkg/service.py"]), tmp_path)
    assert found["astroid"] is True
    assert found["findings"] == {"pkg/service.py": [[5, "ASP101"]]}


def test_astroid_that_raises_is_unknown(tmp_path: Path):
    """Inference that raises is "unknown": silent, and the lint goes on."""
    write_package(tmp_path, ASSIGNED)
    script = """
        import astroid, json
        from flake8_async_patterns.cli import lint_file
        from flake8_async_patterns.settings import Settings

        def boom(*args, **kwargs):
            raise RuntimeError("inference blew up")

        astroid.MANAGER.ast_from_file = boom
        result = lint_file("pkg/service.py", Settings(), frozenset({"ASP101"}))
        print(json.dumps({"error": result.error, "findings": [[f.line, f.code] for f in result.findings]}))
    """
    assert run_python(script, tmp_path) == {"error": None, "findings": []}


# -- a broken module of the project ---------------------------------------------------------


def test_broken_imported_module_makes_its_names_unknown(tmp_path: Path):
    """shop/client.py with a syntax error: the lint of service.py runs and is silent on
    every name that comes from client.py; the broken file itself is reported as such."""
    package = tmp_path / "shop"
    shutil.copytree(CROSS_DIR / "shop", package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "client.py").write_text("async def fetch(url)\n    return url\n", encoding="utf-8")

    # First the intact package, in this process: astroid now holds a module named
    # `shop.client`, which must not answer for the broken copy's `shop.client`.
    # Left: only the calls whose same `receiver.method` the function also awaits (receiver
    # evidence, which needs no other module).
    by_receiver = {(35, "ASP101"), (89, "ASP101"), (91, "ASP101")}
    assert run_flake8_in_process(CROSS_DIR / "shop" / "service.py", tmp_path)
    assert set(run_flake8_in_process(package / "service.py", tmp_path)) == by_receiver
    assert run_flake8_in_process(package / "__init__.py", tmp_path) == {}

    found = run_python(LINT_SCRIPT.format(paths=["shop/service.py", "shop/__init__.py"]), tmp_path)
    assert found["findings"] == {"shop/service.py": sorted([line, code] for line, code in by_receiver),
                                 "shop/__init__.py": []}

    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.async-patterns]\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_async_patterns", "check", "--format", "json", "--config", str(config),
         str(package)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert completed.returncode == 2, completed.stderr
    assert "client.py:1:" in completed.stderr and "E999" in completed.stderr
    rows = json.loads(completed.stdout)
    assert {(row["line"], row["code"]) for row in rows if row["code"] != "E999"} == by_receiver
    assert [(Path(row["path"]).name, row["line"]) for row in rows if row["code"] == "E999"] == [("client.py", 1)]


def test_a_project_too_big_to_index_resolves_every_name(tmp_path: Path, monkeypatch):
    """Past INDEX_MAX_FILES the project's names are not read; nothing is then ruled out by
    name, and the cross-module markers still fire."""
    from flake8_async_patterns.analysis import external

    package = tmp_path / "shop"
    shutil.copytree(CROSS_DIR / "shop", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(external, "INDEX_MAX_FILES", 1)
    external._offered_under.cache_clear()
    try:
        assert external.project_offered(str(package / "service.py")) is None
        found = {(f.line, f.code) for f in check_tree(
            ast.parse((package / "service.py").read_text()), Settings(), str(package / "service.py"))}
        assert found == markers(CROSS_DIR / "shop" / "service.py")
    finally:
        external._offered_under.cache_clear()
