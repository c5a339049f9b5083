"""The fixer: libcst edits at each finding's position, verified before anything is written.

Detection runs as for `check`; only files with fixable findings are parsed with
libcst.  Each rule's fixer gets the finding and a FixContext, finds the node at
the finding's position and says what replaces it; it never re-detects.  Fixes
that touch the same statement wait for the next pass; passes repeat until
nothing changes (at most MAX_PASSES).  A pass is kept only when the new text
parses, compiles and no longer has the findings it fixed.
"""
from __future__ import annotations

import ast
import difflib
import errno
import os
import stat
import sys
import tempfile
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from .noqa import split_lines
from .registry import RULES, Finding, all_rules
from .settings import Settings
from .source import read_bytes, syntax_error_line

MAX_PASSES = 10
# libcst's native parser recurses on long operator chains: 8,000 `and` terms crash the
# process, and a 10,000-term `+` chain runs for minutes; real code stays far below this
LIBCST_MAX_OPERANDS = 1000


class CannotFix(Exception):
    """A fixer cannot prove its rewrite here; the message says why."""


@dataclass
class Fix:
    """What a fixer does: replace nodes (by identity) and make sure names are imported."""

    # libcst node -> its replacement: a node, a FlattenSentinel, a RemovalSentinel, or a function
    # of the updated node that returns one of those
    replacements: dict
    safe: bool = True
    imports: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (module, obj, asname)
    module_statements: list = field(default_factory=list)  # statements to add after the imports
    # imports the fix may leave unused (`import time` once `time.sleep` is gone): removed when
    # nothing else in the module uses them (libcst's RemoveImportsVisitor decides)
    maybe_unused: list[tuple[str, str | None, str | None]] = field(default_factory=list)


@dataclass
class FileOutcome:
    path: str
    old: str
    new: str
    fixed: list[Finding] = field(default_factory=list)
    unfixed: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, why not)
    error: str | None = None
    encoding: str = "utf-8"  # of the file on disk: a diff is written in its bytes

    @property
    def changed(self) -> bool:
        return self.new != self.old


class FixContext:
    """What a fixer may ask: nodes by position, parents, names in use, the asyncio alias."""

    def __init__(self, wrapper, source: str, settings: Settings) -> None:
        import libcst as cst
        from libcst.metadata import PositionProvider

        self.cst = cst
        self.module = wrapper.module
        self.positions = wrapper.resolve(PositionProvider)
        self._parents: dict | None = None
        self.lines = split_lines(source)
        self.settings = settings
        self._names: set[str] | None = None
        self._taken: set[str] = set()
        self._by_start: dict | None = None

    # -- positions -----------------------------------------------------------------------

    def char_column(self, line: int, byte_column: int) -> int:
        """ast counts columns in UTF-8 bytes, libcst in characters."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(text.encode("utf-8")[:byte_column].decode("utf-8", "ignore"))

    def node_at(self, finding: Finding, *types, line: int | None = None, col: int | None = None,
                end: bool = True):
        """The node of one of `types` that spans exactly the finding (or starts at line/col)."""
        if self._by_start is None:
            self._by_start = {}
            for node, where in self.positions.items():
                self._by_start.setdefault((where.start.line, where.start.column), []).append((node, where))
        line = finding.line if line is None else line
        col = finding.col if col is None else col
        start = (line, self.char_column(line, col))
        stop = None
        if end and line == finding.line and col == finding.col and finding.end_line is not None:
            stop = (finding.end_line, self.char_column(finding.end_line, finding.end_col))
        candidates = [(node, where) for node, where in self._by_start.get(start, ()) if isinstance(node, types)]
        if stop is not None:
            candidates = [(n, w) for n, w in candidates if (w.end.line, w.end.column) == stop] or candidates
        if not candidates:
            raise CannotFix("the code at this position is not what the finding describes")
        # the outermost of nodes starting at the same place
        return max(candidates, key=lambda pair: (pair[1].end.line, pair[1].end.column))[0]

    @property
    def parents(self) -> dict:
        """node -> its parent, for every node of the module (a plain visitor: three times
        quicker than libcst's ParentNodeProvider)."""
        if self._parents is None:
            self._parents = _parents_of(self.module, self.cst)
        return self._parents

    def parent(self, node):
        return self.parents.get(node)

    def statement_of(self, node):
        """The statement line (SimpleStatementLine) or compound statement holding `node`."""
        cst = self.cst
        while node is not None and not isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            node = self.parents.get(node)
        if node is None:
            raise CannotFix("no statement around the finding")
        return node

    # -- names ------------------------------------------------------------------------------

    def names_in_use(self) -> set[str]:
        if self._names is None:
            cst = self.cst
            self._names = {n.value for n in self.positions if isinstance(n, cst.Name)}
        return self._names | self._taken

    def fresh_name(self, base: str) -> str:
        """A name that no code in the module uses yet."""
        used = self.names_in_use()
        name, number = base, 1
        while name in used:
            number += 1
            name = f"{base}_{number}"
        self._taken.add(name)
        return name

    def fresh_local_name(self, node, base: str) -> str:
        """A name for a new local of the function around `node`: one that function does not use
        (nested scopes included) and no other fix of this pass took, except as a local of another
        function.  Outside a function (module or class level) this is `fresh_name`."""
        cst = self.cst
        function = self.parents.get(node)
        while function is not None and not isinstance(function, (cst.FunctionDef, cst.ClassDef)):
            function = self.parents.get(function)
        if not isinstance(function, cst.FunctionDef):
            return self.fresh_name(base)
        local = self.__dict__.setdefault("_local_names", {})  # function -> (names in it, names taken there)
        if function not in local:
            where = self.positions[function]
            inside = {n.value for n, p in self.positions.items() if isinstance(n, cst.Name)
                      and (p.start.line, p.start.column) >= (where.start.line, where.start.column)
                      and (p.end.line, p.end.column) <= (where.end.line, where.end.column)}
            local[function] = (inside, set())
        inside, taken_here = local[function]
        elsewhere = set().union(*(t for f, (_, t) in local.items() if f is not function)) - taken_here
        used = inside | taken_here | (self._taken - elsewhere)
        name, number = base, 1
        while name in used:
            number += 1
            name = f"{base}_{number}"
        taken_here.add(name)
        self._taken.add(name)
        return name

    def module_alias(self, module: str) -> tuple[str, list]:
        """How the module is spelled here (`asyncio` or its `as` alias), and the import to add."""
        cst = self.cst
        for statement in self.module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Import):
                        for alias in small.names:
                            if _dotted(alias.name) == module:
                                return (alias.asname.name.value if alias.asname else module), []
        return module, [(module, None, None)]

    def asyncio_attr(self, obj: str) -> tuple[str, list]:
        """How to spell `asyncio.<obj>` here: `gather` after `from asyncio import gather`,
        `aio.gather` after `import asyncio as aio`, else `asyncio.gather` (and the import to add)."""
        alias = self.from_import_alias("asyncio", obj)
        if alias is not None:
            return alias, []
        module, imports = self.module_alias("asyncio")
        return f"{module}.{obj}", imports

    def from_import_alias(self, module: str, obj: str) -> str | None:
        """The local name of `from module import obj [as x]`, if the module has one."""
        cst = self.cst
        for statement in self.module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.ImportFrom) and small.module is not None \
                            and _dotted(small.module) == module and not isinstance(small.names, cst.ImportStar):
                        for alias in small.names:
                            if _dotted(alias.name) == obj:
                                return alias.asname.name.value if alias.asname else obj
        return None

    def iterable_text(self, node) -> str:
        """A loop's iterable as it can stand after `in` of a generator: `for i in 0, 2, 3` -> `(0, 2, 3)`."""
        text = self.module.code_for_node(node)
        return f"({text})" if isinstance(node, self.cst.Tuple) and not node.lpar else text

    # -- awaiting ------------------------------------------------------------------------

    def check_await_allowed(self, call) -> None:
        """Raise CannotFix unless an `await` in place of `call` runs in the coroutine's own body."""
        cst = self.cst
        child, node = call, self.parent(call)
        while node is not None:
            # a default, a decorator or a base class is evaluated outside the def/lambda/class it belongs to
            inside = child is node.body if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)) else True
            if isinstance(node, cst.FunctionDef) and inside:
                if node.asynchronous is None:
                    raise CannotFix("not directly inside an async def")
                return
            if isinstance(node, (cst.Lambda, cst.ClassDef)) and inside:
                raise CannotFix("inside a lambda or a class body, where 'await' cannot go")
            if isinstance(node, cst.GeneratorExp):
                raise CannotFix("an 'await' would turn the generator expression into an async generator")
            child, node = node, self.parent(node)
        raise CannotFix("not inside an async def")

    def awaiting(self, call, build):
        """A replacement of `call` by `await <build(updated call)>`: parenthesised where the code
        around binds tighter than `await`; `await call` already there keeps its one `await`."""
        cst = self.cst
        parent = self.parent(call)
        awaited = isinstance(parent, cst.Await) and parent.expression is call  # `await time.sleep(1)`
        parenthesize = not awaited and not call.lpar and (
            (isinstance(parent, (cst.Attribute, cst.Subscript)) and parent.value is call)
            or (isinstance(parent, cst.Call) and parent.func is call)
            or (isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Power)
                and parent.left is call))

        def replace(updated):
            new = build(updated)
            if awaited:
                return new.with_changes(lpar=updated.lpar, rpar=updated.rpar)
            lpar, rpar = updated.lpar, updated.rpar
            if parenthesize:
                lpar, rpar = [cst.LeftParen()], [cst.RightParen()]
            return cst.Await(expression=new, lpar=lpar, rpar=rpar)

        return replace

    def run_in_thread(self, call):
        """(replacement, imports) turning `fn(*args, **kwargs)` into
        `await asyncio.to_thread(fn, *args, **kwargs)` where `call` is."""
        self.check_await_allowed(call)
        if self.settings.target_version < (3, 9):
            raise CannotFix("asyncio.to_thread needs Python 3.9")
        module, imports = self.module_alias("asyncio")
        return self.awaiting(call, lambda updated: self.in_thread(updated, module)), imports

    def in_thread(self, call, module: str):
        """`fn(*args, **kwargs)` -> `<module>.to_thread(fn, *args, **kwargs)` (`call` as updated)."""
        cst = self.cst
        function = cst.Arg(call.func, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                           if call.args else cst.MaybeSentinel.DEFAULT)
        return cst.Call(func=self.expression(f"{module}.to_thread"), args=[function, *call.args],
                        whitespace_before_args=call.whitespace_before_args)

    def import_of(self, expr) -> list[tuple[str, str | None, str | None]]:
        """The module-level imports of the standard library that bind the name `expr` starts with
        (`import time` for `time.sleep`, `from time import sleep as nap` for `nap`), as (module,
        obj, asname). Only the standard library's: dropping the import of another module, once
        unused, could drop what importing it does."""
        cst = self.cst
        root = expr
        while isinstance(root, cst.Attribute):
            root = root.value
        if not isinstance(root, cst.Name):
            return []
        found = []
        for statement in self.module.body:
            for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.Import):
                    found.extend((alias.evaluated_name, None, alias.evaluated_alias) for alias in small.names
                                 if (alias.evaluated_alias or alias.evaluated_name.split(".")[0]) == root.value)
                elif isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative \
                        and not isinstance(small.names, cst.ImportStar):
                    module = _dotted(small.module)
                    found.extend((module, alias.evaluated_name, alias.evaluated_alias) for alias in small.names
                                 if (alias.evaluated_alias or alias.evaluated_name) == root.value)
        return [entry for entry in found if entry[0].split(".")[0] in sys.stdlib_module_names]

    def expression(self, text: str):
        return self.cst.parse_expression(text)

    def statement(self, text: str):
        return self.cst.parse_statement(text)


def comments_in(node) -> set[int]:
    """The ids of the Comment nodes under a libcst node."""
    import libcst as cst

    found: set[int] = set()

    class Collect(cst.CSTVisitor):
        def visit_Comment(self, comment) -> None:
            found.add(id(comment))

    node.visit(Collect())
    return found


def _parents_of(module, cst) -> dict:
    class Parents(cst.CSTVisitor):
        def __init__(self) -> None:
            self.found: dict = {}
            self.stack: list = []

        def on_visit(self, node) -> bool:
            if self.stack:
                self.found[node] = self.stack[-1]
            self.stack.append(node)
            return True

        def on_leave(self, original_node) -> None:
            self.stack.pop()

    visitor = Parents()
    module.visit(visitor)
    return visitor.found


def _dotted(node) -> str:
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def fixable(finding: Finding) -> bool:
    found = RULES.get(finding.code)
    return found is not None and found.fixer is not None


def _apply(source: str, findings: Sequence[Finding], settings: Settings, unsafe: bool,
           options: dict) -> tuple[str, list[Finding], list[tuple[Finding, str]]]:
    """One pass: the fixes of non-overlapping findings applied together."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper

    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        return source, [], [(f, f"libcst cannot parse the file: {error.message}") for f in findings]
    if module.code != source:  # e.g. a file whose lines end with a lone \r loses its last one
        return source, [], [(f, "libcst does not reproduce this file exactly") for f in findings]
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)  # parsed just above, shared with nobody
    fx = FixContext(wrapper, source, settings)
    replacements: dict = {}
    claimed: set = set()
    skipped: list[tuple[Finding, str]] = []
    accepted: list = []  # (finding, its Fix)
    for finding in findings:
        fixer = RULES[finding.code].fixer
        try:
            result = fixer(finding, fx, options)
            if result is None:
                skipped.append((finding, "no fix for this form"))
                continue
            if not result.safe and not unsafe:
                skipped.append((finding, "unsafe fix: run with --unsafe-fixes"))
                continue
            statements = {fx.statement_of(node) if not isinstance(node, fx.cst.BaseCompoundStatement) else node
                          for node in result.replacements}
        except CannotFix as why:
            skipped.append((finding, str(why)))
            continue
        except Exception as error:  # noqa: BLE001 - one fixer must not take the run down
            skipped.append((finding, internal_error(finding.code, error)))
            continue
        if statements & claimed or any(node in replacements for node in result.replacements):
            continue  # overlaps a fix of this pass: the next pass takes it
        claimed |= statements
        replacements.update(result.replacements)
        accepted.append((finding, result))
    try:
        text = _rewrite(wrapper.module, accepted, fx)
    except Exception:  # noqa: BLE001 - find the fix that breaks, refuse it, keep the others
        working = []
        for finding, result in accepted:
            try:
                _rewrite(wrapper.module, [(finding, result)], fx)
            except Exception as error:  # noqa: BLE001
                skipped.append((finding, internal_error(finding.code, error)))
            else:
                working.append((finding, result))
        accepted = working
        try:
            text = _rewrite(wrapper.module, accepted, fx)
        except Exception as error:  # noqa: BLE001 - each works alone, not together: refuse them all
            skipped.extend((finding, internal_error(finding.code, error)) for finding, _ in accepted)
            accepted = []
    if not accepted:
        return source, [], skipped
    return text, [finding for finding, _ in accepted], skipped


def internal_error(code: str, error: BaseException) -> str:
    """Why a fix was refused when its code raised: said plainly, since it is a bug of ours."""
    return f"internal error in {code}'s fix: {type(error).__name__}: {error}"


def _rewrite(module, accepted: list, fx) -> str:
    """The text of `module` with the fixes of `accepted` made, imports and module statements added."""
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

    if not accepted:
        return module.code
    replacements: dict = {}
    imports: list = []
    module_statements: list = []
    unused: list = []
    for _, result in accepted:
        replacements.update(result.replacements)
        imports.extend(result.imports)
        unused.extend(result.maybe_unused)
        module_statements.extend(s for s in result.module_statements if s not in module_statements)
    tree = _replace(module, replacements, fx)
    if module_statements:
        tree = _add_after_imports(tree, module_statements)
    if imports:
        context = CodemodContext()
        for name, obj, asname in imports:
            AddImportsVisitor.add_needed_import(context, name, obj, asname)
        tree = AddImportsVisitor(context).transform_module(tree)
    if unused:
        context = CodemodContext()
        for name, obj, asname in unused:
            RemoveImportsVisitor.remove_unused_import(context, name, obj, asname)
        tree = RemoveImportsVisitor(context).transform_module(tree)
    return tree.code


def _replace(module, replacements: dict, fx):
    """The module with `replacements` made: only the top-level statements that hold a replaced
    node are rebuilt (a transformer over the whole of a big module costs seconds)."""
    parents = fx.parents
    touched = set()
    for node in replacements:
        while parents.get(node) is not None and parents[node] is not module:
            node = parents[node]
        if parents.get(node) is not module:
            return module.visit(_Replace(replacements))  # a node outside the body: the header, the footer
        touched.add(node)
    transformer = _Replace(replacements)
    body = []
    for statement in module.body:
        new = statement.visit(transformer) if statement in touched else statement
        if isinstance(new, fx.cst.FlattenSentinel):
            body.extend(new.nodes)
        elif not isinstance(new, fx.cst.RemovalSentinel):
            body.append(new)
    return module.with_changes(body=body)


class _Replace:
    """A transformer that swaps nodes by identity (built lazily: libcst is imported here only)."""

    def __new__(cls, replacements):
        import libcst as cst

        class Replace(cst.CSTTransformer):
            def on_leave(self, original, updated):
                if original in replacements:
                    replacement = replacements[original]
                    return replacement(updated) if callable(replacement) else replacement
                return updated

        return Replace()


def _add_after_imports(tree, statements):
    import libcst as cst

    body = list(tree.body)
    index = 0
    for position, statement in enumerate(body):
        is_docstring = position == 0 and isinstance(statement, cst.SimpleStatementLine) and \
            isinstance(statement.body[0], cst.Expr) and isinstance(statement.body[0].value, cst.SimpleString)
        is_import = isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body)
        if is_docstring or is_import:
            index = position + 1
        elif index:
            break
    return tree.with_changes(body=body[:index] + list(statements) + body[index:])


def fix_source(source: str, path: str, settings: Settings, codes: frozenset[str], unsafe: bool = False,
               options: dict | None = None, lint: Callable | None = None,
               only: Sequence[Finding] | None = None) -> FileOutcome:
    """Fix everything fixable in `source`, pass after pass, verifying each pass; with `only`,
    just those findings (as found in `source`), in one pass."""
    from .source import lint_source

    lint = lint or lint_source
    options = {**(options or {}), "unsafe": unsafe, "path": path}
    outcome = FileOutcome(path, source, source)
    current = source
    findings = lint(current, path, settings, codes)
    hazard = libcst_hazard(source) if any(fixable(f) for f in findings) else None
    if hazard:
        outcome.unfixed = [(f, hazard if fixable(f) else "no fix for this rule") for f in findings]
        return outcome
    rejected: dict = {}  # _key(finding) -> why its fix was refused
    wanted = None if only is None else {(f.code, f.line, f.col) for f in only}
    for _ in range(MAX_PASSES if wanted is None else 1):
        lines = split_lines(current)
        candidates = [f for f in findings if fixable(f) and _key(f, lines) not in rejected
                      and (wanted is None or (f.code, f.line, f.col) in wanted)]
        if not candidates:
            break
        new, done, skipped = _apply(current, candidates, settings, unsafe, options)
        if not done:
            break
        verdict = _verify(new, path, findings, done, settings, codes, lint)
        if isinstance(verdict, str):
            # one bad fix must not hold back the others of its pass
            new, done, verdict = _salvage(current, lines, path, findings, done, verdict, rejected, settings,
                                          codes, unsafe, options, lint)
            if not done:
                continue
        current, findings = new, verdict
        outcome.fixed.extend(done)
    outcome.new = current
    lines = split_lines(current)
    # ask the fixers once, on the final text, why the fixable ones are left
    remaining = [f for f in findings if fixable(f) and _key(f, lines) not in rejected]
    _, would, skipped = _apply(current, remaining, settings, unsafe, options) if remaining else ("", [], [])
    why = {id(f): reason for f, reason in skipped}
    would_ids = {id(f) for f in would}
    for finding in findings:
        if not fixable(finding):
            reason = "no fix for this rule"
        elif _key(finding, lines) in rejected:
            reason = f"fix not applied: {rejected[_key(finding, lines)]}"
        elif id(finding) in why:
            reason = why[id(finding)]
        elif id(finding) in would_ids:
            reason = f"still left after {MAX_PASSES} passes"
        else:
            reason = "overlaps another fix"
        outcome.unfixed.append((finding, reason))
    return outcome


def libcst_hazard(source: str) -> str | None:
    """Why libcst must not parse `source` (it would crash or take minutes), or None."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # the lint has already said what is wrong with it
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        width = len(node.values) if isinstance(node, ast.BoolOp) else (
            len(node.comparators) + 1 if isinstance(node, ast.Compare) else 1)
        if depth > LIBCST_MAX_OPERANDS or width > LIBCST_MAX_OPERANDS:
            return (f"the file holds an expression too deep or too long for the fixer's parser "
                    f"(more than {LIBCST_MAX_OPERANDS} operands or levels); left unchanged")
        chained = isinstance(node, (ast.BinOp, ast.BoolOp, ast.Compare, ast.Attribute, ast.Subscript, ast.Call))
        stack.extend((child, depth + 1 if chained else 0) for child in ast.iter_child_nodes(node))
    return None


def _key(finding: Finding, lines: list[str]) -> tuple:
    """A finding's identity that survives edits elsewhere in the file: its code, column and line text."""
    text = lines[finding.line - 1].strip() if 0 < finding.line <= len(lines) else ""
    return finding.code, finding.col, text


def _salvage(current, lines, path, findings, done, problem, rejected, settings, codes, unsafe, options, lint):
    """A pass failed verification: try its fixes one by one, refuse the ones that fail alone, and
    apply the good ones together, or else the first good one alone (the rest wait for a later pass)."""
    good = []
    for finding in done:
        alone, ok, _ = _apply(current, [finding], settings, unsafe, options)
        verdict = _verify(alone, path, findings, ok, settings, codes, lint) if ok else "overlaps another fix"
        if isinstance(verdict, str):
            rejected[_key(finding, lines)] = verdict
        else:
            good.append((finding, alone, ok, verdict))
    if not good:
        return current, [], problem
    if len(good) > 1 and len(good) < len(done):
        new, ok, _ = _apply(current, [g[0] for g in good], settings, unsafe, options)
        verdict = _verify(new, path, findings, ok, settings, codes, lint) if ok else problem
        if not isinstance(verdict, str):
            return new, ok, verdict
    _, alone, ok, verdict = good[0]
    return alone, ok, verdict


def _verify(new: str, path: str, before: list[Finding], done: list[Finding], settings, codes, lint):
    """The findings of the new text, or why it must not be written."""
    try:
        compile(new, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return f"the result does not compile ({error})"
    after = lint(new, path, settings, codes)
    for code in {f.code for f in done}:
        expected = sum(f.code == code for f in before) - sum(f.code == code for f in done)
        if sum(f.code == code for f in after) > expected:
            return f"the result still has {code}"
    if any(f.code == "ASP000" for f in after):
        return "the result makes a rule fail"
    return after


# -- files ------------------------------------------------------------------------------


@dataclass
class SourceFile:
    text: str
    encoding: str
    newline_bytes: bytes
    faithful: bool = True  # encoding the text again gives back the file's bytes
    data: bytes | None = None  # the bytes read, to notice an edit made while the file was being fixed


class ChangedMeanwhile(Exception):
    """The file on disk is no longer what was read and fixed."""


def _encodes_back(text: str, encoding: str, data: bytes | None = None) -> bool:
    """Does `text` encode (to `data`, when given) and decode back to itself?  Codecs such as
    utf-7, unicode_escape and idna do not always."""
    try:
        encoded = text.encode(encoding)
        return (data is None or encoded == data) and encoded.decode(encoding) == text
    except (ValueError, LookupError):  # UnicodeError is a ValueError
        return False


def read_file(path: Path) -> SourceFile:
    """The text of a Python file in its declared encoding; ValueError (a UnicodeError among
    them), LookupError or SyntaxError when it cannot be decoded; OSError for what is not a
    regular file."""
    data = read_bytes(path)
    encoding, _ = tokenize.detect_encoding(iter(data.splitlines(keepends=True)).__next__)
    text = data.decode(encoding)
    faithful = _encodes_back(text, encoding, data)
    if encoding == "utf-8-sig" and text.startswith("\ufeff"):
        text = text[1:]
    return SourceFile(text, encoding, b"\r\n" if b"\r\n" in data else b"\n", faithful, data)


def write_atomically(path: Path, text: str, encoding: str, expected: bytes | None = None) -> None:
    """Replace the file's content with `text` and keep everything else about it: mode, owner,
    group, extended attributes, hard links.  A symlink stays a symlink: its target is written.

    A file with one link gets a temporary file beside it, made like it, then renamed over it
    (atomic).  A file with other hard links, or one whose owner or attributes the temporary
    file cannot take, is written in place so that every link sees the new text; should that
    write fail, the old bytes are put back.  With `expected`, the file must still hold those
    bytes at the last moment (ChangedMeanwhile otherwise, and nothing is written)."""
    if not _encodes_back(text, encoding):
        raise ValueError(f"the new text cannot be written back in {encoding}")
    data = text.encode(encoding)
    target = Path(os.path.realpath(path))
    info = target.stat()
    if info.st_nlink > 1 or not _replace_with_copy(target, data, info, expected):
        _write_in_place(target, data, expected)


def _still(target: Path, expected: bytes | None, now: bytes | None = None) -> None:
    if expected is not None and (target.read_bytes() if now is None else now) != expected:
        raise ChangedMeanwhile(str(target))


def _replace_with_copy(target: Path, data: bytes, info: os.stat_result, expected: bytes | None = None) -> bool:
    """Write a temporary copy that has the file's mode, owner, group and extended attributes,
    then rename it over the file; False (and nothing changed) when the copy cannot be made so."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            if hasattr(os, "chown") and (os.stat(temporary).st_uid, os.stat(temporary).st_gid) != \
                    (info.st_uid, info.st_gid):
                os.chown(temporary, info.st_uid, info.st_gid)
            os.chmod(temporary, stat.S_IMODE(info.st_mode))  # after chown, which may clear setuid bits
            _copy_xattrs(target, temporary)
        except OSError:
            os.unlink(temporary)
            return False
        _still(target, expected)
        os.replace(temporary, target)
        return True
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _copy_xattrs(source: Path, destination: str) -> None:
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(source)
    except OSError as error:
        if error.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return  # the file system has none
        raise
    for name in names:
        os.setxattr(destination, name, os.getxattr(source, name))


def _write_in_place(target: Path, data: bytes, expected: bytes | None = None) -> None:
    with open(target, "r+b") as stream:
        old = stream.read()
        _still(target, expected, old)
        try:
            stream.seek(0)
            stream.write(data)
            stream.truncate()
            stream.flush()
            os.fsync(stream.fileno())
        except BaseException:
            stream.seek(0)
            stream.write(old)
            stream.truncate()
            raise


def unified_diff(path: str, old: str, new: str) -> str:
    shown = diff_path(path)
    return f"--- a/{shown}\n+++ b/{shown}\n" + "".join(_hunks(old, new)) if old != new else ""


def _hunks(old: str, new: str):
    lines = difflib.unified_diff(split_lines(old), split_lines(new))
    next(lines, None), next(lines, None)  # the header: written by the caller
    # a last line without its newline is marked as diff and patch expect
    return (line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)


def diff_path(path: str) -> str:
    """The path as `git apply` run in the current folder wants it: normalised (`./x.py` is
    `x.py`), relative to the current folder when the file is under it."""
    shown = os.path.normpath(path)
    if os.path.isabs(shown):
        relative = os.path.relpath(shown)
        shown = shown if relative.startswith("..") else relative
    return shown.lstrip("/").replace(os.sep, "/")


def diff_bytes(outcome: FileOutcome) -> bytes:
    """The outcome's diff in the bytes of the file itself: its encoding, its BOM, and its name
    as the file system spells it (a name that is not valid UTF-8 included)."""
    if not outcome.changed:
        return b""
    bom = "\ufeff" if outcome.encoding == "utf-8-sig" else ""
    encoding = "utf-8" if bom else outcome.encoding
    name = os.fsencode(diff_path(outcome.path))
    body = "".join(_hunks(bom + outcome.old, bom + outcome.new)).encode(encoding)
    return b"--- a/" + name + b"\n+++ b/" + name + b"\n" + body


def fix_file(path: str, settings: Settings, codes: frozenset[str], unsafe: bool, options: dict,
             write: bool) -> FileOutcome:
    file = Path(path)
    try:
        source = read_file(file)
    except FileNotFoundError:
        return FileOutcome(path, "", "", error=f"{path}: no such file or directory")
    except (OSError, SyntaxError, ValueError, LookupError) as error:
        return FileOutcome(path, "", "", error=f"{path}: cannot read: {' '.join(str(error).split())}")
    try:
        ast.parse(source.text, path)
    except SyntaxError as error:
        return FileOutcome(path, source.text, source.text,
                           error=f"{syntax_error_line(path, error, source.text)} (left unchanged)")
    except (RecursionError, MemoryError, ValueError) as error:
        return FileOutcome(path, source.text, source.text, error=f"{path}:1:1: cannot parse: {error} (left unchanged)")
    try:
        outcome = fix_source(source.text, path, settings, codes, unsafe, options)
    except RecursionError:
        return FileOutcome(path, source.text, source.text, error=f"{path}: too deeply nested to fix (left unchanged)")
    outcome.encoding = source.encoding
    if outcome.changed and not source.faithful:
        outcome.error = (f"{path}: not fixed: its encoding {source.encoding} does not give back the file's own "
                         "bytes, so rewriting would change more than the fix (left unchanged)")
        outcome.new = outcome.old
        return outcome
    if outcome.changed and write:
        real = os.path.realpath(path)
        if not os.access(real, os.W_OK) or not (os.stat(real).st_mode & stat.S_IWUSR):
            outcome.error = f"{path}: read-only, left unchanged"
            outcome.new = outcome.old
            return outcome
        try:
            write_atomically(file, outcome.new, source.encoding, expected=source.data)
        except ChangedMeanwhile:
            outcome.error = f"{path}: changed while it was being fixed: left as it is now, not fixed; run fix again"
            outcome.new = outcome.old
        except (OSError, ValueError) as error:
            outcome.error = f"{path}: cannot write: {error} (left unchanged)"
            outcome.new = outcome.old
    return outcome


def fixable_rules() -> list:
    return [r for r in all_rules() if r.fixer is not None]
