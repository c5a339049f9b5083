"""RUN (analysis/run.py) holds every cache of what the tool learnt about other files, so that
`RUN.clear()` forgets all of it: a cache kept anywhere else would survive a change on disk."""
from __future__ import annotations

import importlib
import pkgutil
import textwrap

import flake8_async_patterns
from flake8_async_patterns.analysis.run import RUN
from flake8_async_patterns.settings import Settings
from flake8_async_patterns.source import lint_source

# tables that depend on nothing but the tool itself: what they hold stays true whatever changes
NOT_ABOUT_FILES = {"engine._TABLES", "analysis.nodes._PLANS", "registry.RULES", "cache._OPEN"}


def _modules():
    for info in pkgutil.walk_packages(flake8_async_patterns.__path__, "flake8_async_patterns."):
        if info.name.endswith(("server", "__main__")):
            continue  # pygls is an extra; the server keeps no cache of its own (see its configs)
        yield importlib.import_module(info.name)


def _module_dicts():
    found = {}
    for module in _modules():
        for name, value in vars(module).items():
            if isinstance(value, dict) and not name.startswith("__"):
                found[f"{module.__name__.removeprefix('flake8_async_patterns.')}.{name}"] = value
    return found


def _project(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "client.py").write_text(textwrap.dedent("""\
        class Client:
            async def get(self):
                return 1
    """), encoding="utf-8")
    app = tmp_path / "pkg" / "app.py"
    app.write_text(textwrap.dedent("""\
        from .client import Client


        async def main(client: Client):
            client.get()
    """), encoding="utf-8")
    return app


def test_every_memoised_function_of_the_package_is_the_runs(tmp_path):
    modules = list(_modules())  # importing them registers their caches
    registered = {id(f) for f in RUN._functions}
    outside = [f"{module.__name__}.{name}" for module in modules for name, value in vars(module).items()
               if callable(value) and hasattr(value, "cache_clear")
               and getattr(value, "__module__", "") == module.__name__ and id(value) not in registered]
    assert not outside, f"memoised outside RUN: {outside}"


def test_what_a_lint_learns_about_other_files_is_kept_by_run_and_cleared(tmp_path):
    RUN.clear()
    dicts = _module_dicts()
    before = {name: len(d) for name, d in dicts.items()}
    app = _project(tmp_path)
    findings = lint_source(app.read_text(encoding="utf-8"), str(app), Settings(), frozenset({"ASP101"}))
    assert [f.code for f in findings] == ["ASP101"]  # resolved through pkg/client.py
    grown = {name for name, d in dicts.items() if len(d) != before[name]}
    registered = {id(d) for d in RUN._dicts}
    assert grown - NOT_ABOUT_FILES, "the lint read another file: some cache must have grown"
    assert not {name for name in grown - NOT_ABOUT_FILES if id(dicts[name]) not in registered}
    RUN.clear()
    assert all(not d for d in RUN._dicts)
    assert all(f.cache_info().currsize == 0 for f in RUN._functions if hasattr(f, "cache_info"))


def test_clearing_makes_a_change_on_disk_seen(tmp_path):
    RUN.clear()
    app = _project(tmp_path)

    def lint():
        return lint_source(app.read_text(encoding="utf-8"), str(app), Settings(), frozenset({"ASP101"}))

    assert [f.code for f in lint()] == ["ASP101"]
    plain = "class Client:\n    def get(self):\n        return 1\n"
    (tmp_path / "pkg" / "client.py").write_text(plain, encoding="utf-8")
    assert [f.code for f in lint()] == ["ASP101"]  # remembered: a long-lived process must clear
    RUN.clear()
    assert lint() == []


def test_start_gives_astroid_its_budget_back():
    RUN.astroid_spent = 99.0
    RUN.start()
    assert RUN.astroid_spent == 0.0
