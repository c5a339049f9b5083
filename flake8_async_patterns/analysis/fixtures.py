"""pytest fixtures as evidence: what a test's parameter without an annotation is.

`async def test_x(aiohttp_client): client = await aiohttp_client(app)`: pytest passes the
value of the fixture named `aiohttp_client`, found the way pytest finds it: the test's class,
its module, the `conftest.py` files of its folder and the folders above (nearest first, up to
the project's root), then plugins (`pytest_plugins` of those modules, and the `pytest11` entry
points of the installed distributions).  The value is what the fixture is annotated to return
(`-> Client`, or `Iterator[Client]` / `AsyncIterator[Client]` for one that yields), or else
what every one of its `return` (`yield`) statements gives, when that is surely an instance of
one class (`return Client(...)`, an annotated local).

Unknown, so silent: a function that is neither a test (`test*` in `test_*.py` / `*_test.py`,
or a method of a `Test*` class without bases) nor a fixture; a parameter with a default, or
parametrized directly (`@pytest.mark.parametrize("client", ...)` without `indirect`, a
`pytestmark`, a `pytest_generate_tests` hook that names it); a decorator other than a mark;
a name that some level binds to something we cannot read (an import of a non-fixture, an
assignment, a star import, a plugin that cannot be read); two plugins that both define it; a
fixture whose own fixtures the test's module or class override (pytest gives the fixture the
test's overrides).
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass, replace
from functools import lru_cache

from .coroutines import Alternatives, ClassRef, Elsewhere, Qualified, has_yield
from .reads import note_file, remembered
from .annotations import yielded
from .scopes import FUNCTIONS, Scope
from .vocabulary import dotted
from .run import RUN

FIXTURE = "fixture"
FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest_asyncio.fixture", "_pytest.fixtures.fixture"})
ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "tox.ini", "pytest.ini", ".git")
_MAX_LEVELS = 12
_MAX_DEPTH = 4
UNSURE = object()  # a level that may define the fixture in a way we cannot read
EVERY = frozenset({"*"})  # parametrized names that could not be read: any name may be one


@dataclass(frozen=True)
class Found:
    """A fixture's definition: its def, the facts of its module, the scope it is bound in."""

    node: ast.AST
    facts: object
    scope: Scope


@dataclass(frozen=True)
class Context:
    """Where pytest looks a fixture up from: a test's (or a fixture's) class and module."""

    facts: object
    module: Scope
    klass: Scope | None
    parametrized: frozenset  # names the test gets as parameters, not as fixtures


def fixture_value(resolver, function_scope: Scope, name: str):
    """The class of what pytest passes for parameter `name` of the function of `function_scope`
    (an instance class as `Resolver.instance_class` gives it), or None when unsure."""
    function = function_scope.node
    context = _context(resolver, function_scope)
    if context is None or not _requests(function, function_scope.parent, name) or _excluded(context, name):
        return None
    if _fixture_name(function, function_scope.parent, resolver) == name:
        return None  # an override that asks for the fixture it overrides
    found = lookup(context, name)
    if not isinstance(found, Found) or not _same_dependencies(context, found, 0):
        return None
    value = found.facts.memo(("fixture-value", found.node), lambda: _value(found))
    if value is None:
        return None
    if found.facts is resolver.facts:
        return value
    return Elsewhere(found.facts.resolver, value, FIXTURE)


def _context(resolver, function_scope: Scope) -> Context | None:
    """The context of a test or a fixture; None for any other function."""
    function = function_scope.node
    owner = function_scope.parent
    if not isinstance(function, FUNCTIONS) or owner is None:
        return None
    klass = owner if owner.is_class else None
    if klass is not None and (klass.parent is None or klass.parent.parent is not None):
        return None  # a class nested in a function or another class
    if klass is None and owner.parent is not None:
        return None  # a nested function
    module = owner.module()
    if _fixture_name(function, owner, resolver) is not None:
        if klass is not None and klass.node.bases:
            return None
        return Context(resolver.facts, module, klass, frozenset())
    if not _is_test(function, klass, resolver.facts.filename):
        return None
    parametrized = _parametrized(resolver, function.decorator_list, owner)
    if klass is not None:
        parametrized |= _parametrized(resolver, klass.node.decorator_list, module)
        parametrized |= _marks(resolver, klass, module)
        parametrized |= _generated(klass)
    parametrized |= _marks(resolver, module, module) | _generated(module)
    return Context(resolver.facts, module, klass, frozenset(parametrized))


def _excluded(context: Context, name: str) -> bool:
    return context.parametrized is EVERY or "*" in context.parametrized or name in context.parametrized


def _is_test(function: ast.AST, klass: Scope | None, filename: str) -> bool:
    base = os.path.basename(filename)
    if not (base.startswith("test_") or base.endswith("_test.py")) or not base.endswith(".py"):
        return False
    if not function.name.startswith("test"):
        return False
    if klass is None:
        return True
    node = klass.node
    return node.name.startswith("Test") and not node.bases and not node.keywords \
        and "__init__" not in klass.bindings


def _requests(function: ast.AST, owner: Scope, name: str) -> bool:
    """`name` is a parameter pytest fills with a fixture: no default, not a method's first."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults = len(args.defaults)
    plain = positional[: len(positional) - defaults] if defaults else positional
    if owner.is_class and plain and not any(dotted(d) == "staticmethod" for d in function.decorator_list):
        plain = plain[1:]
    kwonly = [a for a, default in zip(args.kwonlyargs, args.kw_defaults) if default is None]
    return any(a.arg == name for a in (*plain, *kwonly))


def requested(function: ast.AST, owner: Scope) -> list[str]:
    """The names of the fixtures `function` asks for."""
    args = function.args
    return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs) if _requests(function, owner, a.arg)]


# -- decorators and parametrization -------------------------------------------------------------

def _fixture_call(decorator: ast.AST, resolver, scope: Scope) -> ast.AST | None:
    """The decorator itself when it makes a fixture (`@pytest.fixture`, `@pytest.fixture(...)`)."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return decorator if resolver.qualified_name(target, scope) in FIXTURE_DECORATORS else None


def _fixture_name(function: ast.AST, scope: Scope, resolver) -> str | None:
    """The name of the fixture `function` defines (its own, or `name=`); None: no fixture, or
    one whose name cannot be read."""
    for decorator in function.decorator_list:
        if _fixture_call(decorator, resolver, scope) is None:
            continue
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if keyword.arg == "name":
                    value = keyword.value
                    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
        return function.name
    return None


def _is_mark(decorator: ast.AST, resolver, scope: Scope) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = resolver.qualified_name(target, scope)
    return bool(name) and name.startswith("pytest.mark.")


def _parametrized(resolver, decorators: list, scope: Scope) -> frozenset:
    """The names that the marks in `decorators` parametrize directly (EVERY when a decorator is
    not a mark we can read: it may parametrize, or change the signature)."""
    names: set[str] = set()
    for decorator in decorators:
        mark = _mark_call(decorator, resolver, scope)
        if mark is None:
            return EVERY
        names |= _direct_names(mark, resolver, scope)
    return frozenset(names)


def _mark_call(decorator: ast.AST, resolver, scope: Scope) -> ast.AST | None:
    """The mark that `decorator` is: itself, or the one a name is bound to (`parametrize =
    pytest.mark.parametrize(...)` in the class); None when it is no mark."""
    if isinstance(decorator, ast.Name):
        found = scope.lookup(decorator.id)
        if found is not None and len(found[1]) == 1 and found[1][0].kind == "assign" \
                and found[1][0].value is not None and _is_mark(found[1][0].value, resolver, found[0]):
            return found[1][0].value
    return decorator if _is_mark(decorator, resolver, scope) else None


def _direct_names(mark: ast.AST, resolver, scope: Scope) -> set[str]:
    target = mark.func if isinstance(mark, ast.Call) else mark
    if resolver.qualified_name(target, scope) != "pytest.mark.parametrize":
        return set()
    if not isinstance(mark, ast.Call) or not mark.args:
        return {"*"}
    names = _strings(mark.args[0])
    indirect = next((k.value for k in mark.keywords if k.arg == "indirect"), None)
    if names is None:
        return {"*"}
    if indirect is None or isinstance(indirect, ast.Constant) and indirect.value is False:
        return names
    if isinstance(indirect, ast.Constant) and indirect.value is True:
        return set()
    through = _strings(indirect)
    return {"*"} if through is None else names - through


def _strings(node: ast.AST) -> set[str] | None:
    """`"a, b"` or `["a", "b"]` as names; None when not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {n.strip() for n in node.value.split(",") if n.strip()}
    if isinstance(node, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return {e.value.strip() for e in node.elts}
    return None


def _marks(resolver, scope: Scope, module: Scope) -> frozenset:
    """What a `pytestmark = ...` of the module or class parametrizes."""
    bindings = scope.bindings.get("pytestmark", ())
    names: set[str] = set()
    for binding in bindings:
        value = binding.value
        if value is None:
            return EVERY
        marks = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
        found = _parametrized(resolver, marks, scope if scope.is_class else module)
        if found is EVERY:
            return EVERY
        names |= found
    return frozenset(names)


def _generated(scope: Scope) -> frozenset:
    """The names a `pytest_generate_tests` hook bound in `scope` parametrizes."""
    names: set[str] = set()
    for binding in scope.bindings.get("pytest_generate_tests", ()):
        if binding.kind != "def":
            return EVERY
        for node in ast.walk(binding.node):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "parametrize":
                found = _strings(node.args[0]) if node.args else None
                if found is None:
                    return EVERY
                names |= found
    return frozenset(names)


# -- where pytest finds a fixture ---------------------------------------------------------------

def lookup(context: Context, name: str):
    """The fixture `name` as seen from `context`: Found, None (defined nowhere we look), or
    UNSURE."""
    if context.klass is not None:
        found = _defined(context.facts, context.klass, name)
        if found is not None:
            return found
    found = _defined(context.facts, context.module, name)
    if found is not None:
        return found
    filename = context.facts.filename
    if not os.path.isfile(filename):
        return None
    settings = context.facts.settings
    plugins: list[str] = []
    here = _plugins_of(context.facts, context.module)
    if here is None:
        return UNSURE
    plugins += here
    for path in _conftests(os.path.abspath(filename)):
        facts = _module_facts(path, settings)
        if facts is None:
            return UNSURE
        module = facts.scope([facts.tree])
        found = _defined(facts, module, name)
        if found is not None:
            return found
        listed = _plugins_of(facts, module)
        if listed is None:
            return UNSURE
        plugins += listed
    return _in_plugins(name, [(p, filename) for p in plugins] + [(p, None) for p in entry_point_plugins()],
                       settings)


def _in_plugins(name: str, plugins: list[tuple[str, str | None]], settings):
    found = []
    seen: set[str] = set()
    todo = list(plugins)
    while todo:
        module_name, declared_in = todo.pop(0)
        path = _plugin_path(module_name, declared_in)
        if path is None:
            return UNSURE
        if path in seen:
            continue
        seen.add(path)
        facts = _module_facts(path, settings)
        if facts is None:
            return UNSURE
        module = facts.scope([facts.tree])
        here = _defined(facts, module, name)
        if here is UNSURE:
            return UNSURE
        if here is not None:
            found.append(here)
        listed = _plugins_of(facts, module)
        if listed is None:
            return UNSURE
        todo += [(p, path) for p in listed]
    if not found:
        return None
    return found[0] if all(f.node is found[0].node for f in found) else UNSURE


def _defined(facts, scope: Scope, name: str):
    """How `scope` (a module or a class) defines fixture `name`: Found, None, or UNSURE."""
    renamed = facts.memo(("renamed-fixtures", scope.node), lambda: _renamed(facts, scope))
    candidates = list(renamed.get(name, ()))
    bindings = scope.bindings.get(name, ())
    for binding in bindings:
        if binding.kind == "def":
            fixture = _fixture_name(binding.node, scope, facts.resolver)
            if fixture == name:
                candidates.append(Found(binding.node, facts, scope))
            elif fixture is None and any(not _is_mark(d, facts.resolver, scope) for d in binding.node.decorator_list):
                return UNSURE  # a decorator we cannot read may make it a fixture
        elif binding.kind == "import":
            candidates.append(_imported(binding.target, facts))
        elif binding.kind != "class":
            return UNSURE
    if not bindings and not candidates and "*" in scope.bindings:
        return UNSURE
    if not candidates:
        return None
    if len(candidates) > 1 or candidates[0] is UNSURE:
        return UNSURE
    return candidates[0]


def _renamed(facts, scope: Scope) -> dict[str, list]:
    """Fixtures bound in `scope` under another name than their def's (`name="client"`)."""
    found: dict[str, list] = {}
    for own, bindings in scope.bindings.items():
        for binding in bindings:
            if binding.kind == "def":
                fixture = _fixture_name(binding.node, scope, facts.resolver)
                if fixture is not None and fixture != own:
                    found.setdefault(fixture, []).append(Found(binding.node, facts, scope))
    return found


def _imported(target: str, facts):
    """A fixture imported into a test module or conftest (`from .fixtures import client`)."""
    from .external import definition

    if target.endswith("*"):
        return UNSURE
    found = definition(target, facts.filename, facts.settings)
    if found is None:
        return UNSURE
    node, other, module = found
    name = target.rsplit(".", 1)[-1]
    if _fixture_name(node, module, other.resolver) != node.name or node.name != name:
        return UNSURE
    return Found(node, other, module)


def _plugins_of(facts, module: Scope) -> list[str] | None:
    """The modules `pytest_plugins = [...]` names (None when it cannot be read)."""
    bindings = module.bindings.get("pytest_plugins", ())
    names: list[str] = []
    for binding in bindings:
        found = _strings(binding.value) if binding.value is not None else None
        if found is None:
            return None
        names += sorted(found)
    return names


def _plugin_path(module_name: str, declared_in: str | None) -> str | None:
    from .external import installed_module, locate

    parts = module_name.split(".")
    if declared_in is not None:
        located = locate([*parts, "_"], declared_in)
        if located is not None and located[2] == ["_"]:
            return located[0]
    found = installed_module(tuple(parts))
    if found is None and len(parts) == 1:
        found = installed_module(("_pytest", parts[0]))  # pytest's own: `pytest_plugins = ["pytester"]`
    return found


def _conftests(filename: str) -> list[str]:
    """The conftest.py files pytest loads for `filename`, nearest first (not the file itself)."""
    return list(_conftests_of(os.path.dirname(filename), filename))


@RUN.function
@remembered
def _conftests_of(folder: str, filename: str) -> tuple[str, ...]:
    found = []
    for _ in range(_MAX_LEVELS):
        candidate = os.path.join(folder, "conftest.py")
        note_file(candidate)
        if candidate != filename and os.path.isfile(candidate):
            found.append(candidate)
        markers = [os.path.join(folder, marker) for marker in ROOT_MARKERS]
        for marker in markers:
            note_file(marker)
        if any(map(os.path.exists, markers)):
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return tuple(found)


def _module_facts(path: str, settings):
    from .external import module_facts

    return module_facts(path, settings)


@RUN.function
@lru_cache(maxsize=1)
def entry_point_plugins() -> tuple[str, ...]:
    """The modules of the `pytest11` entry points of the installed distributions."""
    from .external import package_roots

    found = []
    for root in package_roots():
        try:
            names = sorted(os.listdir(root))
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(root, name, "entry_points.txt"), encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError):
                continue
            found += _pytest11(text)
    return tuple(dict.fromkeys(found))


def _pytest11(text: str) -> list[str]:
    modules = []
    section = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == "pytest11" and "=" in line:
            modules.append(line.split("=", 1)[1].strip().split(":", 1)[0].strip())
    return modules


def _same_dependencies(context: Context, found: Found, depth: int) -> bool:
    """The fixtures `found` asks for are the same seen from the test as from the fixture's own
    place (pytest gives a fixture the overrides of the test that asks for it)."""
    if depth > _MAX_DEPTH:
        return False
    own = Context(found.facts, found.scope.module(), found.scope if found.scope.is_class else None, frozenset())
    for name in requested(found.node, found.scope):
        if name == found.node.name or _excluded(context, name):
            return False
        here, there = lookup(context, name), lookup(own, name)
        if here is UNSURE or there is UNSURE:
            return False
        if (here is None) != (there is None) or here is not None and here.node is not there.node:
            return False
        if here is not None and not _same_dependencies(context, here, depth + 1):
            return False
    return True


# -- a fixture's value --------------------------------------------------------------------------

def _value(found: Found):
    """The class of the value of the fixture `found`, in its module's terms (None: unsure)."""
    resolver = found.facts.resolver
    node = found.node
    generator = has_yield(node)
    if node.returns is not None:
        annotation = yielded(resolver, node.returns, found.scope) if generator else node.returns
        value = resolver._annotated(annotation, found.scope) if annotation is not None else None
        if value is not None:
            return _marked(value)
    function_scope = found.facts.child_scope(node, found.scope)
    classes = set()
    for produced in _produced(node, generator):
        if produced is None:
            return None
        value = resolver.instance_class(produced, function_scope)
        if value is None:
            return None
        classes.add(value)
    return _marked(classes.pop()) if len(classes) == 1 else None


def _marked(value):
    if isinstance(value, (ClassRef, Qualified)):
        return replace(value, evidence=FIXTURE)
    if isinstance(value, Alternatives):
        return Alternatives(tuple(_marked(v) for v in value.options))
    return value


def _produced(function: ast.AST, generator: bool) -> list[ast.AST | None]:
    """What every `yield` (or, without one, `return`) of `function` gives (None for nothing)."""
    found: list[ast.AST | None] = []
    kinds = (ast.Yield,) if generator else (ast.Return,)
    todo = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.YieldFrom) and generator:
            found.append(None)
        elif isinstance(node, kinds):
            found.append(node.value)
        todo.extend(ast.iter_child_nodes(node))
    if not generator and not _ends(function.body):
        found.append(None)  # it may fall off its end: None
    return found


def _ends(body: list) -> bool:
    """Every path through `body` ends in a `return` or a `raise`."""
    last = body[-1] if body else None
    if isinstance(last, (ast.Return, ast.Raise)):
        return True
    if isinstance(last, ast.If):
        return _ends(last.body) and _ends(last.orelse)
    if isinstance(last, (ast.With, ast.AsyncWith)):
        return _ends(last.body)
    if isinstance(last, ast.Try):
        return _ends(last.orelse or last.body) and all(_ends(h.body) for h in last.handlers) \
            or _ends(last.finalbody)
    return False
