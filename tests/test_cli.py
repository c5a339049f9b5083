"""The command-line door, run as a user runs it: a subprocess in a scratch folder.

Contract: DESIGN.md "Promises to users" (CLI) and "Never lose the user's code"
(bad input gets a clear message and the run goes on), RULES.md "Options".
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_async_patterns import engine, registry
from flake8_async_patterns.registry import enabled_codes, opt_in_codes
from flake8_async_patterns.settings import SettingsError, load_project

DEFAULT_CODES = ("ASP101", "ASP102", "ASP103", "ASP104")

# One finding of each implemented default rule, on known lines and columns.
MIXED = """\
import asyncio
import threading


async def fetch():
    return 1


async def main(urls):
    fetch()
    asyncio.create_task(fetch())
    [fetch() for _ in urls]
    threading.Thread(target=fetch)
"""
MIXED_EXPECTED = [(10, 5, "ASP101"), (11, 5, "ASP103"), (12, 5, "ASP102"), (13, 29, "ASP104")]

ONE_FINDING = """\
async def fetch():
    return 1


async def main():
    fetch()
"""

CLEAN = """\
async def fetch():
    return 1


async def main():
    await fetch()
"""


# -- helpers -----------------------------------------------------------------------


def run(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "FLAKE8"))}
    return subprocess.run(
        [sys.executable, "-m", "flake8_async_patterns", *args],
        cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env,
    )


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


TEXT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>ASP\d{3}) (?P<message>.+)$")


def findings(stdout: str) -> list[tuple[str, int, int, str]]:
    """(path, line, column, code) of every text-format line; every line must be one."""
    rows = []
    for line in stdout.splitlines():
        match = TEXT_LINE.match(line)
        assert match, f"not a finding line: {line!r}"
        rows.append((Path(match["path"]).as_posix(), int(match["line"]), int(match["col"]), match["code"]))
    return rows


def codes_of(stdout: str) -> list[str]:
    return [code for _, _, _, code in findings(stdout)]


def no_crash(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "RecursionError" not in result.stdout + result.stderr
    assert "ASP000" not in result.stdout, result.stdout


def error_lines(result: subprocess.CompletedProcess, name: str) -> list[str]:
    return [line for line in result.stderr.splitlines() if name in line]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch folder with an empty pyproject.toml, so no outer config leaks in."""
    write(tmp_path, "pyproject.toml", "[project]\nname = 'scratch'\n")
    return tmp_path


STAND_IN_CODE = "ASP699"  # no rule has it: a stand-in opt-in rule registers under it


@pytest.fixture
def opt_in_rule():
    """A throwaway opt-in rule under a code no rule uses, removed afterwards."""
    registry.all_rules()
    code = STAND_IN_CODE
    stand_in = registry.rule(code, "test-opt-in", "stand-in opt-in rule", doc="", default=False)
    engine._TABLES.clear()
    try:
        yield stand_in
    finally:
        del registry.RULES[code]
        engine._TABLES.clear()


# -- exit status and formats ------------------------------------------------------------


def test_clean_file_exits_0(project):
    write(project, "clean.py", CLEAN)
    result = run("check", "clean.py", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    no_crash(result)


def test_findings_exit_1_text_format(project):
    write(project, "mixed.py", MIXED)
    result = run("check", "mixed.py", cwd=project)
    assert result.returncode == 1, result.stderr
    assert [(line, col, code) for _, line, col, code in findings(result.stdout)] == MIXED_EXPECTED
    assert all(p == "mixed.py" for p, *_ in findings(result.stdout))
    first = result.stdout.splitlines()[0]
    assert first.startswith("mixed.py:10:5: ASP101 ")
    assert "fetch" in first and "await" in first
    no_crash(result)


def test_explicit_text_format_is_the_default(project):
    write(project, "mixed.py", MIXED)
    assert run("check", "--format", "text", "mixed.py", cwd=project).stdout == \
        run("check", "mixed.py", cwd=project).stdout


def test_json_format(project):
    write(project, "mixed.py", MIXED)
    result = run("check", "--format", "json", "mixed.py", cwd=project)
    assert result.returncode == 1, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["line"], r["column"], r["code"]) for r in rows] == MIXED_EXPECTED
    for row in rows:
        assert {"path", "line", "column", "code", "name", "message"} <= row.keys()
        assert row["path"] == "mixed.py"
        assert isinstance(row["line"], int) and isinstance(row["column"], int)
        assert row["message"] and not row["message"].startswith("ASP")
    names = {r["code"]: r["name"] for r in rows}
    assert names == {"ASP101": "coroutine-not-awaited", "ASP102": "discarded-coroutines",
                     "ASP103": "dangling-task", "ASP104": "coroutine-in-sync-slot"}


def test_json_format_clean_is_an_empty_list(project):
    write(project, "clean.py", CLEAN)
    result = run("check", "--format", "json", "clean.py", cwd=project)
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_json_columns_match_text_columns(project):
    write(project, "mixed.py", MIXED)
    text = findings(run("check", "mixed.py", cwd=project).stdout)
    rows = json.loads(run("check", "--format", "json", "mixed.py", cwd=project).stdout)
    assert [(r["path"], r["line"], r["column"], r["code"]) for r in rows] == text


def test_default_path_is_the_current_folder(project):
    write(project, "pkg/mod.py", ONE_FINDING)
    result = run("check", cwd=project)
    assert result.returncode == 1
    assert [(Path(p).name, line, code) for p, line, _, code in findings(result.stdout)] == [("mod.py", 6, "ASP101")]


@pytest.mark.parametrize("args", [
    ["bogus"],
    [],
    ["check", "--format", "xml", "x.py"],
    ["check", "--jobs", "0", "x.py"],
    ["check", "--jobs", "-2", "x.py"],
    ["check", "--jobs", "many", "x.py"],
    ["check", "--select", "XYZ", "x.py"],
    ["check", "--select", "E501", "x.py"],
    ["check", "--ignore", "W6", "x.py"],
    ["check", "--extend-select", "B950", "x.py"],
    ["check", "--select", "ASP1X", "x.py"],
    ["check", "--no-such-option", "x.py"],
], ids=" ".join)
def test_usage_errors_exit_2(project, args):
    write(project, "x.py", ONE_FINDING)
    result = run(*args, cwd=project)
    assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert result.stderr.strip(), "a usage error must say what is wrong"
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_file_not_processed_exits_2_and_others_still_reported(project):
    write(project, "a_broken.py", "def f(:\n    pass\n")
    write(project, "b_good.py", ONE_FINDING)
    result = run("check", "a_broken.py", "b_good.py", cwd=project)
    assert result.returncode == 2
    assert findings(result.stdout) == [("b_good.py", 6, 5, "ASP101")]
    assert error_lines(result, "a_broken.py")
    no_crash(result)


def test_file_not_processed_in_json_mode_still_gives_valid_json(project):
    write(project, "a_broken.py", "def f(:\n    pass\n")
    write(project, "b_good.py", ONE_FINDING)
    result = run("check", "--format", "json", "a_broken.py", "b_good.py", cwd=project)
    assert result.returncode == 2
    rows = json.loads(result.stdout)
    assert [(r["path"], r["line"], r["column"], r["code"]) for r in rows] == [
        ("b_good.py", 6, 5, "ASP101"), ("a_broken.py", 1, 7, "E999")]
    assert rows[1]["name"] == "syntax-error" and rows[1]["message"].startswith("SyntaxError: ")
    assert rows[1]["fix"] is None
    assert error_lines(result, "a_broken.py")


def test_file_errors_are_records_in_json_lines_and_gitlab(project):
    write(project, "b_good.py", ONE_FINDING)
    result = run("check", "--output-format", "json-lines", "b_good.py", "missing.py", cwd=project)
    assert result.returncode == 2
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["path"], r["code"], r["name"], r["line"]) for r in rows] == [
        ("b_good.py", "ASP101", "coroutine-not-awaited", 6), ("missing.py", "E902", "file-error", None)]
    assert rows[1]["message"] == "no such file or directory"
    report = json.loads(run("check", "--output-format", "gitlab", "b_good.py", "missing.py", cwd=project).stdout)
    assert [(i["check_name"], i["severity"], i["location"]["path"]) for i in report] == [
        ("ASP101", "major", "b_good.py"), ("E902", "blocker", "missing.py")]


# -- select / extend-select / ignore ------------------------------------------------------


@pytest.mark.parametrize("args, expected", [
    ([], ["ASP101", "ASP103", "ASP102", "ASP104"]),
    (["--select", "ASP"], ["ASP101", "ASP103", "ASP102", "ASP104"]),
    (["--select", "ASP103"], ["ASP103"]),
    (["--select", "ASP101,ASP104"], ["ASP101", "ASP104"]),
    (["--select", "asp101"], ["ASP101"]),
    (["--select", "ASP101", "--extend-select", "ASP103"], ["ASP101", "ASP103"]),
    (["--ignore", "ASP101"], ["ASP103", "ASP102", "ASP104"]),
    (["--ignore", "ASP10"], []),
    (["--ignore", "ASP101,ASP102"], ["ASP103", "ASP104"]),
    # longest prefix wins between select and ignore
    (["--select", "ASP103", "--ignore", "ASP1"], ["ASP103"]),
    (["--select", "ASP1", "--ignore", "ASP103"], ["ASP101", "ASP102", "ASP104"]),
    (["--select", "ASP1", "--ignore", "ASP10"], []),
    (["--ignore", "ASP10", "--extend-select", "ASP102"], ["ASP102"]),
    # equal length: ignore wins, as in flake8
    (["--select", "ASP101", "--ignore", "ASP101"], []),
])
def test_select_ignore(project, args, expected):
    write(project, "mixed.py", MIXED)
    result = run("check", *args, "mixed.py", cwd=project)
    assert codes_of(result.stdout) == expected, result.stderr
    assert result.returncode == (1 if expected else 0)


def test_enabled_codes_defaults():
    codes = enabled_codes()
    assert set(DEFAULT_CODES) <= codes
    assert not codes & set(opt_in_codes())
    assert enabled_codes(select=["ASP"]) == codes


def test_enabled_codes_prefixes_and_longest_match():
    assert enabled_codes(select=["ASP1"]) >= set(DEFAULT_CODES)
    assert enabled_codes(select=["ASP10"], ignore=["ASP103"]) == {"ASP101", "ASP102", "ASP104"}
    assert enabled_codes(select=["ASP103"], ignore=["ASP1"]) == {"ASP103"}
    assert enabled_codes(select=["ASP101"], ignore=["ASP101"]) == frozenset()
    assert enabled_codes(select=["asp101, asp102"]) == {"ASP101", "ASP102"}
    assert enabled_codes(select=[], extend_select=["ASP104"]) == {"ASP104"}
    assert enabled_codes(ignore=["ASP"]) == frozenset()
    assert enabled_codes(extend_ignore=["ASP101"]) == enabled_codes() - {"ASP101"}


def test_enabled_codes_opt_in(opt_in_rule):
    code = opt_in_rule.code
    assert code not in enabled_codes()
    assert code not in enabled_codes(select=["ASP"])
    assert code not in enabled_codes(select=["ASP"], extend_select=["ASP"])
    assert code in enabled_codes(extend_select=[code])
    assert code in enabled_codes(select=[code])
    assert code in enabled_codes(select=[code[:4]])  # e.g. ASP2: more precise than ASP
    assert code in enabled_codes(select=["ASP"], extend_select=[code[:5]])
    assert code not in enabled_codes(extend_select=[code], ignore=[code])
    assert code in enabled_codes(extend_select=[code], ignore=[code[:4]])
    assert set(DEFAULT_CODES) <= enabled_codes(extend_select=[code])


OPT_IN_SCRIPT = """
import ast, sys
from flake8_async_patterns import cli, registry
registry.all_rules()
code = sys.argv[1]
stand_in = registry.rule(code, "test-opt-in", "stand-in opt-in rule", doc="", default=False)

@stand_in.on(ast.Module)
def check(node, ctx):
    yield registry.Finding(code, 1, 0, "stand-in opt-in finding")

sys.exit(cli.main(sys.argv[2:]))
"""


def test_opt_in_rule_through_the_cli(project):
    code = STAND_IN_CODE
    write(project, "mod.py", ONE_FINDING)
    write(project, "opt_in.py", OPT_IN_SCRIPT)

    def codes(*args):
        result = subprocess.run([sys.executable, "opt_in.py", code, "check", *args, "mod.py"],
                                cwd=project, capture_output=True, text=True, timeout=120)
        assert "Traceback" not in result.stderr, result.stderr
        return codes_of(result.stdout)

    assert codes() == ["ASP101"]
    assert codes("--select", "ASP") == ["ASP101"]
    assert codes("--extend-select", code) == [code, "ASP101"]
    assert codes("--select", "ASP", "--extend-select", code) == [code, "ASP101"]
    assert codes("--select", code) == [code]
    assert codes("--select", code[:4]) == [code]
    assert codes("--extend-select", code, "--ignore", code) == ["ASP101"]
    write(project, "pyproject.toml", f'[tool.async-patterns]\nextend-select = ["{code}"]\n')
    assert codes() == [code, "ASP101"]


# -- noqa ----------------------------------------------------------------------------


NOQA = """\
async def fetch(*args):
    return 1


async def main():
    fetch()
    fetch()  # noqa
    fetch()  # noqa: ASP101
    fetch()  # noqa:ASP101
    fetch()  # noqa:ASP1
    fetch()  # NOQA: asp101
    fetch()  # noqa: E501,ASP101
    fetch()  # noqa: E501
    fetch()  # noqa: ASP102
    fetch()  # noqa: ASP1011
    fetch(
        1,
    )  # noqa: ASP101
    fetch(
        2,  # noqa: ASP101
    )
    fetch("x"  # noqa
    )
    fetch(
        3,
    )  # noqa: ASP102
    fetch()  # a comment that mentions noqa: ASP101 later
"""


def test_noqa(project):
    write(project, "n.py", NOQA)
    result = run("check", "n.py", cwd=project)
    lines = [line for _, line, _, code in findings(result.stdout) if code == "ASP101"]
    # 6: no comment; 11: flake8 matches codes as written, lower case does not silence;
    # 13: another code; 14: another code of the same family; 15: a longer code is not a
    # prefix of ASP101; 16, 19: like flake8, a noqa applies to its own physical line, not to
    # the other lines of a multi-line call; 24: another code;
    # 27: "noqa" inside the comment text is not a noqa comment.
    assert lines == [6, 11, 13, 14, 15, 16, 19, 24, 27]
    assert result.returncode == 1
    flake8 = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select", "ASP", "n.py"],
                            cwd=project, capture_output=True, text=True)
    assert [int(line.split(":")[1]) for line in flake8.stdout.splitlines()] == lines


def test_noqa_in_a_multiline_string_covers_all_its_lines(project):
    source = ONE_FINDING.replace("    fetch()\n", '    fetch("""\n        text\n    """)  # noqa: ASP101\n')
    write(project, "m.py", source)
    result = run("check", "m.py", cwd=project)
    assert result.stdout == ""
    assert result.returncode == 0


def test_noqa_only_silences_its_own_statement(project):
    source = ONE_FINDING.replace("    fetch()\n", "    fetch()\n    x = 1  # noqa\n    fetch()  # noqa\n")
    write(project, "m.py", source)
    assert [line for _, line, _, _ in findings(run("check", "m.py", cwd=project).stdout)] == [6]


# -- configuration: [tool.async-patterns] in the nearest pyproject.toml ---------------------------


# `mydeco` returns the function: a decorator that is read and keeps a coroutine function one
DECO = "def mydeco(fn):\n    return fn\n"
CONFIGURABLE = """\
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


def config(folder: Path, body: str, project_table: str = "") -> None:
    write(folder, "pyproject.toml", f"{project_table}[tool.async-patterns]\n{textwrap.dedent(body)}")


def test_config_defaults(project):
    write(project, "c.py", CONFIGURABLE)
    write(project, "deco.py", DECO)
    result = run("check", "c.py", cwd=project)
    assert [line for _, line, _, _ in findings(result.stdout)] == [16, 17]


@pytest.mark.parametrize("body", [
    'coroutine-functions = ["ext.fetch"]',
    'coroutine-functions = "ext.fetch, other.thing"',
    'async-patterns-coroutine-functions = ["ext.fetch"]',
    'coroutine_functions = ["ext.fetch"]',
])
def test_config_coroutine_functions(project, body):
    write(project, "c.py", CONFIGURABLE)
    write(project, "deco.py", DECO)
    config(project, body)
    result = run("check", "c.py", cwd=project)
    assert [(line, code) for _, line, _, code in findings(result.stdout)] == \
        [(15, "ASP101"), (16, "ASP101"), (17, "ASP101")], result.stderr
    assert "fetch" in result.stdout.splitlines()[0]


@pytest.mark.parametrize("name", ["mydeco", "deco.mydeco"])
def test_config_non_coroutine_decorators(project, name):
    write(project, "c.py", CONFIGURABLE)
    write(project, "deco.py", DECO)
    config(project, f'non-coroutine-decorators = ["{name}"]')
    result = run("check", "c.py", cwd=project)
    assert [line for _, line, _, _ in findings(result.stdout)] == [16], result.stderr


def test_config_max_fanout_and_others_are_read(project):
    config(project, """
        max-fanout = 7
        concurrency = 3
        target-version = "3.11"
        coroutine-functions = ["a.b", "c.d"]
    """)
    settings = load_project(project).settings
    assert settings.max_fanout == 7
    assert settings.concurrency == 3
    assert settings.target_version == (3, 11)
    assert settings.coroutine_functions == {"a.b", "c.d"}


def test_config_target_version_from_requires_python(project):
    config(project, "", project_table='[project]\nname = "x"\nrequires-python = ">=3.11"\n')
    assert load_project(project).settings.target_version == (3, 11)
    config(project, "")
    assert load_project(project).settings.target_version == (3, 9)


def test_config_is_found_from_a_subfolder(project):
    config(project, 'coroutine-functions = ["ext.fetch"]')
    deep = project / "src" / "pkg"
    write(deep, "c.py", CONFIGURABLE)
    write(deep, "deco.py", DECO)
    result = run("check", "c.py", cwd=deep)
    assert [line for _, line, _, _ in findings(result.stdout)] == [15, 16, 17]


@pytest.mark.parametrize("body, expected", [
    ('select = ["ASP103"]', ["ASP103"]),
    ('select = ["ASP1"]\nignore = ["ASP103"]', ["ASP101", "ASP102", "ASP104"]),
    ('ignore = ["ASP101", "ASP102"]', ["ASP103", "ASP104"]),
    ('select = ["ASP101"]\nextend-select = ["ASP104"]', ["ASP101", "ASP104"]),
])
def test_config_select_ignore(project, body, expected):
    write(project, "mixed.py", MIXED)
    config(project, body)
    result = run("check", "mixed.py", cwd=project)
    assert codes_of(result.stdout) == expected, result.stderr


def test_command_line_select_replaces_config_select_and_ignore_adds(project):
    write(project, "mixed.py", MIXED)
    config(project, 'select = ["ASP103"]\nignore = ["ASP104"]')
    assert codes_of(run("check", "--select", "ASP1", "mixed.py", cwd=project).stdout) == \
        ["ASP101", "ASP103", "ASP102"]
    assert codes_of(run("check", "--select", "ASP1", "--ignore", "ASP101", "mixed.py", cwd=project).stdout) == \
        ["ASP103", "ASP102"]


def test_config_exclude(project):
    config(project, 'exclude = ["generated", "*_pb2.py", "vendor/*"]')
    write(project, "src/mod.py", ONE_FINDING)
    write(project, "src/generated/mod.py", ONE_FINDING)
    write(project, "src/api_pb2.py", ONE_FINDING)
    write(project, "vendor/lib.py", ONE_FINDING)
    result = run("check", ".", cwd=project)
    assert [p for p, *_ in findings(result.stdout)] == ["src/mod.py"], result.stdout


@pytest.mark.parametrize("body, words", [
    ("max-fanout = 0", ["max-fanout", "0"]),
    ("max-fanout = -5", ["max-fanout"]),
    ('max-fanout = "many"', ["max-fanout", "many"]),
    ("concurrency = 0", ["concurrency"]),
    ("bogus-key = 1", ["bogus-key"]),
    ('target-version = "2.7"', ["2.7"]),
    ("max-fanout = ", ["pyproject.toml"]),
])
def test_config_bad_values_exit_2_with_a_clear_message(project, body, words):
    write(project, "c.py", ONE_FINDING)
    config(project, body)
    result = run("check", "c.py", cwd=project)
    assert result.returncode == 2
    assert result.stdout == ""
    message = result.stderr.strip()
    assert message and len(message.splitlines()) == 1, message
    assert "pyproject.toml" in message
    for word in words:
        assert word in message
    assert "Traceback" not in result.stderr


def test_explicit_config_file(tmp_path):
    write(tmp_path, "cfg/pyproject.toml", '[tool.async-patterns]\nselect = ["ASP103"]\n')
    write(tmp_path, "work/pyproject.toml", "[project]\nname = 'w'\n")
    write(tmp_path, "work/mixed.py", MIXED)
    result = run("check", "--config", str(tmp_path / "cfg" / "pyproject.toml"), "mixed.py", cwd=tmp_path / "work")
    assert codes_of(result.stdout) == ["ASP103"]


def test_explicit_config_file_that_does_not_exist_is_an_error(project):
    write(project, "mixed.py", MIXED)
    result = run("check", "--config", "nope/settings.toml", "mixed.py", cwd=project)
    assert result.returncode == 2
    assert "nope" in result.stderr


def test_load_project_errors_are_settings_errors(project):
    config(project, "unknown = 1")
    with pytest.raises(SettingsError, match="unknown"):
        load_project(project)


# -- bad inputs: a clear one-line message naming the file and position; the run goes on ---------


def assert_reported_and_continued(result, bad_name: str, position: bool = True) -> str:
    no_crash(result)
    assert result.returncode == 2, (result.stdout, result.stderr)
    reported = [(Path(p).name, line, col, code) for p, line, col, code in findings(result.stdout)]
    assert ("good.py", 6, 5, "ASP101") in reported
    lines = error_lines(result, bad_name)
    assert len(lines) == 1, result.stderr
    if position:
        assert re.search(re.escape(bad_name) + r":\d+:\d+:", lines[0]), lines[0]
    return lines[0]


def test_syntax_error(project):
    write(project, "bad.py", "x = 1\ndef f(:\n    pass\n")
    write(project, "good.py", ONE_FINDING)
    line = assert_reported_and_continued(run("check", "bad.py", "good.py", cwd=project), "bad.py")
    assert "bad.py:2:" in line


def test_syntax_error_in_folder(project):
    write(project, "pkg/bad.py", "async def f(:\n")
    write(project, "pkg/good.py", ONE_FINDING)
    assert_reported_and_continued(run("check", "pkg", cwd=project), "bad.py")


def test_undecodable_bytes(project):
    write(project, "bad.py", b"x = 1\ny = 2\nz = '\xff\xfe caf\xe9'\n")
    write(project, "good.py", ONE_FINDING)
    line = assert_reported_and_continued(run("check", "bad.py", "good.py", cwd=project), "bad.py")
    assert "bad.py:3:" in line, "the message should say which line holds the bad bytes"


def test_undecodable_bytes_on_first_line(project):
    write(project, "bad.py", b"x = '\xff'\n")
    write(project, "good.py", ONE_FINDING)
    line = assert_reported_and_continued(run("check", "bad.py", "good.py", cwd=project), "bad.py")
    assert "bad.py:1:" in line


def test_unknown_coding_cookie(project):
    write(project, "bad.py", b"# -*- coding: no-such-codec -*-\nx = 1\n")
    write(project, "good.py", ONE_FINDING)
    assert_reported_and_continued(run("check", "bad.py", "good.py", cwd=project), "bad.py", position=False)


def test_missing_path(project):
    write(project, "good.py", ONE_FINDING)
    result = run("check", "missing.py", "good.py", cwd=project)
    line = assert_reported_and_continued(result, "missing.py", position=False)
    assert "missing.py" in line


def test_missing_folder(project):
    write(project, "good.py", ONE_FINDING)
    result = run("check", "no_such_dir", "good.py", cwd=project)
    assert_reported_and_continued(result, "no_such_dir", position=False)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(project):
    bad = write(project, "bad.py", "x = 1\n")
    bad.chmod(0)
    write(project, "good.py", ONE_FINDING)
    try:
        assert_reported_and_continued(run("check", "bad.py", "good.py", cwd=project), "bad.py", position=False)
    finally:
        bad.chmod(0o644)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_directory_loop_terminates_and_reports_each_file_once(project):
    write(project, "pkg/sub/mod.py", ONE_FINDING)
    write(project, "pkg/good.py", ONE_FINDING)
    os.symlink("..", project / "pkg" / "sub" / "up")
    os.symlink(project / "pkg", project / "pkg" / "sub" / "again")
    result = run("check", "pkg", cwd=project, timeout=60)
    no_crash(result)
    names = sorted(Path(p).name for p, *_ in findings(result.stdout))
    assert names == ["good.py", "mod.py"]
    assert result.returncode in (1, 2)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_symlink_loop_named_directly(project):
    os.symlink("loop_b", project / "loop_a")
    os.symlink("loop_a", project / "loop_b")
    write(project, "good.py", ONE_FINDING)
    result = run("check", "loop_a", "good.py", cwd=project, timeout=60)
    assert_reported_and_continued(result, "loop_a", position=False)


def test_five_megabyte_file(project):
    row = 'VALUE_{:06d} = "' + "x" * 90 + '"\n'
    body = "".join(row.format(i) for i in range(48_000))
    source = body + "\n\n" + ONE_FINDING
    assert len(source.encode()) > 5_000_000
    write(project, "big.py", source)
    write(project, "good.py", ONE_FINDING)
    result = run("check", "big.py", "good.py", cwd=project, timeout=300)
    no_crash(result)
    offset = body.count("\n") + 2
    assert sorted((Path(p).name, line) for p, line, _, _ in findings(result.stdout)) == \
        [("big.py", offset + 6), ("good.py", 6)]
    assert result.returncode == 1


def test_deep_parentheses_do_not_parse_and_are_reported(project):
    write(project, "bad.py", "x = " + "(" * 1000 + "1" + ")" * 1000 + "\n")
    write(project, "good.py", ONE_FINDING)
    assert_reported_and_continued(run("check", "bad.py", "good.py", cwd=project), "bad.py")


def test_deep_lists_do_not_parse_and_are_reported(project):
    write(project, "bad.py", "x = " + "[" * 1000 + "]" * 1000 + "\n")
    write(project, "good.py", ONE_FINDING)
    assert_reported_and_continued(run("check", "bad.py", "good.py", cwd=project), "bad.py")


def test_deep_calls_do_not_parse_and_are_reported(project):
    write(project, "bad.py", "x = " + "f(" * 1000 + ")" * 1000 + "\n")
    write(project, "good.py", ONE_FINDING)
    assert_reported_and_continued(run("check", "bad.py", "good.py", cwd=project), "bad.py")


SUMMARY = re.compile(r"\d+ findings? in \d+ files?(, \d+ fixable with `async-patterns fix`)?"
                     r"(; \d+ files? could not be checked)?")


def without_summary(stderr: str) -> str:
    """stderr without the summary line that follows text output when there are findings."""
    return "".join(line for line in stderr.splitlines(keepends=True) if not SUMMARY.fullmatch(line.strip()))


DEEP_BUT_PARSABLE = {
    "binop_chain": "x = " + " + ".join(["a"] * 1000) + "\n",
    "coroutine_binop_chain": "async def main():\n    " + " + ".join(["fetch()"] * 1000) + "\n",
    "bool_chain": "async def main():\n    if " + " and ".join(["fetch()"] * 1000) + ":\n        pass\n",
    "not_chain": "async def main():\n    if " + "not " * 1000 + "x:\n        pass\n",
    "lambda_chain": "x = " + "lambda: " * 1000 + "fetch()\n",
    "call_chain": "async def main():\n    fetch" + "()" * 1000 + "\n",
    "attribute_chain": "import asyncio\n\n\nasync def main():\n    asyncio" + ".x" * 1000 + ".sleep(1)\n",
    "self_attribute_chain": "class C:\n    async def f(self):\n        self" + ".a" * 1000 + ".b()\n",
    "subscript_chain": "import asyncio\n\n\nasync def main():\n    asyncio.create_task(x" + "[0]" * 1000 + ")\n",
    "method_chain": "async def main():\n    q" + ".m()" * 1000 + "\n",
    "string_concat": "x = " + " ".join(['"a"'] * 5000) + "\n",
    "nested_lists_190": "async def main():\n    x = " + "[" * 190 + "fetch()" + "]" * 190 + "\n",
    "elif_chain": "def f(x):\n    if x == 0:\n        pass\n" + "".join(
        f"    elif x == {i}:\n        pass\n" for i in range(1, 1000)),
    "comparison_chain": "x = " + " < ".join(["a"] * 1000) + "\n",
    "comprehension_ifs": "async def main():\n    [fetch() for x in y" + " if x" * 1000 + "]\n",
}


@pytest.mark.parametrize("name", sorted(DEEP_BUT_PARSABLE))
def test_deep_but_parsable_expressions_are_linted(project, name):
    header = "async def fetch():\n    return 1\n\n\n"
    source = header + DEEP_BUT_PARSABLE[name] + "\n\nasync def last():\n    fetch()\n"
    compile(source, name, "exec")  # it parses
    write(project, f"{name}.py", source)
    result = run("check", f"{name}.py", cwd=project)
    no_crash(result)
    assert result.returncode in (0, 1), result.stderr
    assert without_summary(result.stderr) == ""
    last_line = source.count("\n")
    assert last_line in [line for _, line, _, _ in findings(result.stdout)], "the rest of the file was linted"


def test_bom_file(project):
    write(project, "bom.py", b"\xef\xbb\xbf" + ONE_FINDING.encode())
    result = run("check", "bom.py", cwd=project)
    no_crash(result)
    assert findings(result.stdout) == [("bom.py", 6, 5, "ASP101")]
    assert result.returncode == 1


def test_latin1_coding_cookie(project):
    source = "# -*- coding: latin-1 -*-\ns = 'caf\xe9'\n" + ONE_FINDING
    write(project, "latin.py", source.encode("latin-1"))
    result = run("check", "latin.py", cwd=project)
    no_crash(result)
    assert findings(result.stdout) == [("latin.py", 8, 5, "ASP101")]


def test_crlf_line_endings(project):
    write(project, "crlf.py", ONE_FINDING.replace("\n", "\r\n").encode())
    result = run("check", "crlf.py", cwd=project)
    assert findings(result.stdout) == [("crlf.py", 6, 5, "ASP101")]


def test_empty_and_null_byte_files(project):
    write(project, "empty.py", "")
    write(project, "nul.py", b"x = 1\x00\n")
    write(project, "good.py", ONE_FINDING)
    result = run("check", "empty.py", "nul.py", "good.py", cwd=project)
    assert_reported_and_continued(result, "nul.py", position=False)


# -- folder recursion -----------------------------------------------------------------


@pytest.mark.parametrize("skipped", [".venv", ".git", "build", "__pycache__", "node_modules", "venv", ".tox",
                                     "dist", "foo.egg-info"])
def test_folder_recursion_skips_tool_folders(project, skipped):
    write(project, "src/mod.py", ONE_FINDING)
    write(project, f"{skipped}/lib.py", ONE_FINDING)
    write(project, f"src/{skipped}/inner.py", ONE_FINDING)
    result = run("check", ".", cwd=project)
    assert [Path(p).name for p, *_ in findings(result.stdout)] == ["mod.py"]


def test_folder_recursion_finds_only_python_files(project):
    write(project, "a/b/c/deep.py", ONE_FINDING)
    write(project, "a/notes.txt", ONE_FINDING)
    write(project, "a/script.pyi.bak", ONE_FINDING)
    result = run("check", "a", cwd=project)
    assert [Path(p).as_posix() for p, *_ in findings(result.stdout)] == ["a/b/c/deep.py"]


def test_explicit_file_inside_skipped_folder_is_checked(project):
    write(project, "build/gen.py", ONE_FINDING)
    result = run("check", "build/gen.py", cwd=project)
    assert findings(result.stdout) == [("build/gen.py", 6, 5, "ASP101")]


def test_explicit_file_without_py_suffix_is_checked(project):
    write(project, "script", ONE_FINDING)
    result = run("check", "script", cwd=project)
    assert findings(result.stdout) == [("script", 6, 5, "ASP101")]


# -- rules / rule ------------------------------------------------------------------------


def test_rules_lists_the_catalogue(project):
    result = run("rules", cwd=project)
    assert result.returncode == 0
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    for code in DEFAULT_CODES:
        assert code in rows
        assert re.search(r"\bon\b", rows[code]), rows[code]
    assert rows["ASP101"].split()[1] == "coroutine-not-awaited"


def test_rules_json(project):
    result = run("rules", "--format", "json", cwd=project)
    assert result.returncode == 0
    rows = {r["code"]: r for r in json.loads(result.stdout)}
    for code in DEFAULT_CODES:
        assert rows[code]["default"] == "on"
        assert rows[code]["name"] and rows[code]["summary"]
    for code in set(rows) & set(opt_in_codes()):
        assert rows[code]["default"] == "opt-in"


@pytest.mark.parametrize("code", [*DEFAULT_CODES, "asp101"])
def test_rule_page(project, code):
    result = run("rule", code, cwd=project)
    assert result.returncode == 0
    assert code.upper() in result.stdout
    assert len(result.stdout.strip()) > len(code)


@pytest.mark.parametrize("code", ["ASP999", "E501", "nonsense"])
def test_unknown_rule_page(project, code):
    result = run("rule", code, cwd=project)
    assert result.returncode == 2
    assert code in result.stderr
    assert result.stdout == ""


def test_version(project):
    result = run("--version", cwd=project)
    assert result.returncode == 0
    assert re.search(r"\d+\.\d+", result.stdout)


# -- parallel runs ------------------------------------------------------------------------


def test_jobs_2_gives_the_same_output_as_jobs_1(project):
    for index in range(8):
        write(project, f"pkg/m{index}.py", MIXED if index % 2 else ONE_FINDING)
    write(project, "pkg/clean.py", CLEAN)
    write(project, "pkg/zz_broken.py", "def f(:\n")
    serial = run("check", "--jobs", "1", "pkg", cwd=project)
    parallel = run("check", "--jobs", "2", "pkg", cwd=project)
    assert serial.returncode == parallel.returncode == 2
    assert serial.stdout == parallel.stdout
    assert serial.stderr == parallel.stderr
    assert len(findings(serial.stdout)) == 4 * 4 + 4
    serial_json = run("check", "-j", "1", "--format", "json", "pkg", cwd=project)
    parallel_json = run("check", "-j", "2", "--format", "json", "pkg", cwd=project)
    assert json.loads(serial_json.stdout) == json.loads(parallel_json.stdout)


def test_main_gives_the_caller_its_gc_thresholds_back(tmp_path, capsys):
    import gc

    from flake8_async_patterns import cli

    (tmp_path / "m.py").write_text("async def f():\n    pass\n", encoding="utf-8")
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        assert cli.main(["check", "--no-cache", "--jobs", "1", str(tmp_path / "m.py")]) == 0
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)
