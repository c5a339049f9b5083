"""Do statements depend on each other?  A small, conservative dependence analysis for
the rules that suggest running awaits concurrently (ASP203, ASP204)."""
from __future__ import annotations

import ast
import re
from typing import Iterable

from .nodes import child_nodes
from .scopes import FUNCTIONS

# Callee names whose order is their purpose: pacing, retries, locks, queues, pagination,
# streams and writes.  Awaits of these are never suggested for concurrency.
ORDERED = re.compile(
    r"(?i).*(sleep|retry|retries|backoff|back_off|wait|acquire|lock|page|cursor|next|send|recv|receive|"
    r"read|write|drain|flush|put|queue|commit|rollback|execute|connect|close|start|stop|open|login|"
    r"create|insert|update|delete|remove|save|store|set|post|patch|publish|migrate|init|setup).*"
)


def own_nodes(statements: Iterable[ast.AST]):
    """Every node in `statements`, not entering nested functions, lambdas or classes."""
    todo = list(statements)
    while todo:
        node = todo.pop()
        if isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            continue
        yield node
        todo.extend(child_nodes(node))


def stored_names(statements) -> set[str]:
    return {n.id for n in own_nodes(statements) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}


def loaded_names(nodes) -> set[str]:
    return {n.id for n in own_nodes(nodes) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def carries_value(body: list[ast.stmt], fresh: set[str]) -> bool:
    """Some name is read in `body` before `body` writes it: a value flows from one pass
    of the loop to the next.  `fresh` names (the loop target) are new every pass."""
    first_store: dict[str, tuple[int, int]] = {}
    loads: list[tuple[str, tuple[int, int]]] = []
    for node in own_nodes(body):
        if isinstance(node, ast.AugAssign):
            return True  # total += ...: a running value
        if isinstance(node, ast.Name):
            where = (node.lineno, node.col_offset)
            if isinstance(node.ctx, ast.Load):
                loads.append((node.id, where))
            elif node.id not in fresh:
                first_store[node.id] = min(first_store.get(node.id, where), where)
    return any(name in first_store and where <= first_store[name] for name, where in loads)


def control_depends(body: list[ast.stmt]) -> bool:
    """The body leaves the loop early or decides on what it computed."""
    awaited_into = set()
    for node in own_nodes(body):
        if isinstance(node, (ast.Break, ast.Continue, ast.Return, ast.Raise, ast.Assert, ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Await):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            awaited_into |= stored_names(targets)
    for node in own_nodes(body):
        if isinstance(node, (ast.If, ast.While, ast.IfExp)):
            test = [node.test]
            if any(isinstance(n, ast.Await) for n in own_nodes(test)) or loaded_names(test) & awaited_into:
                return True
        if isinstance(node, ast.Match):
            if loaded_names([node.subject]) & awaited_into:
                return True
    return False
