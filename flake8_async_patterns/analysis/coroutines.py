"""Is this call a coroutine call?  Resolution of names to coroutine functions.

Everything a single module can tell: its own (nested) `async def`s, methods
through `self`/`cls`/`super()` and base classes defined in the module, import
aliases, the standard library's coroutine functions, and the user's options.
Names imported from elsewhere go through `external()`, the seam where
cross-module inference plugs in.  Anything unsure resolves to None: silence.
"""
from __future__ import annotations

import ast
import builtins
import os
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Union

from .nodes import child_nodes, walk
from .annotations import NOT_CLASS_MODULES, annotated_classes, is_property, parameter_annotation, tuple_element, yielded
from .decorators import keeps_coroutine
from .offered import OfferedNames
from .reads import note_name, recording_active
from .receivers import awaited_method_names, receiver_evidence
from .scopes import FUNCTIONS, Binding, Scope
from .vocabulary import (
    EMPTY_BASES, ENTERS_ITSELF, LOOP_FACTORIES, LOOP_NAME, OVERLOADS,
    STDLIB_COROUTINES, dotted, last_name, last_names,
)

if TYPE_CHECKING:
    from . import ModuleFacts


# What told us that a callee is a coroutine function (Callee.evidence).
MODULE, PROJECT, PACKAGE, ANNOTATION, RECEIVER, STDLIB, OPTION, FIXTURE = (
    "module", "project", "package", "annotation", "receiver", "stdlib", "option", "fixture")
ASYNC_CONTEXT_MANAGERS = frozenset({"contextlib.asynccontextmanager"})
CONTEXT_MANAGERS = frozenset({"contextlib.contextmanager"})
_NOT_A_GENERATOR_MANAGER = object()  # `with x() as y` where x is not made by contextlib's decorators
# evidence that says what class a value is an instance of (a subclass the function makes may override)
TYPED = frozenset({ANNOTATION, FIXTURE})


@dataclass(frozen=True)
class Callee:
    """A resolved coroutine function: the name to show and, when local, its definition."""

    name: str
    node: ast.AsyncFunctionDef | None = None
    scope: Scope | None = None  # where `node` is defined
    evidence: str = MODULE


@dataclass(frozen=True)
class Qualified:
    name: str  # dotted: "asyncio.sleep", or a builtin's bare name
    on_instance: bool = False  # a method of an instance of the class `name` minus its last part
    evidence: str = ""  # ANNOTATION when the instance's class comes from an annotation
    # with on_instance: the instance is what awaiting a call of the owner returns (`await connect()`)
    awaited: bool = False


@dataclass(frozen=True)
class Defs:
    name: str
    nodes: tuple[ast.AST, ...]
    scope: Scope  # where the definitions are bound
    evidence: str = ""


@dataclass(frozen=True)
class ClassRef:
    node: ast.ClassDef
    scope: Scope  # the class's own scope
    evidence: str = ""


@dataclass(frozen=True)
class Alternatives:
    """A union annotation: the value is an instance of one of these classes (or what a method
    of each resolves to)."""

    options: tuple


def _line_of(node: ast.AST) -> int:
    """The line of a binding's node (a withitem has none of its own: its expression's)."""
    if isinstance(node, ast.withitem):
        node = node.optional_vars or node.context_expr
    return getattr(node, "lineno", 0)


@dataclass(frozen=True)
class Elsewhere:
    """What the resolver of another module says (a fixture of a conftest or a plugin): `value`
    is in that module's terms, and every further question about it is asked there."""

    resolver: object
    value: object
    evidence: str


@dataclass(frozen=True)
class Parameter:
    """The value of a parameter, as assigned to `self.x`: what its annotation says."""

    annotation: ast.AST | None


@dataclass(frozen=True)
class ExternalBase:
    name: str  # the qualified name of a base class defined in another module


@dataclass(frozen=True)
class ExternalClass:
    """A class of another module in a linearized MRO."""
    name: str  # absolute dotted name
    path: str  # the file of its module


Resolved = Union[Qualified, Defs, ClassRef, Alternatives, Elsewhere, None]
UNKNOWN_BASE = None


def index_gates(root: str, settings) -> tuple[frozenset[str], frozenset[str] | None]:
    """(names, async property names) that the name index of the project at `root` offers to a
    file of it as it is on disk: what `may_be_coroutine_function` and `may_be_async_property`
    read (no names: every name passes; None: every property name does)."""
    from .external import offered_at

    project = offered_at(root)
    if project is None:
        return frozenset(), None
    known = last_names(STDLIB_COROUTINES) | last_names(settings.coroutine_functions)
    return project.names(known), frozenset(project.properties)


class Resolver:
    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        self.settings = facts.settings
        self._coroutine_defs: dict[ast.AST, bool] = {}
        self._instance_attrs: dict[ast.AST, frozenset[str]] = {}
        self._instance_values: dict[ast.AST, dict[str, list]] = {}
        self._declared: dict[ast.AST, dict[str, ast.AST]] = {}
        self._in_progress: set = set()
        self._final_parts: dict[frozenset, frozenset] = {}
        self._possible: frozenset[str] | None = None
        self._properties = None
        self._index_root: str | None = None  # the project whose name index the gates read

    # -- public questions -------------------------------------------------------

    def may_be_coroutine_function(self, expr: ast.AST) -> bool:
        """A cheap test before resolving: can `expr` name a coroutine function at all?  Its
        last name must be one under which this module, a module of its project, the standard
        library or the user's options offer one (or, for a bare name that may be an instance,
        `__call__`)."""
        last = last_name(expr)
        if last is None:
            return True  # not a name: resolution decides (and is cheap)
        if self._possible is None:
            self._possible = self._offered_names()
        possible = self._possible
        if self._index_root is not None and recording_active():
            note_name(self._index_root, last, not possible or last in possible)
            if isinstance(expr, ast.Name):
                note_name(self._index_root, "__call__", not possible or "__call__" in possible)
        return not possible or last in possible or last in self._awaited_here \
            or isinstance(expr, ast.Name) and last not in BUILTIN_NAMES and "__call__" in possible

    @cached_property
    def _awaited_here(self) -> frozenset[str]:
        return frozenset(awaited_method_names(self.facts.source, self.facts.tree))

    def may_be_async_property(self, expr: ast.AST) -> bool:
        """A cheap test before resolving an attribute read: is its name that of an `async def`
        under a property decorator in this module, its project or the packages it imports?"""
        if self._properties is None:
            self._properties = self._offered_properties()
        offered = self._properties is _EVERY_NAME or last_name(expr) in self._properties
        if self._index_root is not None and recording_active():
            note_name(self._index_root, f"@{last_name(expr)}", offered)
        return offered

    def _offered_properties(self):
        filename = self.real_filename()
        if self.facts.imported or filename is None:
            return _EVERY_NAME if self.facts.imported else frozenset(self.facts.offered.properties)
        from .external import project_of, project_offered

        project = project_offered(filename)
        self._index_root = project_of(filename)[0]
        if project is None:
            return _EVERY_NAME
        return frozenset(project.properties | self.facts.offered.properties)

    def _offered_names(self) -> frozenset[str]:
        """Empty when every name is possible (a project too big to read, or a module read to
        answer a question about one of its names)."""
        if self.facts.imported:
            return frozenset()
        known = last_names(STDLIB_COROUTINES) | last_names(self.settings.coroutine_functions)
        filename = self.real_filename()
        if filename is None:
            return self.facts.offered.names(known)
        from .external import project_of, project_offered

        project = project_offered(filename)
        self._index_root = project_of(filename)[0]
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

    def coroutine_call(self, call: ast.AST, scope: Scope | Callable[[], Scope]) -> Callee | None:
        """The coroutine function that `call` calls, if it surely is one.  `scope` may be a
        function that returns the scope, called only when the call may be a coroutine call."""
        if not isinstance(call, ast.Call):
            return None
        return self.coroutine_function(call.func, scope)

    def coroutine_function(self, expr: ast.AST, scope: Scope | Callable[[], Scope]) -> Callee | None:
        """`expr` (a name or attribute) surely refers to a coroutine function."""
        return self.callee_of(expr, scope) or None

    def callee_of(self, expr: ast.AST, scope: Scope | Callable[[], Scope]) -> Callee | bool | None:
        """What calling `expr` runs: its Callee when it surely is a coroutine function, False
        when it surely is something else, None when unknown."""
        if not self.may_be_coroutine_function(expr):
            return None
        if callable(scope):
            scope = scope()
        callee = self._callee(self.resolve(expr, scope), scope)
        if callee is None and isinstance(expr, (ast.Name, ast.Call)):
            return self._called_instance(expr, scope)
        if callee is None and isinstance(expr, ast.Attribute):
            return receiver_evidence(self.facts, expr, scope)  # only where nothing else can tell
        return callee

    def _called_instance(self, expr: ast.Name | ast.Call, scope: Scope) -> Callee | bool | None:
        """`handler(request)` where `handler` is an instance (`client: AiohttpClient`,
        `h = Handler()`), or `Handler()(request)`: what its class's `__call__` is."""
        klass = self.instance_class(expr, scope)
        if isinstance(klass, Alternatives):
            return self._callee(Alternatives(tuple(self._method_of_instance(c, "__call__") for c in klass.options)),
                                scope)
        if klass is None:
            return None
        return self._callee(self._method_of_instance(klass, "__call__"), scope)

    def _callee(self, resolved: Resolved, scope: Scope | None = None) -> Callee | bool | None:
        """The Callee, False when the callee is surely no coroutine function, None: unknown."""
        if isinstance(resolved, Defs):
            if resolved.nodes and all(self.is_coroutine_def(n, resolved.scope) for n in resolved.nodes):
                if resolved.evidence in TYPED and self._overridden_sync(resolved.name, scope):
                    return None
                return Callee(resolved.name, resolved.nodes[-1], resolved.scope, resolved.evidence or MODULE)
            return False
        if isinstance(resolved, Qualified):
            if resolved.name in STDLIB_COROUTINES:
                return Callee(resolved.name, evidence=STDLIB)
            if resolved.name in self.settings.coroutine_functions:
                return Callee(resolved.name, evidence=OPTION)
            if resolved.name.startswith(("asyncio.", "builtins.")):
                return False  # the stdlib table above knows every coroutine function there
            if "." not in resolved.name:
                return None  # a builtin or an undefined name
            if resolved.on_instance:
                owner, _, attr = resolved.name.rpartition(".")
                if "." not in owner:
                    return None
                callee = self.external_method(owner, attr, resolved.awaited)
            else:
                callee = self.external(resolved.name)
            if callee and resolved.evidence:
                callee = replace(callee, evidence=resolved.evidence)
                if resolved.evidence in TYPED and self._overridden_sync(callee.name, scope):
                    return None  # the function makes a subclass whose method is a plain def
            return callee
        if isinstance(resolved, Alternatives):
            callees = [self._callee(option, scope) for option in resolved.options]
            if callees and all(callees):
                return replace(callees[0], evidence=ANNOTATION)
            return None if any(c is None for c in callees) else False
        if isinstance(resolved, ClassRef):
            return False
        if isinstance(resolved, Elsewhere):
            callee = resolved.resolver._callee(resolved.value)
            if callee and self._overridden_sync(callee.name, scope):
                return None
            return Callee(callee.name, evidence=resolved.evidence) if callee else callee
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

    def external(self, qualified: str) -> Callee | None:
        """A name imported from another module of the project or an installed package (see
        external.py)."""
        filename = self.real_filename()
        if filename is None:
            return None
        from .external import absolute, coroutine, where

        answer = coroutine(qualified, filename, self.settings)
        if answer:
            # `.client.fetch` -> `shop.client.fetch`
            return Callee(".".join(absolute(qualified, filename)), evidence=where(qualified, filename))
        return answer

    def external_method(self, class_qualified: str, attr: str, awaited: bool = False) -> Callee | bool | None:
        """A method of a class that lives in another module of the project or a package (or
        of what a factory there returns: awaited, what its `async def` returns)."""
        filename = self.real_filename()
        if filename is None:
            return None
        from .external import absolute, method_is_coroutine, where

        answer = method_is_coroutine(class_qualified, attr, filename, self.settings, awaited)
        if answer:
            return Callee(".".join([*absolute(class_qualified, filename), attr]),
                          evidence=where(class_qualified, filename))
        return answer

    def _overridden_sync(self, method: str, scope: Scope | None) -> bool:
        """`Owner.attr` is overridden by a plain `def` in a subclass that the calling function
        defines itself (a test's `class Custom(Response): def read(self): ...`): the annotation
        names the base, and the value may well be that subclass."""
        while scope is not None and not isinstance(scope.node, FUNCTIONS):
            scope = scope.parent
        if scope is None:
            return False
        attr = method.rpartition(".")[2]
        overrides = self.facts.memo(("sync-overrides", scope.node), lambda: _sync_overrides(scope.node))
        # any such subclass: the class may have come through a factory (`resp = await
        # req.send(conn)`, named after `send`, not after the class the subclass extends)
        return bool(overrides.get(attr))

    def real_filename(self) -> str | None:
        filename = self.facts.filename
        if not filename or filename.startswith("<") or not filename.endswith((".py", ".pyi")):
            return None
        return filename

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
        if isinstance(instance_of, Alternatives):
            return Alternatives(tuple(self._method_of_instance(c, expr.attr) for c in instance_of.options))
        if instance_of is not None:
            return self._method_of_instance(instance_of, expr.attr)
        if not isinstance(base, ast.Name):
            return None
        resolved_base = self._resolve_name(base.id, scope)
        if isinstance(resolved_base, Qualified):
            return Qualified(f"{resolved_base.name}.{expr.attr}")
        if isinstance(resolved_base, ClassRef):
            return self._method(resolved_base, expr.attr)
        return None

    def _method_of_instance(self, klass: Resolved, attr: str) -> Resolved:
        if isinstance(klass, Elsewhere):
            method = klass.resolver._method_of_instance(klass.value, attr)
            return None if method is None else replace(klass, value=method)
        if isinstance(klass, Qualified):
            return Qualified(f"{klass.name}.{attr}", on_instance=True, evidence=klass.evidence, awaited=klass.awaited)
        if isinstance(klass, ClassRef):
            method = self._method(klass, attr)
            return replace(method, evidence=klass.evidence) if klass.evidence and method is not None else method
        return None

    def _resolve_name(self, name: str, scope: Scope) -> Resolved:
        found = scope.lookup(name)
        if found is None:
            module = scope.module()
            return None if "*" in module.bindings else Qualified(name)
        where, bindings = found
        bindings = [b for b in bindings if not self._is_overload(b, where)] or bindings
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
        """The class that `expr` (a local name, `self.attr`, or a call of a function with a
        return annotation) is surely an instance of (Alternatives for a union annotation)."""
        key = (dotted(expr) or id(expr), scope.node)
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
            if len(bindings) > 1:  # `async with connect() as conn:` in a function that binds conn again
                bindings = self._with_binding_around(expr, bindings) or bindings
            if len(bindings) == 1 and bindings[0].kind == "param":
                annotation = parameter_annotation(bindings[0].node, expr.id)
                if annotation is None and bindings[0].node is where.node:
                    from .fixtures import fixture_value

                    return fixture_value(self, where, expr.id)  # a test's or a fixture's fixture
                return self._annotated(annotation, where)
            if len(bindings) == 1 and isinstance(bindings[0].node, ast.AnnAssign):
                return self._annotated(bindings[0].node.annotation, where)
            if len(bindings) == 1 and isinstance(bindings[0].node, ast.withitem) \
                    and not self._enters_itself(bindings[0].value, where):
                return self._entered(bindings[0].node, where, expr.id)
            if len(bindings) == 1 and isinstance(bindings[0].node, ast.Name):
                found_in = self.facts.memo("with-items", self._with_items).get(id(bindings[0].node))
                if found_in is not None:  # `async with pair() as (client, runner)`
                    return self._entered(found_in[0], where, expr.id)
            values = [b.value for b in bindings if b.kind == "assign" and (
                not isinstance(b.node, ast.withitem) or self._enters_itself(b.value, where))]
            if len(values) != len(bindings):
                return None
        elif isinstance(expr, ast.Attribute):
            owner = self._method_owner(scope, first_param=expr.value.id) if isinstance(expr.value, ast.Name) else None
            if owner is None:
                return self._attribute_of_instance(expr, scope)
            declared = self._declared_attribute(owner, expr.attr)
            if declared is not None:
                return declared
            values = self._instance_attr_values(owner.node).get(expr.attr)
            where = owner.scope
            if values is None:
                return None
        elif isinstance(expr, ast.Call) or isinstance(expr, ast.Await) and isinstance(expr.value, ast.Call):
            return self._returned(expr, scope)
        else:
            return None
        classes = set()
        for value in values:
            if isinstance(value, Parameter):
                resolved = self._annotated(value.annotation, where)
                if resolved is None:
                    return None
                classes.add(resolved)
                continue
            if isinstance(value, ast.Await) and isinstance(value.value, ast.Call):
                resolved = self._returned(value, where)  # `c = await connect()`, `-> Client`
                if resolved is None:
                    return None
                classes.add(resolved)
                continue
            if not isinstance(value, ast.Call):
                return None
            resolved = self.resolve(value.func, where)
            if isinstance(resolved, ClassRef):
                classes.add(resolved)
            elif isinstance(resolved, Qualified) and not resolved.on_instance and resolved.name[:1] in _MODULE_START:
                classes.add(resolved)  # a class of another module, or a factory it defines
            else:  # a function of this module, a method, a called instance: its return annotation
                found = self._returned(value, where)
                if found is None:
                    return None
                classes.add(found)
        return classes.pop() if len(classes) == 1 else None

    def _annotated(self, annotation: ast.AST | None, scope: Scope) -> Resolved:
        """The class an annotation names, marked as known from an annotation."""
        classes = annotated_classes(self, annotation, scope)
        if not classes:
            return None
        marked = tuple(dict.fromkeys(replace(c, evidence=ANNOTATION) for c in classes))
        return marked[0] if len(marked) == 1 else Alternatives(marked)

    def _returned(self, value: ast.AST, scope: Scope) -> Resolved:
        """The class of what `value` (a call, or an awaited call) returns, by the callee's
        return annotation: a plain def for a call, an `async def` for an awaited call."""
        awaited = isinstance(value, ast.Await)
        call = value.value if awaited else value
        resolved = self.resolve(call.func, scope)
        if resolved is None and isinstance(call.func, ast.Name):
            # an instance that is called (`await aiohttp_client(app)`): what its `__call__` returns
            resolved = self._method_of_instance(self.instance_class(call.func, scope), "__call__")
        return self._returned_by(resolved, awaited)

    def _returned_by(self, resolved: Resolved, awaited: bool) -> Resolved:
        if isinstance(resolved, Elsewhere):
            found = resolved.resolver._returned_by(resolved.value, awaited)
            return None if found is None else replace(resolved, value=found)
        if isinstance(resolved, Qualified) and resolved.name[:1] in _MODULE_START and not resolved.awaited:
            # a function, a class, or a method of a class of another module (`pkg.Client.connect`):
            # that module reads its return annotation, and answers what is asked of the value
            return self._returned_elsewhere(resolved, awaited) \
                or Qualified(resolved.name, evidence=ANNOTATION, awaited=awaited)
        if isinstance(resolved, ClassRef):
            return None if awaited else resolved  # `Client()`: an instance
        if not isinstance(resolved, Defs):
            return None
        wanted = ast.AsyncFunctionDef if awaited else ast.FunctionDef
        found = set()
        for function in resolved.nodes:  # overloads (or a def per branch) must all agree
            if type(function) is not wanted or function.returns is None or has_yield(function):
                return None
            if self.qualified_name(_generic(function.returns), resolved.scope) in SELF_TYPES:
                owner = resolved.scope
                found.add(ClassRef(owner.node, owner, ANNOTATION) if owner.is_class else None)
            else:
                found.add(self._annotated(function.returns, resolved.scope))
        return found.pop() if len(found) == 1 else None

    def _returned_elsewhere(self, resolved: Qualified, awaited: bool) -> Resolved:
        """What a function or a method of another module's class returns, by its annotation read
        in that module: the value is then that module's to answer about (its attributes, its
        `__aenter__`, its methods), however far the chain goes."""
        filename = self.real_filename()
        key = ("returned", resolved.name, resolved.on_instance, awaited)
        if filename is None or "." not in resolved.name or key in self._in_progress:
            return None
        from .external import class_definition, definition

        self._in_progress.add(key)
        try:
            if resolved.on_instance:
                owner, _, attr = resolved.name.rpartition(".")
                found = class_definition(owner, filename, self.settings)
                if found is None:
                    return None
                resolver, klass = found
                function = resolver._method(klass, attr)
            else:
                defined = definition(resolved.name, filename, self.settings)
                if defined is None:
                    return None
                node, facts, scope = defined
                resolver, function = facts.resolver, Defs(node.name, (node,), scope)
            if function is None:
                return None
            value = resolver._returned_by(function, awaited)
            return None if value is None else Elsewhere(resolver, value, ANNOTATION)
        finally:
            self._in_progress.discard(key)

    def _entered(self, item: ast.withitem, scope: Scope, name: str) -> Resolved:
        """`async with Client() as c` / `with open_db() as db`: the class of `c`, by what the
        context manager's `__aenter__` (`__enter__`) is annotated to return, or, for a manager
        made by `contextlib.(async)contextmanager`, what its generator is annotated to yield
        (`-> AsyncIterator[Client]`; `as (client, runner)` of `AsyncIterator[tuple[A, B]]`)."""
        is_async = id(item) in self.facts.memo("async-with-items", self._async_with_items)
        target = item.optional_vars
        position = None
        if isinstance(target, (ast.Tuple, ast.List)):
            names = [e.id if isinstance(e, ast.Name) else None for e in target.elts]
            if names.count(name) != 1:
                return None
            position = (names.index(name), len(names))
        elif not isinstance(target, ast.Name):
            return None
        manager = item.context_expr
        if isinstance(manager, ast.Call):
            yielded = self._yielded_by_manager(manager, scope, is_async, position)
            if yielded is not _NOT_A_GENERATOR_MANAGER:
                return yielded
        if position is not None:
            return None
        enter = "__aenter__" if is_async else "__enter__"
        enter_call = ast.Call(func=ast.Attribute(value=manager, attr=enter, ctx=ast.Load()), args=[], keywords=[])
        copy_location = ast.copy_location(enter_call, manager)
        entered = ast.Await(value=copy_location) if is_async else copy_location
        return self._returned(entered, scope)

    def _yielded_by_manager(self, call: ast.Call, scope: Scope, is_async: bool, position) -> Resolved | object:
        """What a `contextlib.(async)contextmanager` function called by `call` yields, by its
        annotation; _NOT_A_GENERATOR_MANAGER when the callee is something else."""
        resolved = self.resolve(call.func, scope)
        if isinstance(resolved, Defs):
            return self.yielded_by_defs(resolved.nodes, resolved.scope, is_async, position)
        if isinstance(resolved, Qualified) and not resolved.on_instance and not resolved.awaited \
                and resolved.name[:1] in _MODULE_START and "." in resolved.name:
            filename = self.real_filename()
            from .external import definition

            found = definition(resolved.name, filename, self.settings) if filename else None
            if found is None:
                return _NOT_A_GENERATOR_MANAGER
            node, facts, module_scope = found
            value = facts.resolver.yielded_by_defs((node,), module_scope, is_async, position)
            if value is _NOT_A_GENERATOR_MANAGER or value is None:
                return value
            return Elsewhere(facts.resolver, value, ANNOTATION)
        return _NOT_A_GENERATOR_MANAGER

    def yielded_by_defs(self, nodes, scope: Scope, is_async: bool, position) -> Resolved | object:
        wanted = ASYNC_CONTEXT_MANAGERS if is_async else CONTEXT_MANAGERS
        found = set()
        for function in nodes:
            if not any(self.qualified_name(d, scope) in wanted for d in function.decorator_list):
                return _NOT_A_GENERATOR_MANAGER
            value = yielded(self, function.returns, scope)
            if position is not None:
                value = tuple_element(self, value, scope, *position)
            found.add(self._annotated(value, scope) if value is not None else None)
        return found.pop() if len(found) == 1 else None

    def _with_binding_around(self, use: ast.Name, bindings: list) -> list | None:
        """Of the bindings of a name bound several times, the `with ... as name` whose body
        holds `use` (the innermost), when no other binding of the name is in that body."""
        line = getattr(use, "lineno", None)
        if line is None:
            return None
        items = self.facts.memo("with-items", self._with_items)
        around = None
        for binding in bindings:
            statement = items.get(id(binding.node), (None, None))[1]
            if statement is not None and statement.body[0].lineno <= line <= statement.end_lineno \
                    and (around is None or statement.lineno > around[1].lineno):
                around = (binding, statement)
        if around is None:
            return None
        first, last = around[1].body[0].lineno, around[1].end_lineno
        for binding in bindings:
            if binding is not around[0] and first <= _line_of(binding.node) <= last:
                return None
        return [around[0]]

    def _with_items(self) -> dict[int, tuple[ast.withitem, ast.AST]]:
        """id of each withitem, and of each name a `with ... as (a, b)` binds -> (the withitem,
        its with statement)."""
        found: dict[int, tuple[ast.withitem, ast.AST]] = {}
        for node in walk(self.facts.tree):
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    found[id(item)] = (item, node)
                    if isinstance(item.optional_vars, (ast.Tuple, ast.List)):
                        found.update((id(e), (item, node)) for e in item.optional_vars.elts if isinstance(e, ast.Name))
        return found

    def _async_with_items(self) -> frozenset[int]:
        return frozenset(id(item) for node in walk(self.facts.tree) if isinstance(node, ast.AsyncWith)
                         for item in node.items)

    def _attribute_of_instance(self, expr: ast.Attribute, scope: Scope) -> Resolved:
        """`client.models`, `self.pool.conn`: what the class of `client` (known from an annotation,
        a constructor, a fixture...) declares `models` to be."""
        return self.declared_attribute_of(self.instance_class(expr.value, scope), expr.attr)

    def declared_attribute_of(self, klass: Resolved, attr: str) -> Resolved:
        """What the class `klass` (in this module's terms: a class of this module, what another
        module's resolver said, or the name of a class elsewhere) declares the `attr` of its
        instances to be; a class of another module answers in that module's terms."""
        if isinstance(klass, ClassRef):
            return self._declared_attribute(klass, attr)
        if isinstance(klass, Elsewhere):
            declared = klass.resolver.declared_attribute_of(klass.value, attr)
            return None if declared is None else Elsewhere(klass.resolver, declared, klass.evidence)
        if not isinstance(klass, Qualified) or klass.on_instance or klass.awaited or "." not in klass.name \
                or klass.name.startswith((*NOT_CLASS_MODULES, "asyncio.")):
            return None
        filename = self.real_filename()
        from .external import class_definition

        found = class_definition(klass.name, filename, self.settings) if filename else None
        if found is None:  # `c = make()`, a factory of another module: what it is annotated to return
            made = self._returned_elsewhere(klass, awaited=False) if filename else None
            return None if made is None else self.declared_attribute_of(made, attr)
        resolver, defined = found
        declared = resolver.declared_attribute_of(defined, attr)
        return None if declared is None else Elsewhere(resolver, declared, klass.evidence or ANNOTATION)

    def _declared_attribute(self, owner: ClassRef, attr: str) -> Resolved:
        """What a class declares `attr` to be: a class-level annotation (dataclass fields), a
        `self.attr: T = ...` in a method, or a property's return annotation; the class's own
        first, then its bases in this module."""
        for entry in self._mro(owner):
            if not isinstance(entry, ClassRef):
                return None
            annotation = self._attribute_annotations(entry).get(attr)
            if annotation is not None:
                return self._annotated(annotation, entry.scope)
        return None

    def _attribute_annotations(self, klass: ClassRef) -> dict[str, ast.AST]:
        found = self._declared.get(klass.node)
        if found is None:
            found = self._declared[klass.node] = {}
            for statement in klass.node.body:
                if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                    found.setdefault(statement.target.id, statement.annotation)
                elif is_property(statement, self, klass.scope) and statement.returns is not None:
                    found.setdefault(statement.name, statement.returns)
            for method in klass.node.body:
                positional = [*method.args.posonlyargs, *method.args.args] if isinstance(method, FUNCTIONS) else []
                if not positional:
                    continue
                for statement in walk(method):
                    target = getattr(statement, "target", None)
                    if isinstance(statement, ast.AnnAssign) and isinstance(target, ast.Attribute) \
                            and isinstance(target.value, ast.Name) and target.value.id == positional[0].arg:
                        found.setdefault(target.attr, statement.annotation)
        return found

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
                        if isinstance(value, ast.Name) and value.id != owner:
                            # `self.client = client`, a parameter of the method: its annotation
                            value = Parameter(parameter_annotation(method, value.id)) \
                                if any(a.arg == value.id for a in positional[1:]) or \
                                any(a.arg == value.id for a in method.args.kwonlyargs) else value
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
        direct: list = [klass]  # the class and its bases' own classes, surely in this order
        outer = klass.scope.parent
        bases = [b.value if isinstance(b, ast.Subscript) else b for b in klass.node.bases]
        for index, target in enumerate(bases):
            resolved = self.resolve(target, outer) if outer is not None else None
            if isinstance(resolved, ClassRef):
                below = self._mro(resolved, seen | {klass.node})
            elif isinstance(resolved, Qualified) and resolved.name in EMPTY_BASES:
                continue
            elif isinstance(resolved, Qualified) and not resolved.on_instance \
                    and (classes := self._linearization(resolved.name)) is not None:
                below = [ExternalClass(name, path) for name, path in classes]
            elif isinstance(resolved, Qualified) and not resolved.on_instance and len(direct) == 1 \
                    and index == len(bases) - 1:
                order.append(ExternalBase(resolved.name))  # the only base, of another module: astroid may know
                break
            else:
                # a base no one can read may come before any ancestor of the others (C3): only
                # the bases named before it are surely looked at first
                return [*direct, UNKNOWN_BASE]
            order.extend(below)
            direct.append(below[0])
        if any(k.arg == "metaclass" for k in klass.node.keywords):
            order.append(UNKNOWN_BASE)
        # Keep the last occurrence of each class, which is the C3 order for usual hierarchies.
        result: list[ClassRef | None] = []
        for index, entry in enumerate(order):
            if isinstance(entry, ClassRef) and any(
                isinstance(later, ClassRef) and later.node is entry.node for later in order[index + 1:]
            ) or isinstance(entry, ExternalClass) and entry in order[index + 1:]:
                continue
            result.append(entry)
        return result

    def _linearization(self, qualified: str):
        """The MRO of a class of another module, read there: (absolute name, file) pairs."""
        filename = self.real_filename()
        if filename is None:
            return None
        from .external import linearization

        return linearization(qualified, filename, self.settings)

    def _method(self, klass: ClassRef, attr: str, skip_first: bool = False) -> Resolved:
        mro = self._mro(klass)
        for entry in mro[1:] if skip_first else mro:
            if entry is UNKNOWN_BASE:
                return None
            if isinstance(entry, ExternalBase):
                # the method is not defined before this base: ask about it on the base itself
                return Qualified(f"{entry.name}.{attr}", on_instance=True)
            if isinstance(entry, ExternalClass):
                from .external import defines

                found = defines((entry.name, entry.path), attr, self.settings)
                if found is None:
                    return None
                if found:  # the class that defines it answers, in its own module
                    return Qualified(f"{entry.name}.{attr}", on_instance=True)
                continue
            bindings = entry.scope.bindings.get(attr)
            if attr in self._assigned_on_instances(entry.node) and not _has_setter(bindings, attr):
                return None  # `self.attr = ...` shadows the class's attribute (not a property's setter)
            if bindings:
                # a Protocol or a stub may declare a method by its overloads alone
                bindings = [b for b in bindings if not self._is_overload(b, entry.scope)] or bindings
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
        """An `async def` that returns a coroutine (no `yield`, every decorator known to keep
        it one), or a plain def annotated to return a `Coroutine` (a stub's way to say it)."""
        known = self._coroutine_defs.get(node)
        if known is None:
            if isinstance(node, ast.AsyncFunctionDef):
                known = not has_yield(node)
            else:
                known = isinstance(node, ast.FunctionDef) and node.returns is not None \
                    and self.qualified_name(_generic(node.returns), scope) in COROUTINE_TYPES
            known = known and all(keeps_coroutine(d, scope, self) for d in node.decorator_list)
            self._coroutine_defs[node] = known
        return known

    def definition(self, qualified: str):
        """(def node, its module's facts, that module's scope) of a function another module
        of the project or an installed package defines, re-exports followed; None if unsure."""
        filename = self.real_filename()
        if filename is None:
            return None
        from .external import definition

        return definition(qualified, filename, self.settings)


BUILTIN_NAMES = frozenset(dir(builtins))
_EVERY_NAME = object()  # no index to test names against: every name may be one
# how a dotted name of another module can start (not a builtin's name)
_MODULE_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._")
SELF_TYPES = frozenset({"typing.Self", "typing_extensions.Self"})
COROUTINE_TYPES = frozenset({"typing.Coroutine", "collections.abc.Coroutine", "typing_extensions.Coroutine"})


def _generic(annotation: ast.AST) -> ast.AST:
    """`Coroutine[Any, Any, int]` -> `Coroutine`; a string annotation parsed."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value.strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError):
            return annotation
    return annotation.value if isinstance(annotation, ast.Subscript) else annotation


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


def _sync_overrides(function: ast.AST) -> dict[str, set[str]]:
    """method name -> last names of the bases of the classes `function` defines that override
    it with a plain def."""
    found: dict[str, set[str]] = {}
    for node in walk(function):
        if isinstance(node, ast.ClassDef) and node.bases:
            bases = {last_name(b.value if isinstance(b, ast.Subscript) else b) for b in node.bases}
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    found.setdefault(item.name, set()).update(bases)
    return found


def _has_setter(bindings, attr: str) -> bool:
    """The class binds `attr` to a property with a setter: assigning it on an instance calls
    the setter and leaves the property in place."""
    return any(b.kind == "def" and any(dotted(d) == f"{attr}.setter" for d in b.node.decorator_list)
               for b in bindings or ())


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
