"""Async properties: is this attribute read the read of a `@property async def`?

Reading such a property calls its getter, an `async def`, so the read gives an unstarted
coroutine: `self.ready` is a coroutine object, and `await self.ready` its value.  The same
holds for `functools.cached_property` on an `async def`.  A getter that is a plain `def`
returning an awaitable is a design, not a slip, and is not an async property here; neither
is a descriptor of a library made to be awaited (`async_property`).

The property is found the way the resolver finds a method (coroutines.py): through `self`
and `super()`, a local instance, an annotation, or a class of another module of the project
or of an installed package, read with that module's own resolver.  A read on the class
itself (`Client.ready`, `cls.ready`) is the property object, not a call of its getter.  A
subclass in the module that redefines the attribute as anything but an async property
makes the read unknown.  Anything unsure is None: silence.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from .annotations import PROPERTIES
from .coroutines import MODULE, Alternatives, ClassRef, Defs, Qualified, has_yield
from .decorators import keeps_coroutine
from .reads import remember
from .scopes import FUNCTIONS, Scope
from .vocabulary import PROPERTY_ACCESSORS, last_name
from .run import RUN

GETTERS = PROPERTIES | {"abc.abstractproperty"}
_MAX_DEPTH = 8
# methods whose first parameter is the class without a decorator saying so
CLASS_METHODS = frozenset({"__new__", "__init_subclass__", "__class_getitem__"})
# (class parts, attribute, project, settings) -> what another module says, for the whole process
_OTHER_MODULES: dict[tuple, tuple] = RUN.dict()  # -> (AsyncProperty | None, what it read)


@dataclass(frozen=True)
class AsyncProperty:
    name: str  # "Client.ready", or dotted from its module for another module's class
    node: ast.AsyncFunctionDef
    evidence: str = MODULE


def async_property(resolver, expr: ast.AST, scope: Scope) -> AsyncProperty | None:
    """The async property that reading `expr` (an attribute, read) surely calls, or None."""
    if not isinstance(expr, ast.Attribute) or not isinstance(expr.ctx, ast.Load):
        return None
    found = _of_resolved(resolver, resolver.resolve(expr, scope), 0)
    if found is None or _reads_a_class(resolver, expr.value, scope) or _redefined_below(resolver, found):
        return None
    return found


def _reads_a_class(resolver, base: ast.AST, scope: Scope) -> bool:
    """`Client.ready` or `cls.ready` in a classmethod: the property object itself."""
    if isinstance(base, ast.Name):
        found = scope.lookup(base.id)
        if found is not None and [b.kind for b in found[1]] == ["param"]:
            function = found[1][0].node
            positional = [*function.args.posonlyargs, *function.args.args] if isinstance(function, FUNCTIONS) else []
            if positional and positional[0].arg == base.id and (function.name in CLASS_METHODS or any(
                    resolver.qualified_name(d, found[0]) in ("classmethod", "builtins.classmethod")
                    for d in function.decorator_list)):
                return True
    return isinstance(resolver.resolve(base, scope), ClassRef) \
        or isinstance(base, (ast.Name, ast.Attribute)) and resolver.qualified_name(base, scope) is not None


def _of_resolved(resolver, resolved, depth: int) -> AsyncProperty | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(resolved, Defs):
        getter = _getter(resolver, resolved)
        if getter is None:
            return None
        return AsyncProperty(resolved.name, getter, resolved.evidence or MODULE)
    if isinstance(resolved, Alternatives):
        found = [_of_resolved(resolver, option, depth + 1) for option in resolved.options]
        return found[0] if found and all(found) else None
    if isinstance(resolved, Qualified) and resolved.on_instance and not resolved.awaited:
        owner, _, attr = resolved.name.rpartition(".")
        found = _of_other_module(resolver, owner, attr, depth)
        if found is not None and resolved.evidence:
            return AsyncProperty(found.name, found.node, resolved.evidence)
        return found
    return None


def _getter(resolver, defs: Defs) -> ast.AsyncFunctionDef | None:
    """The getter of the property that the definitions of one class attribute make, when it
    is an `async def` that returns a coroutine; None for anything else."""
    getter = None
    for node in sorted(defs.nodes, key=lambda n: n.lineno):  # in the order the class binds them
        kinds = [_decorator_kind(resolver, d, defs.scope) for d in node.decorator_list]
        if "getter" in kinds:
            getter = node
        elif "accessor" in kinds:
            if getter is None:
                return None
        else:
            return None  # a plain method, or a decorator we cannot read
        if kinds.count("getter") + kinds.count("accessor") != 1 or "unknown" in kinds:
            return None
    if not isinstance(getter, ast.AsyncFunctionDef) or has_yield(getter):
        return None
    return getter


def _decorator_kind(resolver, decorator: ast.expr, scope: Scope) -> str:
    """"getter" (makes a property of the function), "accessor" (`@x.setter`, `@x.deleter`),
    "keeps" (leaves the function as it is) or "unknown"."""
    if isinstance(decorator, ast.Attribute) and decorator.attr in PROPERTY_ACCESSORS:
        return "getter" if decorator.attr == "getter" else "accessor"
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if not isinstance(decorator, ast.Call) and resolver.qualified_name(target, scope) in GETTERS:
        return "getter"
    return "keeps" if keeps_coroutine(decorator, scope, resolver) else "unknown"


def _redefined_below(resolver, found: AsyncProperty) -> bool:
    """A class of this module derived (by base name) from the property's class redefines the
    attribute as anything but an async property: the instance may be of that class."""
    owner, _, attr = found.name.rpartition(".")
    owner = owner.rpartition(".")[2]
    classes = resolver.facts.memo("classes-by-base", lambda: _classes_by_base(resolver.facts.tree))
    todo, seen = [owner], {owner}
    while todo:
        for klass in classes.get(todo.pop(), ()):
            for statement in klass.body:
                if attr in _bound_names(statement) and not _is_async_getter(statement, attr):
                    return True
            if klass.name not in seen:
                seen.add(klass.name)
                todo.append(klass.name)
    return False


def _classes_by_base(tree: ast.AST) -> dict[str, list[ast.ClassDef]]:
    found: dict[str, list[ast.ClassDef]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = last_name(base.value if isinstance(base, ast.Subscript) else base)
                if name is not None:
                    found.setdefault(name, []).append(node)
    return found


def _bound_names(statement: ast.stmt) -> set[str]:
    if isinstance(statement, (*FUNCTIONS, ast.ClassDef)):
        return {statement.name}
    targets = statement.targets if isinstance(statement, ast.Assign) else \
        [statement.target] if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) else []
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _is_async_getter(statement: ast.stmt, attr: str) -> bool:
    """An `async def attr` under a decorator named like a property or its accessors (the
    override of an async property by another; the text is enough to stay silent on others)."""
    return isinstance(statement, ast.AsyncFunctionDef) and statement.name == attr and any(
        last_name(d) in ("property", "cached_property", *PROPERTY_ACCESSORS) for d in statement.decorator_list)


def _of_other_module(resolver, owner: str, attr: str, depth: int) -> AsyncProperty | None:
    """`attr` of the class `owner` of another module of the project or an installed package,
    read by that module's own resolver (a re-export followed)."""
    filename = resolver.real_filename()
    if filename is None or "." not in owner:
        return None
    from .external import absolute, locate, project_of

    parts = absolute(owner, filename)
    if not parts:
        return None
    key = (tuple(parts), attr, project_of(filename), resolver.settings)

    def read():
        located = locate(parts, filename)
        return _read_other_module(resolver, located, attr, depth) if located else None

    return remember(_OTHER_MODULES, key, read)  # None in a cycle of re-exports


def _read_other_module(resolver, located, attr: str, depth: int) -> AsyncProperty | None:
    from .external import module_binding

    path, module, rest = located
    found = module_binding(path, rest[0], resolver.settings) if len(rest) == 1 else None
    if found is None:
        return None
    binding, facts, scope = found
    if binding.kind == "import" and not binding.target.endswith("*"):
        return _of_other_module(facts.resolver, binding.target, attr, depth + 1)
    if binding.kind != "class":
        return None
    instance = ast.Call(func=ast.Name(id=rest[0], ctx=ast.Load()), args=[], keywords=[])
    read = ast.Attribute(value=instance, attr=attr, ctx=ast.Load())
    found = _of_resolved(facts.resolver, facts.resolver.resolve(read, scope), depth + 1)
    if found is None:
        return None
    name = found.name if found.name.count(".") > 1 else f"{module}.{found.name}"
    return AsyncProperty(name, found.node, found.evidence)
