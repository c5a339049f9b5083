"""`python bench/run.py speed`: time the tools side by side on the bench corpus, in one run.

Every measurement is one child process over the same list of files, run `--repeat` times
(round robin, so that a slow moment of the machine does not land on one tool only); the
table shows the median wall time and the peak resident memory of the child (ru_maxrss from
os.wait4, i.e. of that child and the workers it waited for). flake8 runs in four venvs of
its own under the cache folder: flake8 alone, + flake8-bugbear, + flake8-async, + this
project. flake8 runs every installed plugin whatever `--select` says, so a plugin's overhead
is its venv's time minus the time of the venv with flake8 alone. ruff gets a venv too.

The venvs are made once and reused (`--rebuild` makes them again); the venv of this project
gets a fresh snapshot of the working tree at every run. Nothing is pinned beyond what pip
resolves; the versions used are printed and written to docs/performance.md. Standard
library only, Unix only (resource, os.wait4). Nothing here asserts a timing.
"""
from __future__ import annotations

import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# -- the child processes -------------------------------------------------------------------------

FLOOR_SCRIPT = """\
import ast, sys
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    with open(path, "rb") as f:
        source = f.read()
    try:
        ast.parse(source, path)
    except (SyntaxError, ValueError):
        pass
"""

# Run by the project's venv python: `check --jobs 1` in-process under cProfile; prints JSON.
PROFILE_SCRIPT = """\
import cProfile, importlib.util, io, json, os, pstats, sys, time
from contextlib import redirect_stderr, redirect_stdout
from flake8_async_patterns.cli import main

files = open(sys.argv[1], encoding="utf-8").read().splitlines()
profile = cProfile.Profile()
start = time.perf_counter()
with open(os.devnull, "w") as sink, redirect_stdout(sink), redirect_stderr(sink):
    profile.enable()
    try:
        code = main(["check", "--jobs", "1", "--no-cache", *files])
    except SystemExit as stop:
        code = stop.code
    profile.disable()
total = time.perf_counter() - start

stats = pstats.Stats(profile).stats
real = {}
def where(func):
    filename = func[0]
    if filename not in real:
        real[filename] = os.path.realpath(filename) if filename and filename[0] not in "<~" else filename
    return real[filename]

spec = importlib.util.find_spec("flake8_async_patterns")
package = os.path.dirname(os.path.realpath(spec.origin)) + os.sep
spec = importlib.util.find_spec("flake8_async_patterns.analysis.external")
external = os.path.realpath(spec.origin) if spec and spec.origin else None
spec = importlib.util.find_spec("astroid")
astroid_dir = os.path.realpath(spec.submodule_search_locations[0]) + os.sep if spec else None
sys.setrecursionlimit(100000)

def entry_time(test):
    # Cumulative time of the calls into the code that `test` selects, from outside it. Code of
    # this project counts as outside; other code (builtins such as next() or list(), the stdlib,
    # other libraries) is outside only as far as its own callers are: astroid drives its
    # generators through next() and contextlib, and those calls are inside astroid already.
    memo = {}
    def outside(func):
        path = where(func)
        if test(path):
            return 0.0
        if path.startswith(package) or func not in stats:
            return 1.0
        if func not in memo:
            memo[func] = 1.0  # a cycle through other code: count it as outside
            callers = stats[func][4]
            total = sum(edge[3] for edge in callers.values())
            memo[func] = (sum(edge[3] * outside(c) for c, edge in callers.items()) / total
                          if total > 0 else 1.0)
        return memo[func]
    seconds, calls, top = 0.0, 0, {}
    for func, (_cc, _nc, _tt, _ct, callers) in stats.items():
        if not test(where(func)):
            continue
        for caller, edge in callers.items():
            share = outside(caller)
            if share:
                seconds += edge[3] * share
                calls += round(edge[1] * share)
                key = f"{os.path.basename(func[0])}:{func[1]}:{func[2]}"
                top[key] = top.get(key, 0.0) + edge[3] * share
    return {"seconds": seconds, "calls": calls,
            "top": sorted(top.items(), key=lambda item: -item[1])[:5]}

print(json.dumps({
    "exit": code,
    "profiled_seconds": total,
    "external_exists": external is not None,
    "external": entry_time(lambda f: f == external) if external else None,
    "astroid_installed": astroid_dir is not None,
    "astroid_imported": "astroid" in sys.modules,
    "astroid": entry_time(lambda f: f.startswith(astroid_dir)) if astroid_dir else None,
}))
"""

VERSIONS_SCRIPT = """\
import importlib.metadata as m, json, platform
print(json.dumps({"python": platform.python_version(),
                  "dists": {d.metadata["Name"].lower(): d.version for d in m.distributions()}}))
"""

INTERESTING = ("flake8", "pyflakes", "pycodestyle", "mccabe", "flake8-bugbear", "flake8-async",
               "flake8-async-patterns", "astroid", "libcst", "ruff")

SNAPSHOT_IGNORE = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", "build", "dist",
                                         "*.egg-info", ".pytest_cache", ".hypothesis", ".ruff_cache",
                                         ".mypy_cache", ".tox", ".nox")


@dataclass
class Sample:
    wall: float
    cpu: float
    maxrss: int  # bytes
    code: int


@dataclass
class Bench:
    key: str
    label: str
    command: list[str]
    ok_codes: tuple[int, ...] = (0, 1)
    env: dict[str, str] | None = None
    before: object = None  # called before each run (unmeasured), and `after` after it
    after: object = None
    samples: list[Sample] = field(default_factory=list)
    error: str = ""  # why there is no number

    @property
    def median(self) -> float | None:
        return statistics.median(s.wall for s in self.samples) if self.samples and not self.error else None

    @property
    def maxrss(self) -> int | None:
        return max(s.maxrss for s in self.samples) if self.samples and not self.error else None


def measure(bench: Bench, cwd: Path, out: Path) -> None:
    """Run `bench.command` once; wall time, CPU time and peak RSS of the child from os.wait4."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"{bench.key}.out", "wb") as stdout, open(out / f"{bench.key}.err", "wb") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(bench.command, cwd=cwd, env=bench.env, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = code = os.waitstatus_to_exitcode(status)
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    if code not in bench.ok_codes:
        tail = (out / f"{bench.key}.err").read_text(encoding="utf-8", errors="replace")[-2000:]
        bench.error = f"exit {code}"
        print(f"  {bench.label}: FAILED (exit {code}); stderr ends with:\n{tail}", flush=True)
        return
    bench.samples.append(Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * scale, code))


# -- venvs ---------------------------------------------------------------------------------------

def _run(command: list[str], what: str) -> str:
    """Run a setup command; '' when it worked, else the last lines of its output."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode == 0:
        return ""
    lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
    return f"{what} failed (exit {done.returncode}): " + " | ".join(lines[-3:])


def snapshot(repo: Path, dest: Path) -> None:
    """Copy the working tree (uncommitted changes included) so pip builds it outside the repo."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(repo, dest, ignore=SNAPSHOT_IGNORE)


def ensure_venv(folder: Path, requirements: list[str], rebuild: bool, refresh: str | None = None) -> str:
    """Make the venv at `folder` with `requirements` unless it is there already. '' or an error.

    `refresh`: a local project reinstalled (without touching its dependencies) on every run; the
    venv is made again when that project's pyproject.toml changes (its dependencies may have).
    """
    stamp = folder / ".bench-requirements.json"
    python = folder / "bin" / "python"
    wanted = requirements + ([(Path(refresh) / "pyproject.toml").read_text(encoding="utf-8")] if refresh else [])
    current = stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")) == wanted
    if rebuild or not current or not python.exists():
        print(f"  creating {folder} with {' '.join(requirements)}", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        error = (_run([sys.executable, "-m", "venv", str(folder)], "python -m venv")
                 or _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                          *requirements], "pip install"))
        if error:
            return error
        stamp.write_text(json.dumps(wanted), encoding="utf-8")
    elif refresh:
        print(f"  reinstalling the working tree into {folder}", flush=True)
        error = _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                      "--no-deps", "--force-reinstall", refresh], "pip install")
        if error:
            return error
    return ""


def versions(python: Path) -> dict:
    done = subprocess.run([str(python), "-c", VERSIONS_SCRIPT], capture_output=True, text=True)
    return json.loads(done.stdout) if done.returncode == 0 else {"python": "?", "dists": {}}


# -- the run -------------------------------------------------------------------------------------

def corpus_files(folders: list[Path]) -> list[str]:
    files = []
    for folder in folders:
        files += sorted(str(p) for p in folder.rglob("*.py") if "__pycache__" not in p.parts)
    return files


def git_state(repo: Path) -> str:
    """The last commit that touched the measured code, and whether it has uncommitted changes."""
    measured = ["flake8_async_patterns", "pyproject.toml"]
    head = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%h", "--", *measured],
                          capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--", *measured],
                           capture_output=True, text=True)
    if head.returncode != 0:
        return "not a git checkout"
    return head.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.platform()}, {cpu}, {os.cpu_count()} CPUs"


KEYS = ("floor", "flake8", "bugbear", "flake8-async", "ours", "check1", "check2", "checkauto", "warm", "changed",
        "fix", "ruff", "profile")


def _usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def changed_module(files: list[str]) -> str:
    """The corpus module imported by the most others (by its dotted name's last part): the
    worst one-file change for a cache, the common one in a real edit."""
    import re

    counts: dict[str, int] = {}
    names = {}
    for path in files:
        stem = Path(path).stem
        if stem != "__init__" and "/test" not in path and stem not in sys.stdlib_module_names:
            names.setdefault(stem, path)
    pattern = re.compile(r"^\s*(?:from\s+[\w.]*?(\w+)\s+import|import\s+[\w.]*?(\w+)\b)", re.MULTILINE)
    for path in files:
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for a, b in pattern.findall(text):
            name = a or b
            if name in names:
                counts[name] = counts.get(name, 0) + 1
    return names[max(counts, key=counts.get)] if counts else files[0]


class OneFileEdit:
    """Append a comment to one module before a run and restore it after: `check` with the
    cache re-reads what depends on it."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.original = self.path.read_bytes()
        self.count = 0

    def before(self) -> None:
        self.count += 1
        self.path.write_bytes(self.original + f"\n# edited by bench speed {self.count}\n".encode())

    def after(self) -> None:
        self.path.write_bytes(self.original)


def run(cache: Path, repo: Path, folders: list[Path], labels: list[str], repeat: int, rebuild: bool,
        output: Path | None, skip: frozenset[str] = frozenset()) -> int:
    if not hasattr(os, "wait4"):
        sys.exit("bench speed: needs os.wait4 and resource (Linux or macOS)")
    work = cache / "speed"
    venvs = work / "venvs"
    state = git_state(repo)  # the code measured; the project venv's install is editable
    files = corpus_files(folders)
    listing = work / "files.txt"
    work.mkdir(parents=True, exist_ok=True)
    listing.write_text("".join(f + "\n" for f in files), encoding="utf-8")
    print(f"\nspeed: {len(files)} files in {len(folders)} folders; {repeat} run(s) each, single process", flush=True)

    # venvs: made once, reused; this project's one gets the current working tree every run
    tree = work / "snapshot" / "flake8-async-patterns"
    snapshot(repo, tree)
    setups = {
        "flake8": ["flake8"],
        "bugbear": ["flake8", "flake8-bugbear"],
        "flake8-async": ["flake8", "flake8-async"],
        "ours": ["flake8", str(tree)],
        "ruff": ["ruff"],
    }
    venv_errors = {name: "skipped" if name in skip else
                   ensure_venv(venvs / name, reqs, rebuild, refresh=str(tree) if name == "ours" else None)
                   for name, reqs in setups.items()}
    for name, error in venv_errors.items():
        if error and name not in skip:
            print(f"  venv {name}: {error}", flush=True)

    here = Path(sys.executable)
    tool = str(here.with_name("async-patterns"))
    warm_cache = work / "result-cache"
    shutil.rmtree(warm_cache, ignore_errors=True)
    prime = [tool, "check", "--cache-dir", str(warm_cache), *files]  # fills the cache, unmeasured
    edit = OneFileEdit(changed_module(files))
    ruff_env = {**os.environ, "RAYON_NUM_THREADS": "1"}  # one thread, like the others
    benches = [
        Bench("floor", "ast.parse of every file (floor)", [str(here), "-c", FLOOR_SCRIPT, str(listing)], (0,)),
        *(Bench(name, label, [str(venvs / name / "bin" / "flake8"), "-j1", "--select", "F", *files],
                error=venv_errors[name] and ("skipped" if name in skip else "venv unavailable"))
          for name, label in [("flake8", "flake8 -j1 --select F: flake8 alone (baseline)"),
                              ("bugbear", "flake8 -j1 --select F: + flake8-bugbear"),
                              ("flake8-async", "flake8 -j1 --select F: + flake8-async"),
                              ("ours", "flake8 -j1 --select F: + flake8-async-patterns")]),
        Bench("check1", "async-patterns check --jobs 1 --no-cache (cold)",
              [tool, "check", "--jobs", "1", "--no-cache", *files], (0, 1, 2)),
        Bench("check2", "async-patterns check --jobs 2 --no-cache",
              [tool, "check", "--jobs", "2", "--no-cache", *files],
              (0, 1, 2)),
        Bench("checkauto", f"async-patterns check --no-cache (jobs auto: {_usable_cpus()})",
              [tool, "check", "--no-cache", *files], (0, 1, 2)),
        Bench("warm", "async-patterns check --jobs 1, cache warm, nothing changed",
              [tool, "check", "--jobs", "1", "--cache-dir", str(warm_cache), *files], (0, 1, 2),
              before=lambda: subprocess.run(prime, cwd=cache, capture_output=True)),
        Bench("changed", f"the same, one module changed ({edit.path.name}, imported the most)",
              [tool, "check", "--jobs", "1", "--cache-dir", str(warm_cache), *files], (0, 1, 2),
              before=lambda: (subprocess.run(prime, cwd=cache, capture_output=True), edit.before()),
              after=edit.after),
        Bench("fix", "async-patterns fix --diff (--jobs 1)", [tool, "fix", "--diff", *files], (0, 1, 2)),
        Bench("ruff", "ruff check --select ASYNC,RUF006 (1 thread)",
              [str(venvs / "ruff" / "bin" / "ruff"), "check", "--isolated", "--no-cache",
               "--select", "ASYNC,RUF006", *files], (0, 1), env=ruff_env,
              error=venv_errors["ruff"] and ("skipped" if "ruff" in skip else "unavailable")),
    ]
    for bench in benches:
        if bench.key in skip:
            bench.error = "skipped"

    out = work / "out"
    print("  warming the file cache", flush=True)
    measure(Bench("warmup", "warm-up", benches[0].command, (0,)), cache, out)
    for round_ in range(1, repeat + 1):
        for bench in benches:
            if bench.error:
                continue
            if callable(bench.before):
                bench.before()
            try:
                measure(bench, cache, out)  # from the cache folder: no config of this repo applies
            finally:
                if callable(bench.after):
                    bench.after()
            if bench.samples and not bench.error:
                print(f"  [{round_}/{repeat}] {bench.label}: {bench.samples[-1].wall:.2f}s", flush=True)

    if "profile" in skip:
        astro = {"error": "skipped"}
    else:
        print("  cProfile of check --jobs 1 (astroid time)", flush=True)
        profile = subprocess.run([str(here), "-c", PROFILE_SCRIPT, str(listing)], cwd=cache,
                                 capture_output=True, text=True)
        try:
            astro = json.loads(profile.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            astro = {"error": (profile.stderr or profile.stdout)[-1500:]}

    tools = {name: versions(venvs / name / "bin" / "python") for name, error in venv_errors.items() if not error}
    tools["project venv"] = versions(here)
    if git_state(repo) != state:
        state += f" (changed during the run, now {git_state(repo)})"
    text = report(benches, astro, tools, files, labels, repeat, state)
    print("\n" + text)
    if output is not None:
        output.write_text(document(text), encoding="utf-8")
        print(f"written to {output}")
    failed = [b.label for b in benches if b.error and b.error != "skipped" and b.key != "ruff"]
    return 3 if failed else 0


# -- the report ----------------------------------------------------------------------------------

def _table(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row):
        return "| " + " | ".join(c.rjust(w) if i in right else c.ljust(w)
                                 for i, (c, w) in enumerate(zip(row, widths))) + " |"
    rule = "|" + "|".join(("-" * (w + 1) + ":") if i in right else "-" * (w + 2) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def report(benches: list[Bench], astro: dict, tools: dict, files: list[str], labels: list[str],
           repeat: int, repo_state: str) -> str:
    t = {b.key: b.median for b in benches}
    floor, base = t["floor"], t["flake8"]

    def rel(key: str) -> str:
        if t[key] is None:
            return ""
        if key == "floor":
            return "1.00x floor"
        if key == "flake8":
            return "baseline"
        if key in ("bugbear", "flake8-async", "ours"):
            return f"overhead {t[key] - base:+.2f}s" if base is not None else ""
        if key in ("warm", "changed") and t["check1"]:
            return f"{t[key] / t['check1']:.3f}x cold jobs 1"
        if key in ("check2", "checkauto") and t["check1"]:
            return f"{t[key] / t['check1']:.2f}x jobs 1" + (f", {t[key] / floor:.2f}x floor" if floor else "")
        return f"{t[key] / floor:.2f}x floor" if floor else ""

    rows = []
    for b in benches:
        if t[b.key] is None:
            rows.append([b.label, "n/a", b.error, "", ""])
            continue
        rows.append([b.label, f"{t[b.key]:.2f}", " ".join(f"{s.wall:.2f}" for s in b.samples),
                     f"{b.maxrss / 2**20:.0f}", rel(b.key)])
    table = _table(["measurement", "median s", "runs s", "peak RSS MiB", "relative"], rows, {1, 2, 3})

    # targets
    def over(key):
        return t[key] - base if t[key] is not None and base is not None else None
    ours, bugbear = over("ours"), over("bugbear")
    targets = []
    if ours is not None and bugbear is not None and bugbear > 0:
        ratio = ours / bugbear
        verdict = "met" if ratio <= 1 else f"MISSED by {ours - bugbear:.2f}s ({ratio:.2f}x bugbear's)"
        targets.append(["our flake8 overhead / flake8-bugbear's", f"{ours:.2f}s / {bugbear:.2f}s = {ratio:.2f}",
                        "<= 1", verdict])
    if t["check1"] is not None and floor:
        ratio = t["check1"] / floor
        verdict = "met" if ratio <= 2.5 else \
            f"MISSED by {t['check1'] - 2.5 * floor:.2f}s ({ratio / 2.5:.2f}x the allowed time)"
        targets.append(["check --jobs 1 (cold) / ast.parse floor", f"{ratio:.2f}", "<= 2.5", verdict])
    for key, name in (("check2", "check --jobs 2"), ("checkauto", "check --jobs auto")):
        if t[key] is not None and t["check1"]:
            speedup = t["check1"] / t[key]
            targets.append([f"{name}: speed-up over --jobs 1", f"{speedup:.2f}x", ">= 1.8x on 2 cores",
                            "met" if speedup >= 1.8 else f"MISSED ({speedup:.2f}x)"])
    for key, name in (("warm", "warm re-run, nothing changed"), ("changed", "one module changed")):
        if t[key] is not None and t["check1"]:
            ratio = t[key] / t["check1"]
            limit = "<= 0.1" if key == "warm" else ""
            targets.append([f"{name} / cold check --jobs 1", f"{ratio:.3f}", limit,
                            ("met" if ratio <= 0.1 else "MISSED") if key == "warm" else ""])
    if over("flake8-async") is not None and bugbear:
        targets.append(["(for reference) flake8-async overhead / bugbear's",
                        f"{over('flake8-async'):.2f}s / {bugbear:.2f}s = {over('flake8-async') / bugbear:.2f}", "", ""])
    target_table = (_table(["ratio", "measured", "target", "result"], targets, set()) if targets
                    else "No ratio: a measurement it needs was skipped or failed.")

    # astroid
    if astro.get("error") == "skipped":
        astroid_text = "astroid time: not measured (skipped)."
    elif "error" in astro:
        astroid_text = f"The cProfile run failed:\n\n```\n{astro['error']}\n```"
    else:
        ext, ast_ = astro.get("external"), astro.get("astroid")
        prof = astro["profiled_seconds"]
        lines = [f"`check --jobs 1` in-process under cProfile: {prof:.2f}s in all (profiling slows it down)."]
        if not astro["external_exists"]:
            lines.append("- `flake8_async_patterns/analysis/external.py`: not present: 0s, not used.")
        elif not ext["calls"]:
            lines.append("- `flake8_async_patterns/analysis/external.py`: present, not called: 0s.")
        else:
            lines.append(f"- calls into `analysis/external.py` (astroid included): {ext['seconds']:.2f}s "
                         f"({ext['seconds'] / prof:.1%}), {ext['calls']} calls")
        if not astro["astroid_installed"]:
            lines.append("- astroid: not installed in the project venv: 0s.")
        elif not astro["astroid_imported"]:
            lines.append("- astroid: never imported during the run: 0s, not used.")
        else:
            top = ", ".join(f"`{name}` {sec:.2f}s" for name, sec in ast_["top"][:3])
            share = ast_["seconds"] / prof
            estimate = f", about {share * t['check1']:.2f}s of the unprofiled median" if t["check1"] else ""
            lines.append(f"- inside the astroid package (its import included): {ast_['seconds']:.2f}s "
                         f"({share:.1%}{estimate}), {ast_['calls']} calls from outside it; top: {top}")
        astroid_text = "\n".join(lines)

    # versions
    interesting = {}
    for name, info in tools.items():
        for dist in INTERESTING:
            if dist in info["dists"]:
                interesting.setdefault(dist, set()).add(info["dists"][dist])
    pythons = sorted({info["python"] for info in tools.values()})
    version_text = ", ".join(f"{d} {'/'.join(sorted(v))}" for d, v in sorted(interesting.items()))
    ours_version = "/".join(sorted(interesting.get("flake8-async-patterns", {"?"})))
    return "\n".join([
        f"Date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %z')}  ",
        f"Machine: {machine()}  ",
        f"Python: {platform.python_implementation()} {'/'.join(pythons)} (all venvs)  ",
        f"Corpus: {len(files)} files: {', '.join(labels)}  ",
        f"flake8-async-patterns {ours_version} at {repo_state}  ",
        f"Tools: {version_text}",
        "",
        f"Median of {repeat} run(s); each measurement is one process (`--jobs 2` forks two workers; "
        "its peak RSS is the largest single process).",
        "",
        table,
        "",
        target_table,
        "",
        astroid_text,
    ])


def document(text: str) -> str:
    return "\n".join([
        "# Performance",
        "",
        "Measured by `python bench/run.py speed` (see [bench/README.md](../bench/README.md)) on the "
        "bench corpus, single process, every tool in the same run. Numbers depend on the machine; "
        "the ratios are what the targets of the design are about.",
        "",
        text,
        "",
        "## How overhead is measured",
        "",
        "flake8 loads and runs every installed plugin whatever `--select` says, so the cost of a "
        "plugin cannot be isolated with `--select`. Instead the same command, "
        "`flake8 -j1 --select F <every corpus file>`, runs in four venvs that differ only by the "
        "plugin installed: flake8 alone, + flake8-bugbear, + flake8-async, + this project. A "
        "plugin's overhead is the median time in its venv minus the median time of flake8 alone. "
        "The floor is a bare `ast.parse` of every file in a fresh interpreter; `async-patterns check` "
        "is compared with it. Wall times are medians of several runs taken round robin; the peak "
        "memory is `ru_maxrss` of the child process from `os.wait4`. The astroid time comes from a "
        "separate in-process `check --jobs 1` under cProfile: the cumulative time of the calls "
        "made into the astroid package (and into `analysis/external.py`) from outside it.",
        "",
    ])
