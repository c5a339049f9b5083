"""The fixer as a libcst codemod command, for teams that already run `python -m libcst.tool codemod`.

    python -m libcst.tool codemod -x flake8_async_patterns.codemod.AsyncPatternsFix --no-format src/

(`-x` names the class by its full module path, so no `.libcst.codemod.yaml` is needed;
`--no-format` stops libcst.tool from piping the file through black afterwards; options go after
the command name.)  Or, with a `.libcst.codemod.yaml` whose `modules` list holds
`flake8_async_patterns`:

    python -m libcst.tool codemod codemod.AsyncPatternsFix --no-format src/

It is the same engine as `async-patterns fix`: detection, each rule's fix at the finding's
position, verification; the settings and the selected rules come from the `[tool.async-patterns]`
table of the nearest pyproject.toml.  Files with nothing to fix are skipped (`SkipFile`);
findings that stay are reported as warnings.
"""
from __future__ import annotations

import argparse
from functools import lru_cache
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

from .fixing import fix_source
from .registry import enabled_codes
from .analysis.run import RUN
from .settings import load_project


@RUN.function
@lru_cache(maxsize=None)
def _project(folder: str):
    config = load_project(Path(folder))
    codes = enabled_codes(select=config.select, extend_select=list(config.extend_select),
                          ignore=list(config.ignore))
    return config.settings, codes


class AsyncPatternsFix(CodemodCommand):
    DESCRIPTION = ("Rewrite the asyncio defects that flake8-async-patterns finds into the recommended "
                   "patterns (safe fixes; add --unsafe-fixes for the rest).")

    def __init__(self, context: CodemodContext, unsafe_fixes: bool = False, fix_style: str = "sequential") -> None:
        super().__init__(context)
        self.unsafe_fixes = unsafe_fixes
        self.fix_style = fix_style

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--unsafe-fixes", action="store_true",
                                help="also apply fixes that change behaviour on purpose")
        arg_parser.add_argument("--fix-style", choices=("sequential", "gather"), default="sequential",
                                help="ASP101 in loops and ASP102: await each (sequential) or one bounded gather")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        filename = self.context.filename or "<stdin>"
        folder = str(Path(filename).resolve().parent) if self.context.filename else str(Path.cwd())
        settings, codes = _project(folder)
        outcome = fix_source(tree.code, filename, settings, codes, self.unsafe_fixes,
                             {"fix_style": self.fix_style})
        for finding, why in outcome.unfixed:
            self.warn(f"{finding.line}:{finding.col + 1}: {finding.code} {finding.message} [not fixed: {why}]")
        if not outcome.changed:
            raise SkipFile("nothing to fix")
        # the module's own encoding, newline and indentation travel with the new text
        return cst.parse_module(outcome.new, config=tree.config_for_parsing)
