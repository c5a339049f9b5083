"""`check --output-format ...` and the flags around it, through the command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
BUGGY = ("import asyncio\n\n\nasync def fetch():\n    return 1\n\n\n"
         "async def main(items):\n    fetch()\n    label = 'caf\u00e9'; fetch()\n    asyncio.create_task(fetch())\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(BUGGY, encoding="utf-8")
    (tmp_path / "clean.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "broken.py").write_text("def (:\n", encoding="utf-8")
    return tmp_path


def check(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "flake8_async_patterns", "check", *args], cwd=cwd,
                          capture_output=True, text=True, env={**environment, **env}, timeout=120)


def test_sarif_validates_against_the_official_schema(project):
    done = check(project, "--output-format", "sarif", "app.py", "broken.py")
    assert done.returncode == 2  # a file could not be processed
    log = json.loads(done.stdout)
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))
    run = log["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["ASP101", "ASP101", "ASP103"]
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    assert all(rule["helpUri"].startswith("file://") for rule in rules)  # run from a checkout
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (9, 5)
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and "E999" in notes[0]["message"]["text"]


def test_github_workflow_commands(project):
    done = check(project, "--output-format", "github", "app.py")
    lines = done.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("::error file=app.py,line=9,col=5,endLine=9,endColumn=12,"
                               "title=ASP101 coroutine-not-awaited::ASP101 coroutine 'fetch'")


def test_gitlab_code_quality_with_stable_fingerprints(project):
    first = json.loads(check(project, "--output-format", "gitlab", "app.py").stdout)
    assert [issue["check_name"] for issue in first] == ["ASP101", "ASP101", "ASP103"]
    assert first[0]["location"] == {"path": "app.py", "lines": {"begin": 9, "end": 9}}
    assert len({issue["fingerprint"] for issue in first}) == 3
    (project / "app.py").write_text("# a comment moves every line\n" + BUGGY, encoding="utf-8")
    second = json.loads(check(project, "--output-format", "gitlab", "app.py").stdout)
    assert [i["fingerprint"] for i in second] == [i["fingerprint"] for i in first]


def test_json_lines_one_object_per_finding(project):
    done = check(project, "--output-format", "json-lines", "app.py")
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["line"], r["code"]) for r in rows] == [(9, "ASP101"), (10, "ASP101"), (11, "ASP103")]


def test_full_shows_the_line_and_underlines_the_span_in_characters(project):
    done = check(project, "--output-format", "full", "app.py")
    lines = done.stdout.splitlines()
    at = lines.index("10 |     label = 'caf\u00e9'; fetch()")
    assert lines[at + 1] == "   | " + " " * len("    label = 'caf\u00e9'; ") + "^" * len("fetch()")


def test_format_is_an_alias_and_json_is_unchanged(project):
    assert json.loads(check(project, "--format", "json", "app.py").stdout)[0]["code"] == "ASP101"


def test_summary_statistics_output_file_exit_zero_and_quiet(project):
    done = check(project, "--statistics", "app.py", "clean.py")
    assert done.returncode == 1
    assert "    2  ASP101  coroutine-not-awaited" in done.stdout
    assert done.stderr.strip().endswith("3 findings in 1 file, 3 fixable with `async-patterns fix`")
    out = project / "report.sarif"
    written = check(project, "--output-format", "sarif", "--output-file", str(out), "--exit-zero", "app.py")
    assert (written.returncode, written.stdout) == (0, "")
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
    quiet = check(project, "--quiet", "app.py")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (1, "", "")
    assert check(project, "clean.py").stderr == ""  # a clean run is silent, as flake8's
    assert check(project, "app.py", "clean.py", "broken.py").stderr.strip().endswith(
        "3 findings in 1 file, 3 fixable with `async-patterns fix`; 1 file could not be checked")


def test_colour_only_when_asked_and_never_with_no_color(project):
    assert "\033[" not in check(project, "app.py").stdout  # not a terminal
    assert "\033[31m" in check(project, "app.py", FORCE_COLOR="1").stdout
    assert "\033[" not in check(project, "app.py", FORCE_COLOR="1", NO_COLOR="1").stdout
