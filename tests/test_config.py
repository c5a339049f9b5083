"""Configuration keys and the flags beside them, through the command line: per-file-ignores,
extend-exclude, respect-gitignore, target-version, --jobs auto, configuration per sub-project."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BUGGY = "async def fetch():\n    return 1\n\n\nasync def main():\n    fetch()\n"
ORPHANS = ("import asyncio\nimport logging\n\n\nasync def reserve(order):\n    await asyncio.sleep(0)\n\n\n"
           "async def charge(order):\n    await asyncio.sleep(0)\n\n\nasync def place(order):\n    try:\n"
           "        return await asyncio.gather(reserve(order), charge(order))\n    except Exception:\n"
           "        logging.exception('order %s failed', order)\n        return None\n")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8_async_patterns", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def reported(done: subprocess.CompletedProcess) -> list[str]:
    return sorted(os.path.normpath(line.split(":")[0]) for line in done.stdout.splitlines())


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_per_file_ignores_in_pyproject_and_on_the_command_line(tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.async-patterns]\nper-file-ignores = {"tests/*" = ["ASP1"]}\n',
                     "tests/test_app.py": BUGGY, "src/app.py": BUGGY, "scripts/run.py": BUGGY})
    assert reported(run(tmp_path, "check", ".")) == ["scripts/run.py", "src/app.py"]
    flagged = run(tmp_path, "check", ".", "--per-file-ignores", "scripts/*:ASP101")
    assert reported(flagged) == ["src/app.py"]
    fixed = run(tmp_path, "fix", ".")
    assert fixed.returncode == 1 and "test_app.py" not in fixed.stderr
    assert (tmp_path / "tests/test_app.py").read_text() == BUGGY
    assert "await fetch()" in (tmp_path / "src/app.py").read_text()


def test_extend_exclude_adds_to_exclude(tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.async-patterns]\nexclude = ["gen/*"]\nextend-exclude = ["old/*"]\n',
                     "gen/a.py": BUGGY, "old/b.py": BUGGY, "new/c.py": BUGGY, "more/d.py": BUGGY})
    assert reported(run(tmp_path, "check", ".")) == ["more/d.py", "new/c.py"]
    assert reported(run(tmp_path, "check", ".", "--extend-exclude", "more")) == ["new/c.py"]


def test_gitignored_files_are_skipped_unless_named_or_switched_off(tmp_path):
    write(tmp_path, {".gitignore": "generated/\n*_pb2.py\n", "pkg/.gitignore": "local.py\n",
                     "generated/a.py": BUGGY, "pkg/api_pb2.py": BUGGY, "pkg/local.py": BUGGY, "pkg/real.py": BUGGY})
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "info").mkdir()
    (tmp_path / ".git" / "info" / "exclude").write_text("pkg/real_too.py\n")
    write(tmp_path, {"pkg/real_too.py": BUGGY})
    assert reported(run(tmp_path, "check", ".")) == ["pkg/real.py"]
    assert reported(run(tmp_path, "check", "pkg/local.py")) == ["pkg/local.py"]  # named: checked
    assert len(reported(run(tmp_path, "check", ".", "--no-respect-gitignore"))) == 5
    write(tmp_path, {"pyproject.toml": "[tool.async-patterns]\nrespect-gitignore = false\n"})
    assert len(reported(run(tmp_path, "check", "."))) == 5


def test_a_gitignore_outside_a_work_tree_is_not_read(tmp_path):
    write(tmp_path, {".gitignore": "*.py\n", "app.py": BUGGY})
    assert reported(run(tmp_path, "check", ".")) == ["app.py"]


def test_target_version_flag_gates_the_taskgroup_fix(tmp_path):
    write(tmp_path, {"app.py": ORPHANS})
    old = run(tmp_path, "fix", "--extend-select", "ASP305", "--unsafe-fixes", "--diff", "--target-version", "py310",
              ".")
    assert "TaskGroup" not in old.stdout
    new = run(tmp_path, "fix", "--extend-select", "ASP305", "--unsafe-fixes", "--diff", "--target-version", "3.11", ".")
    assert "asyncio.TaskGroup()" in new.stdout
    bad = run(tmp_path, "check", "--target-version", "python", ".")
    assert bad.returncode == 2 and "--target-version" in bad.stderr


def test_jobs_auto(tmp_path):
    write(tmp_path, {"a.py": BUGGY, "b.py": BUGGY})
    assert reported(run(tmp_path, "check", "--jobs", "auto", ".")) == ["a.py", "b.py"]
    bad = run(tmp_path, "check", "--jobs", "many", ".")
    assert bad.returncode == 2 and "'many' is not a number or 'auto'" in bad.stderr


def test_each_file_takes_the_nearest_pyproject(tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.async-patterns]\nignore = ["ASP101"]\n', "root.py": BUGGY,
                     "services/api/pyproject.toml": "[tool.async-patterns]\n", "services/api/app.py": BUGGY,
                     "services/worker/job.py": BUGGY})
    assert reported(run(tmp_path, "check", ".")) == ["services/api/app.py"]
    # --config names one configuration for every file
    assert reported(run(tmp_path, "check", "--config", "services/api/pyproject.toml", ".")) == \
        ["root.py", "services/api/app.py", "services/worker/job.py"]


def test_a_bad_sub_project_configuration_is_one_line(tmp_path):
    write(tmp_path, {"sub/pyproject.toml": "[tool.async-patterns]\nmax-fanout = 'many'\n", "sub/app.py": BUGGY})
    done = run(tmp_path, "check", ".")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "max-fanout" in done.stderr
