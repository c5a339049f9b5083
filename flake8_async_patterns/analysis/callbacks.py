"""APIs that call a function they are given as a plain function and ignore or
test its result: thread targets, loop callbacks, executors, sort keys."""
from __future__ import annotations

import ast
import re

# qualified callable -> (positional index, keyword) of the argument it calls synchronously
FUNCTION_SLOTS = {
    "threading.Thread": (None, "target"),
    "threading.Timer": (1, "function"),
    "atexit.register": (0, "func"),
    "signal.signal": (1, "handler"),
    "filter": (0, None),
    "sorted": (None, "key"),
    "min": (None, "key"),
    "max": (None, "key"),
}
# method name -> (positional index, keyword); any receiver, the names are specific enough
METHOD_SLOTS = {
    "call_soon": (0, None),
    "call_soon_threadsafe": (0, None),
    "call_later": (1, None),
    "call_at": (1, None),
    "add_signal_handler": (1, None),
    "add_reader": (1, None),
    "add_writer": (1, None),
    "run_in_executor": (1, None),
    "add_done_callback": (0, "fn"),
    "sort": (None, "key"),
}
EXECUTOR_METHODS = {"submit": (0, "fn"), "map": (0, "fn")}
EXECUTORS = frozenset({
    "concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor",
    "concurrent.futures.thread.ThreadPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor",
})
EXECUTOR_NAME = re.compile(r"(?i).*executor")


def is_executor(expr: ast.AST, facts, get_scope) -> bool:
    if isinstance(expr, ast.Call):
        return facts.resolver.qualified_name(expr.func, get_scope()) in EXECUTORS
    name = expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else ""
    if EXECUTOR_NAME.fullmatch(name):
        return True
    if isinstance(expr, ast.Name):
        found = get_scope().lookup(name)
        return bool(found) and all(isinstance(b.value, ast.Call) and is_executor(b.value, facts, get_scope)
                                   for b in found[1])
    return False


def argument(call: ast.Call, position: int | None, keyword: str | None):
    """The argument at `position` or named `keyword` (before any *args that would shift it)."""
    if keyword is not None:
        for item in call.keywords:
            if item.arg == keyword:
                return item.value
    if position is not None and len(call.args) > position \
            and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


SLOT_NAMES = frozenset(
    {q.rsplit(".", 1)[-1] for q in FUNCTION_SLOTS} | set(METHOD_SLOTS) | set(EXECUTOR_METHODS)
)


def _may_be_slot(func: ast.AST, facts) -> bool:
    """A cheap test that spares resolving most calls: the called name, or what it was imported as."""
    if isinstance(func, ast.Attribute):
        return func.attr in SLOT_NAMES
    if not isinstance(func, ast.Name):
        return False
    if func.id in SLOT_NAMES:
        return True
    return bool(facts.import_aliases.get(func.id, set()) & SLOT_NAMES)


def slot(call: ast.Call, facts, get_scope):
    """(api, argument) when `call` hands `argument` to code that calls it synchronously."""
    func = call.func
    if not _may_be_slot(func, facts):
        return None
    qualified = facts.resolver.qualified_name(func, get_scope())
    if qualified in FUNCTION_SLOTS:
        return qualified, argument(call, *FUNCTION_SLOTS[qualified])
    if not isinstance(func, ast.Attribute) or qualified is not None:
        return None
    if func.attr in METHOD_SLOTS:
        return func.attr, argument(call, *METHOD_SLOTS[func.attr])
    if func.attr in EXECUTOR_METHODS and is_executor(func.value, facts, get_scope):
        return f"executor.{func.attr}", argument(call, *EXECUTOR_METHODS[func.attr])
    return None
