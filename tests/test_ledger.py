"""The findings ledger of bench/ledger.py: parsing, matching findings to rows, totals; the ledger files parse."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
import ledger  # noqa: E402  (bench/ledger.py)

HEADER = "project\tpath\tline\tcode\tverdict\treason\tsource\n"


def book(*rows: str, comments: str = "# a ledger\n") -> ledger.Ledger:
    return ledger.parse(comments + HEADER + "".join(row + "\n" for row in rows))


def finding(path: str, line: int, code: str, source: str = "", project: str = "proj-1.0") -> ledger.Finding:
    return ledger.Finding(project, path, line, code, "message", source)


def test_parse_reads_rows_with_and_without_source():
    parsed = book("proj-1.0\ta.py\t3\tASP101\tbug\tnever awaited\tfetch()",
                  "proj-1.0\tb.py\t7\tASP103\tfp\tfixed: kept elsewhere")
    assert [(r.path, r.line, r.verdict, r.source) for r in parsed.rows] == [
        ("a.py", 3, "bug", "fetch()"), ("b.py", 7, "fp", "")]
    assert not parsed.sample
    assert book(comments="# coverage: sample\n").sample


@pytest.mark.parametrize("row, problem", [
    ("proj-1.0\ta.py\t3\tASP101\tmaybe\twho knows", "unknown verdict"),
    ("proj-1.0\ta.py\t3\tASP101\tbug\t", "needs a reason"),
    ("proj-1.0\ta.py\tthree\tASP101\tbug\tx", "not a number"),
    ("proj-1.0\ta.py\t3\tASP101", "tab-separated"),
])
def test_parse_refuses_bad_rows(row, problem):
    with pytest.raises(ledger.LedgerError, match=problem):
        book(row)


def test_a_question_mark_row_may_wait_for_its_reason():
    assert book("proj-1.0\ta.py\t3\tASP101\t?\t\tfetch()").rows[0].verdict == "?"


def test_match_on_key_then_on_source_text_of_a_moved_line():
    rows = book("proj-1.0\ta.py\t10\tASP101\tbug\tr\tfetch()",
                "proj-1.0\ta.py\t20\tASP101\ttrue-low\tr\tsend(x)",
                "proj-1.0\ta.py\t30\tASP103\tfp\tr\tcreate_task(g())").rows
    findings = [finding("a.py", 10, "ASP101", "fetch()"),
                finding("a.py", 21, "ASP101", "send(x)"),  # one line down, same text
                finding("a.py", 40, "ASP101", "other()")]
    result = ledger.match(findings, rows)
    assert [(f.line, r.line) for f, r in result.matched] == [(10, 10), (21, 20)]
    assert [(f.line, r.line) for f, r in result.moved] == [(21, 20)]
    assert [f.line for f in result.new] == [40]
    assert [r.line for r in result.gone] == [30]


def test_moved_line_needs_the_same_code_and_file():
    rows = book("proj-1.0\ta.py\t20\tASP101\tbug\tr\tsend(x)").rows
    result = ledger.match([finding("a.py", 21, "ASP102", "send(x)"), finding("b.py", 21, "ASP101", "send(x)")], rows)
    assert len(result.new) == 2 and len(result.gone) == 1


def test_two_findings_on_one_line_need_two_rows():
    rows = book("proj-1.0\ta.py\t5\tASP103\ttrue-low\tr\tx").rows
    result = ledger.match([finding("a.py", 5, "ASP103", "x"), finding("a.py", 5, "ASP103", "x")], rows)
    assert len(result.matched) == 1 and len(result.new) == 1


def test_the_nearest_row_wins_when_a_text_repeats():
    rows = book("proj-1.0\ta.py\t10\tASP103\tbug\tfirst\tloop.create_task(cb())",
                "proj-1.0\ta.py\t50\tASP103\ttrue-low\tsecond\tloop.create_task(cb())").rows
    result = ledger.match([finding("a.py", 52, "ASP103", "loop.create_task(cb())"),
                           finding("a.py", 12, "ASP103", "loop.create_task(cb())")], rows)
    assert sorted((f.line, r.reason) for f, r in result.matched) == [(12, "first"), (52, "second")]


def test_totals_precision_and_value():
    rows = book("p\ta.py\t1\tASP201\tbug\tr", "p\ta.py\t2\tASP201\ttrue-low\tr",
                "p\ta.py\t3\tASP201\tfp\tr", "p\ta.py\t4\tASP201\ttrue-low\tr",
                "p\ta.py\t5\tASP103\t?\t").rows
    findings = [finding("a.py", n, code, project="p") for n, code in
                ((1, "ASP201"), (2, "ASP201"), (3, "ASP201"), (4, "ASP201"), (5, "ASP103"), (9, "ASP103"))]
    per = ledger.totals(ledger.match(findings, rows))
    asp201 = per["ASP201"]
    assert (asp201.findings, asp201.bug, asp201.true_low, asp201.fp) == (4, 1, 2, 1)
    assert asp201.precision == 0.75 and asp201.value == 0.25
    assert (per["ASP103"].findings, per["ASP103"].unknown, per["ASP103"].precision) == (2, 2, None)
    table = ledger.table(per)
    assert table[-1][:6] == ["all", "6", "1", "2", "1", "2"]
    assert table[-1][6:] == ["75.0%", "25.0%"]


def test_report_lists_new_and_gone_and_counts_what_needs_a_verdict():
    parsed = book("p\ta.py\t1\tASP201\tbug\treal", "p\ta.py\t2\tASP201\tfp\tfixed: gone",
                  "p\ta.py\t3\tASP202\tbug\tstill wanted", "p\ta.py\t4\tASP204\ttrue-low\topt-in")
    out = io.StringIO()
    linted = ledger.scope_of(None, [], ("ASP204",))  # default rules only: the ASP204 row is not gone
    _, needing = ledger.report([finding("a.py", 1, "ASP201", project="p"), finding("a.py", 8, "ASP101", project="p")],
                               parsed, linted, out)
    text = out.getvalue()
    assert needing == 1
    assert "p/a.py:8 ASP101" in text
    assert "p/a.py:3 ASP202 bug: REGRESSION?" in text
    assert "ASP204" not in text
    assert "1 fp rows marked fixed" in text


def test_a_sample_ledger_does_not_call_unlisted_findings_new():
    parsed = book("p\ta.py\t1\tASP203\ttrue-low\tr", comments="# coverage: sample\n")
    out = io.StringIO()
    _, needing = ledger.report([finding("a.py", 1, "ASP203", project="p"), finding("a.py", 2, "ASP203", project="p")],
                               parsed, ledger.scope_of(None, ["ASP203"], ("ASP203",)), out)
    assert needing == 0
    assert "1 finding(s) not in the sample" in out.getvalue()


def test_scope_follows_select_and_extend_select():
    default = ledger.scope_of(None, [], ("ASP203", "ASP602"))
    assert default("ASP101") and not default("ASP203")
    assert ledger.scope_of(None, ["ASP2"], ("ASP203", "ASP602"))("ASP203")
    only = ledger.scope_of(["ASP10"], [], ())
    assert only("ASP103") and not only("ASP201")


def test_locate_places_a_path_in_the_deepest_project(tmp_path):
    outer, inner = tmp_path / "lib", tmp_path / "lib" / "test"
    inner.mkdir(parents=True)
    roots = [("outer", outer), ("inner", inner)]
    assert ledger.locate(str(inner / "t.py"), roots) == ("inner", "t.py")
    assert ledger.locate(str(outer / "pkg" / "m.py"), roots) == ("outer", "pkg/m.py")
    assert ledger.locate(str(tmp_path / "elsewhere.py"), roots) is None


def test_render_round_trips():
    parsed = book("p\ta.py\t1\tASP201\tbug\treal\tgather(*xs)", comments="# one\n# two\n")
    assert ledger.parse(ledger.render(parsed)) == parsed


@pytest.mark.parametrize("name", ["ledger.tsv", "ledger-opt-in.tsv"])
def test_the_ledger_files_parse(name):
    path = BENCH / name
    if not path.is_file():
        pytest.skip(f"no bench/{name}")
    parsed = ledger.parse(path.read_text(encoding="utf-8"), name)
    assert parsed.rows
    for row in parsed.rows:
        assert row.verdict in ("bug", "true-low", "fp"), f"{name}:{row.number}: verdict {row.verdict!r}"
        assert row.reason, f"{name}:{row.number}: no reason"
        assert row.code.startswith("ASP") and row.code != "ASP000", f"{name}:{row.number}: code {row.code}"


def test_write_drops_only_the_true_low_rows_that_disappeared():
    parsed = book("p\ta.py\t1\tASP201\ttrue-low\tgone", "p\ta.py\t2\tASP201\tbug\tgone too",
                  "p\ta.py\t3\tASP201\tfp\tfixed: gone", "p\ta.py\t4\tASP201\ttrue-low\tstill here")
    result = ledger.match([finding("a.py", 4, "ASP201", project="p")], parsed.rows)
    dropped = ledger.drop_gone_true_lows(parsed, result.gone)
    assert [r.line for r in dropped] == [1]
    assert [r.line for r in parsed.rows] == [2, 3, 4]
