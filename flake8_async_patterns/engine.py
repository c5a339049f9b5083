"""Parse once, walk once, dispatch each node to the checks registered for its type."""
from __future__ import annotations

import ast
from collections import defaultdict
from typing import Iterable

from .analysis import ModuleFacts
from .analysis.nodes import ONE, SPARSE, is_leaf, plan
from .analysis.vocabulary import last_name
from .analysis.scopes import FUNCTION_LIKE, Scope
from .registry import MAY_BE_COROUTINE, Finding, Rule, all_rules
from .settings import Settings

LOOPS = (ast.For, ast.AsyncFor, ast.While)


class Context:
    """What a check may ask about the node it is given.  `path` runs from the
    module to the node; checks must not change it."""

    __slots__ = ("facts", "settings", "path", "_scope")

    def __init__(self, facts: ModuleFacts, path: list[ast.AST]) -> None:
        self.facts = facts
        self.settings = facts.settings
        self.path = path
        self._scope: Scope | None = None

    @property
    def node(self) -> ast.AST:
        return self.path[-1]

    @property
    def parent(self) -> ast.AST | None:
        return self.path[-2] if len(self.path) > 1 else None

    @property
    def scope(self) -> Scope:
        if self._scope is None:
            self._scope = self.facts.scope(self.path)
        return self._scope

    def get_scope(self) -> Scope:
        """The scope, for questions that want it only if they get that far."""
        return self.scope

    @property
    def resolver(self):
        return self.facts.resolver

    def call_named(self, call: ast.AST, names: frozenset[str]) -> str | None:
        """The qualified name `call` calls, when it is one of `names` (cheap when it is not)."""
        return self.facts.resolver.call_named(call, lambda: self.scope, names)

    @property
    def function(self) -> ast.AST | None:
        """The innermost def or lambda around the node (not the node itself)."""
        for node in reversed(self.path[:-1]):
            if isinstance(node, FUNCTION_LIKE):
                return node
        return None

    @property
    def in_async_function(self) -> bool:
        return isinstance(self.function, ast.AsyncFunctionDef)

    @property
    def loop(self) -> ast.AST | None:
        """The innermost loop around the node, within its function."""
        for node in reversed(self.path[:-1]):
            if isinstance(node, FUNCTION_LIKE):
                return None
            if isinstance(node, LOOPS):
                return node
        return None


_CALL, _IMPORT = "call", "import"
_NAMES = (ast.Name, ast.Constant)


def _only_names(node: ast.AST | None) -> bool:
    """`node` is None, a name, a constant, or a dotted name: nothing a rule could ask about."""
    while type(node) is ast.Attribute:
        node = node.value
    return node is None or type(node) in _NAMES


def _holds_only_names(kind: type):
    """A test for nodes of type `kind`: every child is a name, a constant or a dotted name."""
    steps = plan(kind)

    def holds_only_names(node: ast.AST) -> bool:
        for name, how in steps:
            value = getattr(node, name, None)
            if how == ONE:
                if not _only_names(value):
                    return False
            elif value and not all(_only_names(item) for item in value):
                return False
        return True

    return holds_only_names


# Expressions not worth a visit when they hold nothing but names: `a.b.c`, `x[i]`, `a == b`,
# `f"{x}"`, `key=value`, an argument annotated with a name.
_ONLY_NAMES = {ast.Attribute: _only_names} | {
    kind: _holds_only_names(kind) for kind in (
        ast.keyword, ast.arg, ast.Subscript, ast.Compare, ast.BinOp, ast.BoolOp, ast.UnaryOp, ast.Tuple,
        ast.List, ast.Set, ast.Dict, ast.JoinedStr, ast.FormattedValue, ast.Starred, ast.Slice,
    )
}


class Dispatch:
    """Which checks see which node: by node type, and for calls by the called name."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        by_type: dict[type, list] = defaultdict(list)
        by_name: dict[str, list] = defaultdict(list)
        for found in rules:
            for node_type, check in found.checks:
                by_type[node_type].append((found, check))
            for names, check in found.call_checks:
                for name in names:
                    by_name[name].append((found, check))
        self.by_type = dict(by_type)
        self.may_be_coroutine = by_name.pop(MAY_BE_COROUTINE, [])
        self.by_name = dict(by_name)
        self.any_call = bool(self.by_name or self.may_be_coroutine)
        self.skipped: dict[type, bool] = {}
        self.visits: dict[type, tuple] = {}

    def visit(self, kind: type) -> tuple:
        """(checks, _CALL/_IMPORT/None, child fields last first) for nodes of type `kind`."""
        special = _CALL if kind is ast.Call and self.any_call else _IMPORT if issubclass(kind, IMPORTS) else None
        found = self.visits[kind] = (tuple(self.by_type.get(kind, ())), special, tuple(reversed(plan(kind))))
        return found

    def skip(self, kind: type):
        """Whether to skip nodes of this type: True (leaves no rule asks for), False (visit
        them), or a test of the node (`a.b.c`, `key=value`: nothing inside but names)."""
        found = self.skipped.get(kind)
        if found is None:
            asked = kind in self.by_type or issubclass(kind, IMPORTS) or (kind is ast.Call and self.any_call)
            found = self.skipped[kind] = False if asked else True if is_leaf(kind) else _ONLY_NAMES.get(kind, False)
        return found

    def call_checks(self, call: ast.Call, facts: ModuleFacts) -> tuple:
        func = call.func
        last = last_name(func)
        if last is None:
            return ()
        found = list(self.by_name.get(last, ()))
        if isinstance(func, ast.Name):
            for imported in facts.import_aliases.get(last, ()):  # `from asyncio import gather as g`
                if imported != last:
                    found += self.by_name.get(imported, ())
        if self.may_be_coroutine and facts.resolver.may_be_coroutine_function(func):
            found += self.may_be_coroutine
        if len(found) > 1:  # one check listed under two names it may be called by
            found = list({id(check): (rule, check) for rule, check in found}.values())
        return tuple(found)


_TABLES: dict[frozenset[str] | None, Dispatch] = {}
IMPORTS = (ast.Import, ast.ImportFrom)


def check_tree(tree: ast.Module, settings: Settings, filename: str = "<unknown>",
               codes: frozenset[str] | None = None, source: str | None = None) -> list[Finding]:
    """All findings of the rules in `codes` (every rule when None) on `tree` (parsed from
    `source`, when the caller has it: some facts are quicker to read from the text)."""
    dispatch = _TABLES.get(codes)
    if dispatch is None:
        dispatch = _TABLES[codes] = Dispatch(r for r in all_rules() if codes is None or r.code in codes)
    visits, skipped, skip = dispatch.visits, dispatch.skipped, dispatch.skip
    facts = ModuleFacts(tree, settings, filename, source)
    findings: list[Finding] = []
    broken: dict[str, str] = {}
    path: list[ast.AST] = []
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        del path[depth:]
        path.append(node)
        kind = type(node)
        visit = visits.get(kind) or dispatch.visit(kind)
        checks, special, steps = visit
        if special is _CALL:
            checks = checks + dispatch.call_checks(node, facts)
        elif special is _IMPORT:
            facts.record_import(node)
        if checks:
            context = Context(facts, path)
            for found, check in checks:
                if found.code in broken:
                    continue
                try:
                    findings.extend(check(node, context))
                except Exception as error:  # noqa: BLE001 - one rule must not take the run down
                    broken[found.code] = f"{type(error).__name__}: {error}"
        depth += 1
        # the children, last first so that they are visited in order; leaves nobody asks about
        # are not pushed at all
        for name, how in steps:
            value = getattr(node, name, None)
            if how == ONE:
                if value is None:
                    continue
                skipped_child = skipped.get(type(value))
                if skipped_child is None:
                    skipped_child = skip(type(value))
                if skipped_child is False or (skipped_child is not True and not skipped_child(value)):
                    push((value, depth))
                continue
            if not value:
                continue
            for child in reversed(value):
                skipped_child = skipped.get(type(child))
                if skipped_child is None:
                    if how == SPARSE and not isinstance(child, ast.AST):
                        continue
                    skipped_child = skip(type(child))
                if skipped_child is False or (skipped_child is not True and not skipped_child(child)):
                    push((child, depth))
    for code, error in broken.items():
        findings.append(Finding("ASP000", 1, 0, f"internal error in {code}: {error}"))
    findings.sort(key=lambda f: (f.line, f.col, f.code))
    return findings
