"""How `check` prints its findings: one function per `--output-format`."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Iterator, Sequence

from . import __version__
from .registry import RULES, Finding

FORMATS = ("text", "full", "json", "json-lines", "sarif", "github", "gitlab")
DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def rule_name(code: str) -> str:
    return RULES[code].name if code in RULES else "internal-error"


def rule_url(code: str) -> str | None:
    """The rule's page: the docs/rules page of the checkout the tool runs from (the project has
    no published site), or None when the tool was installed without it."""
    page = DOCS / f"{code}.md"
    return page.as_uri() if page.is_file() else None


def _column(finding: Finding) -> int:
    return finding.col + 1


def _end(finding: Finding) -> tuple[int, int]:
    if finding.end_line is None or finding.end_col is None:
        return finding.line, _column(finding)
    return finding.end_line, finding.end_col + 1


def text(results, verbose: bool = False, colour: bool = False) -> Iterator[str]:
    bold, red, reset = ("\033[1m", "\033[31m", "\033[0m") if colour else ("", "", "")
    for result in results:
        for f in result.findings:
            why = f" [resolved from {f.fix['evidence']}: {f.fix.get('callee')}]" \
                if verbose and f.fix.get("evidence") else ""
            yield f"{bold}{result.path}{reset}:{f.line}:{_column(f)}: {red}{bold}{f.code}{reset} {f.message}{why}"


def full(results, sources: dict[str, list[str]], colour: bool = False) -> Iterator[str]:
    """Each finding, then its source line with the flagged span underlined, as ruff's `full`."""
    red, reset = ("\033[31m", "\033[0m") if colour else ("", "")
    for result in results:
        lines = sources.get(result.path, [])
        for f in result.findings:
            yield from text([type(result)(result.path, [f])], colour=colour)
            if 0 < f.line <= len(lines):
                line = lines[f.line - 1].rstrip("\r\n").expandtabs(1)
                end_line, end_col = _end(f)
                start = _characters(line, f.col)  # ast columns count UTF-8 bytes
                stop = _characters(line, end_col - 1) if end_line == f.line else len(line)
                gutter = str(f.line)
                yield f"{' ' * len(gutter)} |"
                yield f"{gutter} | {line}"
                yield f"{' ' * len(gutter)} | {' ' * start}{red}{'^' * max(1, stop - start)}{reset}"
            yield ""


def _characters(line: str, byte_offset: int) -> int:
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", "ignore"))


_ERROR_PLACE = re.compile(r":(\d+):(\d+): (.*)\Z", re.DOTALL)


def file_error(path: str, error: str) -> tuple[int | None, int | None, str, str]:
    """(line, column, code, message) of the one line that says why a file or folder could not
    be checked: E999 for source that does not parse, E902 (flake8's code) for the rest."""
    rest = error[len(path):] if error.startswith(path) else error
    found = _ERROR_PLACE.match(rest)
    line, column, message = (int(found[1]), int(found[2]), found[3]) if found else (None, None, rest.lstrip(": "))
    code, _, text = message.partition(" ")
    if code == "E999":
        return line, column, "E999", text
    return line, column, "E902", message


def problem_path(problem: str) -> str:
    """The folder a discovery problem (`path: cannot read folder: why`) names."""
    return problem.rpartition(": cannot read folder: ")[0] or problem


def _error_rows(results, problems: Sequence[str]) -> list[dict]:
    failed = [(r.path, r.error) for r in results if r.error]
    failed += [(problem_path(p), p) for p in problems]
    rows = []
    for path, error in failed:
        line, column, code, message = file_error(path, error)
        rows.append({"path": path, "line": line, "column": column, "end_line": None, "end_column": None,
                     "code": code, "name": "syntax-error" if code == "E999" else "file-error",
                     "message": message, "fix": None})
    return rows


def json_rows(results, problems: Sequence[str] = ()) -> list[dict]:
    """Each finding, then each file or folder that could not be checked (code E999 or E902)."""
    rows = []
    for result in results:
        for f in result.findings:
            end_line, end_col = _end(f)
            row = {"path": result.path, "line": f.line, "column": _column(f),
                   "end_line": f.end_line, "end_column": None if f.end_col is None else end_col,
                   "code": f.code, "name": rule_name(f.code), "message": f.message, "fix": dict(f.fix)}
            if f.origin is not None:
                row["origin"] = f.origin
            rows.append(row)
    return rows + _error_rows(results, problems)


def json_text(results, problems: Sequence[str] = ()) -> str:
    return json.dumps(json_rows(results, problems), indent=2)


def json_lines(results, problems: Sequence[str] = ()) -> Iterator[str]:
    for row in json_rows(results, problems):
        yield json.dumps(row)


def _github_escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if property_value else value


def github(results) -> Iterator[str]:
    """GitHub Actions workflow commands: each finding an annotation on its lines."""
    for result in results:
        for f in result.findings:
            end_line, end_col = _end(f)
            props = ",".join(f"{key}={_github_escape(str(value), True)}" for key, value in (
                ("file", result.path), ("line", f.line), ("col", _column(f)),
                ("endLine", end_line), ("endColumn", end_col), ("title", f"{f.code} {rule_name(f.code)}")))
            yield f"::error {props}::{_github_escape(f'{f.code} {f.message}')}"
        if result.error:
            yield f"::error file={_github_escape(result.path, True)}::{_github_escape(result.error)}"


def _fingerprint(path: str, finding: Finding, line_text: str, seen: dict[str, int]) -> str:
    """Stable across runs and across edits elsewhere in the file: the path, the code, the flagged
    line's text, and which of its equals this is."""
    key = f"{path}\0{finding.code}\0{line_text.strip()}"
    seen[key] = seen.get(key, 0) + 1
    return hashlib.sha256(f"{key}\0{seen[key]}".encode("utf-8", "surrogateescape")).hexdigest()


def gitlab(results, sources: dict[str, list[str]], problems: Sequence[str] = ()) -> str:
    """GitLab Code Quality report (a JSON array of issues)."""
    issues, seen = [], {}
    for result in results:
        lines = sources.get(result.path, [])
        for f in result.findings:
            line_text = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
            end_line, _ = _end(f)
            issues.append({
                "description": f"{f.code} {f.message}",
                "check_name": f.code,
                "fingerprint": _fingerprint(result.path, f, line_text, seen),
                "severity": "critical" if f.code == "ASP000" else "major",
                "location": {"path": result.path, "lines": {"begin": f.line, "end": end_line}},
            })
    for row in _error_rows(results, problems):
        issues.append({
            "description": f"{row['code']} {row['message']}", "check_name": row["code"],
            "fingerprint": hashlib.sha256(
                f"{row['path']}\0{row['code']}".encode("utf-8", "surrogateescape")).hexdigest(),
            "severity": "blocker",
            "location": {"path": row["path"], "lines": {"begin": row["line"] or 1, "end": row["line"] or 1}},
        })
    return json.dumps(issues, indent=2)


def sarif(results, rules: Sequence) -> str:
    """A SARIF 2.1.0 log of one run: the selected rules, their results, and files that could not
    be processed as tool notifications."""
    descriptors = []
    for found in rules:
        descriptor = {"id": found.code, "name": found.name,
                      "shortDescription": {"text": found.summary},
                      "defaultConfiguration": {"level": "error" if found.default else "warning"},
                      "properties": {"fix": found.fix_text or "none"}}
        if rule_url(found.code):
            descriptor["helpUri"] = rule_url(found.code)
        descriptors.append(descriptor)
    index = {found.code: number for number, found in enumerate(rules)}
    out, notifications = [], []
    for result in results:
        uri = Path(result.path).as_posix()
        for f in result.findings:
            end_line, end_col = _end(f)
            entry = {"ruleId": f.code, "level": "error", "message": {"text": f.message},
                     "locations": [{"physicalLocation": {
                         "artifactLocation": {"uri": uri},
                         "region": {"startLine": f.line, "startColumn": _column(f),
                                    "endLine": end_line, "endColumn": end_col}}}]}
            if f.code in index:
                entry["ruleIndex"] = index[f.code]
            out.append(entry)
        if result.error:
            notifications.append({"level": "error", "message": {"text": result.error},
                                  "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]})
    log = {
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "async-patterns", "version": __version__, "rules": descriptors}},
            "invocations": [{"executionSuccessful": not notifications,
                             "toolExecutionNotifications": notifications}],
            "results": out,
        }],
    }
    return json.dumps(log, indent=2)


def _files(n: int) -> str:
    return f"{n} file{'s' if n != 1 else ''}"


def summary(results, fixable: int) -> str:
    found = sum(len(r.findings) for r in results)
    failed = sum(1 for r in results if r.error)
    if not found:
        line = f"no findings in {_files(len(results) - failed)}"
    else:
        line = f"{found} finding{'s' if found != 1 else ''} in {_files(sum(1 for r in results if r.findings))}"
        line += f", {fixable} fixable with `async-patterns fix`" if fixable else ""
    return line + (f"; {_files(failed)} could not be checked" if failed else "")


def statistics(results) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = {}
    for result in results:
        for f in result.findings:
            counts[f.code] = counts.get(f.code, 0) + 1
    return [(code, rule_name(code), n) for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
