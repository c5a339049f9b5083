"""Does this call make a task that its caller must keep?

A call makes one when it is `asyncio.create_task`, `asyncio.ensure_future` (of a call) or
`create_task` on an event loop; `asyncio.gather(...)` makes a future
whose children run unobserved.  One step removed, a function of this module, of another
module of the project or of an installed package makes one when what it returns is such a
task and nothing else holds it:

- every `return` of its body returns one of those calls, another function that makes one,
  or a local bound only to them and read nowhere else (`None` may be returned too);
- or its body cannot tell (a stub, a call nobody can read) and its return annotation names
  `asyncio.Task` (`Optional[Task]`, `Task[int] | None`, `"asyncio.Task"`).

A task the function also keeps (`self._tasks.add(task); return task`, `self._task = ...`,
a done callback, a global set), a task group's or nursery's task (`tg.create_task(...)`), a
future a library resolves itself (`loop.run_in_executor(...)`, `loop.create_future()`) and
anything unsure are not: a caller may drop those.  An annotation `-> asyncio.Future` alone
is not evidence either: it is also how libraries hand out completion signals they keep.
A name re-exported by a project module (`from ._compat import create_task`) is followed.
"""
from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from .nodes import walk
from .reads import note_file, remember
from .scopes import FUNCTIONS, Scope
from .vocabulary import callee_name, last_names
from .run import RUN

TASK_FACTORIES = frozenset({"asyncio.create_task", "asyncio.tasks.create_task"})
ENSURE_FUTURE = frozenset({"asyncio.ensure_future", "asyncio.tasks.ensure_future"})
GATHER = frozenset({"asyncio.gather", "asyncio.tasks.gather"})
# ensure_future() of one of these returns the future it was given: no new task.
FUTURE_SOURCES = frozenset({
    "run_in_executor", "create_future", "gather", "shield", "wrap_future", "run_coroutine_threadsafe",
})
TASK_TYPES = frozenset({"asyncio.Task", "asyncio.tasks.Task"})
# methods that owners which keep their tasks (task groups, nurseries, supervisors) spawn with
KEEPING_SPAWNERS = frozenset({"create_task", "start_soon", "start", "spawn", "submit"})
# decorators that leave what a function returns as it is
PLAIN_DECORATORS = frozenset({
    "staticmethod", "classmethod", "abc.abstractmethod", "typing.override", "typing_extensions.override",
    "typing.final", "typing_extensions.final", "functools.wraps",
})
_DIRECT = TASK_FACTORIES | ENSURE_FUTURE | GATHER
_MAX_DEPTH = 6

TASK, NO_VALUE, KEPT, UNKNOWN = "task", "none", "kept", "unknown"


@dataclass(frozen=True)
class Made:
    """What a call makes: the name to show, and whether it is a gather (a future of futures)."""

    name: str
    gather: bool = False
    evidence: str = "asyncio"  # "asyncio", or "module"/"project"/"package" for a function one step removed
    factory: bool = False  # asyncio's own task factory under another module's name


def direct_spawner(call: ast.AST, resolver, scope: Scope | Callable[[], Scope]) -> str | None:
    """The name of the asyncio function or loop method that `call` makes a task with (`scope`
    may be a function that returns the scope, called only when it is needed)."""
    if not isinstance(call, ast.Call):
        return None
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "create_task" \
            and resolver.is_event_loop(func.value, _scope(scope)):
        return callee_name(func)
    qualified = resolver.call_named(call, scope, TASK_FACTORIES | ENSURE_FUTURE)
    if qualified in TASK_FACTORIES:
        return qualified
    if qualified in ENSURE_FUTURE and _ensures_new_task(call):
        return qualified
    return None


def _scope(scope):
    return scope() if callable(scope) else scope


def _ensures_new_task(call: ast.Call, function: ast.AST | None = None) -> bool:
    """Only a call can make a coroutine here; a name may hold a future kept elsewhere.  In a
    helper `function`, its parameter is the coroutine its caller gives (`def spawn(coro): ...`)."""
    argument = call.args[0] if call.args else None
    if isinstance(argument, ast.Name) and function is not None:
        return _is_parameter(argument.id, function)
    return isinstance(argument, ast.Call) and _last(argument.func) not in FUTURE_SOURCES


def task_call(call: ast.AST, resolver, scope: Scope | Callable[[], Scope], *, awaited: bool = False) -> Made | None:
    """What task `call` makes, directly or one step removed (with `awaited`: what awaiting the
    call of an `async def` gives).  `scope` may be a function that returns the scope."""
    if not isinstance(call, ast.Call):
        return None
    if not awaited:
        spawner = direct_spawner(call, resolver, scope)
        if spawner is not None:
            return Made(spawner)
        if resolver.call_named(call, scope, GATHER):
            return Made(callee_name(call.func), gather=True)
    if not _may_be_helper(call.func, resolver, scope):
        return None
    return _helper_task(call, resolver, _scope(scope), awaited, depth=0)


def _may_be_helper(func: ast.AST, resolver, scope) -> bool:
    """A cheap test before resolving a call: `name(...)`, `module.name(...)` or
    `self.name(...)` where `name` (or `module`) is imported from outside the standard library,
    or is a def of this module whose text mentions what makes a task."""
    facts = resolver.facts
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        base = func.value.id
        if base in facts.import_aliases:
            return _imported_from_outside(base, facts)
        if func.attr not in _local_task_defs(facts):
            return False
        found = _scope(scope).lookup(base)
        return bool(found) and {b.kind for b in found[1]} == {"param"}  # `self.spawn(...)`
    if isinstance(func, ast.Name):
        if func.id in facts.import_aliases:
            return _imported_from_outside(func.id, facts)
        return func.id in _local_task_defs(facts)
    return False


def _imported_from_outside(name: str, facts) -> bool:
    """`name` is not bound at module level only by imports of the standard library."""
    bindings = facts.scope([facts.tree]).bindings.get(name, ())
    return not bindings or any(b.kind != "import" or b.target.lstrip(".").split(".")[0] not in sys.stdlib_module_names
                               or b.target.startswith(".") for b in bindings)


_DEF = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)", re.MULTILINE)
_WORD = re.compile(r"\w+")
TASK_WORDS = frozenset({"create_task", "ensure_future", "gather", "Task"})


def _task_defs_in(source: str) -> frozenset[str]:
    starts = list(_DEF.finditer(source))
    words: dict[str, set[str]] = {}
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(source)
        words.setdefault(match.group(1), set()).update(_WORD.findall(source, match.end(), end))
    names: set[str] = set()
    wanted = set(TASK_WORDS)
    while True:
        new = {name for name, used in words.items() if name not in names and used & wanted}
        if not new:
            return frozenset(names)
        names |= new
        wanted |= new


def _local_task_defs(facts) -> frozenset[str]:
    """Names of this module's defs whose text (up to the next def) mentions a task word or
    another such def."""
    def compute():
        return _task_defs_in(facts.source if facts.source is not None else ast.unparse(facts.tree))

    return facts.memo("task-defs", compute)


def _helper_task(call: ast.Call, resolver, scope: Scope, awaited: bool, depth: int,
                 function: ast.AST | None = None) -> Made | None:
    """A call of a function that makes a task for its caller (`function`: the helper that the
    call is returned from, if any)."""
    from .coroutines import Defs, Qualified

    resolved = resolver.resolve(call.func, scope)
    wanted = ast.AsyncFunctionDef if awaited else ast.FunctionDef
    if isinstance(resolved, Defs):
        if resolved.nodes and all(type(n) is wanted and returns_task(n, resolver, resolver.facts.child_scope(
                n, resolved.scope), depth + 1) for n in resolved.nodes):
            return Made(callee_name(call.func), evidence="module")
        return None
    if isinstance(resolved, Qualified) and not resolved.on_instance and "." in resolved.name \
            and not resolved.name.startswith(("asyncio.", "builtins.")):
        filename = resolver.facts.filename
        if not filename.endswith((".py", ".pyi")) or resolved.name.split(".")[0] in sys.stdlib_module_names:
            return None
        kind = external_kind(resolved.name, filename, resolver.settings, wanted, depth + 1)
        if kind == "factory" or kind == "ensure_future" and _ensures_new_task(call, function):
            return Made(resolved.name, evidence=_where(resolved.name, filename), factory=True)
        if kind == "returns":
            return Made(resolved.name, evidence=_where(resolved.name, filename))
    return None


TASK_GROUPS = frozenset({
    "asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup", "anyio.create_task_group", "trio.open_nursery",
})
GROUP_SPAWNER_NAMES = frozenset({"create_task", "start_soon", "start"})


def group_spawner(call: ast.AST, resolver, scope: Scope | Callable[[], Scope]) -> str | None:
    """`tg.create_task(...)` / `tg.start_soon(...)` on a task group entered with `async with`."""
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) \
            or call.func.attr not in GROUP_SPAWNER_NAMES \
            or not isinstance(call.func.value, ast.Name):
        return None
    found = _scope(scope).lookup(call.func.value.id)
    if not found:
        return None
    for binding in found[1]:
        if not isinstance(binding.node, ast.withitem) or not isinstance(binding.value, ast.Call):
            return None
        if resolver.qualified_name(binding.value.func, found[0]) not in TASK_GROUPS:
            return None
    return f"{call.func.value.id}.{call.func.attr}"


def _where(qualified: str, filename: str) -> str:
    from .external import where

    return where(qualified, filename)


def external_kind(qualified: str, filename: str, settings, wanted=ast.FunctionDef, depth: int = 0) -> str | None:
    """How the function `qualified` (imported by `filename`) makes a task: "factory" (it is
    `asyncio.create_task` under another name), "ensure_future", "returns" (a function that
    returns one), or None.  Re-exports and module-level aliases are followed; every binding
    of the name must agree."""
    from . import external

    if depth > _MAX_DEPTH:
        return None
    asked = (qualified, external.project_of(filename), settings, wanted)  # the same answer for a whole package
    return remember(_ASKED, asked, lambda: _external_kind(qualified, filename, settings, wanted, depth))


_ASKED: dict[tuple, tuple] = RUN.dict()  # -> (kind, what it read)


def _external_kind(qualified: str, filename: str, settings, wanted, depth: int) -> str | None:
    from . import external

    parts = external.absolute(qualified, filename)
    located = external.locate(parts, filename) if parts else None
    if located is None or len(located[2]) != 1:
        return None
    path, _, (name,) = located
    note_file(path)  # its text decides what `_may_offer` says

    def kind():
        return _kind_in_module(path, name, settings, wanted, depth) if _may_offer(path, name) else None

    return remember(_KINDS, (path, name, settings, wanted), kind)  # None in a cycle of re-exports


_IMPORTED = re.compile(r"\bimport\b[ \t]*(\([^)]*\)|[^\n]*)")  # `import a, b`, `from m import (\n a,\n)`
_BOUND_AT_START = re.compile(r"^(\w+)[ \t]*(?::[^\n=]*)?=[^=]", re.MULTILINE)  # `fire = create_task`


@RUN.function
@lru_cache(maxsize=1024)
def _offers(path: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the defs of the module at `path` whose text mentions a task word, the names its text
    binds otherwise: imports and assignments at the start of a line)."""
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return frozenset(), frozenset()
    bound = {word for match in _IMPORTED.finditer(text) for word in _WORD.findall(match.group(1))}
    bound.update(_BOUND_AT_START.findall(text))
    return _task_defs_in(text), frozenset(bound)


def _may_offer(path: str, name: str) -> bool:
    """A cheap test on the module's text before parsing it: `name` is one of its defs that
    mention a task word, or the text binds it some other way (an import, an assignment)."""
    defs, bound = _offers(path)
    return name in defs or name in bound


_KINDS: dict[tuple, tuple] = RUN.dict()  # -> (kind, what it read)


def _kind_in_module(path: str, name: str, settings, wanted, depth: int) -> str | None:
    from . import external

    facts = external.module_facts(path, settings)
    if facts is None:
        return None
    module = facts.scope([facts.tree])
    bindings = module.bindings.get(name, ())
    kinds = set()
    for binding in bindings:
        if binding.kind == "def" and any(_bare(d) == "overload" for d in binding.node.decorator_list):
            continue  # the implementation (or the stub's last word) decides
        if binding.kind == "def":
            function = binding.node
            kinds.add("returns" if type(function) is wanted and returns_task(
                function, facts.resolver, facts.child_scope(function, module), depth + 1) else None)
        elif binding.kind == "import" and not binding.target.endswith("*"):
            kinds.add(_named_kind(binding.target) or external_kind(binding.target, path, settings, wanted, depth + 1))
        elif binding.kind == "assign" and isinstance(binding.value, (ast.Name, ast.Attribute)):
            kinds.add(_named_kind(facts.resolver.qualified_name(binding.value, module)))
        else:
            kinds.add(None)
    if kinds == {"factory", "ensure_future"}:
        kinds = {"ensure_future"}  # `create_task = getattr(asyncio, "create_task", ensure_future)`-style shims
    if len(kinds) != 1:
        return None
    (kind,) = kinds
    return kind if wanted is ast.FunctionDef or kind == "returns" else None


def _named_kind(qualified: str | None) -> str | None:
    if qualified in TASK_FACTORIES:
        return "factory"
    if qualified in ENSURE_FUTURE:
        return "ensure_future"
    return None


# -- what a function returns -------------------------------------------------------------


def returns_task(function: ast.AST, resolver, scope: Scope, depth: int = 0) -> bool:
    """`function` (its own scope is `scope`) returns a task that nothing else holds."""
    known = resolver.facts.memo("returns-task", dict)
    if function in known:
        return bool(known[function])  # None while it is being read: a cycle of calls
    if depth > _MAX_DEPTH:
        return False
    known[function] = None
    known[function] = found = _returns_task(function, resolver, scope, depth)
    return found


def _returns_task(function: ast.AST, resolver, scope: Scope, depth: int) -> bool:
    from .coroutines import has_yield

    if not isinstance(function, FUNCTIONS) or has_yield(function):
        return False
    if not all(resolver.qualified_name(d, scope.parent) in PLAIN_DECORATORS or _bare(d) in PLAIN_DECORATORS
               for d in function.decorator_list):
        return False  # a decorator may return anything
    # a `-> Task` that is handed no work may well be a lookup (`def root_task() -> Task`): the
    # annotation names the type of what is returned, not who owns it
    annotated = is_task_annotation(function.returns, resolver, scope.parent) \
        and takes_awaitable(function, resolver, scope.parent)
    if _is_stub(function):
        return annotated
    values = [r.value for r in _returns(function)]
    kinds = {_classify(v, function, resolver, scope, depth) for v in values}
    if not values or KEPT in kinds:
        return False
    if kinds <= {TASK, NO_VALUE}:
        return TASK in kinds
    return annotated


def is_task_annotation(annotation: ast.AST | None, resolver, scope: Scope | None) -> bool:
    """`annotation` names `asyncio.Task` (a generic, a string, `Optional`/`| None` included)."""
    from .annotations import annotated_classes
    from .coroutines import Qualified

    if annotation is None or scope is None:
        return False
    classes = annotated_classes(resolver, annotation, scope)
    return bool(classes) and all(isinstance(c, Qualified) and c.name in TASK_TYPES for c in classes)


def takes_awaitable(function: ast.AST, resolver, scope: Scope | None) -> bool:
    """A parameter of `function` is annotated as the work a task would run: a coroutine, an
    awaitable, a generator, or a callable (`Optional[...]` and strings included)."""
    args = function.args
    parameters = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return scope is not None and any(
        p is not None and p.annotation is not None and _names_work(p.annotation, resolver, scope, 0)
        for p in parameters)


def _names_work(annotation: ast.AST, resolver, scope: Scope, depth: int) -> bool:
    if depth > 4:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value.strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError):
            return False
    if isinstance(annotation, ast.BinOp):
        return any(_names_work(side, resolver, scope, depth + 1) for side in (annotation.left, annotation.right))
    if isinstance(annotation, ast.Subscript):
        name = resolver.qualified_name(annotation.value, scope)
        if name in ("typing.Optional", "typing.Union"):
            items = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            return any(_names_work(item, resolver, scope, depth + 1) for item in items)
        annotation = annotation.value
    name = resolver.qualified_name(annotation, scope) if isinstance(annotation, (ast.Name, ast.Attribute)) else None
    return name is not None and name.rpartition(".")[::2] in WORK_TYPES


# (module, name) of the annotations that say a parameter is work for a task
WORK_TYPES = frozenset((module, name) for module in ("typing", "typing_extensions", "collections.abc")
                       for name in ("Coroutine", "Awaitable", "Generator", "Callable"))


def _classify(value: ast.AST | None, function: ast.AST, resolver, scope: Scope, depth: int) -> str:
    """What the returned `value` is: a task nothing else holds, no value, something kept
    (or no task at all), or unknown."""
    if value is None or isinstance(value, ast.Constant) and value.value is None:
        return NO_VALUE
    if isinstance(value, ast.IfExp):
        kinds = {_classify(v, function, resolver, scope, depth) for v in (value.body, value.orelse)}
        return KEPT if KEPT in kinds else UNKNOWN if UNKNOWN in kinds else TASK if TASK in kinds else NO_VALUE
    if isinstance(value, ast.Call):
        return _classify_call(value, function, resolver, scope, depth)
    if isinstance(value, ast.Name):
        return _classify_local(value.id, function, resolver, scope, depth)
    if isinstance(value, ast.Await):
        return UNKNOWN
    return KEPT  # an attribute, an item, a collection: held by something else


def _classify_call(call: ast.Call, function: ast.AST, resolver, scope: Scope, depth: int) -> str:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "create_task" and resolver.is_event_loop(func.value, scope):
        return TASK
    qualified = resolver.call_named(call, scope, _DIRECT)
    if qualified in TASK_FACTORIES or qualified in GATHER:
        return TASK
    if qualified in ENSURE_FUTURE:
        return TASK if _ensures_new_task(call, function) else KEPT  # `def spawn(coro): return ensure_future(coro)`
    if _last(func) in FUTURE_SOURCES:
        return KEPT  # a future the loop, an executor or another thread resolves
    known = resolver.qualified_name(func, scope) if isinstance(func, (ast.Name, ast.Attribute)) else None
    if known is not None and known.startswith("asyncio."):
        return KEPT  # `current_task()`, `all_tasks()`: asyncio makes new tasks only as above
    if any(isinstance(node, ast.Call) and direct_spawner(node, resolver, scope)
           for argument in (*call.args, *(k.value for k in call.keywords)) for node in walk(argument)):
        return KEPT  # `return register(create_task(...))`: handed to someone who may keep it
    if _helper_task(call, resolver, scope, awaited=False, depth=depth, function=function) is not None:
        return TASK
    if isinstance(func, ast.Attribute) and func.attr in KEEPING_SPAWNERS:
        return KEPT  # `tg.create_task(...)`: a task group (or another owner) keeps it
    return UNKNOWN


def _classify_local(name: str, function: ast.AST, resolver, scope: Scope, depth: int) -> str:
    found = scope.lookup(name)
    if found is None or found[0] is not scope or name in scope.globals or name in scope.nonlocals:
        return KEPT  # a global, a closure's variable: held outside this call
    bindings = found[1]
    if any(b.kind != "assign" or not isinstance(b.value, ast.Call) for b in bindings):
        return KEPT if any(b.kind == "param" for b in bindings) else UNKNOWN
    kinds = {_classify_call(b.value, function, resolver, scope, depth) for b in bindings}
    if kinds != {TASK}:
        return KEPT if KEPT in kinds else UNKNOWN
    returned = {id(r.value) for r in _returns(function)}
    read_elsewhere = any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
                         and id(n) not in returned for n in walk(function))
    return KEPT if read_elsewhere else TASK  # a done callback, a registry, a set: kept


def _returns(function: ast.AST):
    """The `return` statements of `function`'s own body (not of nested functions or classes)."""
    todo = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Return):
            yield node
        elif not isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            todo.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, (ast.stmt, ast.excepthandler,
                                                                                            ast.match_case)))


def _is_stub(function: ast.AST) -> bool:
    """A body that says nothing about what is returned: `...`, `pass`, a docstring, a raise."""
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return all(isinstance(s, (ast.Pass, ast.Raise)) or isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
               for s in body)


def _is_parameter(name: str, function: ast.AST) -> bool:
    args = function.args
    return any(a.arg == name for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))


def _last(expr: ast.AST) -> str:
    return expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else ""


def _bare(decorator: ast.AST) -> str:
    return _last(decorator.func if isinstance(decorator, ast.Call) else decorator)


SPAWNER_NAMES = last_names(TASK_FACTORIES | ENSURE_FUTURE)
