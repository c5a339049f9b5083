"""Compare ASP601 with flake8-async's and ruff's own fixtures for the codes it overlaps.

    .venv/bin/python bench/peers.py PATH [PATH ...] [--quiet]

PATH is a fixture file of either project (in a checkout), or a git directory of a mirror of
python-trio/flake8-async or astral-sh/ruff (a bare repository is fine: its files are read with
`git show HEAD:<path>`), in which case every fixture of the overlapping codes is compared.

A peer's positives are, for flake8-async, its `# ASYNCnnn: col, ...` markers (0-based columns,
several on one line when one line holds several calls), and for ruff, the diagnostics of
its snapshot (`--> FILE:line:col`, 1-based columns).  Each is matched to an ASP601 finding
at the same line and column (the column of the call), or failing that on the same line.

Printed per fixture: every peer positive we miss, every finding of ours the peer does not
report (with the peer's own comment on that line, often `# Ok`), and `N of M flagged`; at the
end the totals.  Exit status 0 (the comparison is a report, not a test).
"""
from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flake8_async_patterns.engine import check_tree  # noqa: E402
from flake8_async_patterns.settings import Settings  # noqa: E402

CODES = ("210", "211", "212", "220", "221", "222", "250", "251")
FLAKE8_ASYNC_FIXTURES = tuple(f"tests/eval_files/{name}.py" for name in (
    "async210", "async211", "async212", "async22x", "async22x_asyncio", "async250", "async251",
    "async251_multi_library"))
RUFF_DIR = "crates/ruff_linter/resources/test/fixtures/flake8_async"
RUFF_SNAPSHOTS = "crates/ruff_linter/src/rules/flake8_async/snapshots"
RUFF_FIXTURES = {  # fixture -> the codes whose snapshots of it hold the positives
    "ASYNC210.py": ("ASYNC210",), "ASYNC212.py": ("ASYNC212",),
    "ASYNC22x.py": ("ASYNC220", "ASYNC221", "ASYNC222"), "ASYNC250.py": ("ASYNC250",),
    "ASYNC251.py": ("ASYNC251",),
}
MARKER = re.compile(r"#\s*(ASYNC(?:%s))(?:_asyncio)?:\s*(\d+)" % "|".join(CODES))
SNAPSHOT_HIT = re.compile(r"-->\s*(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+)")


@dataclass
class Fixture:
    name: str
    text: str
    positives: list[tuple[int, int, str]] = field(default_factory=list)  # (line, 0-based col, code)


# -- reading the peers' fixtures ------------------------------------------------------------


def flake8_async_fixture(name: str, text: str) -> Fixture:
    fixture = Fixture(name, text)
    for number, line in enumerate(text.splitlines(), 1):
        for match in MARKER.finditer(line):
            fixture.positives.append((number, int(match.group(2)), match.group(1)))
    return fixture


def ruff_fixture(name: str, text: str, snapshots: dict[str, str]) -> Fixture:
    fixture = Fixture(name, text)
    base = name.rsplit("/", 1)[-1]
    for code, snapshot in snapshots.items():
        for match in SNAPSHOT_HIT.finditer(snapshot):
            if match.group("file").rsplit("/", 1)[-1] == base:
                fixture.positives.append((int(match.group("line")), int(match.group("col")) - 1, code))
    return fixture


def _snapshot_name(code: str, fixture: str) -> str:
    return f"ruff_linter__rules__flake8_async__tests__{code}_{fixture}.snap"


def from_mirror(git_dir: Path) -> list[Fixture]:
    def show(path: str) -> str | None:
        done = subprocess.run(["git", "-C", str(git_dir), "show", f"HEAD:{path}"],
                              capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else None

    fixtures = []
    if show(FLAKE8_ASYNC_FIXTURES[0]) is not None:
        for path in FLAKE8_ASYNC_FIXTURES:
            text = show(path)
            if text is not None:
                fixtures.append(flake8_async_fixture(path, text))
    if show(f"{RUFF_DIR}/ASYNC210.py") is not None:
        for base, codes in RUFF_FIXTURES.items():
            text = show(f"{RUFF_DIR}/{base}")
            if text is None:
                continue
            snapshots = {code: show(f"{RUFF_SNAPSHOTS}/{_snapshot_name(code, base)}") or "" for code in codes}
            fixtures.append(ruff_fixture(f"{RUFF_DIR}/{base}", text, snapshots))
    if not fixtures:
        raise SystemExit(f"{git_dir}: neither a flake8-async nor a ruff repository")
    return fixtures


def from_file(path: Path) -> Fixture:
    text = path.read_text(encoding="utf-8")
    if path.parent.name == "flake8_async" and path.name in RUFF_FIXTURES:
        root = path.parents[5]  # crates/ruff_linter/resources/test/fixtures/flake8_async
        snapshots = {}
        for code in RUFF_FIXTURES[path.name]:
            snapshot = root / RUFF_SNAPSHOTS / _snapshot_name(code, path.name)
            snapshots[code] = snapshot.read_text(encoding="utf-8") if snapshot.exists() else ""
        return ruff_fixture(str(path), text, snapshots)
    return flake8_async_fixture(str(path), text)


# -- comparing --------------------------------------------------------------------------------


def our_findings(text: str, name: str) -> list[tuple[int, int, str]]:
    tree = ast.parse(text)
    return [(f.line, f.col, f.message) for f in check_tree(tree, Settings(), "<peer fixture>",
                                                           frozenset({"ASP601"}), text)]


def compare(fixture: Fixture, quiet: bool = False) -> tuple[int, int, int]:
    ours = our_findings(fixture.text, fixture.name)
    unmatched = list(ours)
    missed = []
    for line, col, code in fixture.positives:
        hit = next((f for f in unmatched if f[:2] == (line, col)), None) \
            or next((f for f in unmatched if f[0] == line), None)
        if hit is None:
            missed.append((line, col, code))
        else:
            unmatched.remove(hit)
    lines = fixture.text.splitlines()
    flagged = len(fixture.positives) - len(missed)
    print(f"{fixture.name}: {flagged} of {len(fixture.positives)} of their positives flagged, "
          f"{len(unmatched)} of ours they do not report")
    if not quiet:
        for line, col, code in missed:
            print(f"  missed {code} {line}:{col}  {lines[line - 1].strip()}")
        for line, col, message in unmatched:
            print(f"  extra  {line}:{col}  {lines[line - 1].strip()}    [{message.split(';')[0]}]")
    return flagged, len(fixture.positives), len(unmatched)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="fixture files or mirror git directories")
    parser.add_argument("--quiet", action="store_true", help="only the counts")
    args = parser.parse_args(argv)
    fixtures: list[Fixture] = []
    for path in args.paths:
        fixtures += from_mirror(path) if path.is_dir() else [from_file(path)]
    totals = [0, 0, 0]
    for fixture in fixtures:
        for index, value in enumerate(compare(fixture, args.quiet)):
            totals[index] += value
    print(f"total: {totals[0]} of {totals[1]} of their positives flagged, {totals[2]} of ours they do not report")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
