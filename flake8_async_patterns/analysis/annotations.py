"""Annotations as evidence: which class an annotation says a value is an instance of.

Type checkers trust annotations, and so do we: `client: Client`, `Optional[Client]`,
`Client | None`, `"Client"`, `Annotated[Client, ...]` and a generic `Client[T]` all name
`Client`.  A union of several classes names each of them (every one must agree for a
method to count).  `Any`, `object`, builtins, containers, type variables and anything
unreadable name nothing: unknown, and unknown means silent.
"""
from __future__ import annotations

import ast

from .scopes import FUNCTIONS, Scope

UNIONS = frozenset({"typing.Union", "typing_extensions.Union"})
OPTIONALS = frozenset({"typing.Optional", "typing_extensions.Optional"})
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
# modules whose names are never the class of an instance whose methods we could read
NOT_CLASS_MODULES = ("typing.", "typing_extensions.", "collections.", "builtins.", "abc.", "types.")
PROPERTIES = frozenset({"property", "functools.cached_property", "builtins.property"})
# what a generator is annotated to return (a fixture that yields, a context manager made with
# contextlib): the first argument is the value it yields
YIELDING = frozenset(
    f"{module}.{name}" for module in ("typing", "collections.abc", "typing_extensions")
    for name in ("Iterator", "Generator", "AsyncIterator", "AsyncGenerator", "Iterable", "AsyncIterable"))
TUPLES = frozenset({"tuple", "builtins.tuple", "typing.Tuple", "typing_extensions.Tuple"})
_MAX_DEPTH = 8


def annotated_classes(resolver, annotation: ast.AST | None, scope: Scope, depth: int = 0) -> list | None:
    """The classes (ClassRef or Qualified) that `annotation` names, or None when it names
    anything else.  `None` in a union is left out (`Client | None`)."""
    if annotation is None or depth > _MAX_DEPTH:
        return None
    if isinstance(annotation, ast.Constant):
        if annotation.value is None:
            return []
        if not isinstance(annotation.value, str):
            return None
        try:
            parsed = ast.parse(annotation.value.strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError):
            return None
        return annotated_classes(resolver, parsed, scope, depth + 1)
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        left = annotated_classes(resolver, annotation.left, scope, depth + 1)
        right = annotated_classes(resolver, annotation.right, scope, depth + 1)
        return None if left is None or right is None else left + right
    if isinstance(annotation, ast.Subscript):
        name = resolver.qualified_name(annotation.value, scope)
        items = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
        if name in UNIONS or name in OPTIONALS:
            found: list = []
            for item in items:
                part = annotated_classes(resolver, item, scope, depth + 1)
                if part is None:
                    return None
                found += part
            return found
        if name in ANNOTATED:
            return annotated_classes(resolver, items[0], scope, depth + 1)
        return annotated_classes(resolver, annotation.value, scope, depth + 1)  # `Client[T]`
    if isinstance(annotation, (ast.Name, ast.Attribute)):
        from .coroutines import ClassRef, Qualified

        resolved = resolver.resolve(annotation, scope)
        if isinstance(resolved, ClassRef):
            return [resolved]
        if isinstance(resolved, Qualified) and not resolved.on_instance and "." in resolved.name \
                and not resolved.name.startswith(NOT_CLASS_MODULES):
            return [resolved]
    return None


def parameter_annotation(function: ast.AST, name: str) -> ast.AST | None:
    """The annotation of parameter `name` of `function` (None for `*args`/`**kwargs`, whose
    values are a tuple and a dict)."""
    if not isinstance(function, FUNCTIONS):
        return None
    args = function.args
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        if arg.arg == name:
            return arg.annotation
    return None


def is_property(function: ast.AST, resolver, scope: Scope) -> bool:
    return isinstance(function, ast.FunctionDef) and any(
        _is_property_decorator(d, resolver, scope) for d in function.decorator_list)


def _is_property_decorator(decorator: ast.AST, resolver, scope: Scope) -> bool:
    """`@property`, `@functools.cached_property`, or a name another module binds only to those
    (`from ._compat import cached_property`, where `_compat` binds `cached_property = property`
    for the type checker and imports functools' otherwise)."""
    name = resolver.qualified_name(decorator, scope)
    if name in PROPERTIES:
        return True
    if name is None or "property" not in name.rsplit(".", 1)[-1] or "." not in name:
        return False
    filename = resolver.real_filename()
    if filename is None:
        return False
    from .external import aliases

    names = aliases(name, filename, resolver.settings)
    return bool(names) and names <= PROPERTIES


def yielded(resolver, annotation: ast.AST, scope: Scope) -> ast.AST | None:
    """`Iterator[Client]`, `AsyncGenerator[Client, None]` -> `Client`."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value.strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError):
            return None
    if not isinstance(annotation, ast.Subscript) or resolver.qualified_name(annotation.value, scope) not in YIELDING:
        return None
    items = annotation.slice
    return items.elts[0] if isinstance(items, ast.Tuple) and items.elts else items


def tuple_element(resolver, annotation: ast.AST | None, scope: Scope, position: int, length: int) -> ast.AST | None:
    """`tuple[Client, Runner]` (or `Tuple[...]`) of `length` elements -> the one at `position`."""
    if not isinstance(annotation, ast.Subscript) or resolver.qualified_name(annotation.value, scope) not in TUPLES:
        return None
    items = annotation.slice
    if not isinstance(items, ast.Tuple) or len(items.elts) != length \
            or any(isinstance(e, ast.Constant) and e.value is Ellipsis for e in items.elts):
        return None
    return items.elts[position]
