"""Bad input from outside the code: paths, encodings, configuration, and how fixed files are written.

Contract: DESIGN.md "Never lose the user's code" (a clear message, the run goes on; a fixed
file keeps everything but its text) and "Promises to users" (exit status 2 for a usage
error).  Each test runs the command as a user does: a subprocess in a scratch folder.
"""
from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import flake8_async_patterns

ONE_FINDING = """\
async def fetch():
    return 1


async def main():
    fetch()
"""
FIXED = ONE_FINDING.replace("    fetch()", "    await fetch()")
NAME_MAX = 255
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names, links and owners")


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "FLAKE8"))}
    # the package under test, wherever it was imported from
    env["PYTHONPATH"] = str(Path(flake8_async_patterns.__file__).parent.parent)
    env.update(extra)
    return env


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8_async_patterns", *args], cwd=cwd,
                          capture_output=True, timeout=120, env=environment(**env))


def text(stream: bytes) -> str:
    return stream.decode("utf-8", "backslashreplace")


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert b"Traceback" not in result.stderr, text(result.stderr)
    assert b"ASP000" not in result.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'scratch'\n", encoding="utf-8")
    (tmp_path / "good.py").write_text(ONE_FINDING, encoding="utf-8")
    return tmp_path


def assert_one_line_and_good_still_checked(result, bad: str) -> None:
    no_traceback(result)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert re.search(rb"good\.py:6:5: ASP101 ", result.stdout), result.stdout
    lines = [line for line in text(result.stderr).splitlines() if bad in line]
    assert len(lines) == 1, text(result.stderr)


# -- item 2: paths ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "fix"])
@pytest.mark.parametrize("name", ["n" * 300 + ".py", "n" * 300, "n" * 300 + "/", "good.py/sub.py", "good.py/sub/"],
                         ids=["long-file", "long-name", "long-folder", "file-as-folder", "folder-in-a-file"])
def test_a_path_that_cannot_be_stated_is_one_line(project, command, name):
    result = run(command, name, "good.py", cwd=project)
    no_traceback(result)
    assert result.returncode == 2, text(result.stderr)
    assert len([line for line in text(result.stderr).splitlines() if name.rstrip("/")[:40] in line]) == 1, \
        text(result.stderr)
    if command == "check":
        assert b"good.py:6:5: ASP101" in result.stdout
    else:
        assert (project / "good.py").read_text(encoding="utf-8") == FIXED


def deep_folder(base: Path) -> None:
    """A folder nested so deep that its path is longer than PATH_MAX: no one can list it by name,
    root neither (built by descriptors, as only they reach it)."""
    descriptor = os.open(base, os.O_RDONLY)
    try:
        for _ in range(20):
            os.mkdir("d" * (NAME_MAX - 5), dir_fd=descriptor)
            inner = os.open("d" * (NAME_MAX - 5), os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        with open(os.open("deep.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor), "w") as stream:
            stream.write(ONE_FINDING)
    finally:
        os.close(descriptor)


@POSIX
@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_folder_that_cannot_be_listed_is_reported_not_skipped(project, command):
    (project / "pkg").mkdir()
    (project / "pkg" / "mod.py").write_text(ONE_FINDING, encoding="utf-8")
    deep_folder(project / "pkg")
    result = run(command, "pkg", "good.py", cwd=project)
    no_traceback(result)
    assert result.returncode == 2
    problems = [line for line in text(result.stderr).splitlines() if "cannot read folder" in line]
    assert len(problems) == 1, text(result.stderr)
    assert "too long" in problems[0]
    if command == "check":
        assert sorted(Path(line.split(b":")[0].decode()).name for line in result.stdout.splitlines()) == \
            ["good.py", "mod.py"]
        rows = json.loads(run(command, "--output-format", "json", "pkg", "good.py", cwd=project).stdout)
        folder = [r for r in rows if r["code"] == "E902"]
        assert len(folder) == 1 and folder[0]["name"] == "file-error" and "too long" in folder[0]["message"]
        assert folder[0]["path"] and "cannot read folder" not in folder[0]["path"]


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root lists any folder; test_a_folder_that_cannot_be_listed_is_reported_not_skipped "
                           "covers the same report with a path longer than PATH_MAX")
def test_a_folder_without_permission_is_reported(project):
    (project / "pkg" / "locked").mkdir(parents=True)
    (project / "pkg" / "locked" / "mod.py").write_text(ONE_FINDING, encoding="utf-8")
    (project / "pkg" / "locked").chmod(0)
    try:
        result = run("check", "pkg", "good.py", cwd=project)
    finally:
        (project / "pkg" / "locked").chmod(0o755)
    assert_one_line_and_good_still_checked(result, "locked")


@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes on Linux only")
@pytest.mark.parametrize("output", [[], ["--format", "json"], ["--statistics"]])
def test_an_undecodable_file_name_prints_escaped_on_a_strict_utf8_stdout(project, output):
    os.rename(project / "good.py", os.fsencode(project) + b"/caf\xe9.py")
    result = run("check", *output, ".", cwd=project, PYTHONIOENCODING="utf-8")
    no_traceback(result)
    assert result.returncode == 1, text(result.stderr)
    assert b"caf" in result.stdout
    result.stdout.decode("utf-8")  # strict: what was asked for


@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes on Linux only")
def test_an_undecodable_file_name_in_a_diff(project):
    os.rename(project / "good.py", os.fsencode(project) + b"/caf\xe9.py")
    result = run("fix", "--diff", ".", cwd=project, PYTHONIOENCODING="utf-8")
    no_traceback(result)
    assert result.returncode == 1
    assert b"+    await fetch()" in result.stdout


@POSIX
@pytest.mark.parametrize("args", [["check"], ["check", "--format", "json"], ["fix", "--diff"]])
def test_a_closed_pipe_ends_the_run_quietly(project, args):
    (project / "many.py").write_text(ONE_FINDING + "    fetch()\n" * 5000, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "flake8_async_patterns", *args, "many.py"], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment())
    process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    stderr = process.stderr.read()
    status = process.wait(timeout=120)
    assert stderr == b"", stderr.decode(errors="replace")
    assert status == 128 + 13


# -- item 4: encodings --------------------------------------------------------------------


def coded(cookie: str, body: str = ONE_FINDING) -> bytes:
    return f"# -*- coding: {cookie} -*-\n{body}".encode("ascii")


@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_punycode_cookie_is_one_line(project, command):
    (project / "bad.py").write_bytes(coded("punycode"))
    result = run(command, "bad.py", "good.py", cwd=project)
    no_traceback(result)
    assert result.returncode == 2
    assert len([line for line in text(result.stderr).splitlines() if "bad.py" in line]) == 1
    assert (project / "bad.py").read_bytes() == coded("punycode")


@pytest.mark.parametrize("cookie, body", [
    ("idna", ONE_FINDING),
    ("utf-7", ONE_FINDING.replace("return 1", "return '+AOk-'")),  # é, but it encodes back as +AOk
    ("unicode_escape", ONE_FINDING),  # a newline decodes from a newline and encodes as \\n
])
@pytest.mark.parametrize("mode", [[], ["--diff"]])
def test_a_file_whose_encoding_does_not_give_back_its_bytes_is_not_fixed(project, cookie, body, mode):
    original = coded(cookie, body)
    (project / "odd.py").write_bytes(original)
    result = run("fix", *mode, "odd.py", "good.py", cwd=project)
    no_traceback(result)
    assert result.returncode == 2, text(result.stderr)
    assert (project / "odd.py").read_bytes() == original
    refusals = [line for line in text(result.stderr).splitlines() if "odd.py" in line]
    assert len(refusals) == 1 and cookie in refusals[0] and "left unchanged" in refusals[0], refusals
    assert b"a/odd.py" not in result.stdout, "no diff for a file that will not be written"


@pytest.mark.parametrize("cookie, body", [
    ("utf-7", ONE_FINDING),  # plain ASCII: utf-7 gives it back
    ("latin-1", ONE_FINDING.replace("return 1", "return 'caf\u00e9'")),
])
def test_a_file_whose_encoding_gives_back_its_bytes_is_fixed(project, cookie, body):
    (project / "ok.py").write_bytes(f"# -*- coding: {cookie} -*-\n{body}".encode(cookie))
    result = run("fix", "ok.py", cwd=project)
    no_traceback(result)
    assert result.returncode == 1 and b"fixed 1" in result.stderr, text(result.stderr)
    expected = body.replace("    fetch()", "    await fetch()")
    assert (project / "ok.py").read_bytes() == f"# -*- coding: {cookie} -*-\n{expected}".encode(cookie)


@pytest.mark.parametrize("cookie", ["utf-7", "unicode_escape", "idna"])
def test_check_reads_lossy_encodings(project, cookie):
    (project / "odd.py").write_bytes(coded(cookie))
    result = run("check", "odd.py", cwd=project)
    no_traceback(result)
    assert result.returncode == 1, text(result.stderr)


# -- item 5: bad configuration ------------------------------------------------------------


CONFIG_LINE = re.compile(r"^async-patterns: (?P<file>\S+pyproject\.toml): (?P<key>[\w.*/-]+): (?P<problem>.+)$")


@pytest.mark.parametrize("toml, key", [
    ("[tool.async-patterns]\nmax-fanout = 1e400\n", "max-fanout"),
    ("[tool.async-patterns]\nmax-fanout = 2.5\n", "max-fanout"),
    ("[tool.async-patterns]\nmax_fanout = true\n", "max_fanout"),
    ("[tool.async-patterns]\nconcurrency = [3]\n", "concurrency"),
    ("[tool.async-patterns]\nasync-patterns-concurrency = -inf\n", "async-patterns-concurrency"),
    ("[tool.async-patterns]\nexclude = [1, 2]\n", "exclude"),
    ("[tool.async-patterns]\nexclude = {a = 1}\n", "exclude"),
    ("[tool.async-patterns]\ncoroutine-functions = 5\n", "coroutine-functions"),
    ("[tool.async-patterns]\nnon-coroutine-decorators = [true]\n", "non-coroutine-decorators"),
    ("[tool.async-patterns]\nfanout-origins = [1]\n", "fanout-origins"),
    ("[tool.async-patterns]\nfanout-origins = ['everywhere']\n", "fanout-origins"),
    ("[tool.async-patterns]\ntarget-version = 3.10\n", "target-version"),
    ("[tool.async-patterns]\ntarget-version = 'python four'\n", "target-version"),
    ("[project]\nrequires-python = 3\n", "requires-python"),
    ("[tool]\nasync-patterns = 5\n", "tool.async-patterns"),
    ("tool = 5\n", "tool"),
    ("project = 'x'\n", "project"),
    ("[tool.async-patterns]\nselect = 5\n", "select"),
    ("[tool.async-patterns]\nselect = ['XYZ']\n", "select"),
    ("[tool.async-patterns]\nselect = ['ASP999']\n", "select"),
    ("[tool.async-patterns]\nextend-select = ['ASP9']\n", "extend-select"),
    ("[tool.async-patterns]\nextend_select = 'B950'\n", "extend_select"),
    ("[tool.async-patterns]\nignore = ['ASP1000']\n", "ignore"),
    ("[tool.async-patterns]\nextend-ignore = ['E501']\n", "extend-ignore"),
    ("[tool.async-patterns]\nper-file-ignores = {'tests/*' = ['XYZ']}\n", "per-file-ignores.tests/*"),
    ("[tool.async-patterns]\nper-file-ignores = 5\n", "per-file-ignores"),
    ("[tool.async-patterns]\nrespect-gitignore = 'yes'\n", "respect-gitignore"),
    ("[tool.async-patterns]\nextend-exclude = [1]\n", "extend-exclude"),
])
@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_bad_configuration_value_is_one_line_naming_the_key_and_exit_2(project, toml, key, command):
    (project / "pyproject.toml").write_text(toml, encoding="utf-8")
    result = run(command, "good.py", cwd=project)
    no_traceback(result)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == b""
    lines = text(result.stderr).splitlines()
    assert len(lines) == 1, lines
    match = CONFIG_LINE.match(lines[0])
    assert match and match["key"] == key, lines[0]
    assert (project / "good.py").read_text(encoding="utf-8") == ONE_FINDING


@pytest.mark.parametrize("toml", [
    "[tool.async-patterns]\nselect = ['ASP']\n",
    "[tool.async-patterns]\nselect = ['asp1']\n",
    "[tool.async-patterns]\nselect = 'ASP101, ASP102'\n",
    "[tool.async-patterns]\nextend-ignore = ['ASP2']\nexclude = 'migrations/*'\n",
    "[tool.async-patterns]\nmax-fanout = 20\nconcurrency = '4'\ntarget-version = 'py311'\n",
    "[project]\nrequires-python = '>=3.10'\n[tool.other]\nx = 1\n",
    "[tool.async-patterns]\nfanout-origins = 'awaited, constant'\n",
])
def test_good_configuration_values_still_work(project, toml):
    (project / "pyproject.toml").write_text(toml, encoding="utf-8")
    result = run("check", "good.py", cwd=project)
    no_traceback(result)
    assert result.returncode == 1, text(result.stderr)
    assert b"ASP101" in result.stdout


@pytest.mark.parametrize("command", ["check", "fix"])
@pytest.mark.parametrize("option, value", [
    ("--select", "ASP999"), ("--select", "ASP1,ASP9"), ("--extend-select", "ASP1000"), ("--ignore", "ASP8"),
])
def test_an_unknown_code_on_the_command_line_is_a_usage_error(project, command, option, value):
    result = run(command, option, value, "good.py", cwd=project)
    no_traceback(result)
    assert result.returncode == 2
    assert result.stdout == b""
    assert len(result.stderr.splitlines()) == 1 and b"ASP" in result.stderr
    assert (project / "good.py").read_text(encoding="utf-8") == ONE_FINDING


@pytest.mark.parametrize("option, value", [("--select", "ASP"), ("--select", "ASP1"), ("--ignore", "ASP10"),
                                           ("--extend-select", "ASP101")])
def test_a_known_code_or_prefix_on_the_command_line_is_accepted(project, option, value):
    result = run("check", option, value, "good.py", cwd=project)
    no_traceback(result)
    assert result.returncode in (0, 1), text(result.stderr)


@pytest.mark.parametrize("toml", ["project = 5\n", "[project]\nrequires-python = 3\n", "[tool]\nasync-patterns = 5\n"])
def test_flake8_is_not_upset_by_a_pyproject_it_does_not_read(project, toml):
    """flake8 reads its own configuration; our plugin only looks at requires-python."""
    (project / "pyproject.toml").write_text(toml, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "flake8", "--select", "ASP", "good.py"], cwd=project,
                            capture_output=True, timeout=120, env=environment())
    no_traceback(result)
    assert result.returncode == 1, text(result.stderr)
    assert b"ASP101" in result.stdout


@pytest.mark.parametrize("argument, words", [
    ("--async-patterns-max-fanout=2.5", ["async-patterns-max-fanout", "2.5"]),
    ("--async-patterns-concurrency=", []),
])
def test_flake8_option_values(project, argument, words):
    result = subprocess.run([sys.executable, "-m", "flake8", "--select", "ASP", argument, "good.py"], cwd=project,
                            capture_output=True, timeout=120, env=environment())
    no_traceback(result)
    if words:
        assert result.returncode != 0 and result.stdout == b""
        assert all(word.encode() in result.stderr for word in words), result.stderr
    else:
        assert result.returncode == 1 and b"ASP101" in result.stdout


# -- item 8: how fixed files are written --------------------------------------------------


def fix(project: Path, *names: str) -> subprocess.CompletedProcess:
    result = run("fix", *names, cwd=project)
    no_traceback(result)
    assert result.returncode == 1 and b"fixed 1" in result.stderr, text(result.stderr)  # 1: files changed
    assert not [p for p in project.rglob("*.tmp")], "a temporary file was left behind"
    return result


@POSIX
def test_a_hard_linked_file_stays_one_file(project):
    (project / "pkg").mkdir()
    os.link(project / "good.py", project / "pkg" / "alias.py")
    os.link(project / "good.py", project / "third.txt")
    fix(project, "good.py")
    for name in ("good.py", "pkg/alias.py", "third.txt"):
        assert (project / name).read_text(encoding="utf-8") == FIXED, name
    assert os.stat(project / "good.py").st_ino == os.stat(project / "pkg" / "alias.py").st_ino
    assert os.stat(project / "good.py").st_nlink == 3


@POSIX
def test_a_file_with_one_link_is_replaced_atomically_and_keeps_its_mode(project):
    os.chmod(project / "good.py", 0o640)
    before = os.stat(project / "good.py").st_ino
    fix(project, "good.py")
    after = os.stat(project / "good.py")
    assert after.st_ino != before, "written by rename, so no reader ever sees half a file"
    assert after.st_mode & 0o777 == 0o640
    assert (project / "good.py").read_text(encoding="utf-8") == FIXED


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() != 0, reason="only root can give a file away")
def test_owner_and_group_are_kept(project):
    os.chown(project / "good.py", 1234, 4321)
    fix(project, "good.py")
    info = os.stat(project / "good.py")
    assert (info.st_uid, info.st_gid) == (1234, 4321)
    assert (project / "good.py").read_text(encoding="utf-8") == FIXED


@pytest.mark.skipif(not hasattr(os, "setxattr"), reason="no extended attributes on this platform")
def test_extended_attributes_are_kept(project):
    try:
        os.setxattr(project / "good.py", "user.origin", b"generated by hand")
    except OSError as error:
        if error.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
            pytest.skip(f"the file system of {project} takes no user extended attributes: {error.strerror}")
        raise
    fix(project, "good.py")
    assert os.getxattr(project / "good.py", "user.origin") == b"generated by hand"
    assert (project / "good.py").read_text(encoding="utf-8") == FIXED


@POSIX
def test_a_symlink_and_a_hard_link_of_its_target(project):
    os.link(project / "good.py", project / "twin.py")
    os.symlink("good.py", project / "link.py")
    fix(project, "link.py")
    assert (project / "link.py").is_symlink()
    assert (project / "twin.py").read_text(encoding="utf-8") == FIXED


# the write's fall-backs, in process: what the command cannot be made to meet on demand


def test_a_temporary_copy_that_cannot_take_the_attributes_gives_way_to_writing_in_place(tmp_path, monkeypatch):
    from flake8_async_patterns import fixing

    path = tmp_path / "mod.py"
    path.write_text(ONE_FINDING, encoding="utf-8")
    before = os.stat(path).st_ino

    def refuse(source, destination):
        raise PermissionError(errno.EPERM, "Operation not permitted", destination)

    monkeypatch.setattr(fixing, "_copy_xattrs", refuse)  # like security.* attributes for a user
    fixing.write_atomically(path, FIXED, "utf-8")
    assert path.read_text(encoding="utf-8") == FIXED
    assert os.stat(path).st_ino == before
    assert [p.name for p in tmp_path.iterdir()] == ["mod.py"]


@POSIX
def test_a_failed_write_in_place_puts_the_old_bytes_back(tmp_path, monkeypatch):
    from flake8_async_patterns import fixing

    path = tmp_path / "mod.py"
    path.write_text(ONE_FINDING, encoding="utf-8")
    os.link(path, tmp_path / "twin.py")

    def disk_full(descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fixing.os, "fsync", disk_full)
    with pytest.raises(OSError):
        fixing.write_atomically(path, FIXED, "utf-8")
    monkeypatch.undo()
    assert (tmp_path / "twin.py").read_text(encoding="utf-8") == ONE_FINDING


def test_new_text_that_the_encoding_cannot_hold_is_not_written(tmp_path):
    from flake8_async_patterns import fixing

    path = tmp_path / "mod.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nx = 1\n")
    with pytest.raises(ValueError, match="latin-1"):
        fixing.write_atomically(path, "# -*- coding: latin-1 -*-\nx = '\u65e5'\n", "latin-1")
    assert path.read_bytes() == b"# -*- coding: latin-1 -*-\nx = 1\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", [["check", "--no-cache", "."], ["check", "--no-cache", "pipe.py"],
                                     ["fix", "."], ["fix", "pipe.py"]])
def test_a_fifo_named_like_a_module_is_reported_not_read(project, command):
    """Discovery finds it, or the user names it: reading it must not wait for a writer."""
    os.mkfifo(project / "pipe.py")
    result = subprocess.run([sys.executable, "-m", "flake8_async_patterns", *command], cwd=project,
                            capture_output=True, timeout=30, env=environment())
    no_traceback(result)
    assert result.returncode == 2
    lines = [line for line in text(result.stderr).splitlines() if "pipe.py" in line]
    assert len(lines) == 1 and "not a regular file (a FIFO)" in lines[0], text(result.stderr)
    if "." in command:  # the other file is checked (or fixed) all the same
        assert "good.py" in text(result.stdout) + text(result.stderr) or \
            (project / "good.py").read_text(encoding="utf-8") == FIXED
