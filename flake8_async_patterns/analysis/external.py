"""Names a module imports from other modules: of the user's project, or of a package
installed in the environment the tool runs in.

Only reached through `Resolver.external()`, when a name matters to a rule and the module
cannot resolve it itself.  The project is the linted file's package root and its own folder;
installed packages are found on `sys.path` (the standard library keeps its table in
vocabulary.py and is never read), their `.pyi` stubs (a `<name>-stubs` package or a stub
beside the module) before their source.  Nothing is ever imported or executed.
The other module is first read the way the linted one is (ast + our own resolver: defs,
classes, methods, re-exports, bases in yet another module); what that cannot see (names
bound by assignment, star imports, dynamic classes) goes to astroid, which is imported here
and nowhere else.  Results are cached for the whole process.  Anything that fails or
raises is "unknown": None.
"""
from __future__ import annotations

import os
import sys
import sysconfig
import time
from functools import lru_cache

from ..settings import SKIP_DIRS
from .offered import OfferedNames
from .reads import note_file, note_project, remember, remembered
from .run import RUN

# astroid may spend at most this long per run (and worker process); after that, what it would
# have been asked is "unknown" (silent), so a huge or pathological project cannot stall a lint.
# On the bench corpus it answers next to nothing our own reading has not (4 awaited calls of
# 21,000 on seven projects) at more than twice the cost of the whole lint: kept small.
ASTROID_BUDGET_SECONDS = 2.0


_RESULTS: dict[tuple, tuple] = RUN.dict()  # key -> (answer, what it read)
_FACTS: dict[tuple, object] = RUN.dict()


def project_of(filename: str) -> tuple[str, tuple[str, ...], str]:
    """(root folder, package parts of the file, the file's folder): the root is the first
    folder above the file's package chain (folders with an __init__.py)."""
    return _project_of(os.path.abspath(filename))


@RUN.function
@remembered
def _project_of(filename: str) -> tuple[str, tuple[str, ...], str]:
    folder = os.path.dirname(filename)
    parts: list[str] = []
    here = folder
    while _noted_file(os.path.join(here, "__init__.py")) or _noted_file(os.path.join(here, "__init__.pyi")):
        parts.insert(0, os.path.basename(here))
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return here, tuple(parts), folder


# a project bigger than this is not indexed: every name may then be a coroutine function
INDEX_MAX_FILES = 20_000
INDEX_MAX_FOLDERS = 5_000  # a file loose in a home folder must not make us walk all of it


@RUN.function
@lru_cache(maxsize=None)
def _offered_in_folder(folder: str):
    """OfferedNames of the modules (.py, .pyi) directly in `folder`."""
    offered = OfferedNames(set(), {})
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith((".py", ".pyi")))
    except OSError:
        return offered
    for name in names:
        offered.update(_offered_in_file(os.path.join(folder, name)))
    return offered


def _offered_in_file(path: str):
    offered = OfferedNames(set(), {})
    if not _is_file(path):  # a FIFO named x.py must not block the index
        return offered
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return offered
    offered = OfferedNames.of_text(text, stub=path.endswith(".pyi"))
    offered.files[path] = len(text)
    return offered


@RUN.function
@lru_cache(maxsize=64)
def _offered_under(root: str):
    offered = OfferedNames(set(), {})
    for count, (folder, dirs, _) in enumerate(os.walk(root)):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
        offered.update(_offered_in_folder(folder))
        if len(offered.files) > INDEX_MAX_FILES or count > INDEX_MAX_FOLDERS:
            return None
    return offered


def offered_at(root: str):
    """`project_offered` of the files under `root`."""
    return _with_packages(root)


def index_stamp(root: str) -> str:
    """What the name index of `root` is read from, without reading it: the size and time of
    every module it would read, and the listing of the folders installed packages are in (an
    install or upgrade renames a dist-info folder). Equal stamps, equal index."""
    import hashlib

    digest = hashlib.sha256()
    for count, (folder, dirs, files) in enumerate(os.walk(root)):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".pyi")):
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                entry = f"{folder}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0"
                digest.update(entry.encode("utf-8", "surrogateescape"))
        if count > INDEX_MAX_FOLDERS:
            break
    for place in package_roots():
        try:
            digest.update("\0".join(sorted(os.listdir(place))).encode("utf-8", "surrogateescape"))
        except OSError:
            continue
    return digest.hexdigest()


def project_files(root: str) -> list[str] | None:
    """The modules of the project at `root` (None: too many to read)."""
    project = _offered_under(root)
    return None if project is None else list(project.files)


def project_offered(filename: str):
    """What the modules of `filename`'s project, and the installed packages they import, say
    about names of coroutine functions (None: too many files to say).  Read once per folder and
    process: a call whose last name none of them offers cannot be a call of their coroutine
    function."""
    root, _, _ = project_of(filename)
    return offered_at(root)


@RUN.function
@lru_cache(maxsize=64)
def _with_packages(root: str):
    project = _offered_under(root)
    if project is None:
        return None
    packages = [_package_offered(name) for name in sorted(project.imports)
                if name not in sys.stdlib_module_names and not _in_root(root, name)]
    if not any(packages):
        return project
    if None in packages:
        return None
    combined = OfferedNames(set(), {})
    combined.update(project)
    for package in packages:
        combined.update(package)
    return combined


def _in_root(root: str, name: str) -> bool:
    return _is_file(os.path.join(root, name + ".py")) or os.path.isdir(os.path.join(root, name))


@RUN.function
@lru_cache(maxsize=None)
def _package_offered(name: str):
    """The name index of the installed top-level package or module `name` (empty when it is
    not installed; None when it is too big to read)."""
    found = installed_module((name,))
    if found is None:
        return OfferedNames(set(), {})
    if os.path.basename(found).startswith("__init__."):
        return _offered_under(os.path.dirname(found))
    return _offered_in_file(found)


def absolute(qualified: str, filename: str) -> list[str] | None:
    """`.client.fetch` seen from pkg/service.py -> ["pkg", "client", "fetch"]."""
    level = len(qualified) - len(qualified.lstrip("."))
    parts = [p for p in qualified.lstrip(".").split(".") if p]
    if not level:
        return parts
    _, package, _ = project_of(filename)
    if level - 1 > len(package):
        return None
    return list(package[: len(package) - (level - 1)]) + parts


def locate(parts: list[str], filename: str) -> tuple[str, str, list[str]] | None:
    """(file, module name, remaining attribute names) for the longest module prefix of `parts`
    that is a file of the project or, failing that, of an installed package."""
    found = _located(tuple(parts), project_of(filename))
    return None if found is None else (found[0], found[1], list(found[2]))


@RUN.function
@remembered
def _located(parts: tuple[str, ...], project: tuple[str, tuple[str, ...], str]):
    root, _, folder = project
    for size in range(len(parts) - 1, 0, -1):
        for base in dict.fromkeys((root, folder)):
            path = os.path.join(base, *parts[:size])
            for candidate in (path + ".py", os.path.join(path, "__init__.py")):
                if _noted_file(candidate):
                    return candidate, ".".join(parts[:size]), parts[size:]
    if not parts or parts[0] in sys.stdlib_module_names:
        return None
    for size in range(len(parts) - 1, 0, -1):
        found = installed_module(tuple(parts[:size]))
        if found is not None:
            note_file(found)
            return found, ".".join(parts[:size]), parts[size:]
    return None


def _noted_file(path: str) -> bool:
    """`_is_file`, noting that the answer matters (a module that appears or goes changes it)."""
    note_file(path)
    return _is_file(path)


def _is_file(path: str) -> bool:
    """A regular file (never a FIFO or a device, which would block a read)."""
    try:
        return os.path.isfile(path)
    except (OSError, ValueError):
        return False


def in_project(path: str, filename: str) -> bool:
    root, _, folder = project_of(filename)
    return path.startswith((os.path.join(root, ""), os.path.join(folder, "")))


@RUN.function
@lru_cache(maxsize=1)
def package_roots() -> tuple[str, ...]:
    """The folders of `sys.path` that hold installed packages: not the standard library's own."""
    paths = sysconfig.get_paths()
    stdlib = {os.path.realpath(paths[key]) for key in ("stdlib", "platstdlib") if key in paths}
    roots = []
    for entry in sys.path:
        if not entry:
            continue  # the current folder: the project, not an installed package
        folder = os.path.realpath(entry)
        if folder in stdlib or os.path.basename(folder) == "lib-dynload" or not os.path.isdir(folder):
            continue
        roots.append(folder)
    return tuple(dict.fromkeys(roots))


@RUN.function
@lru_cache(maxsize=4096)
def installed_module(parts: tuple[str, ...]) -> str | None:
    """The file of the installed module `parts` (a stub first), or None."""
    for root in package_roots():
        stubs = os.path.join(root, parts[0] + "-stubs", *parts[1:])
        path = os.path.join(root, *parts)
        for candidate in (stubs + ".pyi", os.path.join(stubs, "__init__.pyi"), path + ".pyi",
                          os.path.join(path, "__init__.pyi"), path + ".py", os.path.join(path, "__init__.py")):
            if _is_file(candidate):
                return candidate
    return None


def where(qualified: str, filename: str) -> str:
    """"project" or "package": where the module that `qualified` names was found."""
    parts = absolute(qualified, filename)
    located = locate(parts, filename) if parts else None
    return "project" if located is None or in_project(located[0], filename) else "package"


def is_coroutine_function(node) -> bool:
    """What astroid found is an `async def` without `yield` and without a decorator other than
    those known to keep it one (astroid cannot tell us what the others do)."""
    import astroid

    from .decorators import KEEPING_DECORATORS, KEEPING_PREFIXES

    node = getattr(node, "_proxied", node)  # an (un)bound method: its function
    if not isinstance(node, astroid.nodes.AsyncFunctionDef) or node.is_generator():
        return False
    names = node.decoratornames() if node.decorators else ()
    return all(n in KEEPING_DECORATORS or n.startswith(KEEPING_PREFIXES) for n in names) \
        and len(names) >= len(node.decorators.nodes if node.decorators else ())


def module_binding(path: str, name: str, settings):
    """(the one binding of `name` at the top of the module at `path`, its facts, its scope), or
    None when the module cannot be read or binds the name more than once (or not at all)."""
    facts = module_facts(path, settings)
    if facts is None:
        return None
    scope = facts.scope([facts.tree])
    bindings = scope.bindings.get(name, ())
    return (bindings[0], facts, scope) if len(bindings) == 1 else None


def definition(qualified: str, filename: str, settings):
    """(def node, module facts, module scope) of the function `qualified` names, in a module of
    the project or an installed package; a re-export is followed.  None when unsure."""
    found = _top_level_binding(qualified, filename, settings, "def")
    return None if found is None else (found[0].node, found[1], found[2])


def class_definition(qualified: str, filename: str, settings):
    """(the resolver of its module, its ClassRef) for the class `qualified` names, in a module of
    the project or an installed package; a re-export is followed.  None when unsure."""
    import ast

    from .coroutines import ClassRef

    found = _top_level_binding(qualified, filename, settings, "class")
    if found is None:
        return None
    binding, facts, scope = found
    resolved = facts.resolver.resolve(ast.Name(id=binding.node.name, ctx=ast.Load()), scope)
    return (facts.resolver, resolved) if isinstance(resolved, ClassRef) else None


def aliases(qualified: str, filename: str, settings, depth: int = 0) -> frozenset[str] | None:
    """The qualified names that the top-level name `qualified` is bound to in its module, by
    every one of its bindings (`cached_property = property`, `from functools import
    cached_property`; re-exports followed); None when one of them is anything else."""
    import ast

    parts = absolute(qualified, filename)
    located = locate(parts, filename) if parts else None
    if located is None or len(located[2]) != 1 or depth > 8:
        return None
    path, _, rest = located
    facts = module_facts(path, settings)
    if facts is None:
        return None
    scope = facts.scope([facts.tree])
    bindings = scope.bindings.get(rest[0], ())
    names: set[str] = set()
    for binding in bindings:
        if binding.kind == "import" and not binding.target.endswith("*"):
            target = binding.target
            further = aliases(target, path, settings, depth + 1) if target.startswith(".") else None
            names.update(further if further else {target})
        elif binding.kind == "assign" and isinstance(binding.value, (ast.Name, ast.Attribute)):
            name = facts.resolver.qualified_name(binding.value, scope)
            if name is None:
                return None
            names.add(name)
        else:
            return None
    return frozenset(names) or None


def _top_level_binding(qualified: str, filename: str, settings, kind: str, depth: int = 0):
    """(binding, module facts, module scope) of the `kind` ("def", "class") binding that
    `qualified` names at the top of a module, through re-exports.  None when unsure."""
    parts = absolute(qualified, filename)
    located = locate(parts, filename) if parts else None
    if located is None or depth > 8:
        return None
    path, _, rest = located
    found = module_binding(path, rest[0], settings) if len(rest) == 1 else None
    if found is None:
        return None
    binding, facts, scope = found
    if binding.kind == kind:
        return found
    if binding.kind == "import" and not binding.target.endswith("*"):
        return _top_level_binding(binding.target, path, settings, kind, depth + 1)
    return None


_MAX_BASES_DEPTH = 12


def linearization(qualified: str, filename: str, settings, depth: int = 0) -> tuple[tuple[str, str], ...] | None:
    """The MRO of the class `qualified` (imported by `filename`) as (absolute dotted name, module
    file) pairs, across
    modules of the project and installed packages: depth first, each class kept at its last
    place (C3 for the usual hierarchies, diamonds of mixins included).  None when a class or
    a base cannot be read, or the class has a metaclass that may add attributes."""
    from .vocabulary import EMPTY_BASES

    parts = absolute(qualified, filename)
    located = locate(parts, filename) if parts else None
    if located is None or len(located[2]) != 1 or depth > _MAX_BASES_DEPTH:
        return None
    path, module, (name,) = located

    def read():
        try:
            return _linearization(path, module, name, settings, depth, EMPTY_BASES)
        except Exception:  # noqa: BLE001 - a class we cannot read is unknown
            return None

    return remember(_RESULTS, ("mro", path, name, settings), read)  # None in a cycle of bases


def _linearization(path: str, module: str, name: str, settings, depth: int, empty_bases):
    from .coroutines import ClassRef, Qualified

    found = module_binding(path, name, settings)
    if found is None:
        return None
    binding, facts, scope = found
    if binding.kind == "import" and not binding.target.endswith("*"):
        return linearization(binding.target, path, settings, depth + 1)
    if binding.kind == "assign" and type(binding.value).__name__ in ("Name", "Attribute"):
        # an alias (`AsyncHashCommands = HashCommands`): the class it names
        resolved = facts.resolver.resolve(binding.value, scope)
        if isinstance(resolved, ClassRef) and _top_level(scope, resolved.node):
            return linearization(f"{module}.{resolved.node.name}", path, settings, depth + 1)
        if isinstance(resolved, Qualified) and not resolved.on_instance:
            return linearization(resolved.name, path, settings, depth + 1)
        return None
    if binding.kind != "class" or any(k.arg == "metaclass" and _dotted(k.value) not in _PLAIN_METACLASSES
                                      for k in binding.node.keywords):
        return None
    order = [(f"{module}.{name}", path)]
    for base in binding.node.bases:
        target = base.value if type(base).__name__ == "Subscript" else base
        resolved = facts.resolver.resolve(target, scope)
        if isinstance(resolved, Qualified) and resolved.name in empty_bases:
            continue
        if isinstance(resolved, ClassRef) and _top_level(scope, resolved.node):
            below = linearization(f"{module}.{resolved.node.name}", path, settings, depth + 1)
        elif isinstance(resolved, Qualified) and not resolved.on_instance:
            below = linearization(resolved.name, path, settings, depth + 1)
        elif resolved is None and type(target).__name__ == "Name" and target.id in scope.bindings:
            below = linearization(f"{module}.{target.id}", path, settings, depth + 1)  # an alias here
        else:
            below = None
        if below is None:
            return None
        order.extend(below)
    return tuple(c for i, c in enumerate(order) if c not in order[i + 1:])


_PLAIN_METACLASSES = frozenset({"ABCMeta", "abc.ABCMeta"})


def _top_level(scope, node) -> bool:
    """`node` is the one class bound under its name at the module level."""
    bindings = scope.bindings.get(node.name, ())
    return len(bindings) == 1 and bindings[0].node is node


def _dotted(node) -> str | None:
    from .vocabulary import dotted

    return dotted(node)


def defines(entry: tuple[str, str], attr: str, settings) -> bool | None:
    """Does the class of a `linearization` entry bind `attr` in its own body or on its
    instances?  None when it cannot be read."""
    qualified, path = entry
    found = module_binding(path, qualified.rpartition(".")[2], settings)
    if found is None or found[0].kind != "class":
        return None
    binding, facts, scope = found
    node = binding.node
    return attr in facts.child_scope(node, scope).bindings or attr in facts.resolver._assigned_on_instances(node)


def _this_project(node, filename: str) -> bool:
    """astroid caches modules by name for the whole process: a module of that name read for
    another project (`shop.client` of an earlier file) must not answer for this one."""
    module = node.root()
    found = locate(module.name.split(".") + [""], filename) if module.name else None
    if found is None:
        return True  # not a module of this project
    return bool(module.file) and os.path.abspath(found[0]) == os.path.abspath(module.file)


def _infer_one(owner, name: str):
    import astroid

    values = [v for v in owner.igetattr(name) if v is not astroid.Uninferable]
    return values[0] if len(values) == 1 else None


def resolve_target(qualified: str, filename: str):
    """The astroid node a dotted name stands for, following re-exports; None when unsure."""
    import astroid

    parts = absolute(qualified, filename)
    found = locate(parts, filename) if parts else None
    if found is None:
        return None
    path, modname, rest = found
    node = astroid.MANAGER.ast_from_file(path, modname)
    for name in rest:
        node = _infer_one(node, name)
        if node is None:
            return None
    return node


# installed packages whose modules were read in this process: top-level name -> module files
PACKAGES_READ: dict[str, set[str]] = RUN.dict()


def _in_site_packages(path: str) -> bool:
    """A file of a distribution installed by pip (not a folder put on the path by hand)."""
    parts = path.split(os.sep)
    return "site-packages" in parts or "dist-packages" in parts


def _installed_root(path: str) -> str | None:
    """The folder of installed packages that `path` is in, if any."""
    for root in package_roots():
        if path.startswith(os.path.join(root, "")):
            return root
    return None


def _note_package(path: str) -> None:
    root = _installed_root(path)
    if root is not None:
        top = path[len(root) + 1:].split(os.sep, 1)[0]
        top = top.removesuffix(".pyi").removesuffix(".py").removesuffix("-stubs")
        PACKAGES_READ.setdefault(top, set()).add(path)


def module_facts(path: str, settings):
    """Facts of an imported module, parsed once per process (None when it cannot be read)."""
    import ast

    from . import ModuleFacts

    note_file(path)
    key = (path, settings)
    if key not in _FACTS:
        if not _is_file(path):
            _FACTS[key] = None
            return None
        _note_package(path)
        try:
            with open(path, "rb") as handle:
                tree = ast.parse(handle.read(), path)
            _FACTS[key] = ModuleFacts(tree, settings, path, imported=True)
        except (OSError, SyntaxError, ValueError, RecursionError):
            _FACTS[key] = None
    return _FACTS[key]


def _own(located, settings, awaited: bool = False) -> bool | None:
    """Read the imported module ourselves: True (a coroutine function), False (surely not: a
    plain def or a class), None (cannot tell here)."""
    import ast

    path, _, rest = located
    facts = module_facts(path, settings)
    if facts is None or not rest or len(rest) > 4:
        return None
    if len(rest) > 2:
        return _chained(facts, rest, awaited)
    scope = facts.scope([facts.tree])
    bindings = scope.bindings.get(rest[0], ())
    if len(rest) == 1:
        expr = ast.Name(id=rest[0], ctx=ast.Load())
    else:
        base = ast.Name(id=rest[0], ctx=ast.Load())
        factory = bindings[0].node if len(bindings) == 1 and bindings[0].kind == "def" else None
        if awaited != isinstance(factory, ast.AsyncFunctionDef):
            return None  # `await Client()`, or an `async def` not awaited: not what it returns
        if factory is not None:
            # a factory (`def connect(...) -> Client`, awaited `async def connect(...) -> Client`):
            # the method of what it returns
            base = ast.Call(func=base, args=[], keywords=[])
            base = ast.Await(value=base) if awaited else base
        expr = ast.Attribute(value=base, attr=rest[1], ctx=ast.Load())
    if facts.resolver.coroutine_function(expr, scope) is not None:
        return True
    if len(bindings) == 1 and bindings[0].kind == "import" and not bindings[0].target.endswith("*"):
        # a re-export (`from .applications import FastAPI`): what the module it comes from says,
        # "surely not" included, so that astroid is not asked what the other module can answer
        return coroutine(".".join([bindings[0].target, *rest[1:]]), path, settings)
    if not bindings:
        return _through_stars(scope, rest, path, settings)
    if bindings and all(b.kind in ("def", "class") for b in bindings):
        resolved = facts.resolver.resolve(expr, scope)
        return False if resolved is not None or len(rest) == 1 else None
    return None


def _chained(facts, rest: list[str], awaited: bool) -> bool | None:
    """`Client.connect.send`: a method of what a chain of calls returns, `Client().connect()`
    (awaited: `await Client().connect()`), read by this module's own resolver."""
    import ast

    scope = facts.scope([facts.tree])
    if len(scope.bindings.get(rest[0], ())) != 1:
        return None
    base: ast.expr = ast.Call(func=ast.Name(id=rest[0], ctx=ast.Load()), args=[], keywords=[])
    for part in rest[1:-1]:
        base = ast.Call(func=ast.Attribute(value=base, attr=part, ctx=ast.Load()), args=[], keywords=[])
    if awaited:
        base = ast.Await(value=base)
    expr = ast.Attribute(value=base, attr=rest[-1], ctx=ast.Load())
    return True if facts.resolver.coroutine_function(expr, scope) is not None else None


def _through_stars(scope, rest: list[str], path: str, settings) -> bool | None:
    """A name the module does not bind itself: False when nothing can bind it (so astroid is
    not asked about a name that is not there), else what the last `from m import *` that
    binds it says (`from .web_response import *`)."""
    if "__getattr__" in scope.bindings:
        return None
    for star in reversed(scope.bindings.get("*", ())):
        target = star.target[:-2] + "." + rest[0]  # ".web_response.*" -> ".web_response.X"
        parts = absolute(target, path)
        located = locate(parts, path) if parts else None
        facts = module_facts(located[0], settings) if located else None
        if facts is None:
            return None  # a module we cannot read may bind anything
        star_scope = facts.scope([facts.tree])
        if rest[0] in star_scope.bindings or "*" in star_scope.bindings or "__getattr__" in star_scope.bindings:
            return coroutine(".".join([target, *rest[1:]]), path, settings)
    return False


def _ask(key, located, settings, with_astroid, filename: str, awaited: bool = False):
    def answer():
        try:
            result = _own(located, settings, awaited)
            if result is None and not _in_site_packages(located[0]):
                # astroid only for the project's own files: an installed package is read by our own
                # resolver alone (astroid would build whole packages to answer one question)
                result = _within_budget(with_astroid, project_of(filename)[0])
        except Exception:  # noqa: BLE001 - inference that fails is "unknown"
            result = None
        return result

    return remember(_RESULTS, key, answer)  # None while it is asked: a cycle of re-exports


def _within_budget(ask, root: str):
    if RUN.astroid_spent >= ASTROID_BUDGET_SECONDS:
        return None
    note_project(root)  # astroid may read any module of the project to answer
    started = time.perf_counter()
    try:
        return ask()
    finally:
        RUN.astroid_spent += time.perf_counter() - started


def coroutine(qualified: str, filename: str, settings) -> bool | None:
    """Is `qualified` (imported by `filename`) a coroutine function of the project?"""
    parts = absolute(qualified, filename)
    located = locate(parts, filename) if parts else None
    if located is None:
        return None

    def with_astroid():
        node = resolve_target(qualified, filename)
        if node is None or not _this_project(node, filename):
            return None
        return is_coroutine_function(node)

    return _ask(("name", located[0], tuple(located[2]), settings), located, settings, with_astroid, filename)


def method_is_coroutine(class_qualified: str, attr: str, filename: str, settings,
                        awaited: bool = False) -> bool | None:
    """Is `attr`, looked up on the project class `class_qualified` (its MRO included), a
    coroutine function?  None when the class or the attribute cannot be seen.  With `awaited`,
    `class_qualified` is an `async def` and `attr` is looked up on what it returns."""
    parts = absolute(class_qualified, filename)
    located = locate(parts + [attr], filename) if parts else None
    if located is None:
        return None

    def with_astroid():
        import astroid

        if awaited:
            return None
        klass = resolve_target(class_qualified, filename)
        if isinstance(klass, astroid.nodes.ClassDef):
            values = klass.getattr(attr)
            if values and isinstance(values[0], astroid.nodes.FunctionDef) and _this_project(values[0], filename):
                return is_coroutine_function(values[0])
        return None

    return _ask(("method", located[0], tuple(located[2]), settings, awaited), located, settings, with_astroid,
                filename, awaited)


def imported_files(path: str, settings) -> tuple[str, ...]:
    """The project's modules (not installed packages) that the module at `path` imports, as far
    as `locate` finds them: what its own cached facts may have read."""
    return _imported_files(path, settings)


@RUN.function
@lru_cache(maxsize=None)
def _imported_files(path: str, settings) -> tuple[str, ...]:
    import ast

    facts = _FACTS.get((path, settings))  # only a module that was parsed can have read anything
    if facts is None:
        return ()
    found = []
    for node in ast.walk(facts.tree):
        if isinstance(node, ast.Import):
            names = [alias.name + ".x" for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names = [f"{module}.{alias.name}.x" if module.strip(".") else f"{module}{alias.name}.x"
                     for alias in node.names]
        else:
            continue
        for name in names:
            parts = absolute(name, path)
            located = _located(tuple(parts), project_of(path)) if parts else None
            if located is not None and not _in_site_packages(located[0]):
                found.append(located[0])
    return tuple(dict.fromkeys(found))
