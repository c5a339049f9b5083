"""`async-patterns fix` on real files, run as a user runs it: a subprocess in a scratch folder.

Contract: DESIGN.md "Never lose the user's code" (verify, then write atomically keeping mode,
encoding, BOM and line endings; anything else leaves the file untouched and says why) and
"Promises to users" (exit 0 nothing left, 1 changed or findings remain, 2 a file it could not
process; the run goes on with the other files).  ASP101's `await` insertion is the fix used:
it is safe and its output is easy to spell.
"""
from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_async_patterns.fixing import fix_source, fixable_rules
from flake8_async_patterns.registry import FixSafety
from flake8_async_patterns.settings import build

TESTS = Path(__file__).parent

BUGGY = """\
async def fetch():
    return 1


async def main():
    fetch()
"""
FIXED = BUGGY.replace("    fetch()", "    await fetch()")
ASP104 = """\
import threading


async def fetch():
    return 1


def start():
    threading.Thread(target=fetch)
"""


def fix(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8_async_patterns", "fix", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


# -- bytes on disk --------------------------------------------------------------------------


def test_crlf_stays_crlf(tmp_path):
    path = tmp_path / "crlf.py"
    path.write_bytes(BUGGY.replace("\n", "\r\n").encode())
    done = fix(tmp_path, "crlf.py")
    assert done.returncode == 1, done.stderr
    assert path.read_bytes() == FIXED.replace("\n", "\r\n").encode()


def test_lone_cr_file_is_left_untouched_and_reported(tmp_path):
    # libcst drops the last lone \r of such a file: the fixer must refuse rather than lose it
    path = tmp_path / "cr.py"
    before = BUGGY.replace("\n", "\r").encode()
    path.write_bytes(before)
    done = fix(tmp_path, "cr.py")
    assert path.read_bytes() == before
    assert done.returncode == 1
    assert "cr.py:6:5: ASP101" in done.stdout and "not fixed" in done.stdout


def test_utf8_bom_stays(tmp_path):
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbf" + BUGGY.encode())
    assert fix(tmp_path, "bom.py").returncode == 1
    assert path.read_bytes() == b"\xef\xbb\xbf" + FIXED.encode()


def test_latin1_coding_cookie_keeps_its_encoding(tmp_path):
    text = ("# -*- coding: latin-1 -*-\n" + BUGGY.replace("async def fetch():", "async def fetch(x):")
            .replace("    fetch()", '    name = "café"; fetch(name)  # déjà vu'))
    path = tmp_path / "latin.py"
    path.write_bytes(text.encode("latin-1"))
    done = fix(tmp_path, "latin.py")
    assert done.returncode == 1, done.stderr
    expected = text.replace("; fetch(name)", "; await fetch(name)").encode("latin-1")
    assert path.read_bytes() == expected
    assert b"caf\xe9" in path.read_bytes()  # one latin-1 byte, not UTF-8's two


@pytest.mark.parametrize("line, fixed", [
    ('    s = "ééé"; fetch(s)', '    s = "ééé"; await fetch(s)'),
    ("    café = 1; fétch(café)", "    café = 1; await fétch(café)"),
    ('    s = "日本語"; fetch(s); fetch(s)', '    s = "日本語"; await fetch(s); await fetch(s)'),
    ('    s = "\U0001f600"; fetch(s)', '    s = "\U0001f600"; await fetch(s)'),
], ids=["string", "identifier", "two-on-a-line", "astral"])
def test_non_ascii_before_the_finding_on_its_line(tmp_path, line, fixed):
    """ast counts columns in UTF-8 bytes, libcst in characters."""
    head = "async def fetch(x):\n    return 1\n\n\nasync def fétch(x):\n    return 1\n\n\nasync def main():\n"
    path = write(tmp_path / "uni.py", head + line + "\n")
    done = fix(tmp_path, "uni.py")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "not fixed" not in done.stdout
    assert path.read_text(encoding="utf-8") == head + fixed + "\n"


def test_form_feed_does_not_shift_the_lines(tmp_path):
    # str.splitlines() ends a line at \x0c; Python's tokenizer does not
    head = "async def fetch(x):\n    return 1\n\x0c\n\nasync def main():\n"
    path = write(tmp_path / "ff.py", head + '    s = "ééé"; fetch(s)\n')
    done = fix(tmp_path, "ff.py")
    assert done.returncode == 1 and "not fixed" not in done.stdout, done.stdout
    assert path.read_text(encoding="utf-8") == head + '    s = "ééé"; await fetch(s)\n'


# -- files that must not be written ----------------------------------------------------------


def test_read_only_file_is_left_untouched_and_reported(tmp_path):
    path = write(tmp_path / "ro.py", BUGGY)
    other = write(tmp_path / "rw.py", BUGGY)
    path.chmod(0o444)
    try:
        done = fix(tmp_path, "ro.py", "rw.py")
        # tests may run as root, for whom os.access says yes: the mode bits are what counts
        assert stat.S_IMODE(path.stat().st_mode) == 0o444
        assert path.read_text() == BUGGY
        assert "ro.py" in done.stderr and "read-only" in done.stderr
        assert done.returncode == 2
        assert other.read_text() == FIXED  # the run went on
    finally:
        path.chmod(0o644)


def test_syntax_error_is_left_untouched_and_reported_and_others_are_fixed(tmp_path):
    broken = "def broken(:\n    fetch()\n"
    bad = write(tmp_path / "a_bad.py", broken)
    good = write(tmp_path / "b_good.py", BUGGY)
    done = fix(tmp_path, ".")
    assert done.returncode == 2
    assert bad.read_text() == broken
    assert re.search(r"a_bad\.py:1:\d+: E999 SyntaxError", done.stderr), done.stderr
    assert good.read_text() == FIXED


def test_symlink_stays_a_symlink_and_its_target_is_fixed(tmp_path):
    (tmp_path / "real").mkdir()
    target = write(tmp_path / "real" / "target.py", BUGGY)
    link = tmp_path / "link.py"
    link.symlink_to(Path("real") / "target.py")
    done = fix(tmp_path, "link.py")
    assert done.returncode == 1, done.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "target.py")
    assert target.read_text() == FIXED
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["target.py"]  # no temporary left


def test_file_mode_is_kept(tmp_path):
    path = write(tmp_path / "script.py", "#!/usr/bin/env python3\n" + BUGGY)
    path.chmod(0o755)
    assert fix(tmp_path, "script.py").returncode == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    assert path.read_text() == "#!/usr/bin/env python3\n" + FIXED
    assert [p.name for p in tmp_path.iterdir()] == ["script.py"]


# -- modes and exit codes -----------------------------------------------------------------------


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path):
    path = write(tmp_path / "a.py", BUGGY)
    done = fix(tmp_path, "--diff", "a.py")
    assert done.returncode == 1
    assert path.read_text() == BUGGY
    assert done.stdout.splitlines()[:2] == ["--- a/a.py", "+++ b/a.py"]
    assert "-    fetch()\n+    await fetch()\n" in done.stdout


def test_diff_marks_a_missing_last_newline(tmp_path):
    write(tmp_path / "a.py", BUGGY.rstrip("\n"))
    write(tmp_path / "b.py", BUGGY)
    done = fix(tmp_path, "--diff", "a.py", "b.py")
    assert done.returncode == 1
    assert ("-    fetch()\n\\ No newline at end of file\n+    await fetch()\n\\ No newline at end of file\n"
            "--- a/b.py\n") in done.stdout


def test_check_writes_nothing_and_exits_1_when_something_would_change(tmp_path):
    path = write(tmp_path / "a.py", BUGGY)
    done = fix(tmp_path, "--check", "a.py")
    assert done.returncode == 1
    assert path.read_text() == BUGGY
    assert "would fix" in done.stderr


def test_check_exits_0_when_nothing_would_change(tmp_path):
    path = write(tmp_path / "a.py", FIXED)
    done = fix(tmp_path, "--check", "a.py")
    assert (done.returncode, done.stdout) == (0, "")
    assert path.read_text() == FIXED


def test_second_run_changes_nothing_and_exits_0(tmp_path):
    path = write(tmp_path / "a.py", BUGGY)
    assert fix(tmp_path, "a.py").returncode == 1
    assert path.read_text() == FIXED
    before = path.stat().st_mtime_ns
    again = fix(tmp_path, "a.py")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert path.stat().st_mtime_ns == before


def test_findings_without_a_fix_give_exit_1_and_are_reported(tmp_path):
    path = write(tmp_path / "slot.py", ASP104)
    done = fix(tmp_path, "slot.py")
    assert done.returncode == 1
    assert path.read_text() == ASP104
    assert re.search(r"slot\.py:9:\d+: ASP104 .*\[not fixed: no fix for this rule\]", done.stdout), done.stdout


# -- unsafe fixes ---------------------------------------------------------------------------------


def _header_settings(text: str):
    """Settings from an eval file's `# options: --async-patterns-NAME=VALUE` header lines."""
    values = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            break
        for word in re.findall(r"--async-patterns-[\w-]+=\S+", line):
            key, _, value = word[2:].partition("=")
            values[key] = value
    return values


def _an_unsafe_case():
    """(rule code, source, options, fix style): a file where a registered fixer's fix is unsafe."""
    for rule in fixable_rules():
        if rule.fix not in (FixSafety.UNSAFE, FixSafety.SAFE_OR_UNSAFE):
            continue
        sources = [TESTS / "cases" / f"{rule.code}.py", *sorted((TESTS / "fixes").glob(f"{rule.code}_*.py"))]
        for source in sources:
            if source.name.endswith(".fixed.py") or not source.exists():
                continue
            text = source.read_text(encoding="utf-8")
            values = _header_settings(text)
            for style in ("sequential", "gather"):
                kwargs = dict(settings=build(values), codes=frozenset({rule.code}),
                              options={"fix_style": style})
                safe = fix_source(text, source.name, unsafe=False, **kwargs)
                unsafe = fix_source(text, source.name, unsafe=True, **kwargs)
                if unsafe.changed and len(unsafe.fixed) > len(safe.fixed) and \
                        any("unsafe" in why for _, why in safe.unfixed):
                    return rule.code, text, values, style
    return None


def test_unsafe_fixes_need_the_flag(tmp_path):
    case = _an_unsafe_case()
    if case is None:
        pytest.skip("no registered fixer makes an unsafe fix on its eval file or fix pairs yet")
    code, text, values, style = case
    config = ["[tool.async-patterns]"] + [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    write(tmp_path / "pyproject.toml", "\n".join(config) + "\n")
    path = write(tmp_path / "case.py", text)
    safe = fix(tmp_path, "--select", code, "--fix-style", style, "case.py")
    assert safe.returncode == 1
    assert "[not fixed: unsafe fix: run with --unsafe-fixes]" in safe.stdout, safe.stdout
    after_safe = path.read_text(encoding="utf-8")
    unsafe = fix(tmp_path, "--select", code, "--fix-style", style, "--unsafe-fixes", "case.py")
    assert unsafe.returncode in (1, 2), unsafe.stderr
    assert "unsafe fix: run with --unsafe-fixes" not in unsafe.stdout
    after_unsafe = path.read_text(encoding="utf-8")
    assert after_unsafe != after_safe
    compile(after_unsafe, "case.py", "exec", dont_inherit=True)


# -- what is fixed --------------------------------------------------------------------------------

TWO_RULES = BUGGY + "\n\nimport threading\n\n\ndef start():\n    threading.Thread(target=fetch)\n"


@pytest.mark.parametrize("args, fixed, left", [
    (["--select", "ASP101"], True, []),
    (["--select", "ASP1"], True, ["ASP104"]),  # reported, with no fix
    (["--select", "ASP104"], False, ["ASP104"]),
    (["--ignore", "ASP101"], False, ["ASP104"]),
    (["--ignore", "ASP1"], False, []),
    ([], True, ["ASP104"]),
])
def test_select_and_ignore_limit_what_is_fixed(tmp_path, args, fixed, left):
    path = write(tmp_path / "a.py", TWO_RULES)
    done = fix(tmp_path, *args, "a.py")
    assert done.returncode == (1 if fixed or left else 0), done.stdout + done.stderr
    assert (path.read_text() != TWO_RULES) == fixed
    if fixed:
        assert "    await fetch()\n" in path.read_text()
    assert re.findall(r"ASP\d{3}", done.stdout) == left


@pytest.mark.parametrize("table, fixed", [
    ('ignore = ["ASP101"]', False),
    ('select = ["ASP104"]', False),
    ('select = ["ASP101"]', True),
    ('exclude = ["skipped.py"]', True),
])
def test_pyproject_configuration_is_read(tmp_path, table, fixed):
    write(tmp_path / "pyproject.toml", f"[tool.async-patterns]\n{table}\n")
    path = write(tmp_path / "a.py", BUGGY)
    skipped = write(tmp_path / "skipped.py", BUGGY)
    fix(tmp_path, ".")
    assert (path.read_text() == FIXED) == fixed
    assert skipped.read_text() == (BUGGY if "exclude" in table or not fixed else FIXED)


def test_pyproject_coroutine_functions_option_is_read(tmp_path):
    source = "import mylib\n\n\nasync def main():\n    mylib.fetch()\n"
    path = write(tmp_path / "a.py", source)
    assert fix(tmp_path, "a.py").returncode == 0
    assert path.read_text() == source
    write(tmp_path / "pyproject.toml", '[tool.async-patterns]\nasync-patterns-coroutine-functions = ["mylib.fetch"]\n')
    assert fix(tmp_path, "a.py").returncode == 1
    assert path.read_text() == source.replace("    mylib", "    await mylib")


def test_jobs_2_gives_the_same_result(tmp_path):
    trees = {}
    for name, jobs in (("one", "1"), ("two", "2")):
        folder = tmp_path / name
        folder.mkdir()
        for index in range(6):
            write(folder / f"m{index}.py", BUGGY if index % 2 else TWO_RULES)
        write(folder / "broken.py", "def broken(:\n")
        done = fix(folder, "--jobs", jobs, ".")
        trees[name] = (done.returncode, sorted(done.stdout.splitlines()), sorted(done.stderr.splitlines()),
                       {p.name: p.read_bytes() for p in sorted(folder.iterdir())})
    assert trees["one"][0] == 2
    assert trees["one"] == trees["two"]
