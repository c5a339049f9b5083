"""Behaviour after the ASP601 fix: the blocking call moves to a thread and the loop stays free.

Each program is fixed at test time by `fix_source` (with --unsafe-fixes: a call that goes to a
thread is an unsafe fix), then run with `asyncio.run`, before and after.  What is asserted is
what the loop managed to do while the call was in progress: answer a child process that waits
for it, serve the HTTP request the coroutine itself makes.  Before the fix the loop is frozen
and the other side gives up (after a bound of a second); no test times anything.
"""
from __future__ import annotations

import asyncio
import textwrap

from flake8_async_patterns.fixing import fix_source
from flake8_async_patterns.registry import enabled_codes
from flake8_async_patterns.settings import Settings


def fixed(source: str) -> str:
    outcome = fix_source(textwrap.dedent(source), "<ASP601>", Settings(), enabled_codes(), True)
    assert outcome.error is None
    assert not [f for f, _ in outcome.unfixed if f.code == "ASP601"], outcome.unfixed
    assert {f.code for f in outcome.fixed} == {"ASP601"}, "only ASP601 may fire here"
    assert outcome.changed
    return outcome.new


def run(source: str):
    namespace: dict = {"__name__": "fixed_program"}
    exec(compile(source, "<program>", "exec"), namespace)
    return asyncio.run(namespace["main"]())


CHILD_WAITS_FOR_THE_LOOP = """
    import asyncio
    import os
    import subprocess
    import sys

    # the child waits up to a second for a line on its stdin, which a task of the loop writes
    CHILD = (
        "import select, sys\\n"
        "ready, _, _ = select.select([sys.stdin], [], [], 1)\\n"
        "print('answered' if ready else 'nobody answered')\\n"
    )


    async def answer(fd):
        os.write(fd, b"hello\\n")


    async def main():
        read_end, write_end = os.pipe()
        responder = asyncio.create_task(answer(write_end))
        try:
            child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=read_end,
                                     stdout=subprocess.PIPE, text=True)
            out, _ = child.communicate()
            await responder
        finally:
            os.close(read_end)
            os.close(write_end)
        return out.strip(), child.returncode
"""


def test_the_loop_answers_the_child_while_it_runs():
    program = fixed(CHILD_WAITS_FOR_THE_LOOP)
    assert "await asyncio.to_thread(subprocess.Popen, " in program
    assert "await asyncio.to_thread(child.communicate)" in program
    assert run(textwrap.dedent(CHILD_WAITS_FOR_THE_LOOP)) == ("nobody answered", 0)
    assert run(program) == ("answered", 0)


OWN_SERVER = """
    import asyncio
    import socket
    import urllib.error
    import urllib.request


    async def serve(reader, writer):
        await reader.readuntil(b"\\r\\n\\r\\n")
        writer.write(b"HTTP/1.0 200 OK\\r\\nContent-Length: 4\\r\\n\\r\\npong")
        await writer.drain()
        writer.close()


    async def main():
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=1) as reply:
                return reply.read().decode()
        except (urllib.error.URLError, socket.timeout, TimeoutError):
            return "timed out: the loop could not serve"
        finally:
            server.close()
            await server.wait_closed()
"""


def test_the_loop_serves_the_request_its_coroutine_makes():
    program = fixed(OWN_SERVER)
    assert "with await asyncio.to_thread(urllib.request.urlopen, " in program
    assert run(textwrap.dedent(OWN_SERVER)) == "timed out: the loop could not serve"
    assert run(program) == "pong"


def test_an_os_wait_in_a_thread_lets_other_tasks_finish_first():
    source = """
        import asyncio
        import os
        import sys

        ORDER = []


        async def other_work():
            ORDER.append("other task ran")


        async def main():
            pid = os.spawnl(os.P_NOWAIT, sys.executable, sys.executable, "-c", "pass")
            task = asyncio.create_task(other_work())
            _, status = os.waitpid(pid, 0)
            ORDER.append("child reaped")
            await task
            return ORDER, status
    """
    program = fixed(source)
    assert "await asyncio.to_thread(os.waitpid, pid, 0)" in program
    assert run(textwrap.dedent(source)) == (["child reaped", "other task ran"], 0)
    assert run(program) == (["other task ran", "child reaped"], 0)
