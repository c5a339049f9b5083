"""The fixer never crashes, its output always compiles, and a second run changes nothing.

Contract: issue 6 "Robustness", RULES.md "Fix safety" (every fix produces code that compiles,
no longer triggers its rule, and is unchanged by a second run), DESIGN.md "How we test"
(property tests with hypothesmith-generated programs; no test may hide an ASP000).

Three sources of input: the eval files (realistic code with every rule's positives), programs
that hypothesmith generates from Python's grammar (odd syntax, rarely any asyncio), and
programs composed from the defects every fixer handles, in random contexts and spellings.
"""
from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from flake8_async_patterns.source import lint_source
from flake8_async_patterns.fixing import FileOutcome, fix_file, fix_source
from flake8_async_patterns.registry import all_rules
from flake8_async_patterns.settings import Settings, build

from test_cases import CASES_DIR as CASES, RUNNABLE_CASE_FILES as CASE_FILES
ALL_CODES = frozenset(rule.code for rule in all_rules())
# generated code may hold `1()` and the like: compile() warns about them, which is no finding of ours
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")
STYLES = ("sequential", "gather")
# reasons that mean a fixer itself went wrong (the verification step caught it)
BROKEN = re.compile(r"internal error|does not compile|makes a rule fail")


def header_settings(text: str) -> Settings:
    """Settings from the `# options: --async-patterns-NAME=VALUE` lines heading an eval file."""
    values = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            break
        for word in re.findall(r"--async-patterns-[\w-]+=\S+", line):
            key, _, value = word[2:].partition("=")
            values[key] = value
    return build(values)


def assert_sound(outcome: FileOutcome, what: str) -> None:
    assert outcome.error is None, f"{what}: {outcome.error}"
    broken = [f"{f.line}:{f.col + 1} {f.code}: {why}" for f, why in outcome.unfixed if BROKEN.search(why)]
    assert not broken, f"{what}: a fixer went wrong:\n" + "\n".join(broken)
    compile(outcome.new, what, "exec", dont_inherit=True)


# -- the eval files ---------------------------------------------------------------------------


# --fix-style only changes ASP101 in loops and ASP102: the gather style is run on their files only
RUNS = [(case, "sequential") for case in CASE_FILES] + \
    [(case, "gather") for case in CASE_FILES if case.stem in ("ASP101", "ASP102")]


@pytest.mark.parametrize("case, style", RUNS, ids=[f"{case.stem}-{style}" for case, style in RUNS])
def test_eval_file_is_fixed_soundly_and_idempotently(tmp_path, case, style):
    text = case.read_text(encoding="utf-8")
    config = header_settings(text)
    path = tmp_path / case.name
    shutil.copyfile(case, path)
    shutil.copyfile(CASES / "_support_client.py", tmp_path / "_support_client.py")
    options = {"fix_style": style}

    first = fix_file(str(path), config, ALL_CODES, True, options, write=True)
    assert_sound(first, case.name)
    written = path.read_text(encoding="utf-8")
    assert written == first.new
    compile(written, case.name, "exec", dont_inherit=True)
    assert not any(f.code == "ASP000" for f in lint_source(written, str(path), config, ALL_CODES))

    second = fix_file(str(path), config, ALL_CODES, True, options, write=True)
    assert_sound(second, case.name)
    assert not second.changed, f"{case.name}: a second run changed it again ({[f.code for f in second.fixed]})"
    assert path.read_text(encoding="utf-8") == written


# -- hypothesmith: any program Python's grammar allows ------------------------------------------


def compiles(source: str) -> bool:
    try:
        compile(source, "<generated>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def check_and_fix(source: str, config: Settings, style: str) -> None:
    findings = lint_source(source, "generated.py", config, ALL_CODES)
    assert not [f for f in findings if f.code == "ASP000"], [f.message for f in findings if f.code == "ASP000"]
    outcome = fix_source(source, "generated.py", config, ALL_CODES, True, {"fix_style": style})
    assert_sound(outcome, "generated.py")
    again = fix_source(outcome.new, "generated.py", config, ALL_CODES, True, {"fix_style": style})
    assert again.new == outcome.new, "a second run changed the fixed program"


def _grammar_programs():
    import hypothesmith

    return hypothesmith.from_grammar().filter(compiles)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=st.deferred(_grammar_programs), style=st.sampled_from(STYLES))
def test_generated_programs_never_crash_the_checker_or_the_fixer(source, style):
    check_and_fix(source, Settings(), style)


# -- programs made of the defects the fixers handle -------------------------------------------

SNIPPETS = [
    "fetch(u)",
    "pending = fetch(u)",
    "[fetch(x) for x in urls]",
    "map(fetch, urls)",
    "asyncio.create_task(fetch(u))",
    "await asyncio.gather(*[fetch(x) for x in urls])",
    "await asyncio.gather(*(fetch(x) for x in urls), return_exceptions=True)",
    "results = await asyncio.gather(fetch(u), fetch(u), return_exceptions=True)\n"
    "good = [r for r in results if not isinstance(r, Exception)]",
    "done, _ = await asyncio.wait([asyncio.create_task(fetch(u))], timeout=1)",
    "await asyncio.gather(*(asyncio.gather(fetch(x), fetch(x)) for x in urls))",
    "await asyncio.gather(fetch(u))",
    "[only] = await asyncio.gather(fetch(u))",
    "await asyncio.gather(await fetch(u), fetch(u))",
    "COUNTS[u] += await fetch(u)",
    "time.sleep(0.1)",
    "requests.get(u)",
    "for x in urls:\n    await fetch(x)",
    "a = await fetch(u)\nb = await fetch(u)\nprint(a, b)",
    "try:\n    await asyncio.gather(fetch(u), fetch(u))\nexcept ValueError:\n    pass",
    "await fetch(u)",
]
CONTEXTS = [
    "{body}",
    "for item in urls:\n{body}",
    "if u:\n{body}",
    "try:\n{body}\nexcept Exception:\n    raise",
    "async with lock:\n{body}",
    "while u:\n{body}\n    break",
]
HEADER = ("import time\n\nimport requests\nimport {asyncio_import}\n\nCOUNTS = {{}}\n\n\n"
          "async def fetch(x):\n    return x\n\n\n")


def indent(text: str, prefix: str = "    ") -> str:
    return "".join(prefix + line if line.strip() else line for line in text.splitlines(keepends=True))


@st.composite
def defect_programs(draw):
    statements = []
    for snippet in draw(st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=4)):
        if draw(st.booleans()):
            snippet = snippet.replace("\n", "  # why\n", 1) + "  # note"
        context = draw(st.sampled_from(CONTEXTS))
        statements.append(snippet if context == "{body}" else context.replace("{body}", indent(snippet)))
    alias = draw(st.sampled_from(["asyncio", "aio"]))
    header = HEADER.format(asyncio_import="asyncio" if alias == "asyncio" else "asyncio as aio")
    body = "\n".join(statements).replace("asyncio.", f"{alias}.")
    source = header + "async def main(urls, u, lock):\n" + indent(body) + "\n"
    if draw(st.booleans()):
        source = source.replace("\n", "\r\n")
    return source


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=defect_programs(), style=st.sampled_from(STYLES), target=st.sampled_from([(3, 9), (3, 11)]))
def test_composed_defects_are_fixed_soundly_and_idempotently(source, style, target):
    assume(compiles(source))
    check_and_fix(source, Settings(target_version=target), style)
