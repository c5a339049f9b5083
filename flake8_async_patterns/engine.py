"""Parse once, walk once, dispatch each node to the checks registered for its type."""
from __future__ import annotations

import ast
from collections import defaultdict
from typing import Iterable, Sequence

from .analysis import ModuleFacts
from .analysis.nodes import child_nodes, is_leaf
from .analysis.scopes import FUNCTIONS, Scope
from .registry import Finding, Rule, all_rules
from .settings import Settings

LOOPS = (ast.For, ast.AsyncFor, ast.While)
FUNCTION_LIKE = (*FUNCTIONS, ast.Lambda)


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


def _dispatch_table(rules: Iterable[Rule]) -> dict[type, list[tuple[Rule, object]]]:
    table: dict[type, list] = defaultdict(list)
    for found in rules:
        for node_type, check in found.checks:
            table[node_type].append((found, check))
    return dict(table)


_TABLES: dict[frozenset[str] | None, dict] = {}
_SKIPPED: dict[frozenset[str] | None, dict[type, bool]] = {}  # leaves no rule asks for
IMPORTS = (ast.Import, ast.ImportFrom)


def check_tree(tree: ast.Module, settings: Settings, filename: str = "<unknown>",
               codes: frozenset[str] | None = None, source: str | None = None) -> list[Finding]:
    """All findings of the rules in `codes` (every rule when None) on `tree` (parsed from
    `source`, when the caller has it: some facts are quicker to read from the text)."""
    table = _TABLES.get(codes)
    if table is None:
        chosen = [r for r in all_rules() if codes is None or r.code in codes]
        table = _TABLES[codes] = _dispatch_table(chosen)
        _SKIPPED[codes] = {}
    skipped = _SKIPPED[codes]
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
        if kind in IMPORTS:
            facts.record_import(node)
        checks = table.get(kind)
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
        children = child_nodes(node)
        for index in range(len(children) - 1, -1, -1):
            child = children[index]
            skip = skipped.get(type(child))
            if skip is None:
                child_kind = type(child)
                skip = skipped[child_kind] = is_leaf(child_kind) and child_kind not in table \
                    and not issubclass(child_kind, IMPORTS)
            if not skip:
                push((child, depth))
    for code, error in broken.items():
        findings.append(Finding("ASP000", 1, 0, f"internal error in {code}: {error}"))
    findings.sort(key=lambda f: (f.line, f.col, f.code))
    return findings


def truth_tested(path: Sequence[ast.AST]) -> bool:
    """Python tests the truth of `path[-1]` (and throws the value away)."""
    node = path[-1]
    for parent in reversed(path[:-1]):
        if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)):
            return parent.test is node
        if isinstance(parent, ast.comprehension):
            return any(node is test for test in parent.ifs)
        if isinstance(parent, ast.UnaryOp):
            return isinstance(parent.op, ast.Not)
        if isinstance(parent, ast.BoolOp):
            if node is not parent.values[-1]:
                return True
            node = parent
            continue
        return False
    return False
