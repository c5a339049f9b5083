"""The flake8 door: options in, findings out."""
from __future__ import annotations

import ast
import gc
from pathlib import Path
from typing import Iterator

from . import __version__
from .registry import enabled_codes, opt_in_codes
from .settings import OPTIONS, Settings, SettingsError, build, requires_python


class Plugin:
    name = "flake8-async-patterns"
    version = __version__
    settings = Settings()
    codes: frozenset[str] | None = None  # None: every rule (flake8 filters)

    def __init__(self, tree: ast.AST, filename: str = "<unknown>", lines: list[str] | None = None) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, manager) -> None:
        for option in OPTIONS:
            manager.add_option(
                f"--{option.key}",
                default=None,
                parse_from_config=True,
                comma_separated_list=option.kind is list,
                help=option.help,
            )
        manager.extend_default_ignore(list(opt_in_codes()))

    @classmethod
    def parse_options(cls, options) -> None:
        from .analysis.run import RUN

        RUN.start()  # once per flake8 run, before its workers start
        values = {o.key: getattr(options, o.key.replace("-", "_"), None) for o in OPTIONS}
        try:
            cls.settings = build(values, requires_python(Path.cwd()))
        except SettingsError as error:
            raise SystemExit(f"flake8-async-patterns: {error}") from None
        # flake8 decides what is shown; we only keep opt-in rules off unless named
        # more precisely than the bare `ASP` prefix, as RULES.md promises.
        selected = enabled_codes(
            select=getattr(options, "select", None) or ["ASP"],
            extend_select=(getattr(options, "extend_select", None) or [])
            + (getattr(options, "enable_extensions", None) or []),
        )
        opt_in = opt_in_codes()
        cls.codes = frozenset(selected) | frozenset(code for code in _all_codes() if code not in opt_in)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        from .engine import check_tree

        source = "".join(self.lines) if self.lines is not None else None
        # Our facts are many small objects with few cycles: collect less often while we
        # build them, and give flake8 back its own thresholds before anything is yielded.
        thresholds = gc.get_threshold()
        gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
        try:
            findings = check_tree(self.tree, self.settings, self.filename, self.codes, source)
        finally:
            gc.set_threshold(*thresholds)
        for finding in findings:
            yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)


def _all_codes():
    from .registry import all_rules

    return [r.code for r in all_rules()]
