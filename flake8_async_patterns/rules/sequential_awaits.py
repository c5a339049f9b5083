"""ASP204"""
from __future__ import annotations

import ast

from ..analysis.dependence import ORDERED, loaded_names, own_nodes, stored_names
from ..analysis.scopes import FUNCTIONS
from ..registry import rule

RULE = rule("ASP204", "sequential-independent-awaits",
            "consecutive awaits whose calls do not use each other's results: they could run together",
            doc=__doc__, default=False, fix="unsafe")

BLOCKS = ("body", "orelse", "finalbody")


def awaited_fetch(statement: ast.stmt, ctx):
    """(names it binds, call) for `name = await local_coroutine(...)`."""
    if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or not isinstance(statement.value, ast.Await):
        return None
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    if not all(isinstance(t, (ast.Name, ast.Tuple)) for t in targets):
        return None
    call = statement.value.value
    callee = ctx.resolver.coroutine_call(call, ctx.scope)
    if callee is None or callee.node is None or ORDERED.fullmatch(callee.name.rsplit(".", 1)[-1]):
        return None
    if any(isinstance(n, ast.Await) for n in own_nodes([*call.args, *[k.value for k in call.keywords]])):
        return None
    return stored_names(targets), call


def _receiver(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id not in ("self", "cls"):
        return func.value.id
    return None


def runs(statements: list[ast.stmt], ctx):
    """Maximal runs of two or more independent awaited fetches."""
    current: list = []
    for statement in [*statements, None]:
        fetch = awaited_fetch(statement, ctx) if statement is not None else None
        if fetch is not None and current:
            bound = set().union(*(names for _, names, _ in current))
            receivers = {_receiver(call) for _, _, call in current} - {None}
            uses = loaded_names([fetch[1]])
            if uses & bound or (_receiver(fetch[1]) in receivers) or fetch[0] & bound:
                if len(current) > 1:
                    yield current
                current = []
        if fetch is None:
            if len(current) > 1:
                yield current
            current = []
            continue
        current.append((statement, *fetch))


@RULE.on(ast.AsyncFunctionDef)
def check(node, ctx):
    todo = [node.body]
    while todo:
        statements = todo.pop()
        for run in runs(statements, ctx):
            first = run[0][0]
            yield RULE.at(first, f"{len(run)} awaits in a row (lines {first.lineno}-{run[-1][0].lineno}) do not "
                          "use each other's results; run them together with asyncio.gather()",
                          lines=[s.lineno for s, _, _ in run])
        for statement in statements:
            if isinstance(statement, (*FUNCTIONS, ast.ClassDef)):
                continue
            for field in BLOCKS:
                block = getattr(statement, field, None)
                if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                    todo.append(block)
            for handler in getattr(statement, "handlers", ()):
                todo.append(handler.body)
            for case in getattr(statement, "cases", ()):
                todo.append(case.body)
