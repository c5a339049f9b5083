"""Do statements depend on each other?  A small, conservative dependence analysis for
the rules that suggest running awaits concurrently (ASP203, ASP204)."""
from __future__ import annotations

import ast
import re
from typing import Iterable

from .vocabulary import dotted
from .nodes import child_nodes
from .scopes import FUNCTIONS

# Words in a callee's name that say its order is its purpose: pacing, retries, locks,
# queues, pagination, streams, writes and other side effects.
ORDERED_WORDS = frozenset("""
    sleep retry retries backoff wait acquire lock unlock page pages paginate cursor next send recv
    receive read write drain flush put enqueue dequeue queue commit rollback execute exec connect
    disconnect close start stop open login logout create insert update upsert delete remove save store
    set patch publish migrate init setup emit notify reset clear
""".split())
# Arguments that name one shared channel, which cannot serve two operations at a time.
SHARED_RESOURCE = re.compile(
    r"(?i)_*(conn|connection|cursor|cur|tx|txn|transaction|session|db|database|writer|reader|stream|"
    r"ws|websocket|socket|sock|channel|chan)\d*")
MUTATORS = frozenset({"append", "extend", "add", "update", "insert", "setdefault", "pop", "remove",
                      "discard", "clear", "appendleft", "extendleft", "popleft"})
WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def words(name: str) -> list[str]:
    """`fetchUserPage_v2` -> ["fetch", "user", "page", "v", "2"]."""
    return [w.lower() for part in name.split("_") for w in WORD.findall(part)]


STREAM_VERBS = ("read", "write", "recv", "send")  # readline, readexactly, writelines, sendall...


def is_ordered_name(name: str) -> bool:
    return any(w in ORDERED_WORDS or w.startswith(STREAM_VERBS) for w in words(name.rsplit(".", 1)[-1]))


def ordered_call(call: ast.Call, callee, per_item: frozenset[str] = frozenset()) -> bool:
    """The awaited `call` of `callee` should keep its order, or gains nothing from running
    concurrently: its name says so, a shared connection is passed in, the coroutine it runs
    awaits such calls itself or uses a connection of the same object (`self._conn`), or it
    awaits nothing at all (or is abstract: what runs is not known)."""
    if is_ordered_name(callee.name):
        return True
    arguments = [*call.args, *(k.value for k in call.keywords)]
    if any(isinstance(a, ast.Name) and a.id not in per_item and SHARED_RESOURCE.fullmatch(a.id)
           for a in arguments):
        return True
    if callee.node is not None and (not may_overlap(callee.node) or _shares_own_channel(call, callee.node, per_item)
                                    or _changes_shared_argument(call, callee.node, per_item)):
        return True
    if callee.node is not None:
        # emit(writer, line) that awaits writer.drain(): ordered operations on a channel passed in
        args = callee.node.args
        params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)} - {"self", "cls"}
        for node in own_nodes(callee.node.body):
            if isinstance(node, ast.Await) and isinstance(node.value, ast.Call) \
                    and isinstance(node.value.func, ast.Attribute):
                root = node.value.func.value
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in params and is_ordered_name(node.value.func.attr):
                    return True
    return False


def may_overlap(function: ast.AST) -> bool:
    """The function's own body can let other tasks run (an `await`, `async for`, `async with`).
    An abstract one (`...`, `pass`, `raise NotImplementedError`, `@abstractmethod`) says
    nothing of what really runs: no."""
    body = [s for s in function.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if all(isinstance(s, (ast.Pass, ast.Raise)) for s in body) or any(
            dotted(d) in ("abstractmethod", "abc.abstractmethod") for d in function.decorator_list):
        return False
    return any(isinstance(n, (ast.Await, ast.AsyncFor, ast.AsyncWith)) for n in own_nodes(function.body))


def _shares_own_channel(call: ast.Call, function: ast.AST, per_item: frozenset[str]) -> bool:
    """`await self.store(x)` (the same receiver every time) whose method awaits an operation on
    one connection of its object (`self._conn.execute(...)`, `self.ws.send(...)`)."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if receiver is None or {n.id for n in ast.walk(receiver) if isinstance(n, ast.Name)} & per_item:
        return False
    args = function.args
    first = (args.posonlyargs + args.args)[:1]
    if not first or first[0].arg not in ("self", "cls"):
        return False
    for node in own_nodes(function.body):
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call) \
                and isinstance(node.value.func, ast.Attribute):
            owner = node.value.func.value
            if isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name) \
                    and owner.value.id == first[0].arg and SHARED_RESOURCE.fullmatch(owner.attr):
                return True
    return False


def _changes_shared_argument(call: ast.Call, function: ast.AST, per_item: frozenset[str]) -> bool:
    """The callee sets an attribute of a parameter that every pass gives the same object
    (`check_case(app, case)` whose body does `app.mode = ...`): each pass changes the state the
    next one runs against."""
    args = function.args
    positional = [a.arg for a in (*args.posonlyargs, *args.args)]
    if positional[:1] in (["self"], ["cls"]) and isinstance(call.func, ast.Attribute):
        positional = positional[1:]
    given = dict(zip(positional, call.args)) if not any(isinstance(a, ast.Starred) for a in call.args) else {}
    given.update((k.arg, k.value) for k in call.keywords if k.arg)
    shared = {param for param, value in given.items()
              if isinstance(value, (ast.Name, ast.Attribute)) and not loaded_names([value]) & per_item}
    for node in own_nodes(function.body):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                    and target.value.id in shared:
                return True
    return False


def own_nodes(statements: Iterable[ast.AST], lambdas: bool = False):
    """Every node in `statements`, not entering nested functions and classes (nor
    lambdas, unless asked)."""
    skipped = (*FUNCTIONS, ast.ClassDef) if lambdas else (*FUNCTIONS, ast.Lambda, ast.ClassDef)
    todo = list(statements)
    while todo:
        node = todo.pop()
        if isinstance(node, skipped):
            continue
        yield node
        todo.extend(child_nodes(node))


def in_order(nodes: Iterable[ast.AST]) -> list[ast.AST]:
    return sorted(nodes, key=lambda n: (n.lineno, n.col_offset))


def stored_names(statements) -> set[str]:
    return {n.id for n in own_nodes(statements) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}


def loaded_names(nodes) -> set[str]:
    """Names read in `nodes`, lambdas included (a lambda that reads a name uses its value)."""
    return {n.id for n in own_nodes(nodes, lambdas=True) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def carries_value(body: list[ast.stmt], fresh: set[str]) -> bool:
    """A value flows from one pass of the loop to the next: a name read before the body
    writes it, a running total, an attribute written and read, or a container that is
    filled and also read.  `fresh` names (the loop target) are new every pass."""
    first_store: dict[str, tuple[int, int]] = {}
    loads: list[tuple[str, tuple[int, int]]] = []
    stored_attributes, read_attributes = set(), set()
    mutated, mutation_receivers, mutated_attributes = set(), set(), set()
    stored_after = assignment_ends(body)
    for node in own_nodes(body, lambdas=True):
        if isinstance(node, ast.AugAssign):
            return True  # total += ...: a running value
        if isinstance(node, ast.Name):
            where = stored_after.get(id(node), (node.lineno, node.col_offset))
            if isinstance(node.ctx, ast.Load):
                loads.append((node.id, where))
            elif node.id not in fresh:
                first_store[node.id] = min(first_store.get(node.id, where), where)
        elif isinstance(node, ast.Attribute):
            text = dotted(node)
            if text:
                (read_attributes if isinstance(node.ctx, ast.Load) else stored_attributes).add(text)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS \
                and isinstance(node.func.value, ast.Name):
            mutated.add(node.func.value.id)
            mutation_receivers.add(id(node.func.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS \
                and dotted(node.func.value):
            mutated_attributes.add(dotted(node.func.value))  # `self.state.seen.add(x)`
            mutation_receivers.add(id(node.func.value))
        elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load) \
                and isinstance(node.value, ast.Name):
            mutated.add(node.value.id)
            mutation_receivers.add(id(node.value))
    if stored_attributes & read_attributes:
        return True
    if mutated_attributes and mutated_attributes & {
            dotted(n) for n in own_nodes(body, lambdas=True)
            if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Load) and id(n) not in mutation_receivers}:
        return True  # a container reached through attributes, filled and read
    if any(name in first_store and where <= first_store[name] for name, where in loads):
        return True
    other_reads = {n.id for n in own_nodes(body, lambdas=True)
                   if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and id(n) not in mutation_receivers}
    return bool((mutated - fresh) & other_reads)


def assignment_ends(body: list[ast.stmt]) -> dict[int, tuple[int, int]]:
    """Where each name an assignment binds is really stored: after its value is evaluated, at the
    end of the statement (`data = await f(data)` reads `data` before it writes it)."""
    ends = {}
    for node in own_nodes(body, lambdas=True):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and not isinstance(name.ctx, ast.Load):
                        ends[id(name)] = (node.end_lineno, node.end_col_offset)
    return ends


def control_depends(body: list[ast.stmt]) -> bool:
    """The body leaves the loop early, checks, or decides on what it computed."""
    awaited_into = set()
    for node in own_nodes(body):
        if isinstance(node, (ast.Break, ast.Return, ast.Raise, ast.Assert, ast.Yield, ast.YieldFrom)):
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
