"""Fan-out facts: how many awaitables an expression makes, and whether anything bounds
how many of them run at once."""
from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass

from .nodes import walk
from .scopes import COMPREHENSIONS, FUNCTIONS, Scope

GATHERS = frozenset({"asyncio.gather", "asyncio.tasks.gather"})
WAITS = frozenset({"asyncio.wait", "asyncio.tasks.wait"})
AS_COMPLETED = frozenset({"asyncio.as_completed", "asyncio.tasks.as_completed"})
LIMITER_CLASSES = frozenset({
    "asyncio.Semaphore", "asyncio.BoundedSemaphore", "asyncio.locks.Semaphore",
    "asyncio.locks.BoundedSemaphore", "anyio.Semaphore", "anyio.CapacityLimiter",
    "trio.Semaphore", "trio.CapacityLimiter", "aiolimiter.AsyncLimiter",
    "threading.Semaphore", "threading.BoundedSemaphore",
})
# `async with <x>` bounds concurrency when x was made from a limiter class or, its origin
# unseen, when its name says so.  Being wrong here only costs a missed finding.
LIMITER_NAME = re.compile(r"(?i).*(sem|semaphore|limit|limiter|throttle|concurrency|capacity|slots?)$")


@dataclass(frozen=True)
class Fanout:
    """Awaitables made one per item of `iterable` by evaluating `element`."""

    iterable: ast.expr | None  # None: the items are not known (several loops, a product)
    iterable_scope: Scope
    element: ast.expr
    element_scope: Scope
    source: str  # how the collection is built: "generator", "list comprehension", "map()", "loop"
    per_item: frozenset[str] = frozenset()  # names that hold the current item (loop targets...)
    others: tuple[ast.expr, ...] = ()  # further element expressions (several appends, a literal)
    iterables: tuple[ast.expr, ...] = ()  # with `iterable` None: every iterable it runs over

    def origin(self, resolver) -> Origin:
        """Where the items come from; of several iterables, the first that is not a constant."""
        origins = [origin_of(i, resolver, self.iterable_scope)
                   for i in ([self.iterable] if self.iterable is not None else self.iterables)]
        return next((o for o in origins if o.kind != "constant"), origins[0] if origins else Origin("local", "a local"))

    @property
    def elements(self) -> tuple[ast.expr, ...]:
        return (self.element, *self.others)

    def works_on_items(self, resolver) -> bool:
        return all(works_on_items(e, self.per_item, resolver, self.element_scope) for e in self.elements)

    def bounded(self, facts) -> bool:
        return all(bounded_call(e, facts, self.element_scope) for e in self.elements)


def works_on_items(element: ast.AST, per_item: frozenset[str], resolver, scope: Scope,
                   spawned: bool = False) -> bool:
    """The awaitable is a method of the item itself (`conn.close() for conn in conns`), seen
    through one-argument wrappers (`start_task(conn.close())`, `loop.create_task(...)`) or passed
    to one uncalled (`create_task(conn.close)`): work on objects that already exist, as many as
    the program already holds.  `spawned`: `element` is what a task spawner was given."""
    for _ in range(4):
        if _method_of_item(element, per_item, called=True) or spawned and _method_of_item(
                element, per_item, called=False):
            return True
        if not isinstance(element, ast.Call) or not element.args or isinstance(element.args[0], ast.Starred):
            return False
        kind = _wrapper_kind(element, resolver, scope)
        if kind is None:
            return False
        element, spawned = element.args[0], kind in (KNOWN_WRAPPER, CALLER)
    return False


def _method_of_item(expr: ast.AST, per_item: frozenset[str], called: bool) -> bool:
    function = expr.func if called and isinstance(expr, ast.Call) else None if called else expr
    if not isinstance(function, ast.Attribute):
        return False
    root = function.value
    while isinstance(root, (ast.Attribute, ast.Subscript)):
        root = root.value
    return isinstance(root, ast.Name) and root.id in per_item


# what a helper does with the awaitable it is given, when it only wraps it
_WRAPPING_CALLS = frozenset({"create_task", "ensure_future", "wait_for", "shield", "spawn", "start_soon",
                             "run_coroutine_threadsafe", "Task", "create_eager_task"})


KNOWN_WRAPPER, HELPER, CALLER = "known", "helper", "caller"  # CALLER: a helper that awaits a call of what it is given


def _wrapper_kind(call: ast.Call, resolver, scope: Scope) -> str | None:
    """KNOWN_WRAPPER when `call` is a task factory, a task group's spawner or asyncio's
    `wait_for`/`shield`; HELPER when it is a one-argument helper that hands its argument on
    (awaits it, returns it or makes a task of it) or that the tool cannot read (unknown means
    silent); None when it does work of its own with its argument."""
    if resolver.qualified_name(call.func, scope) in WRAPPERS or (
            isinstance(call.func, ast.Attribute) and call.func.attr in _WRAPPING_CALLS):
        return KNOWN_WRAPPER
    if len(call.args) != 1:
        return None
    from .coroutines import ClassRef, Defs, Qualified

    resolved = resolver.resolve(call.func, scope)
    if isinstance(resolved, Defs):
        nodes = resolved.nodes
    elif isinstance(resolved, ClassRef):
        return None
    elif isinstance(resolved, Qualified) and ("." not in resolved.name
                                              or resolved.name.split(".")[0] in sys.stdlib_module_names):
        return None  # a builtin or the standard library: not a wrapper it does not know
    elif isinstance(resolved, Qualified) and not resolved.on_instance:
        found = resolver.definition(resolved.name)
        if found is None:
            return HELPER
        nodes = (found[0],)
    else:
        return HELPER
    if nodes and all(_hands_on_first_parameter(node) for node in nodes):
        return HELPER
    return CALLER if nodes and all(_hands_on_first_parameter(node, called=True) for node in nodes) else None


def _hands_on_first_parameter(function: ast.AST, called: bool = False) -> bool:
    """The function awaits, returns or makes a task of its first parameter (with `called`: it
    awaits a call of it, `await operation()`, as a retrying helper given `conn.close` does)."""
    if not isinstance(function, FUNCTIONS):
        return False
    positional = [*function.args.posonlyargs, *function.args.args]
    if positional and positional[0].arg in ("self", "cls"):
        positional = positional[1:]
    if not positional:
        return False
    name = positional[0].arg
    for node in walk(function):
        if called:
            if isinstance(node, ast.Await) and isinstance(node.value, ast.Call) \
                    and isinstance(node.value.func, ast.Name) and node.value.func.id == name:
                return True
            continue
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Name) and node.value.id == name:
            return True
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Name) and node.value.id == name \
                and isinstance(function, ast.FunctionDef):
            return True  # a plain def giving back the awaitable it was given
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name) \
                and node.args[0].id == name and _last_name(node.func) in _WRAPPING_CALLS:
            return True
    return False


def _last_name(expr: ast.AST) -> str | None:
    return expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else None


WRAPPERS = frozenset({
    "asyncio.create_task", "asyncio.ensure_future", "asyncio.wait_for", "asyncio.shield", "asyncio.Task",
    "asyncio.tasks.create_task", "asyncio.tasks.ensure_future", "asyncio.tasks.wait_for",
})


def unwrap(element: ast.AST, resolver, scope: Scope) -> ast.AST:
    """`create_task(conn.close())` -> `conn.close()`."""
    while isinstance(element, ast.Call) and element.args and resolver.qualified_name(element.func, scope) in WRAPPERS:
        element = element.args[0]
    return element


def unparse(node: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def literal_size(expr: ast.AST, resolver, scope: Scope) -> int | None:
    """The number of items of `expr` when it is provably fixed: a literal, range(k), or a
    name bound once to one of those.  None when it cannot be known."""
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
        size = 0
        for element in expr.elts:  # `(*Color, DEFAULT)`: a starred part counts its own items
            part = literal_size(element.value, resolver, scope) if isinstance(element, ast.Starred) else 1
            if part is None:
                return None
            size += part
        return size
    if isinstance(expr, ast.Dict):
        return None if any(k is None for k in expr.keys) else len(expr.keys)
    if isinstance(expr, ast.Constant) and isinstance(expr.value, (str, bytes)):
        return len(expr.value)
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice) and expr.slice.step is None \
            and expr.slice.upper is not None \
            and (expr.slice.lower is None or _constant_int(expr.slice.lower, resolver, scope) == 0):
        upper = _constant_int(expr.slice.upper, resolver, scope)
        return upper if upper is not None and upper >= 0 else None  # xs[:k] has at most k items
    if isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)) and len(expr.generators) == 1:
        return literal_size(expr.generators[0].iter, resolver, scope)  # at most as many as it iterates
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and not expr.args \
            and expr.func.attr in ("keys", "values", "items"):
        return literal_size(expr.func.value, resolver, scope)
    if isinstance(expr, ast.Call) and not expr.keywords:
        name = resolver.qualified_name(expr.func, scope)
        if name == "range" and 1 <= len(expr.args) <= 3:
            values = [_constant_int(a, resolver, scope) for a in expr.args]
            if None in values:
                return None
            try:
                return len(range(*values))
            except ValueError:
                return None
        if name in ("enumerate", "reversed", "sorted", "list", "tuple", "set", *AS_COMPLETED) \
                and len(expr.args) == 1:
            return literal_size(expr.args[0], resolver, scope)
        if name == "zip" and expr.args:
            sizes = [literal_size(a, resolver, scope) for a in expr.args]
            known = [s for s in sizes if s is not None]
            return min(known) if known else None
    if isinstance(expr, (ast.Name, ast.Attribute)):
        return _size_of_named(expr, resolver, scope)
    return None


_COLLECTIONS = (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Call, ast.ListComp, ast.SetComp, ast.DictComp,
                ast.GeneratorExp)
ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"})


def _size_of_named(expr: ast.Name | ast.Attribute, resolver, scope: Scope, depth: int = 0) -> int | None:
    """A name bound once to a collection of fixed size (in this scope, a class body through
    `self.X`/`cls.X`/`Klass.X`, or a module the name is imported from), or an `Enum` class."""
    from .coroutines import ClassRef

    if depth > 3:
        return None
    if isinstance(expr, ast.Name):
        found = scope.lookup(expr.id)
        if found and len(found[1]) == 1:
            binding = found[1][0]
            if binding.kind == "assign" and isinstance(binding.value, _COLLECTIONS) \
                    and not isinstance(binding.node, ast.withitem) \
                    and expr.id not in _mutated_names(found[0].node, resolver.facts):
                return literal_size(binding.value, resolver, found[0])
            if binding.kind == "import":
                return _imported_size(binding.target, resolver, depth)
    else:
        owner = _class_of(expr.value, resolver, scope)
        if owner is not None:
            value = _class_constant(owner, expr.attr)
            if value is not None:
                return literal_size(value, resolver, owner.scope)
    resolved = resolver.resolve(expr, scope)
    if isinstance(resolved, ClassRef) and _is_enum(resolved, resolver):
        return _enum_members(resolved.node)
    return None


_MUTATORS = frozenset({"append", "extend", "add", "update", "insert", "setdefault", "appendleft", "extendleft"})


def _mutated_names(scope_node: ast.AST, facts) -> frozenset[str]:
    """Names that code under `scope_node` grows in place (`xs.append(x)`, `xs[k] = v`, `xs += ...`):
    a literal bound to one of them no longer tells its size."""

    def compute() -> frozenset[str]:
        names = set()
        for node in walk(scope_node):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in _MUTATORS and isinstance(_subscripted(node.func.value), ast.Name):
                names.add(_subscripted(node.func.value).id)  # `xs.append(x)`, `by_node[n][t].append(x)`
            elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load) \
                    and isinstance(_subscripted(node.value), ast.Name):
                names.add(_subscripted(node.value).id)
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
        return frozenset(names)

    return facts.memo(("mutated names", scope_node), compute)


def _subscripted(expr: ast.AST) -> ast.AST:
    while isinstance(expr, ast.Subscript):
        expr = expr.value
    return expr


def _class_of(expr: ast.AST, resolver, scope: Scope):
    """The class that `self`/`cls` in a method, or a class name, stands for."""
    from .coroutines import ClassRef

    if isinstance(expr, ast.Name) and expr.id in ("self", "cls"):
        return resolver._method_owner(scope, expr.id)
    resolved = resolver.resolve(expr, scope) if isinstance(expr, ast.Name) else None
    return resolved if isinstance(resolved, ClassRef) else None


def _class_constant(owner, attr: str) -> ast.AST | None:
    """What the class body binds `attr` to, once, when nothing assigns it on an instance or the
    class elsewhere in the class."""
    bindings = owner.scope.bindings.get(attr, ())
    if len(bindings) != 1 or bindings[0].kind != "assign" or not isinstance(bindings[0].value, _COLLECTIONS):
        return None
    for node in walk(owner.node):
        if isinstance(node, ast.Attribute) and node.attr == attr and not isinstance(node.ctx, ast.Load):
            return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MUTATORS \
                and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == attr:
            return None  # `self.X.append(...)`
    return bindings[0].value


def _is_enum(klass, resolver, depth: int = 0) -> bool:
    from .coroutines import ClassRef

    outer = klass.scope.parent
    if outer is None or depth > 4:
        return False
    for base in klass.node.bases:
        if resolver.qualified_name(base, outer) in ENUM_BASES:
            return True
        resolved = resolver.resolve(base, outer)
        if isinstance(resolved, ClassRef) and _is_enum(resolved, resolver, depth + 1):
            return True
    return False


def _enum_members(klass: ast.ClassDef) -> int:
    return sum(1 for statement in klass.body if isinstance(statement, ast.Assign)
               for target in statement.targets if isinstance(target, ast.Name) and not target.id.startswith("_"))


def _imported_size(target: str, resolver, depth: int) -> int | None:
    """The size of a constant collection or `Enum` that another module of the project or an
    installed package binds (`from .settings import REGIONS`)."""
    found = _other_module(target, resolver)
    if found is None:
        return None
    facts, module_scope, name = found
    return _size_of_named(ast.Name(id=name, ctx=ast.Load()), facts.resolver, module_scope, depth + 1)


def _other_module(qualified: str, resolver, members: int = 1):
    """(facts, module scope, name) of the module-level `name` that `qualified` names in another
    module of the project or an installed package; None when it cannot be read.  With
    `members` 2, `name` is a list: the name and perhaps one attribute of it (`Class.method`)."""
    import os

    from . import external

    filename = resolver.facts.filename
    if not filename.endswith((".py", ".pyi")) or not os.path.isfile(filename):
        return None
    parts = external.absolute(qualified, filename)
    if not parts or parts[0] in sys.stdlib_module_names:
        return None
    located = external.locate(parts, filename)
    if located is None or not 1 <= len(located[2]) <= members:
        return None
    facts = external.module_facts(located[0], resolver.settings)
    if facts is None:
        return None
    return facts, facts.scope([facts.tree]), located[2] if members > 1 else located[2][0]


@dataclass(frozen=True)
class Origin:
    """Where a fanned-out collection comes from: `kind` is one of settings.FANOUT_ORIGINS,
    `text` says it in a message (`the result of 'await self.store.keys(...)'`)."""

    kind: str
    text: str


# calls that have as many items as their first argument (or at most as many)
_SAME_SIZE = frozenset({"enumerate", "reversed", "sorted", "list", "tuple", "set", "frozenset", "zip", "range",
                        "filter", "iter", "dict"})
_SAME_SIZE_METHODS = frozenset({"keys", "values", "items", "copy"})


def origin_of(iterable: ast.AST, resolver, scope: Scope, depth: int = 0) -> Origin:
    """Where the items of `iterable` come from: an awaited call, a parameter, an attribute, a
    call, a local computation, or a constant.  Wrappers that keep the size (`enumerate(x)`,
    `x.items()`, `range(len(x))`, a comprehension over x) are looked through."""
    base = _sized_by(iterable, resolver, scope)
    if literal_size(base, resolver, scope) is not None or isinstance(base, ast.Constant):
        origin = Origin("constant", "a constant")
    elif isinstance(base, ast.Await):
        origin = Origin("awaited", "an awaited result" if base is iterable and not depth
                        else f"the result of 'await {_call_text(base.value)}'")
    elif isinstance(base, ast.Name):
        origin = _origin_of_name(base, resolver, scope, depth)
    elif isinstance(base, (ast.Attribute, ast.Subscript)):
        origin = Origin("attribute", "an attribute")
    elif isinstance(base, ast.Call):
        origin = Origin("call", "a call's result" if base is iterable and not depth
                        else f"the result of '{_call_text(base)}'")
    else:
        origin = Origin("local", "computed here")
    if base is not iterable and origin.kind != "constant" and not origin.text.startswith("'"):
        origin = Origin(origin.kind, f"'{unparse(base, 40)}': {origin.text}")
    return origin


def _origin_of_name(name: ast.Name, resolver, scope: Scope, depth: int) -> Origin:
    found = scope.lookup(name.id)
    if found is None:
        return Origin("local", "a local")
    where, bindings = found
    if all(b.kind == "param" for b in bindings):
        return Origin("parameter", "a parameter")
    if len(bindings) == 1 and bindings[0].kind == "assign" and bindings[0].value is not None \
            and not isinstance(bindings[0].node, ast.withitem) and depth < 4 \
            and name.id not in _mutated_names(where.node, resolver.facts):
        value = bindings[0].value
        inner = origin_of(value, resolver, where, depth + 1)
        if inner.kind in ("parameter", "attribute") and not inner.text.startswith("'"):
            return Origin(inner.kind, f"'{unparse(value, 40)}': {inner.text}")
        return inner
    return Origin("local", "a module-level name" if isinstance(where.node, ast.Module) else "a local")


def _sized_by(expr: ast.AST, resolver, scope: Scope) -> ast.AST:
    """The collection whose size `expr` takes: `x` of `enumerate(x)`, `x.items()`,
    `range(len(x))`, `[f(i) for i in x]`, `x[1:]`."""
    for _ in range(8):
        name = resolver.qualified_name(expr.func, scope) if isinstance(expr, ast.Call) else None
        if name in (_SAME_SIZE | {"len"} | AS_COMPLETED) and expr.args \
                and not any(isinstance(a, ast.Starred) for a in expr.args):
            if name == "filter" and len(expr.args) == 2:
                expr = expr.args[1]
            elif name == "range":
                unknown = [a for a in expr.args if _constant_int(a, resolver, scope) is None]
                if not unknown:
                    return expr
                expr = unknown[-1]
            else:
                expr = expr.args[0]
        elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and not expr.args \
                and expr.func.attr in _SAME_SIZE_METHODS:
            expr = expr.func.value
        elif isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)) \
                and len(expr.generators) == 1:
            expr = expr.generators[0].iter
        elif isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice):
            expr = expr.value
        elif isinstance(expr, ast.BinOp):  # `range(limit + 1)`: what `limit` is
            names = [n for n in (expr.left, expr.right) if not isinstance(n, ast.Constant)]
            if len(names) != 1:
                return expr
            expr = names[0]
        else:
            return expr
    return expr


def _call_text(call: ast.AST) -> str:
    """`self.store.keys(...)`: the callee and, when it has arguments, an ellipsis."""
    if isinstance(call, ast.Call):
        has_arguments = bool(call.args or call.keywords)
        return f"{unparse(call.func, 50)}({'...' if has_arguments else ''})"
    return unparse(call, 50)


def is_small(expr: ast.AST, resolver, scope: Scope, limit: int) -> bool:
    """`expr` provably has at most `limit` items, or is the `*args` of the function it is in:
    as many items as its callers write out."""
    size = literal_size(expr, resolver, scope)
    if size is not None:
        return size <= limit
    if isinstance(expr, ast.Name):
        found = scope.lookup(expr.id)
        if found and [b.kind for b in found[1]] == ["param"]:
            vararg = found[1][0].node.args.vararg
            return vararg is not None and vararg.arg == expr.id
    return False


def _constant_int(node: ast.AST, resolver, scope: Scope) -> int | None:
    """An int the code spells out: `10`, `-1`, `64 + 1`, or a name bound once to one."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _constant_int(node.operand, resolver, scope)
        return None if inner is None else -inner
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
        left, right = _constant_int(node.left, resolver, scope), _constant_int(node.right, resolver, scope)
        if left is None or right is None:
            return None
        return left + right if isinstance(node.op, ast.Add) else left - right if isinstance(node.op, ast.Sub) \
            else left * right
    if isinstance(node, ast.Name):
        found = scope.lookup(node.id)
        if found and len(found[1]) == 1 and found[1][0].kind == "assign" \
                and isinstance(found[1][0].value, ast.Constant) and type(found[1][0].value.value) is int:
            return found[1][0].value.value
    return None


def fanout_of(expr: ast.AST, facts, scope: Scope) -> Fanout | None:
    """How `expr` (the starred argument of gather, the argument of wait) makes its awaitables."""
    resolver = facts.resolver
    if isinstance(expr, COMPREHENSIONS) and not isinstance(expr, ast.DictComp):
        inner = facts.child_scope(expr, scope)
        iterable = expr.generators[0].iter if len(expr.generators) == 1 else None
        kind = "generator" if isinstance(expr, ast.GeneratorExp) else "comprehension"
        targets = frozenset(n.id for g in expr.generators for n in walk(g.target) if isinstance(n, ast.Name))
        return Fanout(iterable, scope, expr.elt, inner, kind, targets,
                      iterables=tuple(g.iter for g in expr.generators))
    if isinstance(expr, ast.Call) and len(expr.args) >= 2 and not expr.keywords \
            and resolver.qualified_name(expr.func, scope) == "map":
        iterable = expr.args[1] if len(expr.args) == 2 else None
        function = expr.args[0]
        if isinstance(function, ast.Lambda):
            names = frozenset(a.arg for a in function.args.args)
            return Fanout(iterable, scope, function.body, facts.child_scope(function, scope), "map()", names,
                          iterables=tuple(expr.args[1:]))
        element = ast.copy_location(ast.Call(func=function, args=[], keywords=[]), function)
        return Fanout(iterable, scope, element, scope, "map()", iterables=tuple(expr.args[1:]))
    if isinstance(expr, ast.Call) and len(expr.args) == 1 and not expr.keywords \
            and resolver.qualified_name(expr.func, scope) in ("list", "tuple", "set"):
        return fanout_of(expr.args[0], facts, scope)
    if isinstance(expr, ast.Name):
        return _fanout_of_name(expr.id, facts, scope)
    return None


def _fanout_of_name(name: str, facts, scope: Scope) -> Fanout | None:
    """`tasks = [f(x) for x in xs]`, or `tasks = []` filled by `tasks.append(f(x))` in a loop."""
    found = scope.lookup(name)
    if found is None or not found[0].is_function:
        return None
    where, bindings = found
    if len(bindings) != 1 or bindings[0].kind != "assign" or bindings[0].value is None:
        return None
    value = bindings[0].value
    if isinstance(value, (ast.List, ast.Set)) and not value.elts or (
            isinstance(value, ast.Call) and not value.args and not value.keywords
            and facts.resolver.qualified_name(value.func, where) in ("list", "set")):
        return _filled_in_loop(name, facts, where)
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        if not value.elts or any(isinstance(e, ast.Starred) for e in value.elts):
            return None
        return Fanout(value, where, value.elts[0], where, "literal", others=tuple(value.elts[1:]))
    return fanout_of(value, facts, where)


def _filled_in_loop(name: str, facts, scope: Scope) -> Fanout | None:
    """The loop that appends awaitables to the list `name`, if exactly one does."""
    fills = []
    path_to: dict[ast.AST, ast.AST] = {}
    todo = [scope.node]
    while todo:
        node = todo.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
                continue
            path_to[child] = node
            todo.append(child)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("append", "add", "extend") and isinstance(node.func.value, ast.Name) \
                and node.func.value.id == name and len(node.args) == 1:
            fills.append(node)
    if not fills:
        return None
    if len(fills) == 1 and fills[0].func.attr == "extend":
        return fanout_of(fills[0].args[0], facts, scope)
    loops = {id(_enclosing_loop(fill, path_to)) for fill in fills}
    loop = _enclosing_loop(fills[0], path_to)
    if loop is None or len(loops) != 1 or any(f.func.attr == "extend" for f in fills):
        return None
    iterable = loop.iter if isinstance(loop, (ast.For, ast.AsyncFor)) else None
    per_item = frozenset(n.id for n in walk(loop) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load))
    arguments = [fill.args[0] for fill in fills]
    return Fanout(iterable, scope, arguments[0], scope, "loop", per_item, tuple(arguments[1:]))


def _enclosing_loop(node: ast.AST, parents: dict) -> ast.AST | None:
    loop = parents.get(node)
    while loop is not None and not isinstance(loop, (ast.For, ast.AsyncFor, ast.While)):
        loop = parents.get(loop)
    return loop


def is_limiter(expr: ast.AST, resolver, scope: Scope) -> bool:
    """`expr` (what `async with` enters) limits concurrency."""
    if isinstance(expr, ast.Call):
        return resolver.qualified_name(expr.func, scope) in LIMITER_CLASSES
    name = expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else None
    if name is None:
        return False
    if LIMITER_NAME.fullmatch(name):
        return True
    instance = resolver.instance_class(expr, scope)
    if instance is not None:
        return getattr(instance, "name", None) in LIMITER_CLASSES
    return _imported_limiter(expr, resolver, scope)


def _imported_limiter(expr: ast.AST, resolver, scope: Scope) -> bool:
    """`gate` of `from .limits import gate`, or `limits.gate`, where that module binds it once
    to a limiter (`gate = asyncio.Semaphore(4)`)."""
    from .coroutines import Qualified

    resolved = resolver.resolve(expr, scope)
    if not isinstance(resolved, Qualified) or resolved.on_instance or "." not in resolved.name:
        return False
    found = _other_module(resolved.name, resolver)
    if found is None:
        return False
    facts, module_scope, name = found
    bindings = module_scope.bindings.get(name, ())
    return len(bindings) == 1 and bindings[0].kind == "assign" and isinstance(bindings[0].value, ast.Call) \
        and facts.resolver.qualified_name(bindings[0].value.func, module_scope) in LIMITER_CLASSES


def acquires_limiter(body_owner: ast.AST, resolver, scope: Scope) -> bool:
    """`body_owner` (a function or loop) enters a limiter: `async with sem:` or `await sem.acquire()`."""
    todo = list(body_owner.body) if hasattr(body_owner, "body") else [body_owner]
    while todo:
        node = todo.pop()
        if isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.AsyncWith) and any(
                is_limiter(item.context_expr, resolver, scope) for item in node.items):
            return True
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call) \
                and isinstance(node.value.func, ast.Attribute) and node.value.func.attr == "acquire" \
                and is_limiter(node.value.func.value, resolver, scope):
            return True
        todo.extend(ast.iter_child_nodes(node))
    return False


def is_queue_worker(function: ast.AST) -> bool:
    """A coroutine that loops taking work from a queue or stream (`while True: item = await
    queue.get()`, `async for item in channel`): however many are started, that many is the
    concurrency, and the work itself waits in the queue."""
    for node in walk(function):
        if isinstance(node, ast.AsyncFor):
            return True
        if isinstance(node, ast.While) and any(
                isinstance(n, ast.Await) and isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Attribute)
                and n.value.func.attr in ("get", "receive", "recv") for n in walk(node)):
            return True
    return False


def bounded_call(call: ast.AST, facts, scope: Scope, depth: int = 2) -> bool:
    """Every awaitable that running `call` starts enters a limiter: through the callee
    (resolved as for ASP101) or a helper wrapping it, or through coroutines it awaits,
    `depth` levels down; a wrapper's arguments (`wait([...])`, `gather(*(...))`) are
    followed to the awaitables they hold."""
    resolver = facts.resolver
    if isinstance(call, (ast.List, ast.Tuple, ast.Set)):
        return bool(call.elts) and all(bounded_call(e, facts, scope, depth) for e in call.elts)
    if isinstance(call, ast.Starred) or isinstance(call, COMPREHENSIONS):
        fanout = fanout_of(call.value if isinstance(call, ast.Starred) else call, facts, scope)
        return fanout is not None and all(bounded_call(e, facts, fanout.element_scope, depth)
                                          for e in fanout.elements)
    if not isinstance(call, ast.Call):
        return False
    callee = resolver.coroutine_call(call, scope)
    if callee is not None and callee.node is None:
        elsewhere, other_facts = defined_elsewhere(callee.name, resolver)
        if elsewhere is not None:
            callee, facts, resolver = elsewhere, other_facts, other_facts.resolver
    if callee is not None and callee.node is not None:
        function = callee.node
        function_scope = facts.child_scope(function, callee.scope)
        if acquires_limiter(function, resolver, function_scope) or is_queue_worker(function):
            return True
        if depth > 1 and _awaits_bounded(function, facts, function_scope, depth - 1):
            return True
        return False
    # a wrapper: bounded(fetch(u)), asyncio.create_task(fetch(u)), wait_for(fetch(u), 5), gather(*...)
    inner = [a for a in call.args if not isinstance(a, ast.Constant)]
    return bool(inner) and all(bounded_call(a, facts, scope, depth) for a in inner)


def defined_elsewhere(name: str, resolver, depth: int = 0):
    """(Callee with its definition, that module's facts) of the coroutine function or method
    `name` (absolute: `shop.client.fetch`, `shop.jobs.Processor.run`) of another module of the
    project or an installed package; (None, None) when it cannot be read."""
    found = _other_module(name, resolver, members=2)
    if found is None or depth > 3:
        return None, None
    facts, module_scope, rest = found
    expr: ast.expr = ast.Name(id=rest[0], ctx=ast.Load())
    if len(rest) == 2:
        expr = ast.Attribute(value=ast.Call(func=expr, args=[], keywords=[]), attr=rest[1], ctx=ast.Load())
    callee = facts.resolver.coroutine_function(expr, module_scope)
    if callee is None:
        return None, None
    if callee.node is None:  # re-exported, or a base class in yet another module
        return defined_elsewhere(callee.name, facts.resolver, depth + 1)
    return callee, facts


def _awaits_bounded(function: ast.AST, facts, scope: Scope, depth: int) -> bool:
    for node in walk(function):
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call) \
                and bounded_call(node.value, facts, scope, depth):
            return True
    return False
