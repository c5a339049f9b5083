"""What the tool knows by name: coroutine functions of the standard library, decorators that
transform, classes that enter themselves, and the small helpers that read a dotted name.
A leaf: it imports nothing of the package."""
from __future__ import annotations

import ast
import re

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
    """A short name for messages: `fetch`, `self.fetch`, `aio.sleep`, `super().close`,
    `client.models().list` (the arguments of calls on the way left out)."""
    text = dotted(expr)
    if text is None and isinstance(expr, ast.Attribute):
        chain = _chain_text(expr.value)
        return f"{chain}.{expr.attr}" if chain and len(chain) <= 60 else expr.attr
    return text or "<call>"


def _chain_text(expr: ast.AST) -> str | None:
    parts = []
    while True:
        if isinstance(expr, ast.Attribute):
            parts.append(f".{expr.attr}")
            expr = expr.value
        elif isinstance(expr, ast.Call):
            parts.append("()")
            expr = expr.func
        elif isinstance(expr, ast.Name):
            parts.append(expr.id)
            return "".join(reversed(parts))
        else:
            return None
