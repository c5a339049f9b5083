"""Eval file for ASP601: child processes started or waited for on the event loop.  Parsed, never run.

A build runner.  Positives: `subprocess.Popen/getoutput/getstatusoutput` (with run/call/
check_call/check_output in ASP601.py), `os.system`, `os.popen`, `os.spawn*`,
`os.posix_spawn*`, `os.wait*`, and `wait()`/`communicate()` on a `Popen`.  Negatives: the
asyncio subprocess API, `Popen` methods that do not wait, lookalike names of `os`, a `Process`
of asyncio, the same calls in a thread.
"""
from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
from os import P_NOWAIT, P_WAIT, spawnlp, waitpid
from subprocess import Popen, getoutput


async def compiler_version():
    return subprocess.getoutput("cc --version").splitlines()[0]  # error: ASP601


async def lint_status(path):
    status, output = subprocess.getstatusoutput(f"ruff check {shlex.quote(path)}")  # error: ASP601
    return status == 0, output


async def uname():
    return getoutput("uname -a")  # error: ASP601


async def start_watcher(paths):
    watcher = Popen(["watchman", "watch", *paths], stdout=subprocess.PIPE)  # error: ASP601
    out, _ = watcher.communicate(timeout=30)  # error: ASP601
    return out


async def build_and_wait(target):
    with subprocess.Popen(["make", target]) as make:  # error: ASP601
        return make.wait()  # error: ASP601


async def legacy_shell(command):
    if os.system(command) != 0:  # error: ASP601
        raise RuntimeError(command)
    with os.popen("git describe --tags") as pipe:  # error: ASP601
        return pipe.read().strip()


async def spawn_tools(tool, args):
    os.spawnl(os.P_WAIT, "/usr/bin/env", "env", tool)  # error: ASP601
    os.spawnv(P_NOWAIT, "/usr/bin/" + tool, [tool, *args])  # error: ASP601
    os.spawnve(mode=P_WAIT, file=tool, args=args, env={})  # error: ASP601
    pid = spawnlp(P_NOWAIT, tool, tool)  # error: ASP601
    return pid


async def spawn_posix(tool, args):
    pid = os.posix_spawn(tool, [tool, *args], os.environ)  # error: ASP601
    other = os.posix_spawnp(tool, [tool], {})  # error: ASP601
    return pid, other


async def reap(pid):
    _, status = waitpid(pid, 0)  # error: ASP601
    os.wait()  # error: ASP601
    os.wait3(os.WNOHANG)  # error: ASP601
    os.wait4(pid, 0)  # error: ASP601
    return os.waitid(os.P_PID, pid, os.WEXITED), status  # error: ASP601


class Runner:
    def __init__(self, command):
        self.process = subprocess.Popen(command)  # a plain method: runs wherever it is called

    async def join(self):
        return self.process.wait()  # error: ASP601

    # -- negatives ----------------------------------------------------------------------------

    async def peek(self):
        self.process.poll()  # does not wait
        self.process.send_signal(15)
        return self.process.pid, self.process.returncode


# -- negatives ------------------------------------------------------------------------------


async def run_async(command):
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()  # asyncio's Process: a coroutine
    await process.wait()
    return out


async def run_shell_async(command):
    process = await asyncio.create_subprocess_shell(command)
    return await process.wait()


async def offloaded(command, pid):
    await asyncio.to_thread(subprocess.getoutput, command)
    await asyncio.to_thread(os.system, command)
    await asyncio.to_thread(os.waitpid, pid, 0)
    await asyncio.get_running_loop().run_in_executor(None, lambda: os.spawnl(P_WAIT, command, command))


async def in_a_helper(command):
    def run_sync():
        with Popen(command) as child:  # a nested plain def
            return child.wait()

    return await asyncio.to_thread(run_sync)


async def lookalikes(pid):
    os.getpid()
    os.environ.get("PATH")
    os.waitstatus_to_exitcode(0)  # converts a status, waits for nothing
    return os.cpu_count(), shlex.split("a b"), subprocess.list2cmdline(["a", "b"]), pid


async def own_wait(runner):
    def wait(seconds):  # a local function named like os.wait
        return seconds

    return wait(1), await runner.wait()


def build_sync(target):
    subprocess.Popen(["make", target]).wait()  # a plain function
    return os.system("true"), subprocess.getoutput("true")
