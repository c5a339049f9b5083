"""The command-line door: `async-patterns check | rules | rule CODE`."""
from __future__ import annotations

import argparse
import ast
import gc
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from . import __version__
from .registry import RULES, Finding, FixSafety, all_rules, enabled_codes
from .source import UndecodableFile, decode_source, lint_source, one_line as _one_line, read_source
from .source import syntax_error_line
from .cache import forget_caches
from .discovery import discover
from .settings import (ProjectConfig, Settings, SettingsError, find_pyproject, ignored_codes, load_project,
                       parse_version, per_file_ignores, unknown_codes)


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # a one-line reason the file could not be processed
    # installed packages (top-level name -> module files) first read while linting this file
    packages: dict[str, set[str]] = field(default_factory=dict)
    text: str | None = None  # the source, when it came from standard input


def lint_file(path: str, settings: Settings, codes: frozenset[str], cache_folder: str | None = None) -> FileResult:
    from .analysis.external import PACKAGES_READ

    before = {name: len(files) for name, files in PACKAGES_READ.items()}
    result = _lint_cached(path, settings, codes, cache_folder) if cache_folder else _lint_file(path, settings, codes)
    result.packages = {name: files for name, files in PACKAGES_READ.items() if len(files) != before.get(name)}
    return result


def _read(path: str) -> str | FileResult:
    try:
        return read_source(Path(path))
    except FileNotFoundError:
        return FileResult(path, error=f"{path}: no such file or directory")
    except UndecodableFile as error:
        return FileResult(path, error=f"{path}:{error}")
    except OSError as error:
        return FileResult(path, error=f"{path}: cannot read: {_one_line(error)}")


def _lint_file(path: str, settings: Settings, codes: frozenset[str]) -> FileResult:
    source = _read(path)
    return source if isinstance(source, FileResult) else _lint_text(path, source, settings, codes)


def _lint_text(path: str, source: str, settings: Settings, codes: frozenset[str]) -> FileResult:
    try:
        return FileResult(path, lint_source(source, path, settings, codes))
    except SyntaxError as error:
        return FileResult(path, error=syntax_error_line(path, error, source))
    except (RecursionError, MemoryError, ValueError) as error:
        return FileResult(path, error=f"{path}:1:1: cannot parse: {type(error).__name__}: {_one_line(error)}")


def _lint_cached(path: str, settings: Settings, codes: frozenset[str], folder: str) -> FileResult:
    """The findings the cache holds for this content, settings and everything the lint read;
    else a lint, whose findings and reads are kept."""
    from .analysis.reads import recording
    from .cache import cache_in, with_imports

    source = _read(path)
    if isinstance(source, FileResult):
        return source
    cache = cache_in(folder)
    key = cache.key(path, source.encode("utf-8", "surrogatepass"), settings, codes)
    found = cache.get(key, settings)
    if found is not None:
        return FileResult(path, found)
    with recording() as reads:
        result = _lint_text(path, source, settings, codes)
    if result.error is None:
        cache.put(key, result.findings, with_imports(reads, settings))
    return result


def _report_problems(problems: list[str]) -> bool:
    for problem in problems:
        print(problem, file=sys.stderr)
    return bool(problems)


def run_all(files: list[str], settings: Settings, codes: frozenset[str], jobs: int,
            cache_folder: str | None = None) -> list[FileResult]:
    if isinstance(jobs, AutoJobs):
        jobs = min(jobs, max(1, len(files) // 8))  # a worker costs about what linting a few files does
    if jobs <= 1 or len(files) < 2:
        return [lint_file(f, settings, codes, cache_folder) for f in files]
    chunk = max(1, len(files) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lint_file, files, [settings] * len(files), [codes] * len(files),
                             [cache_folder] * len(files), chunksize=chunk))


def _cache_folder(args: argparse.Namespace, config: ProjectConfig) -> str | None:
    """Where `check` keeps its results: --cache-dir, $ASYNC_PATTERNS_CACHE_DIR, the configuration's
    cache-dir (relative to its folder), else .async_patterns_cache beside the configuration (or in
    the current folder); None with --no-cache or $ASYNC_PATTERNS_NO_CACHE."""
    from .cache import DEFAULT_FOLDER

    if args.no_cache or os.environ.get("ASYNC_PATTERNS_NO_CACHE", "").strip().lower() not in ("", "0", "false"):
        return None
    chosen = args.cache_dir or os.environ.get("ASYNC_PATTERNS_CACHE_DIR")
    if chosen:
        return os.path.abspath(chosen)
    return str(config.root / (config.cache_dir or DEFAULT_FOLDER))


def _colour(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or (hasattr(stream, "isatty") and stream.isatty())


def _sources(results: list[FileResult]) -> dict[str, list[str]]:
    """The lines of each file with findings, for the formats that show them."""
    lines = {}
    for result in results:
        if result.findings:
            try:
                lines[result.path] = (result.text if result.text is not None
                                      else read_source(Path(result.path))).splitlines()
            except (OSError, UndecodableFile):
                lines[result.path] = []
    return lines


def _print_results(args: argparse.Namespace, results: list[FileResult], problems: Sequence[str] = ()) -> None:
    from . import output

    stream = open(args.output_file, "w", encoding="utf-8") if args.output_file else sys.stdout
    try:
        colour = stream is sys.stdout and _colour(stream)
        form = args.format
        if form == "text":
            lines = list(output.text(results, args.verbose, colour))
        elif form == "full":
            lines = list(output.full(results, _sources(results), colour))
        elif form == "json":
            lines = [output.json_text(results, problems)]
        elif form == "json-lines":
            lines = list(output.json_lines(results, problems))
        elif form == "sarif":
            lines = [output.sarif(results, [RULES[c] for c in sorted(args.codes)])]
        elif form == "github":
            lines = list(output.github(results))
        else:
            lines = [output.gitlab(results, _sources(results), problems)]
        if args.statistics:
            rows = output.statistics(results)
            if form in ("text", "full"):
                lines.extend(f"{n:>5}  {code}  {name}" for code, name, n in rows)
            else:
                print(json.dumps([{"code": c, "name": name, "count": n} for c, name, n in rows]),
                      file=sys.stderr)
        if not args.quiet or form not in ("text", "full"):
            for line in lines:
                print(line, file=stream)
        if form in ("text", "full") and not args.quiet and any(r.findings for r in results):
            fixable = sum(1 for r in results for f in r.findings
                          if f.code in RULES and RULES[f.code].fixer
                          and RULES[f.code].fix in (FixSafety.SAFE, FixSafety.SAFE_OR_UNSAFE))
            print(output.summary(results, fixable), file=sys.stderr)
    finally:
        if stream is not sys.stdout:
            stream.close()


def _codes_from(args: argparse.Namespace, config: ProjectConfig, path: str | None = None) -> frozenset[str]:
    """The codes on for the file at `path`: selection, then per-file-ignores of the config and the command line."""
    select = args.select if args.select is not None else config.select
    ignored = list(config.ignored_in(path)) + list(ignored_codes(path, args.per_file_ignores, Path.cwd())) \
        if path else []
    return enabled_codes(
        select=select,
        extend_select=list(config.extend_select) + (args.extend_select or []),
        ignore=list(config.ignore) + (args.ignore or []) + ignored,
    )


def _settings_of(args: argparse.Namespace, config: ProjectConfig) -> Settings:
    if args.target_version is None:
        return config.settings
    return replace(config.settings, target_version=parse_version(args.target_version, "--target-version"))


def _setup(args: argparse.Namespace) -> ProjectConfig | None:
    """The configuration of the run (None: a usage error, already said)."""
    try:
        config = load_project(_config_start(args), exact=bool(args.config))
        args.per_file_ignores = per_file_ignores("--per-file-ignores", args.per_file_ignores or [])
        if args.target_version is not None:
            parse_version(args.target_version, "--target-version")
    except SettingsError as error:
        print(f"async-patterns: {error}", file=sys.stderr)
        return None
    selectors = (args.select or []) + (args.extend_select or []) + (args.ignore or [])
    unknown = unknown_codes(selectors)
    if unknown:
        print(f"async-patterns: not a rule code or prefix: {', '.join(unknown)} (expected e.g. ASP1, ASP101)",
              file=sys.stderr)
        return None
    return config


def _plan(args: argparse.Namespace, config: ProjectConfig, problems: list[str]):
    """[(settings, codes, files)]: the files to check, grouped by what applies to each. Without
    --config, each file takes the nearest pyproject.toml above it, as ruff does."""
    exclude = (*config.exclude, *config.extend_exclude, *(args.extend_exclude or []))
    gitignore = config.respect_gitignore if args.respect_gitignore is None else args.respect_gitignore
    configs: dict[Path | None, ProjectConfig] = {config.path: config}
    groups: dict[tuple, tuple[Settings, frozenset[str], list[str]]] = {}
    args.discovered = []
    nearest: dict[str, Path | None] = {}  # folder -> its pyproject.toml
    for path in discover(args.paths or ["."], exclude, problems, respect_gitignore=gitignore):
        own = config
        if not args.config:
            folder = os.path.dirname(os.path.abspath(path))
            if folder not in nearest:
                nearest[folder] = find_pyproject(Path(folder))
            found = nearest[folder]
            if found not in configs:
                configs[found] = load_project(found, exact=True) if found else ProjectConfig(None, Settings())
            own = configs[found]
        codes = _codes_from(args, own, path)
        settings = _settings_of(args, own)
        groups.setdefault((own.path, codes), (settings, codes, []))[2].append(path)
        args.discovered.append(path)
    return list(groups.values())


def _config_start(args: argparse.Namespace) -> Path:
    """Where the configuration is looked for: the file given, else the folder of the name the
    standard input stands for, else the current folder."""
    if args.config:
        return Path(args.config)
    if _reads_stdin(args) and args.stdin_filename:
        return Path(args.stdin_filename).absolute().parent
    return Path.cwd()


def _reads_stdin(args: argparse.Namespace) -> bool:
    return args.paths == ["-"]


def _stdin_source(args: argparse.Namespace) -> tuple[str, str]:
    """(the name, the text) of the source on standard input; UndecodableFile when it cannot be read."""
    name = args.stdin_filename or "-"
    try:
        return name, decode_source(sys.stdin.buffer.read())
    except UndecodableFile as error:
        raise UndecodableFile(f"{name}:{error}") from None


def _lint_stdin(args: argparse.Namespace, settings: Settings, codes: frozenset[str]) -> FileResult:
    try:
        name, text = _stdin_source(args)
    except UndecodableFile as error:
        return FileResult(args.stdin_filename or "-", error=str(error))
    try:
        return FileResult(name, lint_source(text, name, settings, codes), text=text)
    except SyntaxError as error:
        return FileResult(name, error=syntax_error_line(name, error, text))
    except (RecursionError, MemoryError, ValueError) as error:
        return FileResult(name, error=f"{name}:1:1: cannot parse: {type(error).__name__}: {_one_line(error)}")


def command_check(args: argparse.Namespace) -> int:
    config = _setup(args)
    if config is None:
        return 2
    codes, settings = _codes_from(args, config, args.stdin_filename), _settings_of(args, config)
    args.codes = codes
    problems: list[str] = []
    if _reads_stdin(args):
        results = [_lint_stdin(args, settings, codes)]
    else:
        try:
            plan = _plan(args, config, problems)
        except SettingsError as error:
            print(f"async-patterns: {error}", file=sys.stderr)
            return 2
        args.codes = frozenset().union(*(codes for _, codes, _ in plan)) if plan else codes
        folder = _cache_folder(args, config)
        forget_caches()  # hashes of files are taken once per run
        by_path = {r.path: r for settings, codes, files in plan
                   for r in run_all(files, settings, codes, args.jobs, folder)}
        results = [by_path[path] for path in args.discovered]
    failed = _report_problems(problems)
    for result in results:
        if result.error:
            failed = True
            print(result.error, file=sys.stderr)
    found = sum(len(r.findings) for r in results)
    _print_results(args, results, problems)
    if args.verbose:
        read: dict[str, set[str]] = {}
        for result in results:
            for name, modules in result.packages.items():
                read.setdefault(name, set()).update(modules)
        listed = ", ".join(f"{name} ({len(read[name])} module{'s' if len(read[name]) > 1 else ''})"
                           for name in sorted(read))
        print(f"installed packages read to resolve calls: {listed or 'none'}", file=sys.stderr)
    if args.exit_zero:
        return 2 if failed else 0
    if failed:
        return 2
    return 1 if found else 0


def _fix_one(path: str, settings: Settings, codes: frozenset[str], unsafe: bool, options: dict, write: bool):
    from .fixing import fix_file

    try:
        return fix_file(path, settings, codes, unsafe, options, write)
    except Exception as error:  # noqa: BLE001 - one file must not take the run down
        return _crashed(path, error, "left unchanged")


def _crashed(path: str, error: BaseException, state: str):
    from .fixing import FileOutcome

    return FileOutcome(path, "", "", error=f"{path}: internal error while fixing: "
                                           f"{type(error).__name__}: {_one_line(error)} ({state})")


def _fix_outcomes(files: list[str], settings: Settings, codes: frozenset[str], unsafe: bool, options: dict,
                  write: bool, jobs: int):
    """Each file's outcome as soon as it is known, in the order of `files`: a file written is
    reported even when a later one fails, or a worker dies."""
    if isinstance(jobs, AutoJobs):
        jobs = min(jobs, max(1, len(files) // 8))
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            yield _fix_one(path, settings, codes, unsafe, options, write)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_fix_one, path, settings, codes, unsafe, options, write) for path in files]
        for path, future in zip(files, futures):
            try:
                yield future.result()
            except Exception as error:  # noqa: BLE001 - a worker process died
                yield _crashed(path, error, "not known whether it was written")


def _fix_stdin(args: argparse.Namespace, settings: Settings, codes: frozenset[str]) -> int:
    """`fix -`: the fixed text on standard output (or, with --diff, the patch), the findings left
    on standard error."""
    from .fixing import diff_bytes, fix_source

    try:
        name, text = _stdin_source(args)
        ast.parse(text, name)
    except UndecodableFile as error:
        print(error, file=sys.stderr)
        return 2
    except SyntaxError as error:
        print(f"{syntax_error_line(args.stdin_filename or '-', error, text)} (left unchanged)", file=sys.stderr)
        sys.stdout.write(text)
        return 2
    outcome = fix_source(text, name, settings, codes, args.unsafe_fixes, {"fix_style": args.fix_style})
    if args.diff:
        _write_bytes(diff_bytes(outcome))
    elif not args.check:
        sys.stdout.write(outcome.new)
    for finding, why in outcome.unfixed:
        print(f"{name}:{finding.line}:{finding.col + 1}: {finding.code} {finding.message} [not fixed: {why}]",
              file=sys.stderr)
    return 1 if outcome.changed or outcome.unfixed else 0


def command_fix(args: argparse.Namespace) -> int:
    config = _setup(args)
    if config is None:
        return 2
    codes, settings = _codes_from(args, config, args.stdin_filename), _settings_of(args, config)
    if _reads_stdin(args):
        return _fix_stdin(args, settings, codes)
    write = not (args.diff or args.check)
    options = {"fix_style": args.fix_style}
    problems: list[str] = []
    try:
        plan = _plan(args, config, problems)
    except SettingsError as error:
        print(f"async-patterns: {error}", file=sys.stderr)
        return 2
    outcomes = (outcome for settings, codes, files in plan
                for outcome in _fix_outcomes(files, settings, codes, args.unsafe_fixes, options, write, args.jobs))
    failed = int(_report_problems(problems))
    changed = remaining = 0
    for outcome in outcomes:
        if outcome.error:
            failed += 1
            print(outcome.error, file=sys.stderr)
        if outcome.changed:
            changed += 1
            if args.diff:
                from .fixing import diff_bytes

                _write_bytes(diff_bytes(outcome))
            else:
                counts = {}
                for finding in outcome.fixed:
                    counts[finding.code] = counts.get(finding.code, 0) + 1
                summary = ", ".join(f"{code} x{n}" for code, n in sorted(counts.items()))
                verb = "would fix" if args.check else "fixed"
                print(f"{outcome.path}: {verb} {len(outcome.fixed)} ({summary})", file=sys.stderr)
        for finding, why in outcome.unfixed:
            remaining += 1
            # with --diff, stdout is the patch: nothing else may be written there
            print(f"{outcome.path}:{finding.line}:{finding.col + 1}: {finding.code} {finding.message} "
                  f"[not fixed: {why}]", file=sys.stderr if args.diff else sys.stdout)
    if failed:
        return 2
    return 1 if changed or remaining else 0


def _write_bytes(data: bytes) -> None:
    sys.stdout.flush()
    if hasattr(sys.stdout, "buffer"):
        sys.stdout.buffer.write(data)
    else:  # a stream without bytes (a test's capture): its text is the best it can take
        sys.stdout.write(data.decode("utf-8", "replace"))


def command_rules(args: argparse.Namespace) -> int:
    rows = [(r.code, r.name, "on" if r.default else "opt-in", r.fix_text or "-", r.summary) for r in all_rules()]
    if args.format == "json":
        keys = ("code", "name", "default", "fix", "summary")
        print(json.dumps([dict(zip(keys, row)) for row in rows], indent=2))
        return 0
    width = max(len(r[1]) for r in rows)
    for code, name, state, fix, summary in rows:
        print(f"{code}  {name:<{width}}  {state:<6}  {summary}")
    return 0


def command_rule(args: argparse.Namespace) -> int:
    code = args.code.upper()
    found = {r.code: r for r in all_rules()}.get(code)
    if found is None:
        print(f"async-patterns: no rule {args.code}; see 'async-patterns rules'", file=sys.stderr)
        return 2
    from .docs import render_page

    print(render_page(found), end="")
    return 0


class AutoJobs(int):
    """`--jobs auto`: the usable CPUs, fewer when there are few files."""


def _jobs(value: str) -> int:
    """`--jobs N` or `--jobs auto` (the CPUs this process may run on)."""
    if value == "auto":
        return AutoJobs(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number or 'auto'") from None


def _files_options(command: argparse.ArgumentParser) -> None:
    """The options both check and fix take about which files and which configuration."""
    command.add_argument("--extend-exclude", action="append", metavar="GLOB",
                         help="also leave out files and folders matching GLOB (repeatable)")
    command.add_argument("--per-file-ignores", action="append", metavar="GLOB:CODES",
                         help="leave out CODES in files matching GLOB, e.g. 'tests/*:ASP201,ASP202' (repeatable)")
    command.add_argument("--respect-gitignore", dest="respect_gitignore", action="store_true", default=None,
                         help="skip what git ignores when searching folders (the default)")
    command.add_argument("--no-respect-gitignore", dest="respect_gitignore", action="store_false")
    command.add_argument("--target-version", metavar="VERSION",
                         help="lowest Python the code runs on, e.g. py311 or 3.11 (default: from requires-python)")


def _selector_list(value: str) -> list[str]:
    return [part.strip().upper() for part in value.split(",") if part.strip()]


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="async-patterns", description="Find asyncio concurrency defects.")
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="report findings")
    check.add_argument("paths", nargs="*", help="files and folders (default: .); - reads standard input")
    check.add_argument("--stdin-filename", metavar="PATH",
                       help="the name of the source read from standard input (for configuration and imports)")
    check.add_argument("--select", type=_selector_list, help="codes or prefixes to report (replaces the default set)")
    check.add_argument("--extend-select", type=_selector_list, default=[], help="codes to add, e.g. opt-in rules")
    check.add_argument("--ignore", type=_selector_list, default=[], help="codes or prefixes to leave out")
    check.add_argument("--output-format", "--format", dest="format", default="text",
                       choices=("text", "full", "json", "json-lines", "sarif", "github", "gitlab"),
                       help="how findings are printed (default: text)")
    check.add_argument("--output-file", metavar="PATH", help="write the findings to PATH instead of stdout")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--quiet", "-q", action="store_true",
                       help="print nothing for text and full output, only the exit status tells")
    check.add_argument("--jobs", "-j", type=_jobs, default="auto",
                       help="worker processes, or auto: the usable CPUs (the default)")
    check.add_argument("--no-cache", action="store_true",
                       help="lint every file again and keep nothing (also $ASYNC_PATTERNS_NO_CACHE=1)")
    check.add_argument("--cache-dir", metavar="PATH",
                       help="where results are kept (default: .async_patterns_cache beside the configuration; "
                            "also $ASYNC_PATTERNS_CACHE_DIR or cache-dir in [tool.async-patterns])")
    _files_options(check)
    check.add_argument("--config", help="the pyproject.toml to read (default: the nearest one)")
    check.add_argument("--statistics", action="store_true", help="also print the number of findings per rule")
    check.add_argument("--verbose", "-v", action="store_true",
                       help="say what resolved each call (module, project, annotation, package, receiver, ...) "
                            "and which installed packages were read")
    check.set_defaults(handler=command_check)

    fixing = commands.add_parser("fix", help="rewrite the findings that have a fix")
    fixing.add_argument("paths", nargs="*",
                        help="files and folders (default: .); - reads standard input and prints the fixed text")
    fixing.add_argument("--stdin-filename", metavar="PATH",
                        help="the name of the source read from standard input (for configuration and imports)")
    fixing.add_argument("--select", type=_selector_list, help="codes or prefixes to fix (replaces the default set)")
    fixing.add_argument("--extend-select", type=_selector_list, default=[], help="codes to add, e.g. opt-in rules")
    fixing.add_argument("--ignore", type=_selector_list, default=[], help="codes or prefixes to leave out")
    fixing.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that change behaviour")
    fixing.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    fixing.add_argument("--check", action="store_true", help="write nothing; exit 1 when something would change")
    fixing.add_argument("--fix-style", choices=("sequential", "gather"), default="sequential",
                        help="ASP101 in a loop: await each call (sequential) or, with --unsafe-fixes, "
                             "one bounded gather")
    fixing.add_argument("--jobs", "-j", type=_jobs, default="auto",
                        help="worker processes, or auto: the usable CPUs (the default)")
    _files_options(fixing)
    fixing.add_argument("--config", help="the pyproject.toml to read (default: the nearest one)")
    fixing.set_defaults(handler=command_fix)

    listing = commands.add_parser("rules", help="list the rules and their default state")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=command_rules)

    serving = commands.add_parser("server", help="run the language server over stdio (for editors)")
    serving.set_defaults(handler=command_server)

    page = commands.add_parser("rule", help="show one rule's documentation")
    page.add_argument("code")
    page.set_defaults(handler=command_rule)
    return top


def command_server(args: argparse.Namespace) -> int:
    try:
        from .server import serve
    except ImportError as error:
        print(f"async-patterns: the language server needs pygls and lsprotocol ({error}); install them with "
              "pip install 'flake8-async-patterns[server]'", file=sys.stderr)
        return 2
    return serve()


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # Trees and the facts of imported modules are many small objects with few cycles: the
    # default thresholds collect so often that the collector costs a third of a run. A caller
    # of main() (a test, a tool embedding the CLI) gets its own thresholds back.
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        return _run(args)
    finally:
        gc.set_threshold(*thresholds)


def _run(args) -> int:
    if getattr(args, "jobs", 1) < 1:
        print("async-patterns: --jobs must be at least 1", file=sys.stderr)
        return 2
    from .analysis.run import RUN

    RUN.start()
    _tolerate_unencodable_output()
    try:
        status = args.handler(args)
        if not sys.stdout.closed:  # the language server closes it as it exits
            sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`| head`): stop quietly, and keep Python from complaining as it
        # flushes the dead pipe on exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.dup2(devnull, sys.stderr.fileno())
        return BROKEN_PIPE
    return status


BROKEN_PIPE = 128 + 13  # the status of a process that SIGPIPE ended


def _tolerate_unencodable_output() -> None:
    """A path with bytes the file system could not decode (or a stream in an encoding that
    lacks a character) prints escaped, not as a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


if __name__ == "__main__":
    sys.exit(main())
