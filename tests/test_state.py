"""Unit tests of flake8_async_patterns.analysis.state: shared state and held locks.

Each test builds a ModuleFacts for a small module and asks about the expression
or statement on the line marked `# <-` (or `# <-name` when a test needs several).
"""
from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_async_patterns.analysis import ModuleFacts
from flake8_async_patterns.analysis.state import held_lock, is_lock, shared_target
from flake8_async_patterns.settings import Settings

MARK = "# <-"


# -- helpers -----------------------------------------------------------------------


def facts_for(source: str) -> ModuleFacts:
    return ModuleFacts(ast.parse(textwrap.dedent(source)), Settings(), "<test>")


def marked_line(source: str, marker: str = MARK) -> int:
    lines = [n for n, text in enumerate(textwrap.dedent(source).splitlines(), 1) if text.rstrip().endswith(marker)]
    assert len(lines) == 1, f"expected one line marked {marker!r}, found {lines}"
    return lines[0]


def path_to(tree: ast.AST, predicate) -> list[ast.AST]:
    """The path (module first) to the outermost, first-in-source node that satisfies `predicate`."""
    found: list[list[ast.AST]] = []
    stack: list[list[ast.AST]] = [[tree]]
    while stack:
        path = stack.pop()
        if predicate(path[-1]):
            found.append(path)
        stack.extend([*path, child] for child in ast.iter_child_nodes(path[-1]))
    assert found, "no node matches"
    found.sort(key=lambda p: (getattr(p[-1], "lineno", 0), getattr(p[-1], "col_offset", 0), len(p)))
    return found[0]


def expr_path(facts: ModuleFacts, source: str, text: str, marker: str = MARK) -> list[ast.AST]:
    """The path to the expression spelled `text` on the marked line."""
    line = marked_line(source, marker)
    return path_to(facts.tree, lambda n: isinstance(n, ast.expr) and getattr(n, "lineno", None) == line
                   and ast.unparse(n) == text)


def shared(source: str, text: str, marker: str = MARK) -> str | None:
    """What shared_target says about the expression `text` on the marked line."""
    facts = facts_for(source)
    path = expr_path(facts, source, text, marker)
    return shared_target(path[-1], facts.scope(path))


def statement_path(facts: ModuleFacts, source: str, marker: str = MARK) -> list[ast.AST]:
    line = marked_line(source, marker)
    return path_to(facts.tree, lambda n: isinstance(n, ast.stmt) and n.lineno == line)


def with_item(source: str, marker: str = MARK) -> bool:
    """is_lock on the (first) context expression of the with statement on the marked line."""
    facts = facts_for(source)
    path = statement_path(facts, source, marker)
    statement = path[-1]
    assert isinstance(statement, (ast.With, ast.AsyncWith)), ast.dump(statement)
    return is_lock(statement.items[0].context_expr, facts.resolver, facts.scope(path))


def held(source: str, marker: str = MARK) -> ast.AST | None:
    facts = facts_for(source)
    path = statement_path(facts, source, marker)
    return held_lock(path, facts.resolver, facts.scope(path))


# -- shared_target: self / cls ----------------------------------------------------------------


METHODS = """
import asyncio

class Account:
    opened = 0

    def __init__(self):
        self.balance = 0
        self.hits = {}

    async def deposit(self, amount, other):
        self.balance += await amount()  # <-self
        self.hits[amount] += 1  # <-item
        self.owner.address.city = "x"  # <-deep
        other.balance += 1  # <-other

    @classmethod
    async def open(cls):
        cls.opened += 1  # <-cls

    async def spawn(self):
        async def one():
            self.balance -= 1  # <-closure
        def sync_inner():
            return self.hits["k"]  # <-sync_closure
        return one, sync_inner

    async def rebinds(self, factory):
        self = factory()
        self.balance = 0  # <-rebound

class Repo:
    async def load(this):
        this.cache = {}  # <-this
"""


@pytest.mark.parametrize("marker, text, expected", [
    ("self", "self.balance", "self.balance"),
    ("item", "self.hits[amount]", "self.hits[...]"),
    ("item", "self.hits", "self.hits"),
    ("deep", "self.owner.address.city", "self.owner.address.city"),
    ("cls", "cls.opened", "cls.opened"),
    ("closure", "self.balance", "self.balance"),
    ("sync_closure", "self.hits['k']", "self.hits[...]"),
    ("this", "this.cache", "this.cache"),
])
def test_self_and_cls_attributes_are_shared(marker, text, expected):
    assert shared(METHODS, text, f"# <-{marker}") == expected


@pytest.mark.parametrize("marker, text", [
    ("other", "other.balance"),  # a parameter that is not the first one
    ("self", "self"),  # the instance itself is a local name
    ("rebound", "self.balance"),  # `self` rebound in the method: not the instance any more
])
def test_other_parameters_and_rebound_self_are_not_shared(marker, text):
    assert shared(METHODS, text, f"# <-{marker}") is None


def test_first_parameter_of_a_module_function_is_not_self():
    src = """
    async def bump(self, amount):
        self.total += await amount()  # <-
    """
    assert shared(src, "self.total") is None


def test_first_parameter_of_a_staticmethod_is_not_self():
    """A staticmethod has no self: its first parameter is an ordinary parameter."""
    src = """
    class RateLimiter:
        @staticmethod
        async def top_up(limiter):
            limiter.tokens += await limiter.refill()  # <-
    """
    assert shared(src, "limiter.tokens") is None


# -- shared_target: module-level objects and containers ----------------------------------------


MODULE = """
import os
import collections
from collections import Counter
from stats import REGISTRY

COUNTS = {}
HITS: dict[str, int] = {}
BY_HOST = collections.defaultdict(int)
ERRORS = Counter()
CONFIG = {"a": {}}


class Stats:
    total = 0


STATS = Stats()


def fetch():
    return 1


async def record(key, local_param):
    COUNTS[key] += 1  # <-dict
    HITS[key] += 1  # <-annotated
    BY_HOST[key] += 1  # <-defaultdict
    ERRORS[key] += 1  # <-counter
    CONFIG["a"][key] = 1  # <-nested
    STATS.sent += 1  # <-object
    os.environ["KEY"] = key  # <-environ_item
    os.environ.data = {}  # <-environ
    os.path.sep  # <-path
    collections.Counter  # <-module_attr
    fetch.calls = 1  # <-function
    local_param[key] += 1  # <-param_item
    Stats.total += 1  # <-class_attr


async def shadows(key):
    COUNTS = {}
    COUNTS[key] += 1  # <-shadowed
    cache = {}
    cache[key] = 1  # <-local_dict
    obj = Stats()
    obj.total += 1  # <-local_obj
"""


@pytest.mark.parametrize("marker, text, expected", [
    ("dict", "COUNTS[key]", "COUNTS[...]"),
    ("annotated", "HITS[key]", "HITS[...]"),
    ("defaultdict", "BY_HOST[key]", "BY_HOST[...]"),
    ("counter", "ERRORS[key]", "ERRORS[...]"),
    ("nested", "CONFIG['a'][key]", "CONFIG[...][...]"),
    ("object", "STATS.sent", "STATS.sent"),
])
def test_module_level_objects_and_container_items_are_shared(marker, text, expected):
    assert shared(MODULE, text, f"# <-{marker}") == expected


def test_a_module_level_name_itself_is_not_shared_without_global():
    # reading COUNTS is not state; COUNTS[...] is
    assert shared(MODULE, "COUNTS", "# <-dict") is None


@pytest.mark.parametrize("marker, text", [
    ("environ_item", "os.environ['KEY']"),  # a module is not shared state here
    ("environ", "os.environ.data"),
    ("environ", "os.environ"),
    ("path", "os.path.sep"),
    ("module_attr", "collections.Counter"),
    ("function", "fetch.calls"),  # a function, not an object holding state
    ("param_item", "local_param[key]"),
])
def test_modules_functions_and_parameters_are_not_shared(marker, text):
    assert shared(MODULE, text, f"# <-{marker}") is None


def test_a_module_level_class_attribute_is_shared():
    """`Stats.total` is the same state as `cls.total` in a classmethod of Stats: one
    value for every task.  A class is a module-level object (not a module or a function)."""
    assert shared(MODULE, "Stats.total", "# <-class_attr") == "Stats.total"


@pytest.mark.parametrize("marker, text", [
    ("shadowed", "COUNTS[key]"),
    ("local_dict", "cache[key]"),
    ("local_obj", "obj.total"),
])
def test_locals_are_not_shared(marker, text):
    assert shared(MODULE, text, f"# <-{marker}") is None


# -- shared_target: global / nonlocal names -----------------------------------------------------


NAMES = """
counter = 0
registry = None


async def bump(delta):
    global counter, registry
    counter += delta  # <-global
    registry.entries[delta] = 1  # <-global_attr
    total = 0
    total += delta  # <-local


def make():
    total = 0
    calls = 0

    async def add(n):
        nonlocal total
        total += n  # <-nonlocal
        calls = 1
        calls += n  # <-inner_local
        return total

    def read():
        return total  # <-closure_read
    return add, read


async def reads_without_global():
    return counter  # <-no_global
"""


@pytest.mark.parametrize("marker, text, expected", [
    ("global", "counter", "counter"),
    ("global_attr", "registry.entries[delta]", "registry.entries[...]"),
    ("global_attr", "registry.entries", "registry.entries"),
    ("nonlocal", "total", "total"),
])
def test_global_and_nonlocal_names_are_shared(marker, text, expected):
    assert shared(NAMES, text, f"# <-{marker}") == expected


@pytest.mark.parametrize("marker, text", [
    ("local", "total"),
    ("inner_local", "calls"),  # bound in add, not declared nonlocal there
    ("closure_read", "total"),  # a free variable that is not declared nonlocal: only read
    ("no_global", "counter"),  # a module name read without `global`
])
def test_plain_names_are_not_shared(marker, text):
    assert shared(NAMES, text, f"# <-{marker}") is None


# -- is_lock -------------------------------------------------------------------------------------


@pytest.mark.parametrize("constructor", [
    "asyncio.Lock()", "asyncio.Semaphore(3)", "asyncio.BoundedSemaphore(2)", "asyncio.Condition()",
    "threading.Lock()", "threading.RLock()", "threading.Semaphore(4)", "threading.Condition()",
    "anyio.Lock()", "anyio.Semaphore(2)", "anyio.CapacityLimiter(5)",
    "trio.Lock()", "trio.StrictFIFOLock()", "trio.CapacityLimiter(5)",
    "AioLock()", "TLock()",
])
def test_lock_constructors(constructor):
    src = f"""
    import asyncio
    import threading
    import anyio
    import trio
    from asyncio import Lock as AioLock
    from threading import Lock as TLock

    GATE = {constructor}

    async def use():
        async with GATE:  # <-
            pass
    """
    assert with_item(src), constructor
    # but not the constructor call itself, inline: a new lock per entry guards nothing
    inline = src.replace("async with GATE:", f"async with {constructor}:")
    assert not with_item(inline), constructor


@pytest.mark.parametrize("constructor", [
    "asyncio.Event()", "asyncio.Queue()", "asyncio.timeout(1)", "open('x')", "Session()",
    "contextlib.nullcontext()",
])
def test_other_context_managers_are_not_locks(constructor):
    src = f"""
    import asyncio
    import contextlib
    from http import Session

    guarded_by_nothing = {constructor}

    async def use():
        async with guarded_by_nothing:  # <-
            pass
    """
    assert not with_item(src), constructor


LOCK_ATTRIBUTES = """
import asyncio
import threading


class Cache:
    def __init__(self):
        self._lock = asyncio.Lock()
        self.access = asyncio.Lock()
        self._sem = asyncio.Semaphore(5)
        self.refresh = threading.RLock()
        self.session = make_session()
        self.gate = None

    def reset(self):
        self.gate = asyncio.Lock()

    async def get(self):
        async with self._lock:  # <-lock
            pass
        async with self.access:  # <-access
            pass
        async with self._sem:  # <-sem
            pass
        with self.refresh:  # <-refresh
            pass
        async with self.session:  # <-session
            pass
        async with self.gate:  # <-gate
            pass
        async with self.session.get("/"):  # <-session_get
            pass
        async with self._lock.acquire_context():  # <-helper
            pass
"""


@pytest.mark.parametrize("marker, expected", [
    ("lock", True),
    ("access", True),  # seen through `self.access = asyncio.Lock()` in __init__
    ("sem", True),  # the name says nothing, the constructor does
    ("refresh", True),
    ("session", False),
    ("gate", False),  # None in one method, a lock in another: unsure, and the name says nothing
    ("session_get", False),
    ("helper", True),  # a method call on a lock
])
def test_instance_attribute_locks(marker, expected):
    assert with_item(LOCK_ATTRIBUTES, f"# <-{marker}") is expected


@pytest.mark.parametrize("name", [
    "lock", "_lock", "LOCK", "mutex", "_mutex", "state_lock", "_state_lock", "cache_mutex", "rlock",
    "_rlock", "locks", "_locks", "write_guard",
])
def test_names_that_say_lock(name):
    src = f"""
    async def use({name}, obj):
        async with {name}:  # <-name
            pass
        async with obj.{name}:  # <-attr
            pass
    """
    assert with_item(src, "# <-name"), name
    assert with_item(src, "# <-attr"), name


@pytest.mark.parametrize("name", ["writeLock", "cacheMutex"])
def test_camel_case_names_that_say_lock(name):
    """`self.writeLock` says lock as clearly as `self.write_lock` does."""
    src = f"""
    async def use(obj):
        async with obj.{name}:  # <-
            pass
    """
    assert with_item(src), name


@pytest.mark.parametrize("name", [
    "block", "clock", "session", "blocks", "deadlock", "unlock", "blocker", "io_block", "sem", "conn",
])
def test_names_that_do_not_say_lock(name):
    src = f"""
    async def use({name}, obj):
        async with {name}:  # <-name
            pass
        async with obj.{name}:  # <-attr
            pass
    """
    assert not with_item(src, "# <-name"), name
    assert not with_item(src, "# <-attr"), name


@pytest.mark.parametrize("name", ["locked", "lockout", "lock_path"])
def test_names_that_start_with_lock_but_are_not_locks(name):
    """LOCK_NAME's `_*lock\\w*` branch matches any name that starts with "lock":
    a flag (`locked`), a lockout window, a lock file's path."""
    src = f"""
    async def use(obj):
        async with obj.{name}:  # <-
            pass
    """
    assert not with_item(src), name


def test_opening_a_lock_path_is_not_a_lock():
    """`self.lock_path.open()` opens a file; the call on an attribute whose name
    starts with "lock" must not make it a held lock."""
    src = """
    class Pidfile:
        def __init__(self, path):
            self.lock_path = path

        async def write(self, pid):
            with self.lock_path.open("w") as handle:  # <-
                handle.write(str(pid))
    """
    assert not with_item(src)


def test_a_lock_factory_method_is_a_lock():
    """`self._lock_for(key)`: the code's comment promises `self._lock()`-style factories."""
    src = """
    import asyncio

    class Cache:
        def _lock_for(self, key):
            return asyncio.Lock()

        async def get(self, key):
            async with self._lock_for(key):  # <-
                pass
    """
    assert with_item(src)


def test_an_item_of_a_dict_of_locks_is_a_lock():
    """`self._locks[key]`, the usual per-key lock, says lock as `self._locks` does."""
    src = """
    import asyncio
    from collections import defaultdict

    class Cache:
        def __init__(self):
            self._locks = defaultdict(asyncio.Lock)

        async def get(self, key):
            async with self._locks[key]:  # <-
                pass
    """
    assert with_item(src)


def test_module_level_lock_seen_from_a_function():
    src = """
    import asyncio

    published = asyncio.Lock()
    other = object()

    async def use():
        async with published:  # <-published
            pass
        async with other:  # <-other
            pass
    """
    assert with_item(src, "# <-published")
    assert not with_item(src, "# <-other")


# -- held_lock ------------------------------------------------------------------------------------


def test_held_lock_directly_inside():
    src = """
    import asyncio

    class Account:
        def __init__(self):
            self._lock = asyncio.Lock()

        async def deposit(self, amount):
            async with self._lock:
                self.balance += await amount()  # <-
    """
    found = held(src)
    assert isinstance(found, ast.AsyncWith)
    assert ast.unparse(found.items[0].context_expr) == "self._lock"


def test_held_lock_through_other_statements_and_non_lock_withs():
    src = """
    import asyncio

    LOCK = asyncio.Lock()

    async def deposit(session, items):
        async with LOCK:  # <-outer
            async with session:
                for item in items:
                    if item:
                        try:
                            with open(item) as handle:
                                handle.read()  # <-
                        finally:
                            pass
    """
    found = held(src)
    assert isinstance(found, ast.AsyncWith)
    assert found.lineno == marked_line(src, "# <-outer")


def test_held_lock_is_the_innermost():
    src = """
    import asyncio
    import threading

    async def move(state_lock):
        with threading.Lock():
            async with state_lock:  # <-inner
                pass  # <-
    """
    found = held(src)
    assert found is not None and found.lineno == marked_line(src, "# <-inner")


def test_held_lock_among_several_items():
    src = """
    import asyncio

    async def tick(self_lock, session):
        async with session, asyncio.timeout(1), self_lock:  # <-with
            await session.ping()  # <-
    """
    found = held(src)
    assert found is not None and found.lineno == marked_line(src, "# <-with")


def test_no_lock_held():
    src = """
    import asyncio

    async def fetch(session, clock):
        async with session:
            with clock:
                await session.get("/")  # <-
    """
    assert held(src) is None


def test_held_lock_stops_at_a_nested_function():
    src = """
    import asyncio

    LOCK = asyncio.Lock()

    async def outer(stats):
        async with LOCK:
            async def later():
                stats.total += await stats.fetch()  # <-
            def sync_later():
                stats.total += 1  # <-sync
            return later, sync_later
    """
    assert held(src) is None
    assert held(src, "# <-sync") is None


def test_held_lock_stops_at_a_lambda():
    src = """
    import asyncio

    LOCK = asyncio.Lock()

    async def outer(stats):
        async with LOCK:
            callback = lambda: stats.bump()  # <-
            return callback
    """
    facts = facts_for(src)
    path = expr_path(facts, src, "stats.bump()")
    assert held_lock(path, facts.resolver, facts.scope(path)) is None
    statement = statement_path(facts, src)
    assert held_lock(statement, facts.resolver, facts.scope(statement)) is not None


def test_held_lock_inside_a_nested_function_that_takes_its_own_lock():
    src = """
    import asyncio

    async def outer(stats, LOCK):
        async def later():
            async with LOCK:  # <-with
                stats.total += await stats.fetch()  # <-
        return later
    """
    found = held(src)
    assert found is not None and found.lineno == marked_line(src, "# <-with")
