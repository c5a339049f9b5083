"""The findings ledger: a verdict, written by reading the code, for each finding on the bench corpus.

A ledger is a tab-separated file: `#` comment lines, a header, then one row per finding:

    project  path  line  code  verdict  reason  source

`project` is a corpus label (`redis-8.1.0`, `cpython-3.11.7:Lib/asyncio`), `path` is relative
to the project's folder, `verdict` is one of VERDICTS, `source` is the stripped text of the
flagged line when the verdict was written (empty in rows written before it existed).

Matching a finding to a row: first on (project, path, line, code); what is left of both sides
is then matched on (project, path, code, source text), nearest line first, so a row survives
a shift of its line as long as the flagged line reads the same. Rows and findings pair one to
one, so two findings on one line need two rows.

`bench/ledger.tsv` covers every finding of the default rules; `bench/ledger-opt-in.tsv` holds a
sample of the opt-in rules' findings (`# coverage: sample`): a finding it does not list is
"not sampled", not new.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

VERDICTS = ("bug", "true-low", "fp", "?")
COLUMNS = ("project", "path", "line", "code", "verdict", "reason", "source")
UNKNOWN = "?"  # a row written by --write, waiting for its verdict


@dataclass
class Row:
    project: str
    path: str
    line: int
    code: str
    verdict: str
    reason: str
    source: str = ""
    number: int = 0  # its line in the ledger file, for messages


@dataclass
class Finding:
    project: str
    path: str
    line: int
    code: str
    message: str = ""
    source: str = ""


@dataclass
class Ledger:
    comments: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    sample: bool = False  # True: rows are a sample; unlisted findings are not "new"


class LedgerError(ValueError):
    pass


# -- the file ----------------------------------------------------------------------------------

def parse(text: str, name: str = "ledger") -> Ledger:
    """Read a ledger; every row must have a known verdict and a reason."""
    ledger = Ledger()
    header_seen = False
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        if raw.startswith("#"):
            ledger.comments.append(raw)
            if raw.lstrip("# ").lower().startswith("coverage:"):
                ledger.sample = raw.split(":", 1)[1].strip().lower() == "sample"
            continue
        cells = raw.split("\t")
        if not header_seen:
            if tuple(cells[:6]) != COLUMNS[:6]:
                raise LedgerError(f"{name}:{number}: expected the header {' '.join(COLUMNS)}, got {raw!r}")
            header_seen = True
            continue
        if len(cells) not in (6, 7):
            raise LedgerError(f"{name}:{number}: expected 6 or 7 tab-separated cells, got {len(cells)}")
        project, path, line, code, verdict, reason, *rest = cells
        if verdict not in VERDICTS:
            raise LedgerError(f"{name}:{number}: unknown verdict {verdict!r} (one of {', '.join(VERDICTS)})")
        if not reason.strip() and verdict != UNKNOWN:
            raise LedgerError(f"{name}:{number}: a verdict needs a reason")
        if not line.isdigit():
            raise LedgerError(f"{name}:{number}: line {line!r} is not a number")
        ledger.rows.append(Row(project, path, int(line), code, verdict, reason.strip(),
                               rest[0].strip() if rest else "", number))
    if not header_seen:
        raise LedgerError(f"{name}: no header line")
    return ledger


def format_row(row: Row) -> str:
    cells = [row.project, row.path, str(row.line), row.code, row.verdict, row.reason, row.source]
    return "\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in cells)


def render(ledger: Ledger) -> str:
    lines = [*ledger.comments, "\t".join(COLUMNS), *(format_row(row) for row in ledger.rows)]
    return "\n".join(lines) + "\n"


# -- findings ----------------------------------------------------------------------------------

def locate(path: str, roots: list[tuple[str, Path]]) -> tuple[str, str] | None:
    """(project label, path inside it) of a finding's path, given (label, folder) of each project."""
    resolved = os.path.realpath(path)
    best = None
    for label, folder in roots:
        root = os.path.realpath(folder) + os.sep
        if resolved.startswith(root) and (best is None or len(root) > len(best[2])):
            best = (label, resolved[len(root):], root)
    return (best[0], best[1].replace(os.sep, "/")) if best else None


def source_line(path: Path, line: int) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def findings_of(raw: list[dict], roots: list[tuple[str, Path]], base: Path = Path(".")) -> list[Finding]:
    """The JSON findings of `async-patterns check`, placed in their projects, with their source line.
    Relative paths are relative to `base` (the folder the check ran in)."""
    findings = []
    for item in raw:
        full = base / item["path"]
        place = locate(str(full), roots)
        project, path = place if place else ("(other)", item["path"])
        findings.append(Finding(project, path, int(item["line"]), item["code"], item.get("message", ""),
                                source_line(full, int(item["line"]))))
    return findings


# -- matching ----------------------------------------------------------------------------------

@dataclass
class Match:
    matched: list[tuple[Finding, Row]]
    new: list[Finding]  # no row
    gone: list[Row]  # rows whose finding is no longer reported
    moved: list[tuple[Finding, Row]]  # matched on the source text at another line


def match(findings: list[Finding], rows: list[Row]) -> Match:
    by_key: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        by_key[(row.project, row.path, row.line, row.code)].append(row)
    matched, left = [], []
    for finding in findings:
        candidates = by_key.get((finding.project, finding.path, finding.line, finding.code))
        if candidates:
            matched.append((finding, candidates.pop(0)))
        else:
            left.append(finding)
    unmatched_rows = [row for candidates in by_key.values() for row in candidates]
    by_text: dict[tuple, list[Row]] = defaultdict(list)
    for row in unmatched_rows:
        if row.source:
            by_text[(row.project, row.path, row.code, row.source)].append(row)
    moved = []
    taken: set[int] = set()
    pairs = []
    for index, finding in enumerate(left):
        for row in by_text.get((finding.project, finding.path, finding.code, finding.source), ()):
            if finding.source:
                pairs.append((abs(row.line - finding.line), index, id(row), finding, row))
    used_rows: set[int] = set()
    for _, index, row_id, finding, row in sorted(pairs, key=lambda p: (p[0], p[1], p[3].line)):
        if index in taken or row_id in used_rows:
            continue
        taken.add(index)
        used_rows.add(row_id)
        moved.append((finding, row))
    new = [finding for index, finding in enumerate(left) if index not in taken]
    gone = [row for row in unmatched_rows if id(row) not in used_rows]
    return Match(matched + moved, new, gone, moved)


# -- totals ------------------------------------------------------------------------------------

@dataclass
class Totals:
    findings: int = 0
    bug: int = 0
    true_low: int = 0
    fp: int = 0
    unknown: int = 0  # findings without a verdict (new, or a '?' row)

    @property
    def judged(self) -> int:
        return self.bug + self.true_low + self.fp

    @property
    def precision(self) -> float | None:
        return (self.bug + self.true_low) / self.judged if self.judged else None

    @property
    def value(self) -> float | None:
        return self.bug / self.judged if self.judged else None


def totals(result: Match, count_new: bool = True) -> dict[str, Totals]:
    """Per code, over the findings reported now. Precision and value are over the judged ones."""
    per: dict[str, Totals] = defaultdict(Totals)
    for finding, row in result.matched:
        one = per[finding.code]
        one.findings += 1
        if row.verdict == "bug":
            one.bug += 1
        elif row.verdict == "true-low":
            one.true_low += 1
        elif row.verdict == "fp":
            one.fp += 1
        else:
            one.unknown += 1
    if count_new:
        for finding in result.new:
            per[finding.code].findings += 1
            per[finding.code].unknown += 1
    return dict(sorted(per.items()))


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def table(per: dict[str, Totals]) -> list[list[str]]:
    header = ["code", "findings", "bug", "true-low", "fp", "no verdict", "precision", "value"]
    rows = [header]
    overall = Totals()
    for code, one in per.items():
        rows.append([code, str(one.findings), str(one.bug), str(one.true_low), str(one.fp), str(one.unknown),
                     _percent(one.precision), _percent(one.value)])
        for name in ("findings", "bug", "true_low", "fp", "unknown"):
            setattr(overall, name, getattr(overall, name) + getattr(one, name))
    rows.append(["all", str(overall.findings), str(overall.bug), str(overall.true_low), str(overall.fp),
                 str(overall.unknown), _percent(overall.precision), _percent(overall.value)])
    return rows


def format_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in
                               enumerate(zip(row, widths))) for row in rows)


def format_markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(f"**{c}**" if row[0] == "all" else c for c in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


# -- the report --------------------------------------------------------------------------------

def scope_of(select: list[str] | None, extend: list[str], opt_in: tuple[str, ...]):
    """Whether a code was linted for, as `--select`/`--extend-select` say (prefixes, like flake8)."""
    def linted(code: str) -> bool:
        if select is not None:
            return any(code.startswith(prefix) for prefix in select)
        return code not in opt_in or any(code.startswith(prefix) for prefix in extend)
    return linted


def report(findings: list[Finding], ledger: Ledger, linted, out, markdown: bool = False) -> tuple[Match, int]:
    """Print what is new, what is gone and the totals; return the match and the count of findings
    that need a verdict. `linted(code)`: whether the findings were linted for that code, so rows of
    other codes are not taken for gone."""
    rows = [row for row in ledger.rows if linted(row.code)]
    result = match(findings, rows)
    kind = "sampled" if ledger.sample else "listed"
    for finding, row in result.moved:
        print(f"  moved: {row.project}/{row.path}:{row.line} -> {finding.line} {row.code} "
              f"(same source line; ledger line {row.number})", file=out)
    if ledger.sample:
        print(f"{len(result.new)} finding(s) not in the sample", file=out)
        needing = sum(1 for _, row in result.matched if row.verdict == UNKNOWN)
    else:
        print(f"{len(result.new)} new finding(s) (no verdict yet):", file=out)
        for finding in result.new:
            print(f"  {finding.project}/{finding.path}:{finding.line} {finding.code} {finding.message}", file=out)
            print(f"      | {finding.source}", file=out)
        needing = len(result.new) + sum(1 for _, row in result.matched if row.verdict == UNKNOWN)
    unknown_rows = [row for _, row in result.matched if row.verdict == UNKNOWN]
    if unknown_rows:
        print(f"{len(unknown_rows)} {kind} row(s) still '?':", file=out)
        for row in unknown_rows:
            print(f"  {row.project}/{row.path}:{row.line} {row.code} (ledger line {row.number})", file=out)
    false = [(finding, row) for finding, row in result.matched if row.verdict == "fp"]
    if false:
        print(f"{len(false)} false positive(s) still reported:", file=out)
        for finding, row in false:
            back = "CAME BACK (the row says fixed)" if row.reason.startswith("fixed:") else "open"
            print(f"  {finding.project}/{finding.path}:{finding.line} {finding.code} {back}: {row.reason}", file=out)
    gone = [row for row in result.gone if not row.reason.startswith("fixed:")]
    fixed = len(result.gone) - len(gone)
    print(f"{len(gone)} {kind} row(s) whose finding disappeared"
          f"{f' (plus {fixed} fp rows marked fixed)' if fixed else ''}:", file=out)
    for row in gone:
        note = {"fp": "good news: the false positive is gone; mark it 'fixed:' and keep the row",
                "bug": "REGRESSION? a real bug is no longer reported",
                "true-low": "no longer reported (true, harmless)"}.get(row.verdict, "")
        print(f"  {row.project}/{row.path}:{row.line} {row.code} {row.verdict}: {note}", file=out)
    print(file=out)
    rows = table(totals(result, count_new=not ledger.sample))
    print(format_markdown(rows) if markdown else format_table(rows), file=out)
    return result, needing


def drop_gone_true_lows(ledger: Ledger, gone: list[Row]) -> list[Row]:
    """Remove the true-low rows whose finding disappeared (a bug or fp row stays for a person to judge)."""
    dropped = [row for row in gone if row.verdict == "true-low"]
    ids = {id(row) for row in dropped}
    ledger.rows = [row for row in ledger.rows if id(row) not in ids]
    return dropped


def append_new(ledger: Ledger, new: list[Finding]) -> None:
    for finding in new:
        ledger.rows.append(Row(finding.project, finding.path, finding.line, finding.code, UNKNOWN, "",
                               finding.source))


def fill_sources(ledger: Ledger, roots: dict[str, Path]) -> int:
    """Write the source text into rows that lack it (the corpus is the pinned release they were judged on)."""
    filled = 0
    for row in ledger.rows:
        if not row.source and row.project in roots:
            text = source_line(roots[row.project] / row.path, row.line)
            if text:
                row.source = text
                filled += 1
    return filled
