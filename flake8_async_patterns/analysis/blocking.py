"""Which calls block the thread they run on: functions of the standard library and of the
well-known sync HTTP clients, and the methods of their client objects (a `requests.Session`,
an `httpx.Client`, a urllib3 pool, a `subprocess.Popen`), followed through whatever the
resolver can tell (assignment, `with`, annotations, `self.x`, return annotations).

`blocking_api()` answers with the canonical dotted name of the blocking API a call calls, or
None.  Anything unresolved, an async client, a local function of the same name: None.
"""
from __future__ import annotations

import ast

from .annotations import annotated_classes, parameter_annotation
from .scopes import Scope

HTTP_VERBS = ("get", "options", "head", "post", "put", "patch", "delete")
SPAWN_FUNCTIONS = tuple(f"spawn{suffix}" for suffix in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe"))

SLEEP = "time.sleep"
PROCESS_FUNCTIONS = frozenset({
    *(f"subprocess.{name}" for name in
      ("run", "call", "check_call", "check_output", "Popen", "getoutput", "getstatusoutput")),
    *(f"os.{name}" for name in ("system", "popen", "posix_spawn", "posix_spawnp", *SPAWN_FUNCTIONS,
                                "wait", "wait3", "wait4", "waitid", "waitpid")),
})
HTTP_FUNCTIONS = frozenset({
    "urllib.request.urlopen", "urllib3.request",
    *(f"{module}.{name}" for module in ("requests", "requests.api")
      for name in (*HTTP_VERBS, "request")),
    *(f"{module}.{name}" for module in ("httpx", "httpx._api", "httpx2")
      for name in (*HTTP_VERBS, "request", "stream")),
})
BLOCKING_FUNCTIONS = frozenset({
    SLEEP, "socket.create_connection", "input", "builtins.input", *PROCESS_FUNCTIONS, *HTTP_FUNCTIONS,
})

_SESSION_METHODS = frozenset({*HTTP_VERBS, "request", "send"})
_HTTPX_CLIENT_METHODS = frozenset({*HTTP_VERBS, "request", "send", "stream", "close"})
# the methods of a pool that send a request (not close/clear/connection_from_url, which do not)
_POOL_METHODS = frozenset({"request", "urlopen", "request_encode_url", "request_encode_body"})
_POOLS = (
    "urllib3.PoolManager", "urllib3.ProxyManager", "urllib3.HTTPConnectionPool", "urllib3.HTTPSConnectionPool",
    "urllib3.connectionpool.ConnectionPool", "urllib3.connectionpool.HTTPConnectionPool",
    "urllib3.connectionpool.HTTPSConnectionPool", "urllib3.poolmanager.PoolManager",
    "urllib3.poolmanager.ProxyManager", "urllib3.request.RequestMethods", "urllib3._request_methods.RequestMethods",
)
# class -> the methods of its instances that block; each of them returns itself from __enter__
BLOCKING_METHODS: dict[str, frozenset[str]] = {
    "requests.Session": _SESSION_METHODS, "requests.sessions.Session": _SESSION_METHODS,
    "httpx.Client": _HTTPX_CLIENT_METHODS, "httpx._client.Client": _HTTPX_CLIENT_METHODS,
    "httpx2.Client": _HTTPX_CLIENT_METHODS,
    **dict.fromkeys(_POOLS, _POOL_METHODS),
    "subprocess.Popen": frozenset({"wait", "communicate"}),
}
# functions that return an instance of one of those classes
FACTORIES = {
    "requests.session": "requests.Session", "requests.sessions.session": "requests.Session",
    "urllib3.connection_from_url": "urllib3.HTTPConnectionPool",
    "urllib3.connectionpool.connection_from_url": "urllib3.HTTPConnectionPool",
    "urllib3.proxy_from_url": "urllib3.ProxyManager", "urllib3.poolmanager.proxy_from_url": "urllib3.ProxyManager",
}
# the work happens when the returned context manager is entered or left, not in the call
STREAMS = frozenset({"httpx.stream", "httpx._api.stream", "httpx2.stream",
                     *(f"{client}.stream" for client in ("httpx.Client", "httpx._client.Client", "httpx2.Client"))})
IN_MEMORY = frozenset({f"{module}.{name}" for module in ("httpx", "httpx2")
                       for name in ("MockTransport", "WSGITransport")})
WAITS_ON_EXIT = frozenset({"subprocess.Popen", "os.popen"})  # leaving the `with` waits for the process

CALL_NAMES = frozenset({name.rsplit(".", 1)[-1] for name in BLOCKING_FUNCTIONS}
                       | {method for methods in BLOCKING_METHODS.values() for method in methods})


def blocking_api(resolver, func: ast.AST, scope: Scope) -> str | None:
    """The dotted name of the blocking function or method that calling `func` calls
    (`httpx.Client.get` for `client.get` on an `httpx.Client`), or None when unsure."""
    from .coroutines import Alternatives, Qualified

    resolved = resolver.resolve(func, scope)
    if isinstance(resolved, Qualified):
        if resolved.on_instance:
            owner, _, method = resolved.name.rpartition(".")
            found = _method(client_class(owner), method)
            return None if found and _in_memory(resolver, func.value, scope) else found
        return resolved.name if resolved.name in BLOCKING_FUNCTIONS else None
    if isinstance(resolved, Alternatives):  # `client: httpx.Client | requests.Session`: every one blocks
        found = [blocking_api_of(option) for option in resolved.options]
        return " or ".join(sorted(set(found))) if found and all(found) else None
    if resolved is None and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        classes = _classes_of_every_binding(resolver, func.value.id, scope)
        found = [_method(klass, func.attr) for klass in classes]
        return " or ".join(sorted(set(found))) if found and all(found) else None
    return None


def _in_memory(resolver, receiver: ast.AST, scope: Scope) -> bool:
    """`client` was made with a transport that answers in memory, sending nothing
    (`httpx.Client(transport=httpx.MockTransport(handler))`, a test's client)."""
    values = [receiver]
    if isinstance(receiver, ast.Name):
        found = scope.lookup(receiver.id)
        if found is None:
            return False
        scope, bindings = found
        values = [b.value for b in bindings if b.kind == "assign"]
        if not values or len(values) != len(bindings):
            return False
    for value in values:
        if not isinstance(value, ast.Call):
            return False
        transport = next((k.value for k in value.keywords if k.arg == "transport"), None)
        if not isinstance(transport, ast.Call) or resolver.qualified_name(transport.func, scope) not in IN_MEMORY:
            return False
    return True


def blocking_api_of(resolved) -> str | None:
    """`blocking_api` of one resolved option of a union."""
    from .coroutines import Qualified

    if isinstance(resolved, Qualified) and resolved.on_instance:
        owner, _, method = resolved.name.rpartition(".")
        return _method(client_class(owner), method)
    return None


def client_class(name: str | None) -> str | None:
    """The blocking client class that `name` (a class, a factory, `Class.__enter__`: what the
    resolver says an instance is made by) stands for, or None."""
    while name is not None:
        if name in BLOCKING_METHODS:
            return name
        if name in FACTORIES:
            return FACTORIES[name]
        owner, _, last = name.rpartition(".")
        if last != "__enter__" or not owner:
            return None
        name = owner  # `with httpx.Client() as c`: each of these classes enters itself
    return None


def _method(klass: str | None, method: str) -> str | None:
    return f"{klass}.{method}" if klass is not None and method in BLOCKING_METHODS[klass] else None


def _classes_of_every_binding(resolver, name: str, scope: Scope) -> list[str | None]:
    """The client class of each value `name` may hold, where the resolver gives up because
    there are several (`c: urllib3.PoolManager = ...` then `c: urllib3.HTTPConnectionPool = ...`).
    Empty, or holding a None, unless every binding is an annotation or a call naming one."""
    from .coroutines import Qualified

    found = scope.lookup(name)
    if found is None:
        return []
    where, bindings = found
    if len(bindings) < 2:
        return []  # one binding: the resolver already said what it could
    classes: list[str | None] = []
    for binding in bindings:
        if binding.kind == "param":
            annotation = parameter_annotation(binding.node, name)
        elif isinstance(binding.node, ast.AnnAssign):
            annotation = binding.node.annotation
        elif binding.kind == "assign" and isinstance(binding.node, ast.Assign) and isinstance(binding.value, ast.Call):
            called = resolver.resolve(binding.value.func, where)
            classes.append(client_class(called.name) if isinstance(called, Qualified)
                           and not called.on_instance else None)
            continue
        else:
            return [None]
        named = annotated_classes(resolver, annotation, where) or [None]
        classes += [client_class(c.name) if isinstance(c, Qualified) else None for c in named]
    return classes
