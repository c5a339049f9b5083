"""Eval files: tests/cases/ASPnnn.py, checked by the real flake8.

Each case file is realistic code that is parsed, never run.  A line that must
be reported carries a trailing marker comment::

    fetch(url)  # error: ASP101
    if ready():  # error: ASP104, ASP101
    x = load() + 1  # error: ASP101:9

and every other line must stay silent.  The comparison is exact, on the set of
(line, code) pairs of every ASP code flake8 reports for the file: a missing
finding and an unexpected one both fail.  A marker may also give the column,
1-based as flake8 prints it (`ASP101:9`), where a fix depends on the exact
position: then a finding of that code must start there.  Each file is also
run with every marker turned into its `# noqa: CODE`, which must silence all.

The file may start with header comments giving extra flake8 options::

    # options: --async-patterns-coroutine-functions=mylib.fetch

The standalone CLI reads the same options from `[tool.async-patterns]`; the
test that compares it with flake8 writes them into a temporary pyproject.toml.
"""
from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest
from flake8.main.application import Application

from flake8_async_patterns.registry import opt_in_codes

CASES_DIR = Path(__file__).parent / "cases"
CASE_FILES = sorted(CASES_DIR.glob("ASP*.py"))
# `# requires-python: 3.11` among the leading comments: syntax of a newer Python (`except*`)
REQUIRES_PYTHON = re.compile(r"#\s*requires-python:\s*(?P<major>\d+)\.(?P<minor>\d+)\s*$")


def required_python(path: Path) -> tuple[int, int]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            break
        found = REQUIRES_PYTHON.match(line)
        if found:
            return int(found["major"]), int(found["minor"])
    return (3, 0)


# the eval files this interpreter can parse (the others are skipped, saying why, by test_case_file)
RUNNABLE_CASE_FILES = [p for p in CASE_FILES if sys.version_info[:2] >= required_python(p)]
# `ASP101.py`, or `ASP101_annotations.py` for one kind of evidence or shape of a rule
RULE_FILE = re.compile(r"(?P<code>ASP\d{3})(_[a-z0-9_]+)?")
MIN_POSITIVES = 12
# Packages the eval files import as if installed: on the path of every flake8 and CLI run here
# (conftest.py puts it on sys.path for the in-process runs).
SITE_DIR = Path(__file__).parent / "site"


def site_env() -> dict[str, str]:
    import os

    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(SITE_DIR) + (os.pathsep + path if path else "")}


# Every rule, opt-in ones included, so that a finding of any rule in any case
# file is seen and must be marked.
SELECT = ["--select", "ASP", "--extend-select", ",".join(opt_in_codes())]
MARKER = re.compile(r"#\s*error:(?P<codes>.*)$")
CODE = re.compile(r"ASP\d{3}")
CODE_AT = re.compile(r"(?P<code>ASP\d{3})(:(?P<col>[1-9]\d*))?")
OPTIONS = re.compile(r"#\s*options:(?P<options>.*)$")
SEP = "\x1f"  # field separator of our flake8 --format; never in a message
FORMAT = SEP.join(["%(row)d", "%(col)d", "%(code)s", "%(text)s"])

Pair = tuple[int, str]  # (line, code)


# -- reading a case file ----------------------------------------------------------


def markers(path: Path) -> set[Pair]:
    """The (line, code) pairs that the `# error: ...` comments of `path` expect."""
    return set(marked_columns(path))


def marker_comments(path: Path):
    """(token, [(code, column or None)]) of each `# error: ...` comment of `path`."""
    with tokenize.open(path) as handle:
        for token in tokenize.generate_tokens(handle.readline):
            if token.type != tokenize.COMMENT:
                continue
            match = MARKER.match(token.string)
            if match is None:
                continue
            parts = [CODE_AT.fullmatch(part.strip()) for part in match.group("codes").split(",")]
            if not parts or not all(parts):
                raise ValueError(f"{path.name}:{token.start[0]}: malformed marker {token.string!r}; "
                                 "write '# error: ASP101', '# error: ASP101, ASP104' or '# error: ASP101:9'")
            yield token, [(part["code"], int(part["col"]) if part["col"] else None) for part in parts]


def marked_columns(path: Path) -> dict[Pair, set[int]]:
    """Each expected (line, code) pair with the columns its markers require (often none)."""
    expected: dict[Pair, set[int]] = {}
    for token, codes in marker_comments(path):
        for code, column in codes:
            expected.setdefault((token.start[0], code), set()).update([column] if column else [])
    return expected


def with_noqa_for_markers(path: Path) -> str:
    """The text of `path` with each `# error: CODES` comment replaced by `# noqa: CODES`."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for token, codes in marker_comments(path):
        number, start = token.start
        line = lines[number - 1]
        noqa = "# noqa: " + ",".join(code for code, _ in codes)
        lines[number - 1] = line[:start] + noqa + line[token.end[1]:]
    return "".join(lines)


def header_options(path: Path) -> list[str]:
    """Extra flake8 arguments from `# options:` lines in the file's leading comments."""
    extra: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        match = OPTIONS.match(stripped)
        if match:
            extra.extend(shlex.split(match.group("options")))
    return extra


def source_line(path: Path, number: int) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""


def describe(path: Path, expected: set[Pair], reported: dict[Pair, str], tool: str = "flake8") -> str:
    """A readable account of where `reported` and `expected` differ."""
    missing = sorted(expected - set(reported))
    unexpected = sorted(set(reported) - expected)
    out = [f"{path.name}: {tool} disagrees with the '# error:' markers"]
    if missing:
        out.append(f"  missing (marked, not reported by {tool}):")
        out.extend(f"    {path.name}:{line}: {code}   | {source_line(path, line)}" for line, code in missing)
    if unexpected:
        out.append(f"  unexpected (reported by {tool}, not marked):")
        for line, code in unexpected:
            out.append(f"    {path.name}:{line}: {code}   | {source_line(path, line)}")
            out.append(f"        {reported[(line, code)]}")
    return "\n".join(out)


# -- running flake8 -----------------------------------------------------------------


def flake8_args(path: Path, options: bool = True) -> list[str]:
    # --isolated: ignore every config file (the project's own .flake8 excludes tests/cases).
    return ["--isolated", *SELECT, *(header_options(path) if options else []), "--no-show-source",
            "--jobs=1", f"--format={FORMAT}"]


class Reported(dict):
    """(line, code) -> the message, and in `.columns` the columns it was reported at."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: dict[Pair, set[int]] = {}


def parse_flake8_output(text: str) -> Reported:
    reported = Reported()
    for line in text.splitlines():
        if not line.strip():
            continue
        row, col, code, message = line.split(SEP, 3)
        if code.startswith("ASP"):
            reported[(int(row), code)] = f"{code} {message}"
            reported.columns.setdefault((int(row), code), set()).add(int(col))
    return reported


def wrong_columns(expected: dict[Pair, set[int]], reported: Reported) -> list[str]:
    return [f"line {line}: {code} expected at column {sorted(columns)}, reported at "
            f"{sorted(reported.columns.get((line, code), ()))}"
            for (line, code), columns in sorted(expected.items())
            if columns and not columns <= reported.columns.get((line, code), set())]


def run_flake8_in_process(path: Path, tmp_path: Path, text: str | None = None) -> Reported:
    """Run the real flake8 application (plugin loading, option parsing, noqa, formatting);
    with `text`, on that text as if it were the file at `path` (flake8's stdin)."""
    output = tmp_path / f"{path.stem}.flake8.txt"
    output.unlink(missing_ok=True)  # flake8 appends to --output-file
    application = Application()
    console = io.StringIO()
    target = [str(path)] if text is None else [f"--stdin-display-name={path}", "-"]
    with contextlib.redirect_stdout(console), given_stdin(text):
        application.run([*flake8_args(path), f"--output-file={output}", *target])
    assert not application.catastrophic_failure, f"flake8 failed on {path.name}:\n{console.getvalue()}"
    return parse_flake8_output(output.read_text(encoding="utf-8") if output.exists() else "")


@contextlib.contextmanager
def given_stdin(text: str | None):
    if text is None:
        yield
        return
    import flake8.utils

    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")
    flake8.utils.stdin_get_value.cache_clear()  # flake8 reads stdin once per process
    try:
        yield
    finally:
        sys.stdin = saved
        flake8.utils.stdin_get_value.cache_clear()


def run_flake8_subprocess(path: Path, options: bool = True) -> dict[Pair, str]:
    completed = subprocess.run(
        [sys.executable, "-m", "flake8", *flake8_args(path, options), str(path)],
        capture_output=True, text=True, timeout=120, cwd=CASES_DIR.parent.parent, env=site_env(),
    )
    assert completed.returncode in (0, 1), (
        f"flake8 exited {completed.returncode} on {path.name}:\n{completed.stderr}{completed.stdout}")
    return parse_flake8_output(completed.stdout)


# -- running the standalone CLI ------------------------------------------------------------


def pyproject_for(path: Path) -> str:
    """`[tool.async-patterns]` holding the same options as the file's `# options:` header."""
    lines = ["[tool.async-patterns]"]
    arguments = header_options(path)
    for argument in arguments:
        key, sep, value = argument.partition("=")
        if not key.startswith("--async-patterns-") or not sep:
            raise ValueError(f"{path.name}: cannot translate option {argument!r} for the CLI; "
                             "write it as --async-patterns-NAME=VALUE")
        name = key[len("--"):]
        if name in ("async-patterns-coroutine-functions", "async-patterns-non-coroutine-decorators"):
            names = [part.strip() for part in value.split(",") if part.strip()]
            lines.append(f"{name} = {json.dumps(names)}")
        else:
            lines.append(f"{name} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def run_cli(path: Path, tmp_path: Path) -> dict[Pair, str]:
    config = tmp_path / path.stem / "pyproject.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(pyproject_for(path), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_async_patterns", "check", "--format", "json",
         *SELECT, "--config", str(config), str(path)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=site_env(),
    )
    assert completed.returncode in (0, 1), (
        f"async-patterns check exited {completed.returncode} on {path.name}:\n{completed.stderr}")
    rows = json.loads(completed.stdout)
    assert completed.returncode == (1 if rows else 0), "exit status disagrees with the findings"
    return {(row["line"], row["code"]): f"{row['code']} {row['message']}" for row in rows}


# -- tests ------------------------------------------------------------------------------------


def test_there_are_case_files():
    assert CASE_FILES, f"no eval files in {CASES_DIR}"


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_case_file(path: Path, tmp_path: Path):
    if path not in RUNNABLE_CASE_FILES:
        pytest.skip(f"{path.name} needs Python {'.'.join(map(str, required_python(path)))}")
    source = path.read_text(encoding="utf-8")
    compile(source, str(path), "exec", dont_inherit=True)  # valid Python, never run
    expected = marked_columns(path)
    reported = run_flake8_in_process(path, tmp_path)
    assert set(reported) == set(expected), describe(path, set(expected), reported)
    assert wrong_columns(expected, reported) == [], path.name


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_case_file_silenced_by_noqa(path: Path, tmp_path: Path):
    """Each finding is silenced by a `# noqa` naming its own code, on the line it is reported at."""
    if path not in RUNNABLE_CASE_FILES:
        pytest.skip(f"{path.name} needs Python {'.'.join(map(str, required_python(path)))}")
    left = run_flake8_in_process(path, tmp_path, text=with_noqa_for_markers(path))
    assert dict(left) == {}, f"{path.name}: not silenced by its noqa comments"


def test_flake8_subprocess_entry_point_and_options(tmp_path: Path):
    """`python -m flake8` finds the plugin through its entry point and takes its options.

    What the rules find is the business of test_case_file; this test only
    checks the door: the subprocess reports what the in-process run reports,
    the plugin is listed, and the `# options:` header changes the result.
    """
    with_options = [p for p in CASE_FILES if header_options(p)]
    assert with_options, "some case file must have an '# options:' header"
    path = with_options[0]

    version = subprocess.run([sys.executable, "-m", "flake8", "--version"],
                             capture_output=True, text=True, timeout=120)
    assert "flake8-async-patterns" in version.stdout, version.stdout

    reported = run_flake8_subprocess(path)
    assert reported, f"flake8 reported nothing on {path.name}: is the ASP plugin loaded?"
    assert set(reported) == set(run_flake8_in_process(path, tmp_path))
    without_header = run_flake8_subprocess(path, options=False)
    # async-patterns-coroutine-functions adds findings, async-patterns-non-coroutine-decorators removes some.
    assert set(reported) - set(without_header), f"the coroutine-functions option in {path.name} had no effect"
    assert set(without_header) - set(reported), f"the non-coroutine-decorators option in {path.name} had no effect"


def test_cli_json_agrees_with_flake8(tmp_path: Path):
    """`async-patterns check --format json` reports the same (line, code) pairs as flake8."""
    problems = []
    for path in RUNNABLE_CASE_FILES:
        from_flake8 = run_flake8_in_process(path, tmp_path)
        from_cli = run_cli(path, tmp_path)
        if set(from_cli) != set(from_flake8):
            only_cli = sorted(set(from_cli) - set(from_flake8))
            only_flake8 = sorted(set(from_flake8) - set(from_cli))
            problems.append(f"{path.name}: only the CLI: {only_cli}; only flake8: {only_flake8}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_rule_has_enough_positives(path: Path):
    """A case file is named after its rule and marks that rule; the files of one rule together
    mark it at least MIN_POSITIVES times.

    (A line may also carry another rule's code when it really triggers both.)"""
    named = RULE_FILE.fullmatch(path.stem)
    assert named, f"case files are named after their rule: {path.name}"
    own = named.group("code")
    assert any(code == own for _line, code in markers(path)), f"{path.name} marks no {own} finding"
    siblings = [p for p in CASE_FILES if RULE_FILE.fullmatch(p.stem).group("code") == own]
    positives = sum(1 for p in siblings for _line, code in markers(p) if code == own)
    assert positives >= MIN_POSITIVES, f"{own}: {positives} positive markers, want >= {MIN_POSITIVES}"


@pytest.mark.parametrize("code", ["ASP101", "ASP102", "ASP103", "ASP104"])
def test_rule_has_a_case_file(code: str):
    assert (CASES_DIR / f"{code}.py").is_file(), f"no eval file tests/cases/{code}.py"


def test_marker_and_header_syntax(tmp_path: Path):
    """The harness's own parsing, so that a typo in a case file cannot silently expect nothing."""
    sample = tmp_path / "ASP999.py"
    sample.write_text(
        "# options: --async-patterns-coroutine-functions=a.b,c.d\n"
        "# options: --async-patterns-max-fanout=3\n"
        "x = 1\n"
        "# options: --not-a-header\n"
        "f()  # error: ASP101\n"
        "g()  # error: ASP101, ASP104\n"
        "s = '# error: ASP102'  # the swallowed error: stays silent\n",
        encoding="utf-8",
    )
    assert markers(sample) == {(5, "ASP101"), (6, "ASP101"), (6, "ASP104")}
    assert header_options(sample) == ["--async-patterns-coroutine-functions=a.b,c.d",
                                      "--async-patterns-max-fanout=3"]
    assert 'async-patterns-coroutine-functions = ["a.b", "c.d"]' in pyproject_for(sample)
    sample.write_text("x = f() + 1  # error: ASP101:5, ASP104\n", encoding="utf-8")
    assert marked_columns(sample) == {(1, "ASP101"): {5}, (1, "ASP104"): set()}
    assert with_noqa_for_markers(sample) == "x = f() + 1  # noqa: ASP101,ASP104\n"
    reported = parse_flake8_output(SEP.join(["1", "9", "ASP101", "m"]))
    assert wrong_columns(marked_columns(sample), reported) == [
        "line 1: ASP101 expected at column [5], reported at [9]"]
    sample.write_text("f()  # error: ASP10\n", encoding="utf-8")
    with pytest.raises(ValueError, match="malformed marker"):
        markers(sample)


EXAMPLES = sorted((CASES_DIR.parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_agree_between_flake8_and_cli(path: Path, tmp_path: Path):
    """The demo program: both doors report the same findings, messages included."""
    from_flake8 = run_flake8_in_process(path, tmp_path)
    assert from_flake8
    assert run_cli(path, tmp_path) == from_flake8


def test_examples_show_every_lost_work_rule(tmp_path: Path):
    """`make demo` promises findings of ASP101-ASP104 in examples/."""
    codes = {code for path in EXAMPLES for _, code in run_flake8_in_process(path, tmp_path)}
    assert {"ASP101", "ASP102", "ASP103", "ASP104"} <= codes
    assert {code[:4] for code in codes} == {"ASP1", "ASP2", "ASP3", "ASP4", "ASP5", "ASP6"}  # a finding of each family
