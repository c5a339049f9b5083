"""Run async-patterns over the bench corpus: pinned releases of real async projects.

    python bench/run.py fetch                  download and unpack the corpus (idempotent)
    python bench/run.py [check] [--jobs N] [--extra-args="--extend-select ASP201"]
                                               fetch, run `async-patterns check`, print a summary
    python bench/run.py list ASP103            each finding of one rule with source context
    python bench/run.py ledger [--select C,..] [--extend-select C,..] [--from FINDINGS.json] [--write] [--markdown]
                                               match the findings to the verdicts of bench/ledger.tsv
                                               (and bench/ledger-opt-in.tsv): print what is new, what
                                               disappeared, precision and value per rule
    python bench/run.py reach [--by-project] [--json FILE] [--python PATH]
                                               how many `await <call>` the resolver resolves
    python bench/run.py speed [--repeat N] [--rebuild]
                                               time ast.parse, flake8 (+ plugins, venv against venv),
                                               async-patterns check/fix and ruff; write docs/performance.md

Run it from the repo root with the interpreter of the venv the project is installed in
(.venv/bin/python). `check` and `reach` run in the corpus venv, <cache>/corpus-venv: made with
that interpreter, holding bench/requirements-corpus.txt (the corpus projects and their runtime
dependencies, so that names imported from installed packages can be resolved) and this project
installed editable; remade when the requirements change, or with --rebuild-venv.
`--no-corpus-venv` measures the `async-patterns` next to the running interpreter instead.

The corpus is listed in bench/corpus.txt. The code is downloaded from the package index at
run time into a cache folder outside the repo (default ~/.cache/flake8-async-patterns/bench,
or $ASYNC_PATTERNS_BENCH_CACHE, or --cache DIR) and is never committed. Standard library only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / "corpus.txt"
CORPUS_REQUIREMENTS = HERE / "requirements-corpus.txt"
VENV_MARKER = ".bench-corpus-venv.json"  # in the corpus venv: the hash of what it was made from
DEFAULT_CACHE = Path("~/.cache/flake8-async-patterns/bench")
MARKER = ".bench-source.json"  # written into each unpacked tree: which archive and filter made it


@dataclass
class Entry:
    name: str
    version: str
    keep: re.Pattern[str] | None  # searched in the path inside the archive

    @property
    def label(self) -> str:
        return f"{self.name}-{self.version}"


@dataclass
class Project:
    label: str
    path: Path
    note: str = ""  # e.g. "wheel (no sdist)" or why it is missing
    ok: bool = True


# -- the corpus list ---------------------------------------------------------------------------

def read_corpus(path: Path = CORPUS) -> list[Entry]:
    entries = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        spec, _, pattern = line.partition(" ")
        name, sep, version = spec.partition("==")
        if not sep or not name or not version:
            sys.exit(f"{path}:{number}: expected 'name==version [regex]', got {raw!r}")
        entries.append(Entry(name, version, re.compile(pattern.strip()) if pattern.strip() else None))
    return entries


def cache_dir(option: str | None) -> Path:
    cache = Path(option or os.environ.get("ASYNC_PATTERNS_BENCH_CACHE") or DEFAULT_CACHE)
    cache = cache.expanduser().resolve()
    if cache == REPO or REPO in cache.parents:
        sys.exit(f"bench: the cache {cache} is inside the repo; the downloaded code must stay out of it")
    return cache


# -- download ----------------------------------------------------------------------------------

def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _archive_of(entry: Entry, folder: Path) -> Path | None:
    """The downloaded sdist (preferred) or wheel of `entry` in `folder`, if any."""
    wanted = (_normalize(entry.name), entry.version)
    sdist = wheel = None
    for path in sorted(folder.glob("*")):
        if path.name.endswith(".whl"):
            name, version = path.name.split("-")[:2]
            if (_normalize(name), version) == wanted:
                wheel = path
            continue
        match = re.fullmatch(r"(.+)-([^-]+)\.(tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip)", path.name)
        if match and (_normalize(match[1]), match[2]) == wanted:
            sdist = path
    return sdist or wheel


def _pip_download(entry: Entry, binary_flag: str, target: Path) -> tuple[Path | None, str]:
    """Download into a fresh folder, then move the one archive into `target`."""
    with tempfile.TemporaryDirectory(dir=target, prefix=".download-") as tmp:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", binary_flag, ":all:",
                   f"{entry.name}=={entry.version}", "-d", tmp]
        done = subprocess.run(command, capture_output=True, text=True)
        archive = _archive_of(entry, Path(tmp))
        if done.returncode != 0 or archive is None:
            lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
            errors = [line for line in lines if line.startswith("ERROR:")]
            reason = (errors or lines or [f"pip exited {done.returncode}"])[-1]
            return None, reason
        final = target / archive.name
        shutil.move(str(archive), final)
        return final, ""


def download(entry: Entry, dist: Path) -> tuple[Path | None, str]:
    """The archive of `entry`, downloaded if needed: the sdist, else the wheel. (path, note)"""
    dist.mkdir(parents=True, exist_ok=True)
    archive = _archive_of(entry, dist)
    if archive is None:
        print(f"  downloading {entry.name}=={entry.version} (sdist)", flush=True)
        archive, sdist_error = _pip_download(entry, "--no-binary", dist)
        if archive is None:
            print(f"  no sdist ({sdist_error}); trying the wheel", flush=True)
            archive, wheel_error = _pip_download(entry, "--only-binary", dist)
            if archive is None:
                return None, f"sdist: {sdist_error}; wheel: {wheel_error}"
    return archive, "wheel (no sdist)" if archive.name.endswith(".whl") else ""


# -- extraction --------------------------------------------------------------------------------

def _members(archive: Path):
    """(path inside the archive, read()) for each regular file."""
    if archive.name.endswith((".zip", ".whl")):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    yield info.filename, (lambda info=info: zf.read(info))
    else:
        with tarfile.open(archive) as tf:
            for info in tf:
                if info.isfile():
                    yield info.name, (lambda info=info: tf.extractfile(info).read())


def extract(entry: Entry, archive: Path, dest: Path) -> int:
    """Unpack the kept .py files of `archive` into `dest` (sdist top folder stripped); return the count.

    Skipped when `dest` was already made from the same archive and filter.
    """
    stamp = {"archive": archive.name, "keep": entry.keep.pattern if entry.keep else None}
    marker = dest / MARKER
    if marker.is_file():
        try:
            if json.loads(marker.read_text(encoding="utf-8")) == stamp:
                return sum(1 for _ in dest.rglob("*.py"))
        except ValueError:
            pass
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    strip_top = not archive.name.endswith(".whl")  # an sdist has one top folder, name-version/
    count = 0
    for name, read in _members(archive):
        if not name.endswith(".py") or (entry.keep and not entry.keep.search(name)):
            continue
        parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
        if name.startswith("/") or ".." in parts:
            continue  # never write outside dest
        if strip_top and len(parts) > 1:
            parts = parts[1:]
        target = partial.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(read())
        count += 1
    (partial / MARKER).write_text(json.dumps(stamp), encoding="utf-8")
    shutil.rmtree(dest, ignore_errors=True)
    partial.rename(dest)
    return count


def stdlib_projects() -> list[Project]:
    """CPython's own Lib/asyncio and Lib/test/test_asyncio, checked in place."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    version = platform.python_version()
    projects = []
    for relative in ("asyncio", "test/test_asyncio"):
        path = stdlib / relative
        label = f"cpython-{version}:Lib/{relative}"
        if path.is_dir():
            projects.append(Project(label, path))
        else:
            print(f"  {label}: not installed with this interpreter ({path}); going on without it")
    return projects


def fetch(cache: Path) -> list[Project]:
    print(f"corpus cache: {cache}", flush=True)
    projects = []
    for entry in read_corpus():
        dest = cache / "src" / entry.label
        try:
            archive, note = download(entry, cache / "dist")
            if archive is None:
                print(f"  {entry.label}: FAILED to download: {note}")
                projects.append(Project(entry.label, dest, note, ok=False))
                continue
            count = extract(entry, archive, dest)
        except (OSError, tarfile.TarError, zipfile.BadZipFile) as error:
            print(f"  {entry.label}: FAILED to unpack: {error}")
            projects.append(Project(entry.label, dest, str(error), ok=False))
            continue
        print(f"  {entry.label}: {count} .py files from {archive.name}")
        projects.append(Project(entry.label, dest, note))
    return projects + stdlib_projects()


# -- the corpus venv ---------------------------------------------------------------------------

def _venv_stamp() -> str:
    """What the venv is made from: the corpus requirements and this project's dependencies."""
    digest = hashlib.sha256(CORPUS_REQUIREMENTS.read_bytes())
    digest.update((REPO / "pyproject.toml").read_bytes())
    return digest.hexdigest()


def corpus_venv(cache: Path, rebuild: bool) -> Path:
    """The python of <cache>/corpus-venv, made first when missing, stale or `rebuild`."""
    folder = cache / "corpus-venv"
    python = folder / "bin" / "python"
    marker = folder / VENV_MARKER
    stamp = {"hash": _venv_stamp(), "python": sys.executable}
    try:
        current = json.loads(marker.read_text(encoding="utf-8")) == stamp
    except (OSError, ValueError):
        current = False
    if current and python.exists() and not rebuild:
        return python
    print(f"making the corpus venv {folder} (pip install -r {CORPUS_REQUIREMENTS.name}, -e {REPO})", flush=True)
    start = time.perf_counter()
    shutil.rmtree(folder, ignore_errors=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    for command in ([sys.executable, "-m", "venv", str(folder)],
                    [*pip, "-r", str(CORPUS_REQUIREMENTS)],
                    [*pip, "-e", str(REPO)]):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            tail = "\n".join((done.stderr + done.stdout).strip().splitlines()[-15:])
            sys.exit(f"bench: {shlex.join(command)} failed (exit {done.returncode}):\n{tail}")
    marker.write_text(json.dumps(stamp), encoding="utf-8")
    print(f"  made in {time.perf_counter() - start:.0f}s", flush=True)
    return python


def bench_python(cache: Path, args: argparse.Namespace) -> Path:
    """The interpreter whose environment is measured: the corpus venv's unless told otherwise."""
    if getattr(args, "python", None):
        return Path(args.python)
    if getattr(args, "no_corpus_venv", False):
        return Path(sys.executable)
    return corpus_venv(cache, getattr(args, "rebuild_venv", False))


# -- check -------------------------------------------------------------------------------------

def tool(python: Path) -> str:
    exe = python.with_name("async-patterns")
    if not exe.exists():
        sys.exit(f"bench: no {exe}; run this with the interpreter of the venv the project is installed in")
    return str(exe)


def project_of(path: str, projects: list[Project]) -> Project | None:
    for project in projects:
        root = str(project.path) + os.sep
        if path.startswith(root):
            return project
    return None


def count_files(project: Project) -> int:
    return sum(1 for _ in project.path.rglob("*.py")) if project.ok else 0


def check(cache: Path, python: Path, jobs: int, extra: list[str]) -> int:
    projects = fetch(cache)
    present = [p for p in projects if p.ok]
    print(f"\nasync-patterns of {python.parent.parent}", flush=True)
    # the stdlib may sit in a git work tree that ignores it (pyenv's .gitignore lists `versions/`)
    command = [tool(python), "check", "--format", "json", "--jobs", str(jobs), "--no-respect-gitignore", "--no-cache",
               *extra,
               *(str(p.path) for p in present)]
    print(f"\n$ async-patterns check --format json --jobs {jobs} {shlex.join(extra)} <{len(present)} folders>",
          flush=True)
    # Run from the cache so the repo's own [tool.async-patterns] settings do not apply.
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=cache)
    wall = time.perf_counter() - start
    # Exit 1 = findings, 2 = a file could not be processed: both are results, not crashes.
    try:
        findings = json.loads(done.stdout)
    except ValueError:
        findings = None
    if done.returncode not in (0, 1, 2) or findings is None:
        print(f"bench: async-patterns failed (exit {done.returncode}):\n{done.stderr[-4000:]}", file=sys.stderr)
        return 3
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    (cache / "findings.json").write_text(json.dumps(findings, indent=2) + "\n", encoding="utf-8")
    (cache / "errors.txt").write_text("".join(line + "\n" for line in errors), encoding="utf-8")
    summarize(projects, findings, errors)
    print(f"\nexit status {done.returncode}; wall time of the check run: {wall:.2f}s with --jobs {jobs}")
    print(f"findings: {cache / 'findings.json'}   unprocessed files: {cache / 'errors.txt'}")
    for line in errors[:20]:
        print(f"  {line}")
    if len(errors) > 20:
        print(f"  ... and {len(errors) - 20} more in errors.txt")
    return 0 if all(p.ok for p in projects) else 1


def summarize(projects: list[Project], findings: list[dict], errors: list[str]) -> None:
    per: dict[str, Counter] = {p.label: Counter() for p in projects}
    unprocessed: Counter = Counter()
    for finding in findings:
        project = project_of(finding["path"], projects)
        per[project.label if project else "(other)"][finding["code"]] += 1
    for line in errors:
        project = next((p for p in projects if str(p.path) in line), None)
        unprocessed[project.label if project else "(other)"] += 1
    if "(other)" in unprocessed:
        per.setdefault("(other)", Counter())
    codes = sorted({code for counter in per.values() for code in counter} - {"ASP000"})
    header = ["project", "files", *codes, "total", "ASP000", "unprocessed"]
    rows, totals = [], Counter()
    for project in projects + ([Project("(other)", Path())] if "(other)" in per else []):
        counter = per[project.label]
        files = count_files(project)
        total = sum(n for code, n in counter.items() if code != "ASP000")
        values = [files, *(counter[c] for c in codes), total, counter["ASP000"], unprocessed[project.label]]
        totals.update(dict(zip(header[1:], values)))
        label = project.label + (f"  [{project.note}]" if project.note else "")
        rows.append([label if project.ok else f"{project.label}  [MISSING]", *map(str, values)])
    rows.append(["TOTAL", *(str(totals[h]) for h in header[1:])])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print()
    for i, row in enumerate([header, *rows]):
        if i == len(rows):  # before TOTAL
            print("  ".join("-" * w for w in widths))
        print("  ".join(cell.ljust(w) if j == 0 else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))))


# -- list --------------------------------------------------------------------------------------

def list_findings(cache: Path, code: str, context: int = 3) -> int:
    path = cache / "findings.json"
    if not path.is_file():
        sys.exit(f"bench: no {path}; run 'python bench/run.py check' first")
    code = code.upper()
    chosen = [f for f in json.loads(path.read_text(encoding="utf-8")) if f["code"] == code]
    for finding in chosen:
        print(f"{finding['path']}:{finding['line']}:{finding['column']}: {finding['code']} {finding['message']}")
        try:
            lines = Path(finding["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as error:
            print(f"    (cannot read the source: {error})\n")
            continue
        first = max(1, finding["line"] - context)
        for number in range(first, min(len(lines), finding["line"] + context) + 1):
            mark = ">>" if number == finding["line"] else "  "
            print(f"  {mark} {number:5} | {lines[number - 1]}")
        print()
    print(f"{len(chosen)} finding(s) of {code}")
    return 0


# -- reach -------------------------------------------------------------------------------------

def reach(cache: Path, python: Path, by_project: bool, output: str | None) -> int:
    """Run bench/reach.py over the corpus in `python`'s environment; print its table."""
    import reach as reach_table  # bench/reach.py, next to this file
    projects = fetch(cache)
    present = [p for p in projects if p.ok]
    print(f"\n$ {python} bench/reach.py LABEL=FOLDER   (once per project: {len(present)} folders)", flush=True)
    start = time.perf_counter()
    counts: dict = {"_elapsed": 0.0}
    for project in present:
        # One process per project, as `async-patterns check <project>` would be: the tool's
        # process-wide caches and its astroid time budget must not carry from one project to
        # the next. From the cache, like check; the script's own folder (bench/) is first on
        # its sys.path, so the package is the one installed in that venv.
        done = subprocess.run([str(python), str(HERE / "reach.py"), f"{project.label}={project.path}"],
                              stdout=subprocess.PIPE, text=True, cwd=cache)
        if done.returncode != 0:
            print(f"bench: reach.py failed on {project.label} (exit {done.returncode})", file=sys.stderr)
            return 3
        one = json.loads(done.stdout)
        counts[project.label] = one[project.label]
        counts["_elapsed"] += one["_elapsed"]
        counts["_tool"] = one.get("_tool", "?")
    wall = time.perf_counter() - start
    if output:
        Path(output).write_text(json.dumps(counts, indent=2) + "\n", encoding="utf-8")
    print()
    print(reach_table.table(counts, by_project))
    print(f"\nelapsed: {wall:.1f}s ({counts['_elapsed']:.1f}s measuring) with {python}")
    print(f"package measured: {counts.get('_tool', '?')}")
    return 0 if all(p.ok for p in projects) else 1


# -- ledger ------------------------------------------------------------------------------------

LEDGER = HERE / "ledger.tsv"
OPT_IN_LEDGER = HERE / "ledger-opt-in.tsv"


def _opt_in_codes() -> tuple[str, ...]:
    """The registry's opt-in codes, asked of the tool (the bench itself is standard library only)."""
    done = subprocess.run([sys.executable, "-c", "from flake8_async_patterns.registry import opt_in_codes; "
                           "print(','.join(opt_in_codes()))"], capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        sys.exit("bench: the opt-in codes come from flake8_async_patterns.registry; run the bench with the "
                 "interpreter of a venv the project is installed in")
    return tuple(done.stdout.strip().split(","))


def _codes(option: str | None) -> list[str]:
    return [code.strip().upper() for code in (option or "").split(",") if code.strip()]


def corpus_roots(cache: Path) -> list[tuple[str, Path]]:
    """(label, folder) of every corpus project, without downloading anything."""
    return [(e.label, cache / "src" / e.label) for e in read_corpus()] + [(p.label, p.path) for p in stdlib_projects()]


def ledger_command(cache: Path, args: argparse.Namespace) -> int:
    import ledger  # bench/ledger.py, next to this file
    select = _codes(args.select) or None
    extend = _codes(args.extend_select)
    opt_in = _opt_in_codes()
    if args.from_file:
        raw = json.loads(Path(args.from_file).read_text(encoding="utf-8"))
        if select is None and not extend:  # what the file was linted for: the defaults, and the opt-in codes it holds
            extend = sorted({item["code"] for item in raw if item["code"] in opt_in})
    else:
        extra = [*(["--select", ",".join(select)] if select else []),
                 *(["--extend-select", ",".join(extend)] if extend else [])]
        status = check(cache, bench_python(cache, args), args.jobs, extra)
        if status == 3:
            return status
        raw = json.loads((cache / "findings.json").read_text(encoding="utf-8"))
    roots = corpus_roots(cache)
    findings = ledger.findings_of(raw, roots, cache)
    linted = ledger.scope_of(select, extend, opt_in)
    needing = 0
    for path, codes_here in ((LEDGER, lambda code: code not in opt_in), (OPT_IN_LEDGER, lambda code: code in opt_in)):
        if not any(linted(code) for code in opt_in) and path == OPT_IN_LEDGER:
            continue
        book = (ledger.parse(path.read_text(encoding="utf-8"), path.name) if path.is_file()
                else ledger.Ledger(comments=["# coverage: sample"], sample=True))
        print(f"\n== {path.relative_to(REPO)} ({'a sample' if book.sample else 'every finding'}) ==")
        mine = [f for f in findings if codes_here(f.code)]
        result, missing = ledger.report(mine, book, lambda code: linted(code) and codes_here(code), sys.stdout,
                                        args.markdown)
        needing += missing
        if args.write:
            filled = ledger.fill_sources(book, dict(roots))
            dropped = ledger.drop_gone_true_lows(book, result.gone)
            if not book.sample:
                ledger.append_new(book, result.new)
            path.write_text(ledger.render(book), encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}: {0 if book.sample else len(result.new)} row(s) added "
                  f"with verdict '?', {len(dropped)} true-low row(s) of disappeared findings removed, "
                  f"{filled} source text(s) filled in")
    if needing:
        print(f"\n{needing} finding(s) need a verdict in the ledger")
    return 1 if needing else 0


def speed_keys() -> tuple[str, ...]:
    import speed  # bench/speed.py, next to this file
    return speed.KEYS


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)  # --cache before or after the subcommand
    common.add_argument("--cache", default=argparse.SUPPRESS,
                        help=f"download folder (default: $ASYNC_PATTERNS_BENCH_CACHE or {DEFAULT_CACHE})")
    top = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0], parents=[common])
    commands = top.add_subparsers(dest="command")
    commands.add_parser("fetch", parents=[common], help="download and unpack the corpus")
    venv_options = argparse.ArgumentParser(add_help=False)
    venv_options.add_argument("--rebuild-venv", action="store_true",
                              help="make <cache>/corpus-venv again (else reused while requirements-corpus.txt "
                                   "and pyproject.toml are unchanged)")
    venv_options.add_argument("--no-corpus-venv", action="store_true",
                              help="use the async-patterns next to this interpreter instead of the corpus venv")
    check_parser = commands.add_parser("check", parents=[common, venv_options],
                                       help="fetch, then run async-patterns check (the default)")
    check_parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                              help="passed to async-patterns check (default: the CPU count)")
    check_parser.add_argument("--extra-args", default="",
                              help="more arguments for async-patterns check, "
                                   'e.g. --extra-args="--extend-select ASP201"')
    ledger_parser = commands.add_parser("ledger", parents=[common, venv_options],
                                        help="match the findings to the ledger's verdicts: new, gone, precision")
    ledger_parser.add_argument("--select", help="lint only these codes (comma-separated, prefixes like flake8)")
    ledger_parser.add_argument("--extend-select", help="lint these opt-in codes too, e.g. ASP203,ASP204,ASP305,ASP602")
    ledger_parser.add_argument("--from", dest="from_file", metavar="FINDINGS.json",
                               help="read the findings of an earlier `async-patterns check --format json` instead "
                                    "of linting (paths as it wrote them)")
    ledger_parser.add_argument("--write", action="store_true",
                               help="append the new findings to the ledger with verdict '?' and remove the "
                                    "true-low rows whose finding disappeared (bug and fp rows stay)")
    ledger_parser.add_argument("--markdown", action="store_true", help="print the totals as a Markdown table")
    ledger_parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                               help="passed to async-patterns check (default: the CPU count)")
    list_parser = commands.add_parser("list", parents=[common], help="each finding of one rule with source context")
    list_parser.add_argument("code")
    reach_parser = commands.add_parser("reach", parents=[common, venv_options],
                                       help="count the awaited calls the resolver knows are coroutine calls")
    reach_parser.add_argument("--by-project", action="store_true", help="add the totals of each project")
    reach_parser.add_argument("--json", metavar="FILE", help="write the raw counts to FILE")
    reach_parser.add_argument("--python", metavar="PATH",
                              help="measure in this interpreter's environment (default: the corpus venv's)")
    speed_parser = commands.add_parser("speed", parents=[common],
                                       help="time the tools side by side (see bench/speed.py)")
    speed_parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (default: 3)")
    speed_parser.add_argument("--rebuild", action="store_true",
                              help="make the flake8 and ruff venvs in the cache folder again")
    speed_parser.add_argument("--skip", action="append", default=[], choices=speed_keys(),
                              help="leave one measurement out (repeatable), e.g. --skip flake8-async")
    speed_parser.add_argument("--output", default=str(REPO / "docs" / "performance.md"),
                              help="the Markdown file to replace with the table ('-': none)")
    args = top.parse_args(argv)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `run.py list ASP103 | head` ends quietly
    cache = cache_dir(getattr(args, "cache", None))
    if args.command == "fetch":
        return 0 if all(p.ok for p in fetch(cache)) else 1
    if args.command == "list":
        return list_findings(cache, args.code)
    if args.command == "ledger":
        return ledger_command(cache, args)
    if args.command == "speed":
        if args.repeat < 1:
            sys.exit("bench: --repeat must be at least 1")
        import speed  # bench/speed.py, next to this file
        projects = fetch(cache)
        present = [p for p in projects if p.ok]
        output = None if args.output == "-" else Path(args.output)
        status = speed.run(cache, REPO, [p.path for p in present], [p.label for p in present],
                           args.repeat, args.rebuild, output, frozenset(args.skip))
        return status or (0 if all(p.ok for p in projects) else 1)
    if args.command == "reach":
        return reach(cache, bench_python(cache, args), args.by_project, args.json)
    jobs = getattr(args, "jobs", os.cpu_count() or 1)
    return check(cache, bench_python(cache, args), jobs, shlex.split(getattr(args, "extra_args", "")))


if __name__ == "__main__":
    sys.exit(main())
