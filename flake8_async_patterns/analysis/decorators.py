"""Decorators are read, not assumed.

An `async def` stays a coroutine function under a decorator only when the decorator is known
to keep it one: a name of the standard library or pytest that returns the function (or a
method wrapper of it), or a decorator whose definition we can read, in this module, another
module of the project or an installed package, and that returns the function itself, an
`async def` wrapper, or a plain wrapper that returns the function's own call.  A wrapper that
runs the coroutine (`asyncio.run`, `loop.run_until_complete`) or returns anything else makes
it something else; a decorator that cannot be read is unknown.  Both mean: not a coroutine
function, so silent.
"""
from __future__ import annotations

import ast

from .scopes import FUNCTIONS, Scope
from .vocabulary import NON_COROUTINE_DECORATORS, PROPERTY_ACCESSORS, dotted

# decorators that return the function itself, or a descriptor that calls it as it is
KEEPING_DECORATORS = frozenset({
    "staticmethod", "classmethod", "builtins.staticmethod", "builtins.classmethod",
    "abc.abstractmethod", "functools.wraps", "typing.final", "typing.override", "typing.no_type_check",
    "typing_extensions.final", "typing_extensions.override", "typing.overload", "atexit.register",
})
KEEPING_PREFIXES = ("pytest.mark.",)
_MAX_DEPTH = 4


def keeps_coroutine(decorator: ast.expr, scope: Scope, resolver, depth: int = 0) -> bool:
    """`decorator` surely leaves an `async def` a coroutine function."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Attribute) and target.attr in PROPERTY_ACCESSORS:
        return False
    from .coroutines import Defs, Qualified

    resolved = resolver.resolve(target, scope)
    names = {dotted(target)}
    if isinstance(resolved, Qualified) and not resolved.on_instance:
        names.add(resolved.name)
    names.discard(None)
    if any(n in NON_COROUTINE_DECORATORS or _configured(n, resolver.settings.non_coroutine_decorators)
           for n in names):
        return False
    if any(n in KEEPING_DECORATORS or n.startswith(KEEPING_PREFIXES) for n in names):
        return True
    if depth > _MAX_DEPTH:
        return False
    factory = isinstance(decorator, ast.Call)
    if isinstance(resolved, Defs) and len(resolved.nodes) == 1:
        function = resolved.nodes[0]
        return _returns_keeping(function, resolver, resolver.facts.child_scope(function, resolved.scope),
                                factory, depth)
    if isinstance(resolved, Qualified) and not resolved.on_instance:
        found = resolver.definition(resolved.name)
        if found is not None:
            function, facts, module_scope = found
            return _returns_keeping(function, facts.resolver, facts.child_scope(function, module_scope),
                                    factory, depth)
    return False


def _configured(name: str, configured: frozenset[str]) -> bool:
    """The user's `non-coroutine-decorators`: a dotted entry names that decorator, a bare one
    any decorator of that name (`sync_test` matches `testing.sync_test`)."""
    return name in configured or name.rsplit(".", 1)[-1] in configured


def _returns_keeping(function: ast.AST, resolver, scope: Scope, factory: bool, depth: int) -> bool:
    """`function`, used as a decorator (or, with `factory`, called to make one), returns
    something that keeps a coroutine function one."""
    if not isinstance(function, ast.FunctionDef):
        return False  # an `async def` decorator returns a coroutine, not a function
    values = _returned(function)
    if not values:
        return False
    if factory:
        inner = [_local_def(value, scope) for value in values]
        return all(d is not None and _returns_keeping(d, resolver, resolver.facts.child_scope(d, scope),
                                                      False, depth + 1) for d in inner)
    positional = [*function.args.posonlyargs, *function.args.args]
    if not positional:
        return False
    wrapped = positional[0].arg
    for value in values:
        value = _unwrap(value, resolver, scope)
        if isinstance(value, ast.Name) and value.id == wrapped:
            continue  # `return fn`: registered and returned as it is
        wrapper = _local_def(value, scope)
        if wrapper is None or any(not keeps_coroutine(d, scope, resolver, depth + 1)
                                  for d in wrapper.decorator_list if not _is_wraps(d, resolver, scope)):
            return False
        if isinstance(wrapper, ast.AsyncFunctionDef):
            from .coroutines import has_yield

            if has_yield(wrapper):
                return False
            continue
        if not _passes_through(wrapper, wrapped):
            return False
    return True


def _returned(function: ast.AST) -> list[ast.AST]:
    """The values of `function`'s own `return` statements (None for a bare `return`)."""
    found = []
    todo = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return):
            found.append(node.value if node.value is not None else ast.Constant(None))
        todo.extend(ast.iter_child_nodes(node))
    return found


def _local_def(value: ast.AST, scope: Scope) -> ast.AST | None:
    """The nested def that `value` (a name) is bound to, alone, in `scope`."""
    if not isinstance(value, ast.Name):
        return None
    bindings = scope.bindings.get(value.id, ())
    if len(bindings) == 1 and bindings[0].kind == "def":
        return bindings[0].node
    return None


def _is_wraps(decorator: ast.AST, resolver, scope: Scope) -> bool:
    return isinstance(decorator, ast.Call) and resolver.qualified_name(decorator.func, scope) == "functools.wraps"


def _unwrap(value: ast.AST, resolver, scope: Scope) -> ast.AST:
    """`functools.wraps(fn)(wrapper)` and `functools.update_wrapper(wrapper, fn)` -> `wrapper`."""
    if isinstance(value, ast.Call) and len(value.args) == 1 and _is_wraps(value.func, resolver, scope):
        return value.args[0]
    if isinstance(value, ast.Call) and value.args \
            and resolver.qualified_name(value.func, scope) == "functools.update_wrapper":
        return value.args[0]
    return value


def _passes_through(wrapper: ast.AST, wrapped: str) -> bool:
    """A plain wrapper whose every return is `wrapped(...)`: it returns the coroutine."""
    values = _returned(wrapper)
    return bool(values) and all(
        isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == wrapped for v in values)
