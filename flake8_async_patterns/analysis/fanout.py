"""Fan-out facts: how many awaitables an expression makes, and whether anything bounds
how many of them run at once."""
from __future__ import annotations

import ast
import re
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

    @property
    def elements(self) -> tuple[ast.expr, ...]:
        return (self.element, *self.others)

    def works_on_items(self, resolver) -> bool:
        return all(works_on_items(unwrap(e, resolver, self.element_scope), self.per_item) for e in self.elements)

    def bounded(self, facts) -> bool:
        return all(bounded_call(e, facts, self.element_scope) for e in self.elements)


def works_on_items(call: ast.AST, per_item: frozenset[str]) -> bool:
    """The awaitable is a method call on the item itself (`conn.close() for conn in conns`):
    work on objects that already exist, as many as the program already holds."""
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return False
    root = call.func.value
    while isinstance(root, (ast.Attribute, ast.Subscript)):
        root = root.value
    return isinstance(root, ast.Name) and root.id in per_item


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
        if any(isinstance(e, ast.Starred) for e in expr.elts):
            return None
        return len(expr.elts)
    if isinstance(expr, ast.Dict):
        return None if any(k is None for k in expr.keys) else len(expr.keys)
    if isinstance(expr, ast.Constant) and isinstance(expr.value, (str, bytes)):
        return len(expr.value)
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice) and expr.slice.step is None \
            and expr.slice.upper is not None and (expr.slice.lower is None or _constant_int(expr.slice.lower, resolver, scope) == 0):
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
        if name in ("enumerate", "reversed", "sorted", "list", "tuple", "set") and len(expr.args) == 1:
            return literal_size(expr.args[0], resolver, scope)
        if name == "zip" and expr.args:
            sizes = [literal_size(a, resolver, scope) for a in expr.args]
            known = [s for s in sizes if s is not None]
            return min(known) if known else None
    if isinstance(expr, ast.Name):
        found = scope.lookup(expr.id)
        if found and len(found[1]) == 1 and found[1][0].kind == "assign" and found[1][0].value is not None \
                and not isinstance(found[1][0].node, ast.withitem):
            value = found[1][0].value
            if isinstance(value, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Call, ast.ListComp, ast.SetComp,
                                  ast.DictComp, ast.GeneratorExp)):
                return literal_size(value, resolver, found[0])
    return None


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
        return Fanout(iterable, scope, expr.elt, inner, kind, targets)
    if isinstance(expr, ast.Call) and len(expr.args) >= 2 and not expr.keywords \
            and resolver.qualified_name(expr.func, scope) == "map":
        iterable = expr.args[1] if len(expr.args) == 2 else None
        function = expr.args[0]
        if isinstance(function, ast.Lambda):
            names = frozenset(a.arg for a in function.args.args)
            return Fanout(iterable, scope, function.body, facts.child_scope(function, scope), "map()", names)
        element = ast.copy_location(ast.Call(func=function, args=[], keywords=[]), function)
        return Fanout(iterable, scope, element, scope, "map()")
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
    return instance is not None and getattr(instance, "name", None) in LIMITER_CLASSES


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


def _awaits_bounded(function: ast.AST, facts, scope: Scope, depth: int) -> bool:
    for node in walk(function):
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call) \
                and bounded_call(node.value, facts, scope, depth):
            return True
    return False
