"""The pre-commit hooks, run by the real `pre-commit try-repo` against a scratch git repository.

Contract: DESIGN.md "Promises to users" (pre-commit: a check hook and a fix hook in
`.pre-commit-hooks.yaml` at the root), issue 6 "pre-commit".

`pre-commit try-repo` builds the hook's environment by installing this project from the package
index (so the test is marked `network`; `make test` still runs it).  try-repo snapshots a local
repository's *tracked* files only (`git add -u`), so a hook file or module not yet committed
would be missed: the test mirrors the working tree (tracked and untracked, minus what git
ignores) into a git repository of its own and tries that, so it tests the tree as it is.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUGGY = """\
async def fetch():
    return 1


async def main():
    fetch()
"""
FIXED = BUGGY.replace("    fetch()", "    await fetch()")

pytestmark = [pytest.mark.network, pytest.mark.slow]


def git(cwd: Path, env: dict, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True,
                          timeout=120).stdout


@pytest.fixture
def env(tmp_path) -> dict:
    (tmp_path / "gitconfig").write_text("")
    return {
        **os.environ,
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
    }


@pytest.fixture
def hook_repo(tmp_path, env) -> Path:
    """A git repository holding this project's working tree as it is now."""
    if not (ROOT / ".git").exists():
        pytest.skip("the project is not a git checkout")
    listed = git(ROOT, env, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    mirror = tmp_path / "hook-repo"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is left out
            (mirror / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, mirror / name)
    assert (mirror / ".pre-commit-hooks.yaml").is_file()
    git(mirror, env, "init", "-q")
    git(mirror, env, "add", "-A")
    git(mirror, env, "commit", "-q", "-m", "the working tree")
    return mirror


@pytest.fixture
def project(tmp_path, env) -> Path:
    """A user's repository with one buggy file, committed."""
    repo = tmp_path / "project"
    repo.mkdir()
    (repo / "buggy.py").write_text(BUGGY)
    (repo / "notes.txt").write_text("fetch()\n")  # not Python: the hooks leave it alone
    git(repo, env, "init", "-q")
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "buggy")
    return repo


def try_repo(project: Path, hook_repo: Path, env: dict, hook: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--all-files"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900)


def test_check_hook_fails_on_the_defect(project, hook_repo, env):
    done = try_repo(project, hook_repo, env, "async-patterns")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "buggy.py:6:5: ASP101" in done.stdout, done.stdout
    assert (project / "buggy.py").read_text() == BUGGY


def test_fix_hook_rewrites_the_file_then_passes(project, hook_repo, env):
    done = try_repo(project, hook_repo, env, "async-patterns-fix")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "files were modified by this hook" in done.stdout, done.stdout
    assert (project / "buggy.py").read_text() == FIXED
    assert (project / "notes.txt").read_text() == "fetch()\n"

    again = try_repo(project, hook_repo, env, "async-patterns-fix")
    assert again.returncode == 0, again.stdout + again.stderr
    checked = try_repo(project, hook_repo, env, "async-patterns")
    assert checked.returncode == 0, checked.stdout + checked.stderr
