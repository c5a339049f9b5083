"""The flake8 door, through the real flake8: options, config files, noqa, select/ignore.

Also the engine's fault isolation (DESIGN.md "Never lose the user's code"):
a rule that raises gives `ASP000 internal error in ASPnnn: ...` at line 1
and the other rules still report.
"""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from flake8.main.application import Application

from flake8_async_patterns import engine, registry
from flake8_async_patterns.engine import check_tree
from flake8_async_patterns.plugin import Plugin
from flake8_async_patterns.registry import opt_in_codes
from flake8_async_patterns.settings import OPTIONS, Settings

# `mydeco` returns the function: a decorator that is read and keeps a coroutine function one
DECO = "def mydeco(fn):\n    return fn\n"
SAMPLE = """\
from ext import fetch
from deco import mydeco


async def local():
    return 1


@mydeco
async def decorated():
    return 1


async def main():
    fetch()
    local()
    decorated()
"""

ONE_FINDING = """\
async def fetch():
    return 1


async def main():
    fetch()
"""

LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<message>.*)$")


# -- helpers -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def restore_plugin_state():
    """flake8 stores parsed options on the Plugin class; put them back after each test."""
    saved = Plugin.settings, Plugin.codes
    yield
    Plugin.settings, Plugin.codes = saved


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    """A scratch folder as the working directory, with an empty flake8 config so none leaks in."""
    (tmp_path / "setup.cfg").write_text("[metadata]\nname = scratch\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def flake8(folder: Path, *args: str) -> tuple[int, list[tuple[int, int, str]], Application]:
    """Run flake8 in-process in `folder`; (exit code, [(line, col, code)], the application)."""
    out = folder / "flake8-output.txt"
    if out.exists():
        out.unlink()
    app = Application()
    app.run(["--jobs=1", f"--output-file={out}", *args])
    rows = []
    text = out.read_text() if out.exists() else ""
    for line in text.splitlines():
        match = LINE.match(line)
        assert match, line
        rows.append((int(match["line"]), int(match["col"]), match["code"]))
    return app.exit_code(), rows, app


def asp(rows):
    return [row for row in rows if row[2].startswith("ASP")]


def flake8_subprocess(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "FLAKE8"))}
    return subprocess.run([sys.executable, "-m", "flake8", "--jobs=1", *args], cwd=folder,
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def stand_in_rules():
    """Register throwaway rules in-process; remove them (and the engine's cached tables) afterwards."""
    registry.all_rules()
    added: list[str] = []

    def add(code: str, check, *, default: bool = True, node_type: type = ast.Module):
        if code in registry.RULES:
            pytest.skip(f"{code} is a real rule now; pick another stand-in code")
        stand_in = registry.rule(code, f"stand-in-{code.lower()}", "stand-in rule for a test", doc="",
                                 default=default)
        stand_in.on(node_type)(check)
        added.append(code)
        engine._TABLES.clear()
        return stand_in

    yield add
    for code in added:
        registry.RULES.pop(code, None)
    engine._TABLES.clear()


def free_opt_in_code() -> str:
    """A code no rule has, for a stand-in opt-in rule."""
    registry.all_rules()
    assert "ASP699" not in registry.RULES
    return "ASP699"


# -- the plugin is flake8's --------------------------------------------------------------


def test_flake8_loads_our_plugin_class(folder):
    write(folder, "s.py", ONE_FINDING)
    _, _, app = flake8(folder, "--select=ASP", "s.py")
    loaded = [p.obj for p in app.plugins.all_plugins() if p.entry_name == "ASP"]
    assert loaded == [Plugin]


def test_help_lists_every_option(folder):
    result = flake8_subprocess(folder, "--help")
    assert result.returncode == 0
    for option in OPTIONS:
        assert f"--{option.key}" in result.stdout


@pytest.mark.parametrize("option", OPTIONS, ids=lambda o: o.key)
def test_every_option_is_registered(folder, option):
    write(folder, "s.py", ONE_FINDING)
    _, _, app = flake8(folder, "--select=ASP", "s.py")
    assert hasattr(app.options, option.key.replace("-", "_"))


@pytest.mark.parametrize("argument, attr, expected", [
    ("--async-patterns-max-fanout=7", "max_fanout", 7),
    ("--async-patterns-concurrency=3", "concurrency", 3),
    ("--async-patterns-coroutine-functions=ext.fetch, other.thing", "coroutine_functions",
     frozenset({"ext.fetch", "other.thing"})),
    ("--async-patterns-non-coroutine-decorators=mydeco,pkg.wrap", "non_coroutine_decorators",
     frozenset({"mydeco", "pkg.wrap"})),
    ("--async-patterns-target-version=3.11", "target_version", (3, 11)),
    ("--async-patterns-target-version=py312", "target_version", (3, 12)),
])
def test_option_is_parsed_into_settings(folder, argument, attr, expected):
    write(folder, "s.py", ONE_FINDING)
    flake8(folder, "--select=ASP", argument, "s.py")
    assert getattr(Plugin.settings, attr) == expected
    assert isinstance(Plugin.settings, Settings)


def test_every_option_has_a_parse_test():
    tested = {"max_fanout", "concurrency", "coroutine_functions", "non_coroutine_decorators", "target_version",
              "fanout_origins"}
    assert {o.attr for o in OPTIONS} <= tested, "add a parse test for the new option"


def test_defaults_without_options(folder):
    write(folder, "s.py", ONE_FINDING)
    flake8(folder, "--select=ASP", "s.py")
    assert Plugin.settings == Settings()


def test_target_version_default_comes_from_requires_python(folder):
    write(folder, "pyproject.toml", '[project]\nname = "x"\nrequires-python = ">=3.11"\n')
    write(folder, "s.py", ONE_FINDING)
    flake8(folder, "--select=ASP", "s.py")
    assert Plugin.settings.target_version == (3, 11), \
        "RULES.md: target-version defaults to the project's requires-python"


def test_coroutine_functions_option_changes_findings(folder):
    write(folder, "s.py", SAMPLE)
    write(folder, "deco.py", DECO)
    _, rows, _ = flake8(folder, "--select=ASP", "s.py")
    assert rows == [(16, 5, "ASP101"), (17, 5, "ASP101")]
    _, rows, _ = flake8(folder, "--select=ASP", "--async-patterns-coroutine-functions=ext.fetch", "s.py")
    assert rows == [(15, 5, "ASP101"), (16, 5, "ASP101"), (17, 5, "ASP101")]


@pytest.mark.parametrize("name", ["mydeco", "deco.mydeco"])
def test_non_coroutine_decorators_option_changes_findings(folder, name):
    write(folder, "s.py", SAMPLE)
    write(folder, "deco.py", DECO)
    _, rows, _ = flake8(folder, "--select=ASP", f"--async-patterns-non-coroutine-decorators={name}", "s.py")
    assert rows == [(16, 5, "ASP101")]


def test_options_from_setup_cfg(folder):
    write(folder, "setup.cfg", textwrap.dedent("""\
        [flake8]
        select = ASP
        async-patterns-max-fanout = 7
        async-patterns-concurrency = 4
        async-patterns-coroutine-functions =
            ext.fetch,
            other.thing
        async-patterns-non-coroutine-decorators = mydeco
        async-patterns-target-version = 3.12
    """))
    write(folder, "s.py", SAMPLE)
    write(folder, "deco.py", DECO)
    _, rows, _ = flake8(folder, "s.py")
    assert rows == [(15, 5, "ASP101"), (16, 5, "ASP101")]
    assert Plugin.settings == Settings(
        max_fanout=7, concurrency=4, coroutine_functions=frozenset({"ext.fetch", "other.thing"}),
        non_coroutine_decorators=frozenset({"mydeco"}), target_version=(3, 12),
    )


@pytest.mark.parametrize("config_name", [".flake8", "tox.ini"])
def test_options_from_dot_flake8_and_tox_ini(folder, config_name):
    (folder / "setup.cfg").unlink()
    write(folder, config_name, "[flake8]\nasync_patterns_max_fanout = 9\n"
                               "async-patterns-coroutine-functions = ext.fetch\n")
    write(folder, "s.py", SAMPLE)
    write(folder, "deco.py", DECO)
    _, rows, _ = flake8(folder, "--select=ASP", "s.py")
    assert Plugin.settings.max_fanout == 9
    assert asp(rows) == [(15, 5, "ASP101"), (16, 5, "ASP101"), (17, 5, "ASP101")]


def test_command_line_overrides_config(folder):
    write(folder, "setup.cfg", "[flake8]\nasync-patterns-max-fanout = 7\n")
    write(folder, "s.py", ONE_FINDING)
    flake8(folder, "--select=ASP", "--async-patterns-max-fanout=12", "s.py")
    assert Plugin.settings.max_fanout == 12


@pytest.mark.parametrize("argument, words", [
    ("--async-patterns-max-fanout=0", ["max-fanout", "0"]),
    ("--async-patterns-max-fanout=lots", ["max-fanout", "lots"]),
    ("--async-patterns-concurrency=-1", ["concurrency"]),
    ("--async-patterns-target-version=2.7", ["2.7"]),
])
def test_bad_option_value_is_a_clear_error(folder, argument, words):
    write(folder, "s.py", ONE_FINDING)
    result = flake8_subprocess(folder, "--select=ASP", argument, "s.py")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr
    assert result.stdout == ""


FANOUT = """\
import asyncio

SHARDS = tuple(range(64))


async def get(key):
    await asyncio.sleep(0)


async def by_parameter(keys):
    await asyncio.gather(*(get(k) for k in keys))


async def by_constant():
    await asyncio.gather(*(get(s) for s in SHARDS))
"""


def test_fanout_origins_option_is_parsed(folder):
    write(folder, "s.py", ONE_FINDING)
    flake8(folder, "--select=ASP", "--async-patterns-fanout-origins=awaited, parameter", "s.py")
    assert Plugin.settings.fanout_origins == frozenset({"awaited", "parameter"})


def test_fanout_origins_option_changes_findings(folder):
    write(folder, "s.py", FANOUT)
    _, rows, _ = flake8(folder, "--select=ASP201", "s.py")
    assert rows == [(11, 11, "ASP201")], "constants are silent by default"
    _, rows, _ = flake8(folder, "--select=ASP201", "--async-patterns-fanout-origins=constant", "s.py")
    assert rows == [(15, 11, "ASP201")]


def test_fanout_origins_from_setup_cfg(folder):
    write(folder, "setup.cfg", "[flake8]\nasync-patterns-fanout-origins =\n    parameter,\n    constant\n")
    write(folder, "s.py", FANOUT)
    _, rows, _ = flake8(folder, "--select=ASP201", "s.py")
    assert rows == [(11, 11, "ASP201"), (15, 11, "ASP201")]


def test_bad_fanout_origin_is_a_clear_error(folder):
    write(folder, "s.py", ONE_FINDING)
    result = flake8_subprocess(folder, "--select=ASP", "--async-patterns-fanout-origins=awaited,data", "s.py")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for word in ["fanout-origins", "'data'", "parameter"]:
        assert word in result.stderr
    assert result.stdout == ""


# -- select / ignore / noqa through flake8 -----------------------------------------------------


def test_select_asp(folder):
    write(folder, "s.py", ONE_FINDING)
    code, rows, _ = flake8(folder, "--select=ASP", "s.py")
    assert rows == [(6, 5, "ASP101")]
    assert code == 1


def test_extend_select_asp(folder):
    write(folder, "s.py", ONE_FINDING)
    _, rows, _ = flake8(folder, "--extend-select=ASP", "s.py")
    assert asp(rows) == [(6, 5, "ASP101")]


def test_default_flake8_run_reports_asp(folder):
    write(folder, "s.py", ONE_FINDING)
    _, rows, _ = flake8(folder, "s.py")
    assert asp(rows) == [(6, 5, "ASP101")]


def test_select_other_codes_hides_asp(folder):
    write(folder, "s.py", ONE_FINDING)
    code, rows, _ = flake8(folder, "--select=F", "s.py")
    assert rows == [] and code == 0


def test_extend_ignore(folder):
    write(folder, "s.py", ONE_FINDING)
    _, rows, _ = flake8(folder, "--extend-ignore=ASP101", "s.py")
    assert asp(rows) == []
    _, rows, _ = flake8(folder, "--select=ASP", "--extend-ignore=ASP101", "s.py")
    assert rows == []


def test_ignore_prefix(folder):
    write(folder, "s.py", ONE_FINDING)
    _, rows, _ = flake8(folder, "--select=ASP", "--ignore=ASP1", "s.py")
    assert rows == []


@pytest.mark.parametrize("comment, silenced", [
    ("# noqa", True),
    ("# noqa: ASP101", True),
    ("# noqa:ASP101", True),
    ("# noqa: ASP1", True),
    ("# noqa: E501, ASP101", True),
    ("# noqa: E501", False),
    ("# noqa: ASP102", False),
])
def test_noqa(folder, comment, silenced):
    write(folder, "s.py", ONE_FINDING.replace("    fetch()\n", f"    fetch()  {comment}\n"))
    _, rows, _ = flake8(folder, "--select=ASP", "s.py")
    assert rows == ([] if silenced else [(6, 5, "ASP101")])


def test_disable_noqa(folder):
    write(folder, "s.py", ONE_FINDING.replace("    fetch()\n", "    fetch()  # noqa: ASP101\n"))
    _, rows, _ = flake8(folder, "--select=ASP", "--disable-noqa", "s.py")
    assert rows == [(6, 5, "ASP101")]


def test_opt_in_rule_is_off_until_selected(folder, stand_in_rules):
    code = free_opt_in_code()

    def check(node, ctx):
        yield registry.Finding(code, 1, 0, "stand-in opt-in finding")

    stand_in_rules(code, check, default=False)
    write(folder, "s.py", ONE_FINDING)
    codes = lambda *args: [c for _, _, c in flake8(folder, *args, "s.py")[1] if c.startswith("ASP")]  # noqa: E731
    assert codes() == ["ASP101"]
    assert codes("--select=ASP") == ["ASP101"]
    assert codes("--extend-select=ASP") == ["ASP101"]
    assert codes(f"--extend-select={code}") == [code, "ASP101"]
    assert codes("--select=ASP", f"--extend-select={code}") == [code, "ASP101"]
    assert codes(f"--select={code}") == [code]
    assert codes(f"--select={code[:4]}") == [code]
    write(folder, "setup.cfg", f"[flake8]\nextend-select = {code}\n")
    assert codes() == [code, "ASP101"]


def test_opt_in_codes_are_in_flake8_default_ignore(folder):
    write(folder, "s.py", ONE_FINDING)
    _, _, app = flake8(folder, "s.py")
    assert set(opt_in_codes()) <= set(app.options.extended_default_ignore)


def test_subprocess_flake8_end_to_end(folder):
    write(folder, "s.py", SAMPLE.replace("    fetch()\n", "    fetch()  # noqa: ASP101\n"))
    result = flake8_subprocess(folder, "--select=ASP", "--async-patterns-coroutine-functions=ext.fetch",
                               "--async-patterns-non-coroutine-decorators=mydeco", "s.py")
    assert result.returncode == 1, result.stderr
    rows = [LINE.match(line) for line in result.stdout.splitlines()]
    assert [(m["path"], int(m["line"]), int(m["col"]), m["code"]) for m in rows] == [("s.py", 16, 5, "ASP101")]
    assert "local" in rows[0]["message"]


def test_syntax_error_is_flake8s_e999(folder):
    write(folder, "bad.py", "def f(:\n")
    write(folder, "s.py", ONE_FINDING)
    _, rows, _ = flake8(folder, "--select=ASP,E999", "bad.py", "s.py")
    assert (6, 5, "ASP101") in rows
    assert any(code == "E999" for _, _, code in rows)
    assert not any(code == "ASP000" for _, _, code in rows)


# -- engine fault isolation -----------------------------------------------------------------------


def _raising_check(node, ctx):
    raise ValueError("boom")
    yield  # pragma: no cover


def test_raising_rule_reports_asp000_and_others_still_report(stand_in_rules):
    stand_in_rules("ASP990", _raising_check, node_type=ast.Call)
    tree = ast.parse(ONE_FINDING)
    found = check_tree(tree, Settings(), "s.py", frozenset({"ASP101", "ASP990"}))
    internal = [f for f in found if f.code == "ASP000"]
    assert len(internal) == 1
    assert (internal[0].line, internal[0].col) == (1, 0)
    assert internal[0].message.startswith("internal error in ASP990: ")
    assert "ValueError" in internal[0].message and "boom" in internal[0].message
    assert [(f.line, f.col, f.code) for f in found if f.code != "ASP000"] == [(6, 4, "ASP101")]


def test_raising_rule_with_every_rule_enabled(stand_in_rules):
    stand_in_rules("ASP991", _raising_check, node_type=ast.Module)
    tree = ast.parse(ONE_FINDING)
    found = check_tree(tree, Settings(), "s.py", None)
    assert [(f.line, f.code) for f in found] == [(1, "ASP000"), (6, "ASP101")]
    assert found[0].message.startswith("internal error in ASP991: ")


def test_raising_rule_does_not_stop_other_checks_on_the_same_node(stand_in_rules):
    # registered for the same node types as ASP101, and raising on each of them
    stand_in_rules("ASP992", _raising_check, node_type=ast.Expr)
    tree = ast.parse(ONE_FINDING + "\n\nasync def again():\n    fetch()\n")
    found = check_tree(tree, Settings(), "s.py", frozenset({"ASP101", "ASP992"}))
    assert [(f.line, f.code) for f in found] == [(1, "ASP000"), (6, "ASP101"), (10, "ASP101")]


def test_raising_rule_through_flake8(folder, stand_in_rules):
    stand_in_rules("ASP993", _raising_check, node_type=ast.Call)
    write(folder, "s.py", ONE_FINDING)
    code, rows, _ = flake8(folder, "--select=ASP", "s.py")
    assert rows == [(1, 1, "ASP000"), (6, 5, "ASP101")]
    assert code == 1


def test_one_flake8_worker_reads_the_project_index_once(tmp_path, monkeypatch):
    from flake8_async_patterns.analysis import external
    from flake8_async_patterns.analysis.run import RUN

    write(tmp_path, "pyproject.toml", '[project]\nname = "demo"\n')
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/client.py", "async def fetch():\n    return 1\n")
    for n in range(3):
        write(tmp_path, f"pkg/app{n}.py", "from pkg.client import fetch\n\n\nasync def main():\n    fetch()\n")
    RUN.clear()
    monkeypatch.chdir(tmp_path)
    built = []
    original = external._offered_in_file
    monkeypatch.setattr(external, "_offered_in_file", lambda path: built.append(path) or original(path))
    try:
        _, rows, _ = flake8(tmp_path, "--select=ASP", "pkg")
    finally:
        RUN.clear()
    assert [code for _, _, code in asp(rows)] == ["ASP101"] * 3
    assert sorted(os.path.basename(p) for p in built) == ["__init__.py", "app0.py", "app1.py", "app2.py", "client.py"]
