"""A fix that cannot be made safely, or whose code breaks, is refused alone; the rest still apply.

Contract: issue 14 items 6, 11 and 15: an exception in one rule's fix refuses that fix with an
`internal error in ASPnnn's fix` reason (the other fixes of the file apply, later files are fixed,
every file written is reported); ASP201's fix is unsafe and refused where the gathered awaitables
visibly wait on each other; ASP601 leaves a `time.sleep` that a comment says blocks on purpose.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_async_patterns.fixing import fix_source
from flake8_async_patterns.registry import RULES, FixSafety, all_rules, enabled_codes
from flake8_async_patterns.settings import Settings

TWO_DEFECTS = textwrap.dedent("""\
    import asyncio


    async def work():
        return 1


    async def main():
        work()
        await asyncio.gather(work())
""")


all_rules()  # registers every rule in RULES


def fix(source: str, unsafe: bool = False):
    return fix_source(source, "program.py", Settings(), enabled_codes(), unsafe, {})


def reasons(outcome) -> dict[str, str]:
    return {finding.code: why for finding, why in outcome.unfixed}


def broken_fixer(finding, fx, options):
    raise RuntimeError("boom")


def test_a_fixer_that_raises_refuses_only_its_own_fix(monkeypatch):
    monkeypatch.setattr(RULES["ASP402"], "fixer", broken_fixer)
    outcome = fix(TWO_DEFECTS)
    assert "    await work()\n" in outcome.new  # ASP101's fix still applied
    assert [f.code for f in outcome.fixed] == ["ASP101"]
    assert reasons(outcome)["ASP402"] == "internal error in ASP402's fix: RuntimeError: boom"


def test_a_replacement_that_raises_while_the_tree_is_rebuilt_refuses_only_its_own_fix(monkeypatch):
    real = RULES["ASP402"].fixer

    def breaks_when_applied(finding, fx, options):
        result = real(finding, fx, options)

        def explode(updated):
            raise AttributeError("no attribute 'semicolon'")

        result.replacements = {node: explode for node in result.replacements}
        return result

    monkeypatch.setattr(RULES["ASP402"], "fixer", breaks_when_applied)
    outcome = fix(TWO_DEFECTS)
    assert "    await work()\n" in outcome.new
    assert reasons(outcome)["ASP402"].startswith("internal error in ASP402's fix: AttributeError")


def test_unbounded_gather_fix_of_a_one_line_async_def():
    source = textwrap.dedent("""\
        import asyncio


        async def g(i):
            return i


        async def f(items): await asyncio.gather(*[g(i) for i in items])  # all at once
    """)
    outcome = fix(source, unsafe=True)
    assert [f.code for f in outcome.fixed] == ["ASP201"], outcome.unfixed
    assert "    await asyncio.gather(*[bounded(g(i)) for i in items])  # all at once\n" in outcome.new
    compile(outcome.new, "fixed.py", "exec")


# the CLI, run as a user runs it, with ASP402's fixer swapped for one that raises on files whose
# name says so (the swap happens before the workers are forked, so --jobs 2 sees it too)
CLI_WITH_A_BROKEN_FIXER = textwrap.dedent("""\
    import sys
    from flake8_async_patterns import fixing
    from flake8_async_patterns.cli import main

    real_fix_source = fixing.fix_source

    def fix_source(source, path, *args, **kwargs):
        if "crash" in path:
            raise RuntimeError("a fixer bug")
        return real_fix_source(source, path, *args, **kwargs)

    fixing.fix_source = fix_source
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_written_file_is_reported_when_another_file_fails(tmp_path: Path, jobs: str):
    names = ["a_first.py", "b_crash.py", "c_last.py", "d_oneline.py"]
    for name in names[:3]:
        (tmp_path / name).write_text(TWO_DEFECTS)
    (tmp_path / "d_oneline.py").write_text(
        "import asyncio\nasync def g(i): return i\nasync def f(items): await asyncio.gather(*[g(i) for i in items])\n")
    (tmp_path / "run.py").write_text(CLI_WITH_A_BROKEN_FIXER)
    result = subprocess.run([sys.executable, "run.py", "fix", "--unsafe-fixes", "--jobs", jobs, *names],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr  # one file failed
    assert "a_first.py: fixed 2 (ASP101 x1, ASP402 x1)" in result.stderr
    assert "c_last.py: fixed 2 (ASP101 x1, ASP402 x1)" in result.stderr
    assert "d_oneline.py: fixed 1 (ASP201 x1)" in result.stderr
    assert "b_crash.py: internal error while fixing: RuntimeError: a fixer bug (left unchanged)" in result.stderr
    assert (tmp_path / "b_crash.py").read_text() == TWO_DEFECTS
    assert "await work()" in (tmp_path / "c_last.py").read_text()


FIXES = Path(__file__).parent / "fixes"


def test_unbounded_gather_fix_is_unsafe():
    source = (FIXES / "ASP201_unsafe_needs_flag.py").read_text()
    assert reasons(fix(source))["ASP201"] == "unsafe fix: run with --unsafe-fixes"
    assert "Semaphore(10)" in fix(source, unsafe=True).new
    assert RULES["ASP201"].fix is FixSafety.UNSAFE


def test_unbounded_gather_fix_is_refused_where_the_awaitables_wait_on_each_other():
    outcome = fix((FIXES / "ASP201_waiting_on_each_other_refused.py").read_text(), unsafe=True)
    assert not outcome.changed
    why = {finding.line: reason for finding, reason in outcome.unfixed if finding.code == "ASP201"}
    assert len(why) == 6
    said = " ".join(why.values())
    assert said.count("may wait on each other") == 4
    assert "a race (wait(return_when=asyncio.FIRST_COMPLETED))" in said
    assert "a wait with a timeout" in said
    for seen in ("'asyncio.Barrier()'", "'ready.wait()'", "'condition.wait_for()'",
                 "'take_one' takes from 'queue' and 'give_one' puts into 'queue'"):
        assert seen in said


WORKERS_THAT_DO_NOT_WAIT_ON_EACH_OTHER = textwrap.dedent("""\
    import asyncio


    async def fetch(session, url):
        await asyncio.wait_for(session.get(url), 5)  # asyncio's wait_for, no condition
        done, _ = await asyncio.wait([asyncio.ensure_future(asyncio.sleep(0))])
        return url


    async def echo(connection, message):
        await connection.send(message)  # one stream both ways: no sibling involved
        return await connection.receive()


    async def run(command):
        process = await asyncio.create_subprocess_exec(*command)
        await process.wait()  # its own process: no sibling waits on it
        return process.returncode


    async def crawl(session, urls, connections, commands):
        await asyncio.gather(*(echo(c, "ping") for c in connections))
        await asyncio.gather(*(run(command) for command in commands))
        return await asyncio.gather(*(fetch(session, url) for url in urls))
""")


def test_unbounded_gather_fix_still_applies_to_awaitables_that_do_not_wait_on_each_other():
    outcome = fix(WORKERS_THAT_DO_NOT_WAIT_ON_EACH_OTHER, unsafe=True)
    assert [f.code for f in outcome.fixed] == ["ASP201"] * 3, outcome.unfixed


def test_an_event_reached_through_a_local_alias_still_refuses_the_fix():
    source = textwrap.dedent("""\
        import asyncio


        class Gate:
            async def pass_through(self, item):
                ready = self.ready
                await ready.wait()
                return item

            async def pass_all(self, items):
                return await asyncio.gather(*(self.pass_through(item) for item in items))
    """)
    outcome = fix(source, unsafe=True)
    assert not outcome.changed
    assert "'pass_through' waits on 'ready.wait()'" in reasons(outcome)["ASP201"]


def test_a_time_sleep_that_a_comment_says_blocks_on_purpose_is_left():
    source = textwrap.dedent("""\
        import time


        async def busy():
            time.sleep(0.1)  # pretend the loop is busy
            # on purpose: the watchdog must see a slow callback
            time.sleep(0.2)


        async def poll():
            time.sleep(0.5)  # back off
    """)
    outcome = fix(source)
    assert "    time.sleep(0.1)  # pretend the loop is busy\n" in outcome.new
    assert "    time.sleep(0.2)\n" in outcome.new
    assert "    await asyncio.sleep(0.5)  # back off\n" in outcome.new
    refused = [why for finding, why in outcome.unfixed if finding.code == "ASP601"]
    assert len(refused) == 2 and all("blocks on purpose" in why for why in refused)


@pytest.mark.parametrize("path", ["tests/test_server.py", "server_test.py", "tests/conftest.py"])
def test_time_sleep_fix_is_unsafe_in_a_test_module(path: str):
    source = "import time\n\n\nasync def test_slow_callback_is_seen():\n    time.sleep(0.1)\n"
    safe = fix_source(source, path, Settings(), enabled_codes(), False, {})
    assert not safe.changed
    assert reasons(safe)["ASP601"] == "unsafe fix: run with --unsafe-fixes"
    assert "await asyncio.sleep(0.1)" in fix_source(source, path, Settings(), enabled_codes(), True, {}).new
    assert "await asyncio.sleep(0.1)" in fix_source(source, "src/server.py", Settings(), enabled_codes(), False, {}).new
