"""ASP502"""
from __future__ import annotations

import ast

from ..analysis.coroutines import dotted
from ..analysis.dependence import loaded_names
from ..analysis.scopes import FUNCTIONS
from ..analysis.state import is_lock, shared_target
from ..registry import rule

RULE = rule("ASP502", "stale-read-across-await",
            "shared state read into a local, an await, then written back from the local: a lost update",
            doc=__doc__)

NESTED = ("body", "orelse", "finalbody")


def blocks(statements: list[ast.stmt], locked: bool, resolver, scope):
    """Every statement list in a function, with whether a lock is held around it."""
    yield statements, locked
    for statement in statements:
        if isinstance(statement, (*FUNCTIONS, ast.ClassDef)):
            continue
        inner = locked or isinstance(statement, (ast.With, ast.AsyncWith)) and any(
            is_lock(item.context_expr, resolver, scope) for item in statement.items)
        for field in NESTED:
            block = getattr(statement, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield from blocks(block, inner, resolver, scope)
        for handler in getattr(statement, "handlers", ()):
            yield from blocks(handler.body, inner, resolver, scope)
        for case in getattr(statement, "cases", ()):
            yield from blocks(case.body, inner, resolver, scope)


def in_order(statements: list[ast.stmt]):
    """The statements and, after each compound one's header, its nested statements, in order."""
    for statement in statements:
        yield statement
        if isinstance(statement, (*FUNCTIONS, ast.ClassDef)):
            continue
        for field in ("body", "handlers", "orelse", "finalbody", "cases"):
            block = getattr(statement, field, None)
            if isinstance(block, list):
                for item in block:
                    yield from in_order(item.body if isinstance(item, (ast.ExceptHandler, ast.match_case))
                                        else [item])


def header(statement: ast.stmt) -> list[ast.AST]:
    """The expressions a statement evaluates itself (not its nested statements)."""
    return [c for c in ast.iter_child_nodes(statement)
            if not isinstance(c, (ast.stmt, ast.ExceptHandler, ast.match_case))]


def expressions(nodes: list[ast.AST]):
    todo = list(nodes)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Lambda):
            continue
        yield node
        todo.extend(ast.iter_child_nodes(node))


def shared_reads(value: ast.AST, scope) -> set[str]:
    found = set()
    for node in expressions([value]):
        if isinstance(node, (ast.Attribute, ast.Name, ast.Subscript)) and isinstance(node.ctx, ast.Load):
            text = shared_target(node, scope)
            if text and "[...]" not in text:
                found.add(text)
    return found


def stale_write(read: ast.Assign, local: str, state: str, after: list[ast.stmt], scope):
    """The statement after `read` that writes `state` from `local` once an await has passed."""
    awaited = False
    for statement in in_order(after):
        own = list(expressions(header(statement)))
        if isinstance(statement, (ast.AsyncFor, ast.AsyncWith)) or any(isinstance(n, ast.Await) for n in own):
            awaited = True  # also `self.x = local + await f()`, which awaits before it writes
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                and shared_target(statement.targets[0], scope) == state:
            # `state = local` restores a snapshot on purpose; `state = local + 1` is the lost update
            if awaited and local in loaded_names([statement.value]) and not isinstance(statement.value, ast.Name) \
                    and state not in shared_reads(statement.value, scope):
                return statement
            return None  # written without the stale value, or before any await
        if awaited and state in {t for n in own for t in [shared_target(n, scope)] if t}:
            return None  # read again after the await: fresh
        if local in {n.id for n in own if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}:
            return None  # the local is rebound
    return None


@RULE.on(ast.AsyncFunctionDef)
def check(node, ctx):
    scope = ctx.facts.child_scope(node, ctx.scope)
    for statements, locked in blocks(node.body, False, ctx.resolver, scope):
        if locked:
            continue
        for index, statement in enumerate(statements):
            if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Name)):
                continue
            local = statement.targets[0].id
            for state in sorted(shared_reads(statement.value, scope)):
                write = stale_write(statement, local, state, statements[index + 1:], scope)
                if write is not None:
                    yield RULE.at(write, f"{state} is read into '{local}' on line {statement.lineno}, then an "
                                  f"await lets other tasks change it, then it is written back from '{local}': "
                                  "their updates are lost; re-read after the await or hold a lock",
                                  state=state, local=local, read_line=statement.lineno)
                    break
