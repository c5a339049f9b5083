"""Behaviour after the ASP602 fix: file I/O moved to a thread, the loop free meanwhile.

Each program is fixed at test time by `fix_source` with `--unsafe-fixes`, then run.  A FIFO
makes the difference observable without timing anything: reading it blocks until a writer
comes, and the only writer is another task of the same event loop.  Before the fix the read
holds the loop and that task can never run; after it the read waits in a thread, the writer
runs, and the text arrives.
"""
from __future__ import annotations

import asyncio
import os
import textwrap
import threading

import pytest

from flake8_async_patterns.fixing import fix_source
from flake8_async_patterns.registry import enabled_codes
from flake8_async_patterns.settings import Settings


def fixed(source: str) -> str:
    """The program with every ASP602 finding fixed, and nothing else changed."""
    outcome = fix_source(textwrap.dedent(source), "<ASP602>", Settings(),
                         enabled_codes(extend_select=["ASP602"]), True)
    assert outcome.error is None
    assert outcome.fixed and {f.code for f in outcome.fixed} == {"ASP602"}
    assert not [f for f, _ in outcome.unfixed if f.code == "ASP602"], outcome.unfixed
    return outcome.new


def load(program: str) -> dict:
    namespace: dict = {}
    exec(compile(program, "<fixed>", "exec"), namespace)
    return namespace


FIFO_READER = """
    import asyncio
    import errno
    import os
    from pathlib import Path

    EVENTS = []


    async def feed(fifo: str, text: str) -> None:
        while True:
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # fails until a reader has it open
            except OSError as error:
                if error.errno != errno.ENXIO:
                    raise
                await asyncio.sleep(0.01)
                continue
            break
        EVENTS.append("writer ran on the loop")
        os.write(fd, text.encode("utf-8"))
        os.close(fd)


    async def receive(fifo: str) -> str:
        text = Path(fifo).read_text(encoding="utf-8")
        EVENTS.append("read done")
        return text


    async def main(fifo: str) -> str:
        text, _ = await asyncio.gather(receive(fifo), feed(fifo, "sent by another task"))
        return text
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_asp602_read_waits_in_a_thread_while_the_loop_runs_the_writer(tmp_path):
    program = fixed(FIFO_READER)
    assert "await asyncio.to_thread(Path(fifo).read_text, encoding=\"utf-8\")" in program
    fifo = str(tmp_path / "pipe")
    os.mkfifo(fifo)

    def unblock():  # only if the read still held the loop: end it instead of hanging the suite
        with open(fifo, "w"):
            pass

    watchdog = threading.Timer(20, unblock)
    watchdog.daemon = True
    watchdog.start()
    try:
        namespace = load(program)
        assert asyncio.run(namespace["main"](fifo)) == "sent by another task"
    finally:
        watchdog.cancel()
    assert namespace["EVENTS"] == ["writer ran on the loop", "read done"]


ROUND_TRIP = """
    import os
    import shutil
    from pathlib import Path


    async def publish(folder: Path, text: str) -> tuple:
        os.makedirs(folder / "public", exist_ok=True)
        draft = folder / "draft.txt"
        draft.write_text(text, encoding="utf-8")
        shutil.copy(draft, folder / "public" / "page.txt")
        size = os.path.getsize(folder / "public" / "page.txt")
        draft.unlink()
        return size, (folder / "public" / "page.txt").read_text(encoding="utf-8"), draft.exists()
"""


def test_round_trip_gives_the_same_results(tmp_path):
    program = fixed(ROUND_TRIP)
    assert program.count("await asyncio.to_thread(") == 7
    before = asyncio.run(load(textwrap.dedent(ROUND_TRIP))["publish"](tmp_path / "before", "héllo"))
    after = asyncio.run(load(program)["publish"](tmp_path / "after", "héllo"))
    assert before == after == (len("héllo".encode("utf-8")), "héllo", False)


def test_the_calls_run_on_another_thread(tmp_path, monkeypatch):
    """Every moved call runs outside the loop's thread (recorded by a wrapped os.makedirs)."""
    import os as os_module

    program = fixed("""
        import os


        async def prepare(folder: str) -> None:
            os.makedirs(folder, exist_ok=True)
    """)
    seen = []
    real = os_module.makedirs

    def recording(*args, **kwargs):
        seen.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(os_module, "makedirs", recording)
    namespace = load(program)

    async def main():
        await namespace["prepare"](str(tmp_path / "made"))
        return threading.get_ident()

    loop_thread = asyncio.run(main())
    assert seen and loop_thread not in seen
    assert (tmp_path / "made").is_dir()


@pytest.mark.parametrize("chain", [
    "(Path('a')" + " / 'b'" * 1000 + ").exists()",
    "p" + ".parent" * 1000 + ".exists()",
    "p" + ".resolve()" * 1000 + ".exists()",
])
def test_deep_path_chains_are_unknown_not_a_crash(chain):
    import ast

    from flake8_async_patterns.engine import check_tree

    source = f"from pathlib import Path\n\n\nasync def main(p: Path):\n    {chain}\n"
    codes = {f.code for f in check_tree(ast.parse(source), Settings(), codes=frozenset({"ASP602"}))}
    assert "ASP000" not in codes
