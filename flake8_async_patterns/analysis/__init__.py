"""Rule-agnostic facts about a module, each computed once and only when asked for."""
from __future__ import annotations

import ast
from functools import cached_property
from typing import Sequence

from ..settings import Settings
from .scopes import SCOPES, Scope, scope_node_index


class ModuleFacts:
    def __init__(self, tree: ast.Module, settings: Settings, filename: str = "<unknown>") -> None:
        self.tree = tree
        self.settings = settings
        self.filename = filename
        self._scopes: dict[ast.AST, Scope] = {}
        self._loads: dict[ast.AST, frozenset[str]] = {}

    def scope(self, path: Sequence[ast.AST]) -> Scope:
        """The scope that evaluates `path[-1]` (`path` runs from the module down)."""
        return self._scope_at(path, scope_node_index(path))

    def _scope_at(self, path: Sequence[ast.AST], index: int) -> Scope:
        node = path[index]
        found = self._scopes.get(node)
        if found is None:
            parent = None if index == 0 else self._scope_at(path, scope_node_index(path[: index + 1]))
            found = self._scopes[node] = Scope(node, parent)
        return found

    def child_scope(self, node: ast.AST, parent: Scope) -> Scope:
        """The scope of `node` (a def, class, lambda or comprehension) defined in `parent`."""
        assert isinstance(node, SCOPES)
        found = self._scopes.get(node)
        if found is None:
            found = self._scopes[node] = Scope(node, parent)
        return found

    def loaded_names(self, node: ast.AST) -> frozenset[str]:
        """Every name read anywhere inside `node`, nested scopes included."""
        found = self._loads.get(node)
        if found is None:
            found = self._loads[node] = frozenset(
                sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load)
            )
        return found

    @cached_property
    def resolver(self):
        from .coroutines import Resolver

        return Resolver(self)
