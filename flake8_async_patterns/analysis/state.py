"""Shared state and held locks.

Shared state in a function: attributes of `self`/`cls` (and of module-level
objects), items of module-level containers and of `self` attributes, and names
the function declares `global` or `nonlocal`.  A held lock: the span of
`async with <x>:` / `with <x>:` where x was made from a lock class, or, when
its origin cannot be seen, whose name says lock.
"""
from __future__ import annotations

import ast

from .vocabulary import dotted
from .scopes import FUNCTIONS, Scope

LOCK_CLASSES = frozenset({
    "asyncio.Lock", "asyncio.Semaphore", "asyncio.BoundedSemaphore", "asyncio.Condition",
    "asyncio.locks.Lock", "asyncio.locks.Semaphore", "asyncio.locks.BoundedSemaphore", "asyncio.locks.Condition",
    "threading.Lock", "threading.RLock", "threading.Semaphore", "threading.BoundedSemaphore", "threading.Condition",
    "anyio.Lock", "anyio.Semaphore", "anyio.Condition", "anyio.CapacityLimiter",
    "trio.Lock", "trio.StrictFIFOLock", "trio.Semaphore", "trio.Condition", "trio.CapacityLimiter",
    "multiprocessing.Lock", "multiprocessing.RLock",
})
LOCK_WORDS = frozenset({"lock", "locks", "rlock", "mutex", "mutexes", "mtx", "guard"})


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
            and where.parent is not None and where.parent.is_class and first_param(method) == root.id \
            and not any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in method.decorator_list):
        return text  # self.x / cls.x, also from a closure inside the method
    return text if _module_level(root, scope) else None


def _module_level(expr: ast.AST, scope: Scope) -> str | None:
    """`expr` is a name bound at module level to an object (not a module or a function)."""
    if not isinstance(expr, ast.Name):
        return None
    found = scope.lookup(expr.id)
    if found and found[0].parent is None and found[0] is not scope \
            and all(b.kind in ("assign", "class") for b in found[1]):
        return expr.id
    return None


def reads_target(target: ast.AST, value: ast.AST) -> bool:
    """`value` reads what `target` holds: `x = x + 1`, `d[k] = d.get(k, 0) + 1`."""
    text = ast.unparse(target)
    container = ast.unparse(target.value) if isinstance(target, ast.Subscript) else None
    for node in ast.walk(value):
        if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)) and ast.unparse(node) == text:
            return True
        if container and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("get", "setdefault") and ast.unparse(node.func.value) == container:
            return True
    return False


def says_lock(name: str, anywhere: bool = False) -> bool:
    """`_lock`, `state_lock`, `writeLock`, `locks`, `mutex`: the last word names a lock (any word,
    for a factory such as `_lock_for`); not `locked`, `lock_path`, `block`, `clock`."""
    from .dependence import words

    parts = words(name)
    return bool(parts) and (any(w in LOCK_WORDS for w in parts) if anywhere else parts[-1] in LOCK_WORDS)


def is_lock(expr: ast.AST, resolver, scope: Scope) -> bool:
    """`expr`, entered by `with`/`async with`, holds a lock that other entries share."""
    if isinstance(expr, ast.Call):
        if resolver.qualified_name(expr.func, scope) in LOCK_CLASSES:
            return False  # `async with asyncio.Lock():` makes a new lock each time: it guards nothing
        # `self._lock_for(key)`, `get_lock(name)`: a factory whose name says it hands out a lock;
        # `locks.setdefault(key, Lock())`: one of a container of locks
        func = expr.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if isinstance(func, ast.Attribute) and name in ("get", "setdefault", "pop"):
            return is_lock(ast.Subscript(value=func.value, slice=ast.Constant(None)), resolver, scope)
        if isinstance(func, ast.Attribute) and name.startswith("acquire"):
            return is_lock(func.value, resolver, scope)
        return says_lock(name, anywhere=True)
    if isinstance(expr, ast.Subscript):  # `async with locks[key]:`, `self._locks[key]`
        container = expr.value
        name = container.id if isinstance(container, ast.Name) else getattr(container, "attr", "")
        return says_lock(name)
    name = expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else None
    if name is None:
        return False
    instance = resolver.instance_class(expr, scope)
    if instance is not None and hasattr(instance, "name"):
        return instance.name in LOCK_CLASSES  # the code shows what it is: the name does not matter
    return says_lock(name)


def held_lock(path, resolver, scope: Scope) -> ast.AST | None:
    """The `with`/`async with` statement holding a lock around `path[-1]`, within its function."""
    for node in reversed(path[:-1]):
        if isinstance(node, (*FUNCTIONS, ast.Lambda)):
            return None
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
                is_lock(item.context_expr, resolver, scope) for item in node.items):
            return node
    return None
