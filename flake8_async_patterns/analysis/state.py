"""Shared state and held locks.

Shared state in a function: attributes of `self`/`cls` (and of module-level
objects), items of module-level containers and of `self` attributes, and names
the function declares `global` or `nonlocal`.  A held lock: the span of
`async with <x>:` / `with <x>:` where x was made from a lock class, or, when
its origin cannot be seen, whose name says lock.
"""
from __future__ import annotations

import ast
import re

from .coroutines import dotted
from .scopes import FUNCTIONS, Scope

LOCK_CLASSES = frozenset({
    "asyncio.Lock", "asyncio.Semaphore", "asyncio.BoundedSemaphore", "asyncio.Condition",
    "asyncio.locks.Lock", "asyncio.locks.Semaphore", "asyncio.locks.BoundedSemaphore", "asyncio.locks.Condition",
    "threading.Lock", "threading.RLock", "threading.Semaphore", "threading.BoundedSemaphore", "threading.Condition",
    "anyio.Lock", "anyio.Semaphore", "anyio.Condition", "anyio.CapacityLimiter",
    "trio.Lock", "trio.StrictFIFOLock", "trio.Semaphore", "trio.Condition", "trio.CapacityLimiter",
    "multiprocessing.Lock", "multiprocessing.RLock",
})
LOCK_NAME = re.compile(r"(?i)(.*_)?(lock|rlock|mutex|mtx|guard)s?|_*lock\w*")


def first_param(function: ast.AST) -> str | None:
    args = [*function.args.posonlyargs, *function.args.args]
    return args[0].arg if args else None


def shared_target(target: ast.AST, scope: Scope) -> str | None:
    """The shared state that `target` (read or written in `scope`) names, as text, or None
    when it is local: `self.total`, `self.hits[...]`, `COUNTS[...]`, a global/nonlocal name."""
    if isinstance(target, ast.Name):
        if target.id in scope.globals or target.id in scope.nonlocals:
            return target.id
        return None
    if isinstance(target, ast.Subscript):
        inner = shared_target(target.value, scope) or _module_level(target.value, scope)
        return f"{inner}[...]" if inner else None
    if not isinstance(target, ast.Attribute):
        return None
    root = target
    while isinstance(root, (ast.Attribute, ast.Subscript)):
        root = root.value
    if not isinstance(root, ast.Name):
        return None
    text = dotted(target) or ast.unparse(target)
    if root.id in scope.globals or root.id in scope.nonlocals:
        return text
    found = scope.lookup(root.id)
    if found is None:
        return None
    where, bindings = found
    method = where.node
    if [b.kind for b in bindings] == ["param"] and isinstance(method, FUNCTIONS) \
            and where.parent is not None and where.parent.is_class and first_param(method) == root.id:
        return text  # self.x / cls.x, also from a closure inside the method
    return text if _module_level(root, scope) else None


def _module_level(expr: ast.AST, scope: Scope) -> str | None:
    """`expr` is a name bound at module level to an object (not a module or a function)."""
    if not isinstance(expr, ast.Name):
        return None
    found = scope.lookup(expr.id)
    if found and found[0].parent is None and found[0] is not scope \
            and all(b.kind == "assign" for b in found[1]):
        return expr.id
    return None


def is_lock(expr: ast.AST, resolver, scope: Scope) -> bool:
    if isinstance(expr, ast.Call):
        if resolver.qualified_name(expr.func, scope) in LOCK_CLASSES:
            return True
        # `async with lock.acquire()`-style helpers, `self._lock()` factories
        return isinstance(expr.func, ast.Attribute) and is_lock(expr.func.value, resolver, scope)
    name = expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else None
    if name is None:
        return False
    instance = resolver.instance_class(expr, scope)
    if instance is not None and getattr(instance, "name", None) in LOCK_CLASSES:
        return True
    return bool(LOCK_NAME.fullmatch(name))


def held_lock(path, resolver, scope: Scope) -> ast.AST | None:
    """The `with`/`async with` statement holding a lock around `path[-1]`, within its function."""
    for node in reversed(path[:-1]):
        if isinstance(node, (*FUNCTIONS, ast.Lambda)):
            return None
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
                is_lock(item.context_expr, resolver, scope) for item in node.items):
            return node
    return None
