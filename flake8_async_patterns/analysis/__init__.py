"""Rule-agnostic facts about a module, each computed once and only when asked for."""
from __future__ import annotations

import ast
from functools import cached_property
from typing import Sequence

from ..settings import Settings
from .scopes import SCOPES, Scope, scope_node_index


class ModuleFacts:
    def __init__(self, tree: ast.Module, settings: Settings, filename: str = "<unknown>",
                 source: str | None = None, imported: bool = False) -> None:
        self.tree = tree
        # read to answer a question about one of its names, not linted: no name index
        self.imported = imported
        self.source = source
        self.settings = settings
        self.filename = filename
        self._scopes: dict[ast.AST, Scope] = {}
        self._loads: dict[ast.AST, frozenset[str]] = {}
        self._memo: dict = {}
        # local name -> last parts of what it was imported as, anywhere in the module so far
        self.import_aliases: dict[str, set[str]] = {}

    def record_import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            local = alias.asname or alias.name.split(".")[0]
            self.import_aliases.setdefault(local, set()).add(alias.name.rsplit(".", 1)[-1])

    def scope(self, path: Sequence[ast.AST]) -> Scope:
        """The scope that evaluates `path[-1]` (`path` runs from the module down)."""
        index = scope_node_index(path)
        missing = []  # scopes to build, innermost first (a loop: lambdas nest a thousand deep)
        while path[index] not in self._scopes:
            missing.append(index)
            if index == 0:
                break
            index = scope_node_index(path[: index + 1])
        parent = self._scopes.get(path[index])
        for index in reversed(missing):
            parent = self._scopes[path[index]] = Scope(path[index], parent)
        return self._scopes[path[missing[0]]] if missing else parent

    def child_scope(self, node: ast.AST, parent: Scope) -> Scope:
        """The scope of `node` (a def, class, lambda or comprehension) defined in `parent`."""
        assert isinstance(node, SCOPES)
        found = self._scopes.get(node)
        if found is None:
            found = self._scopes[node] = Scope(node, parent)
        return found

    def memo(self, key, compute):
        """A fact computed once per module: `compute()` the first time `key` is asked for."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def uses(self, function: ast.AST):
        from .uses import Uses

        return self.memo(("uses", function), lambda: Uses(function))

    def consumed_names(self, node: ast.AST) -> frozenset[str]:
        """Names read somewhere inside `node` (nested scopes included) in a way that may
        use the value: anything but `x is None`, `len(x)`, `type(x)` and truth tests."""
        found = self._loads.get(node)
        if found is None:
            from .flow import consuming_reads

            found = self._loads[node] = frozenset(consuming_reads(node))
        return found

    @cached_property
    def offered(self):
        """Names under which this module may offer a coroutine function (see coroutines.py)."""
        from .offered import OfferedNames

        return OfferedNames.of_text(self.source) if self.source is not None else OfferedNames.of_tree(self.tree)

    @cached_property
    def resolver(self):
        from .coroutines import Resolver

        return Resolver(self)
