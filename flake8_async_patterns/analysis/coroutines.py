"""Is this call a coroutine call?  Resolution of names to coroutine functions.

Everything a single module can tell: its own (nested) `async def`s, methods
through `self`/`cls`/`super()` and base classes defined in the module, import
aliases, the standard library's coroutine functions, and the user's options.
Names imported from elsewhere go through `external()`, the seam where
cross-module inference plugs in.  Anything unsure resolves to None: silence.
"""
from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Union

from .nodes import child_nodes, walk
from .scopes import FUNCTIONS, Binding, Scope

if TYPE_CHECKING:
    from . import ModuleFacts

# Coroutine functions of the standard library, by qualified name.
STDLIB_COROUTINES = frozenset(
    f"{module}.{name}"
    for module, names in {
        "asyncio": "sleep wait_for wait open_connection open_unix_connection start_server "
        "start_unix_server to_thread create_subprocess_exec create_subprocess_shell",
        "asyncio.tasks": "sleep wait_for wait",
        "asyncio.streams": "open_connection open_unix_connection start_server start_unix_server",
        "asyncio.threads": "to_thread",
        "asyncio.subprocess": "create_subprocess_exec create_subprocess_shell",
        "asyncio.staggered": "staggered_race",
    }.items()
    for name in names.split()
) | frozenset(
    # Coroutine methods of asyncio's classes, for instances the module provably creates.
    f"asyncio.{cls}.{method}"
    for cls, methods in {
        "Queue": "put get join", "PriorityQueue": "put get join", "LifoQueue": "put get join",
        "Lock": "acquire", "Semaphore": "acquire", "BoundedSemaphore": "acquire",
        "Event": "wait", "Condition": "acquire wait wait_for", "Barrier": "wait reset abort",
    }.items()
    for method in methods.split()
)

# Decorators that make an `async def` return something other than a coroutine.
NON_COROUTINE_DECORATORS = frozenset({
    "contextlib.asynccontextmanager",
    "property", "builtins.property", "functools.cached_property", "abc.abstractproperty",
    "pytest.fixture", "pytest_asyncio.fixture",
    "asgiref.sync.async_to_sync",
})
PROPERTY_ACCESSORS = frozenset({"setter", "getter", "deleter"})
OVERLOADS = frozenset({"typing.overload", "typing_extensions.overload"})
# Bases that define no methods a user's code could call through self.
EMPTY_BASES = frozenset({
    "object", "typing.Generic", "typing.Protocol", "typing_extensions.Protocol", "abc.ABC",
})
ENTERS_ITSELF = frozenset({
    "requests.Session", "requests.sessions.Session", "socket.socket",
    "concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor",
})
LOOP_FACTORIES = frozenset({
    "asyncio.get_event_loop", "asyncio.get_running_loop", "asyncio.new_event_loop",
    "asyncio.events.get_event_loop", "asyncio.events.get_running_loop", "asyncio.events.new_event_loop",
})
LOOP_NAME = re.compile(r"_*(event_|ev_|io_)?loop")

# Names under which a module can offer a coroutine function: its `async def`s, and names it
# binds one to (`from m import f as g`, `g = m.f` on a line of its own).  Read from the text,
# comments and strings included, which only ever adds names.
# Each pattern starts with literal text, which `re` finds fast; what precedes a match is
# read after it, from the line it is on.
_ASYNC_DEF = re.compile(r"async[ \t]+def[ \t]+(\w+)")
_AS = re.compile(r" as[ \t]+(\w+)")  # `import m as x`, `from m import f as x`
_ASSIGNED = re.compile(r"=[ \t]*(?:[A-Za-z_][\w.]*\.)?(\w+)[ \t]*(?:#[^\n]*)?$", re.MULTILINE)
# a module-level name bound by any assignment (`fetch = make_fetcher()`): only astroid can say
# what it is, so it may be a coroutine function
_MODULE_ASSIGNED = re.compile(r"\n(\w+)[ \t]*(?::[^=\n]*)?=[^=]")
_WORD_BEFORE = re.compile(r"(\w+)[ \t]*\Z")
_TARGET = re.compile(r"[ \t]*(\w+)[ \t]*(?::[^=\n]*)?")  # `x` or `x: T`, alone on its line before `=`


@dataclass
class OfferedNames:
    """What one or more modules' text says about names of coroutine functions."""

    defined: set[str]  # `async def` names
    aliases: dict[str, set[str]]  # a name -> the new names bound to it
    files: dict[str, int] = field(default_factory=dict)  # path -> length of the text read from disk
    _names: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of_text(cls, text: str) -> OfferedNames:
        aliases: dict[str, set[str]] = {}
        for match in _AS.finditer(text):
            before = _WORD_BEFORE.search(text, max(0, match.start() - 200), match.start())
            if before:
                aliases.setdefault(before.group(1), set()).add(match.group(1))
        for match in _ASSIGNED.finditer(text):
            target = _TARGET.fullmatch(text, text.rfind("\n", 0, match.start()) + 1, match.start())
            if target:
                aliases.setdefault(match.group(1), set()).add(target.group(1))
        first = _MODULE_ASSIGNED.match("\n" + text[:200])  # the first line has no newline before it
        return cls({*_ASYNC_DEF.findall(text), *_MODULE_ASSIGNED.findall(text), *(first.groups() if first else ())},
                   aliases)

    @classmethod
    def of_tree(cls, tree: ast.AST) -> OfferedNames:
        offered = cls(set(), {})
        module_level = set(map(id, getattr(tree, "body", ())))
        for node in walk(tree):
            if isinstance(node, ast.AsyncFunctionDef):
                offered.defined.add(node.name)
            elif isinstance(node, ast.alias) and node.asname:
                offered.aliases.setdefault(node.name.rsplit(".", 1)[-1], set()).add(node.asname)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and id(node) in module_level:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                offered.defined.update(t.id for t in targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.Assign) and isinstance(node.value, (ast.Name, ast.Attribute)):
                old = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
                offered.aliases.setdefault(old, set()).update(t.id for t in node.targets if isinstance(t, ast.Name))
        return offered

    def update(self, other: OfferedNames) -> None:
        self._names.clear()
        self.defined |= other.defined
        self.files |= other.files
        for old, new in other.aliases.items():
            self.aliases.setdefault(old, set()).update(new)

    def names(self, extra: frozenset[str] = frozenset()) -> frozenset[str]:
        """The defined names, `extra` and every alias of one of them, through chains of aliases."""
        cached = self._names.get(extra)
        if cached is not None:
            return cached
        found = set(self.defined) | extra
        todo = list(found)
        while todo:
            for new in self.aliases.get(todo.pop(), ()):
                if new not in found:
                    found.add(new)
                    todo.append(new)
        self._names[extra] = result = frozenset(found)
        return result


@dataclass(frozen=True)
class Callee:
    """A resolved coroutine function: the name to show and, when local, its definition."""

    name: str
    node: ast.AsyncFunctionDef | None = None
    scope: Scope | None = None  # where `node` is defined


@dataclass(frozen=True)
class Qualified:
    name: str  # dotted: "asyncio.sleep", or a builtin's bare name
    on_instance: bool = False  # a method of an instance of the class `name` minus its last part


@dataclass(frozen=True)
class Defs:
    name: str
    nodes: tuple[ast.AST, ...]
    scope: Scope  # where the definitions are bound


@dataclass(frozen=True)
class ClassRef:
    node: ast.ClassDef
    scope: Scope  # the class's own scope


@dataclass(frozen=True)
class ExternalBase:
    name: str  # the qualified name of a base class defined in another module


Resolved = Union[Qualified, Defs, ClassRef, None]
UNKNOWN_BASE = None


def dotted(expr: ast.AST) -> str | None:
    """`a.b.c` as text, or None when `expr` is not a plain dotted name."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))


def last_name(expr: ast.AST) -> str | None:
    """`c` of `a.b.c`, `f` of `f`: the name a call is made by; None for anything else."""
    return expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else None


def last_names(qualified) -> frozenset[str]:
    """`asyncio.gather` -> `gather`: what a call's own name must be to call one of them."""
    return frozenset(name.rsplit(".", 1)[-1] for name in qualified)


def callee_name(expr: ast.AST) -> str:
    """A short name for messages: `fetch`, `self.fetch`, `aio.sleep`."""
    text = dotted(expr)
    if text is None and isinstance(expr, ast.Attribute):
        base = expr.value
        if isinstance(base, ast.Call) and isinstance(base.func, ast.Name) and base.func.id == "super":
            return f"super().{expr.attr}"
        return expr.attr
    return text or "<call>"


class Resolver:
    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        self.settings = facts.settings
        self._coroutine_defs: dict[ast.AST, bool] = {}
        self._instance_attrs: dict[ast.AST, frozenset[str]] = {}
        self._instance_values: dict[ast.AST, dict[str, list]] = {}
        self._in_progress: set = set()
        self._final_parts: dict[frozenset, frozenset] = {}
        self._possible: frozenset[str] | None = None

    # -- public questions -------------------------------------------------------

    def may_be_coroutine_function(self, expr: ast.AST) -> bool:
        """A cheap test before resolving: can `expr` name a coroutine function at all?  Its
        last name must be one under which this module, a module of its project, the standard
        library or the user's options offer one."""
        last = last_name(expr)
        if last is None:
            return True  # not a name: resolution decides (and is cheap)
        if self._possible is None:
            self._possible = self._offered_names()
        return not self._possible or last in self._possible

    def _offered_names(self) -> frozenset[str]:
        """Empty when every name is possible (a project too big to read)."""
        known = last_names(STDLIB_COROUTINES) | last_names(self.settings.coroutine_functions)
        filename = self.facts.filename
        if filename and not filename.startswith("<") and filename.endswith(".py"):
            from .external import project_offered

            project = project_offered(filename)
            if project is None:
                return frozenset()
            source = self.facts.source
            size = project.files.get(os.path.abspath(filename))
            if size is not None and (source is None or size == len(source)):
                return project.names(known)  # the project's files include this one as it is on disk
            offered = OfferedNames(set(), {})  # a copy: the project's index is shared by every file
            offered.update(project)
            offered.update(self.facts.offered)
            return offered.names(known)
        return self.facts.offered.names(known)

    def coroutine_call(self, call: ast.AST, scope: Scope | Callable[[], Scope]) -> Callee | None:
        """The coroutine function that `call` calls, if it surely is one.  `scope` may be a
        function that returns the scope, called only when the call may be a coroutine call."""
        if not isinstance(call, ast.Call):
            return None
        return self.coroutine_function(call.func, scope)

    def coroutine_function(self, expr: ast.AST, scope: Scope | Callable[[], Scope]) -> Callee | None:
        """`expr` (a name or attribute) surely refers to a coroutine function."""
        if not self.may_be_coroutine_function(expr):
            return None
        if callable(scope):
            scope = scope()
        resolved = self.resolve(expr, scope)
        if isinstance(resolved, Defs):
            if resolved.nodes and all(self.is_coroutine_def(n, resolved.scope) for n in resolved.nodes):
                return Callee(resolved.name, resolved.nodes[-1], resolved.scope)
            return None
        if isinstance(resolved, Qualified):
            if resolved.name in STDLIB_COROUTINES or resolved.name in self.settings.coroutine_functions:
                return Callee(resolved.name)
            if resolved.on_instance:
                owner, _, attr = resolved.name.rpartition(".")
                return self.external_method(owner, attr) if not owner.startswith(("asyncio.", "builtins.")) else None
            return self.external(resolved.name, scope)
        return None

    def coroutine_callable(self, expr: ast.AST, scope: Scope | Callable[[], Scope]) -> Callee | None:
        """The coroutine function that calling `expr` runs: a reference, a partial or a lambda."""
        if isinstance(expr, (ast.Name, ast.Attribute)):
            return self.coroutine_function(expr, scope)
        if callable(scope):
            scope = scope()
        if isinstance(expr, ast.Lambda):
            return self.coroutine_call(expr.body, self.facts.child_scope(expr, scope))
        if isinstance(expr, ast.Call) and expr.args \
                and self.qualified_name(expr.func, scope) == "functools.partial":
            return self.coroutine_function(expr.args[0], scope)
        return None

    def qualified_name(self, expr: ast.AST, scope: Scope) -> str | None:
        """The dotted name an imported (or builtin) name stands for: `aio.sleep` -> `asyncio.sleep`."""
        resolved = self.resolve(expr, scope)
        return resolved.name if isinstance(resolved, Qualified) and not resolved.on_instance else None

    def call_named(self, call: ast.AST, scope, names: frozenset[str]) -> str | None:
        """The qualified name of what `call` calls, when it is one of `names`.

        A cheap test on the last part of the name spares resolving most calls; a
        module-level `from x import y as z` is seen through.  `scope` may be a function
        that returns the scope, called only when the cheap test passes."""
        if not isinstance(call, ast.Call):
            return None
        func = call.func
        last = last_name(func)
        if last is None:
            return None
        finals = self._final_parts.get(names)
        if finals is None:
            finals = self._final_parts[names] = last_names(names)
        if last not in finals:
            if not isinstance(func, ast.Name) or not (self.facts.import_aliases.get(last, set()) & finals):
                return None
        name = self.qualified_name(func, scope() if callable(scope) else scope)
        return name if name in names else None

    def is_event_loop(self, expr: ast.AST, scope: Scope) -> bool:
        if isinstance(expr, ast.Call):
            return self.qualified_name(expr.func, scope) in LOOP_FACTORIES
        name = expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else None
        if name is None:
            return False
        if LOOP_NAME.fullmatch(name):
            return True
        if isinstance(expr, ast.Name):
            found = scope.lookup(name)
            return bool(found) and all(
                b.kind == "assign" and isinstance(b.value, ast.Call) and self.is_event_loop(b.value, found[0])
                for b in found[1]
            )
        return False

    def external(self, qualified: str, scope: Scope) -> Callee | None:
        """A name imported from another module of the project: astroid answers (see external.py)."""
        filename = self.facts.filename
        if not filename or filename.startswith("<") or not filename.endswith(".py"):
            return None
        from .external import absolute, coroutine

        if coroutine(qualified, filename, self.settings):
            return Callee(".".join(absolute(qualified, filename)))  # `.client.fetch` -> `shop.client.fetch`
        return None

    def external_method(self, class_qualified: str, attr: str) -> Callee | None:
        """A method of a class that lives in another module of the project."""
        filename = self.facts.filename
        if not filename or filename.startswith("<") or not filename.endswith(".py"):
            return None
        from .external import absolute, method_is_coroutine

        if method_is_coroutine(class_qualified, attr, filename, self.settings):
            return Callee(".".join([*absolute(class_qualified, filename), attr]))
        return None

    # -- resolution -----------------------------------------------------------

    def resolve(self, expr: ast.AST, scope: Scope) -> Resolved:
        # Walk down to the innermost part that is not a plain attribute, then back up,
        # so that a chain a thousand attributes long costs no recursion.
        chain = []
        while isinstance(expr, ast.Attribute):
            chain.append(expr)
            base = expr.value
            if isinstance(base, ast.Name) or _is_super_call(base):
                break
            expr = base
        if not chain:
            return self._resolve_name(expr.id, scope) if isinstance(expr, ast.Name) else None
        innermost = chain.pop()
        resolved = self._resolve_attribute(innermost, scope)
        while chain:
            attribute = chain.pop()
            if isinstance(resolved, Qualified) and not resolved.on_instance:
                resolved = Qualified(f"{resolved.name}.{attribute.attr}")
            elif isinstance(resolved, ClassRef):
                resolved = self._method(resolved, attribute.attr)
            else:
                resolved = self._resolve_attribute(attribute, scope)
        return resolved

    def _resolve_attribute(self, expr: ast.Attribute, scope: Scope) -> Resolved:
        base = expr.value
        if _is_super_call(base):
            owner = self._method_owner(scope, first_param=None)
            return self._method(owner, expr.attr, skip_first=True) if owner else None
        if isinstance(base, ast.Name):
            owner = self._method_owner(scope, first_param=base.id)
            if owner is not None:
                return self._method(owner, expr.attr)
        instance_of = self.instance_class(base, scope)
        if isinstance(instance_of, ClassRef):
            return self._method(instance_of, expr.attr)
        if isinstance(instance_of, Qualified):
            return Qualified(f"{instance_of.name}.{expr.attr}", on_instance=True)
        if not isinstance(base, ast.Name):
            return None
        resolved_base = self._resolve_name(base.id, scope)
        if isinstance(resolved_base, Qualified):
            return Qualified(f"{resolved_base.name}.{expr.attr}")
        if isinstance(resolved_base, ClassRef):
            return self._method(resolved_base, expr.attr)
        return None

    def _resolve_name(self, name: str, scope: Scope) -> Resolved:
        found = scope.lookup(name)
        if found is None:
            module = scope.module()
            return None if "*" in module.bindings else Qualified(name)
        where, bindings = found
        bindings = [b for b in bindings if not self._is_overload(b, where)]
        if bindings and all(b.kind == "def" for b in bindings):
            return Defs(name, tuple(b.node for b in bindings), where)
        if len(bindings) > 1 and all(b.kind == "import" and b.target == bindings[0].target for b in bindings):
            bindings = bindings[:1]  # `import urllib.request` and `import urllib.parse` both bind urllib
        if len(bindings) != 1:
            return None
        (binding,) = bindings
        if binding.kind == "import":
            return Qualified(binding.target)
        if binding.kind == "class":
            return ClassRef(binding.node, self.facts.child_scope(binding.node, where))
        return None

    def _is_overload(self, binding: Binding, scope: Scope) -> bool:
        if binding.kind != "def":
            return False
        for decorator in binding.node.decorator_list:
            text = dotted(decorator)
            if text is None or not text.endswith("overload"):
                continue
            resolved = self.resolve(decorator, scope)
            if isinstance(resolved, Qualified) and resolved.name in OVERLOADS:
                return True
        return False

    def instance_class(self, expr: ast.AST, scope: Scope) -> Resolved:
        """The class that `expr` (a local name or `self.attr`) is surely an instance of."""
        key = (dotted(expr), scope.node)
        if key in self._in_progress:  # `x = x.strip()`: a value defined through itself
            return None
        self._in_progress.add(key)
        try:
            return self._instance_class_of(expr, scope)
        finally:
            self._in_progress.discard(key)

    def _instance_class_of(self, expr: ast.AST, scope: Scope) -> Resolved:
        if isinstance(expr, ast.Name):
            found = scope.lookup(expr.id)
            if found is None:
                return None
            where, bindings = found
            values = [b.value for b in bindings if b.kind == "assign" and (
                not isinstance(b.node, ast.withitem) or self._enters_itself(b.value, where))]
            if len(values) != len(bindings):
                return None
        elif isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            owner = self._method_owner(scope, first_param=expr.value.id)
            if owner is None:
                return None
            values = self._instance_attr_values(owner.node).get(expr.attr)
            where = owner.scope
            if values is None:
                return None
        else:
            return None
        classes = set()
        for value in values:
            if not isinstance(value, ast.Call):
                return None
            resolved = self.resolve(value.func, where)
            if isinstance(resolved, ClassRef):
                classes.add(resolved)
            elif isinstance(resolved, Qualified) and not resolved.on_instance \
                    and (resolved.name[:1].isalpha() or resolved.name[:1] == "."):
                classes.add(resolved)
            else:
                return None
        return classes.pop() if len(classes) == 1 else None

    def _enters_itself(self, value: ast.AST, scope: Scope) -> bool:
        """`with requests.Session() as s`: classes whose `__enter__` returns the instance."""
        return isinstance(value, ast.Call) and self.qualified_name(value.func, scope) in ENTERS_ITSELF

    def _instance_attr_values(self, klass: ast.ClassDef) -> dict[str, list[ast.AST | None]]:
        """attr -> every value assigned to `self.attr` in the class's methods (None: not a plain `=`)."""
        found = self._instance_values.get(klass)
        if found is None:
            found = self._instance_values[klass] = {}
            for method in klass.body:
                positional = [*method.args.posonlyargs, *method.args.args] if isinstance(method, FUNCTIONS) else []
                if not positional:
                    continue
                owner = positional[0].arg
                for target, value in _assignments(method):
                    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                            and target.value.id == owner and not isinstance(target.ctx, ast.Load):
                        found.setdefault(target.attr, []).append(value)
        return found

    # -- classes and methods --------------------------------------------------------

    def _method_owner(self, scope: Scope, first_param: str | None) -> ClassRef | None:
        """The class whose method binds `first_param` (self/cls) as seen from `scope`.

        With first_param None: the class of the method that `scope` is (for super()).
        """
        if first_param is None:
            function_scope = scope
            while function_scope is not None and not isinstance(function_scope.node, FUNCTIONS):
                function_scope = function_scope.parent
            if function_scope is None:
                return None
        else:
            found = scope.lookup(first_param)
            if found is None or [b.kind for b in found[1]] != ["param"]:
                return None
            function_scope = found[0]
        function = function_scope.node
        owner = function_scope.parent
        if not isinstance(function, FUNCTIONS) or owner is None or not owner.is_class:
            return None
        positional = [*function.args.posonlyargs, *function.args.args]
        if not positional or (first_param is not None and positional[0].arg != first_param):
            return None
        if any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list):
            return None
        return ClassRef(owner.node, owner)

    def _mro(self, klass: ClassRef, seen: frozenset = frozenset()) -> list[ClassRef | None]:
        if klass.node in seen:
            return [UNKNOWN_BASE]
        order: list[ClassRef | None] = [klass]
        outer = klass.scope.parent
        for base in klass.node.bases:
            target = base.value if isinstance(base, ast.Subscript) else base
            resolved = self.resolve(target, outer) if outer is not None else None
            if isinstance(resolved, ClassRef):
                order.extend(self._mro(resolved, seen | {klass.node}))
            elif isinstance(resolved, Qualified) and resolved.name in EMPTY_BASES:
                continue
            elif isinstance(resolved, Qualified) and not resolved.on_instance:
                order.append(ExternalBase(resolved.name))  # a class of another module: astroid may know
                break  # what comes after it in the MRO depends on its own bases
            else:
                order.append(UNKNOWN_BASE)
        if any(k.arg == "metaclass" for k in klass.node.keywords):
            order.append(UNKNOWN_BASE)
        # Keep the last occurrence of each class, which is the C3 order for usual hierarchies.
        result: list[ClassRef | None] = []
        for index, entry in enumerate(order):
            if isinstance(entry, ClassRef) and any(
                isinstance(later, ClassRef) and later.node is entry.node for later in order[index + 1:]
            ):
                continue
            result.append(entry)
        return result

    def _method(self, klass: ClassRef, attr: str, skip_first: bool = False) -> Resolved:
        mro = self._mro(klass)
        for entry in mro[1:] if skip_first else mro:
            if entry is UNKNOWN_BASE:
                return None
            if isinstance(entry, ExternalBase):
                # the method is not defined before this base: ask about it on the base itself
                return Qualified(f"{entry.name}.{attr}", on_instance=True)
            if attr in self._assigned_on_instances(entry.node):
                return None
            bindings = entry.scope.bindings.get(attr)
            if bindings:
                bindings = [b for b in bindings if not self._is_overload(b, entry.scope)]
                if bindings and all(b.kind == "def" for b in bindings):
                    return Defs(f"{entry.node.name}.{attr}", tuple(b.node for b in bindings), entry.scope)
                return None
        return None

    def _assigned_on_instances(self, klass: ast.ClassDef) -> frozenset[str]:
        """Attributes that the class's methods assign on their instance (`self.x = ...`)."""
        found = self._instance_attrs.get(klass)
        if found is None:
            found = self._instance_attrs[klass] = frozenset(self._instance_attr_values(klass))
        return found

    # -- definitions ------------------------------------------------------------------

    def is_coroutine_def(self, node: ast.AST, scope: Scope) -> bool:
        """An `async def` that returns a coroutine: no `yield`, no transforming decorator."""
        known = self._coroutine_defs.get(node)
        if known is None:
            known = self._coroutine_defs[node] = (
                isinstance(node, ast.AsyncFunctionDef)
                and not has_yield(node)
                and not any(self._transforms(d, scope) for d in node.decorator_list)
            )
        return known

    def _transforms(self, decorator: ast.expr, scope: Scope) -> bool:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in PROPERTY_ACCESSORS:
            return True
        names = {dotted(target)}
        resolved = self.resolve(target, scope)
        if isinstance(resolved, Qualified):
            names.add(resolved.name)
        extra = self.settings.non_coroutine_decorators
        return any(n in NON_COROUTINE_DECORATORS or n in extra for n in names if n)


_TARGETS = (ast.Tuple, ast.List, ast.Starred)


def _assignments(function: ast.AST):
    """(target, value) for every target that the statements in `function` (nested ones included)
    store to; value is None when it is not the whole right side of a plain `=`."""
    todo = list(function.body)
    while todo:
        statement = todo.pop()
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                yield target, statement.value
                if isinstance(target, _TARGETS):
                    yield from ((t, None) for t in walk(target) if t is not target)
        elif isinstance(statement, (ast.AugAssign, ast.For, ast.AsyncFor)):
            yield from ((t, None) for t in walk(statement.target))
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            for item in statement.items:
                if item.optional_vars is not None:
                    yield from ((t, None) for t in walk(item.optional_vars))
        elif isinstance(statement, ast.Delete):
            yield from ((t, None) for target in statement.targets for t in walk(target))
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            for item in getattr(statement, field, ()):
                if isinstance(item, (ast.ExceptHandler, ast.match_case)):
                    todo.extend(item.body)
                elif isinstance(item, ast.stmt):
                    todo.append(item)


def _is_super_call(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
            and not node.args and not node.keywords)


def has_yield(function: ast.AST) -> bool:
    """`function`'s own body yields (nested functions and classes do not count)."""
    todo = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            continue
        todo.extend(child_nodes(node))
    return False
