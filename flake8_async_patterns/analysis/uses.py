"""How a value bound to a name is used afterwards, within one function.

For the result of a gather or the `(done, pending)` of a wait: where the name is
read and how (iterated, indexed, unpacked, returned, passed to a call, stored,
tested with isinstance/issubclass/type(...) is, awaited, cancelled), following
the names that take its elements (`for r in results`, `a, b = results`,
comprehensions, walrus, match captures) and the names it is copied to.
Intraprocedural and conservative: a reader that is not understood counts as
"passed", which callers treat as handled.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from .nodes import child_nodes
from .scopes import COMPREHENSIONS, FUNCTIONS

TYPE_TESTS = frozenset({"isinstance", "issubclass"})
INSPECTIONS = frozenset({"len", "bool", "id"})


@dataclass(frozen=True)
class Use:
    kind: str  # iterated indexed unpacked returned passed stored tested awaited cancelled inspected
    node: ast.AST  # the Name node that reads the value
    element: bool  # the read is of an element (`r` in `for r in results`), not of the whole
    at: ast.AST | None = None  # the node that decided the kind (the isinstance call, the loop...)


def _parents(function: ast.AST) -> dict[ast.AST, ast.AST]:
    parents: dict[ast.AST, ast.AST] = {}
    todo = [function]
    while todo:
        node = todo.pop()
        for child in child_nodes(node):
            parents[child] = node
            todo.append(child)
    return parents


def _names_in(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _tests_exception_class(pattern: ast.AST) -> bool:
    """`case BaseException():`, `case ValueError() | OSError():`: a class pattern on an exception type."""
    for node in ast.walk(pattern):
        if isinstance(node, ast.MatchClass):
            name = node.cls.id if isinstance(node.cls, ast.Name) else getattr(node.cls, "attr", "")
            if name.endswith(("Exception", "Error")) or name in ("BaseException", "CancelledError"):
                return True
    return False


class Uses:
    """Uses of names in one function; build once per function, ask many times."""

    def __init__(self, function: ast.AST) -> None:
        self.function = function
        self.parents = _parents(function)
        self.reads: dict[str, list[ast.Name]] = {}
        for node in self.parents:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                self.reads.setdefault(node.id, []).append(node)

    def of(self, names: set[str], elements: set[str] = frozenset()) -> list[Use]:
        """Every use of the collection held in `names` and of its elements held in `elements`."""
        found: list[Use] = []
        todo = [(name, False, None) for name in names] + [(name, True, None) for name in elements]
        # (name, holds an element, only reads inside this node)
        seen: set = set()
        while todo:
            name, element, within = todo.pop()
            if (name, element, within) in seen:
                continue
            seen.add((name, element, within))
            for read in self.reads.get(name, ()):
                if within is not None and not self._inside(read, within) or self._shadowed(read, within):
                    continue
                kind, more, at = self._classify(read, element)
                found.append(Use(kind, read, element, at))
                todo.extend(more)
        return found

    def _shadowed(self, read: ast.Name, within: ast.AST | None) -> bool:
        """`read` is of a comprehension's own variable of the same name, not of ours."""
        child, node = read, self.parents.get(read)
        while node is not None and node is not within:
            if isinstance(node, COMPREHENSIONS) and child is not node.generators[0] and any(
                    read.id in _names_in(g.target) for g in node.generators):
                return True
            if isinstance(node, ast.comprehension) and child is node.iter:
                # the first iterable runs outside the comprehension
                outer = self.parents.get(node)
                if isinstance(outer, COMPREHENSIONS) and outer.generators[0] is node:
                    child, node = outer, self.parents.get(outer)
                    continue
            child, node = node, self.parents.get(node)
        return False

    def _inside(self, node: ast.AST, container: ast.AST) -> bool:
        while node is not None:
            if node is container:
                return True
            node = self.parents.get(node)
        return False

    def _classify(self, read: ast.Name, element: bool) -> tuple[str, list[tuple[str, bool]]]:
        node, parent = read, self.parents.get(read)
        # results[0] is an element; so is what `zip(urls, results)` hands out
        if isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.ctx, ast.Load):
            return self._classify_expression(parent, True, "indexed")
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.args \
                and parent.func.id in ("filter", "map", "sorted", "min", "max") and node in parent.args[1:] \
                and isinstance(parent.args[0], ast.Lambda):
            # filter(lambda r: ..., results): the lambda's parameter is each element, in the lambda
            predicate = parent.args[0]
            return "iterated", [(a.arg, True, predicate) for a in predicate.args.args], parent
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) \
                and parent.func.id in ("zip", "enumerate", "reversed", "sorted", "list", "tuple", "iter"):
            return self._classify_expression(parent, element, None)
        return self._classify_expression(node, element, None)

    def _classify_expression(self, node: ast.AST, element: bool, kind: str | None):
        parent = self.parents.get(node)
        if isinstance(parent, (ast.For, ast.AsyncFor)) and parent.iter is node:
            # the loop variable is followed inside the loop, where it holds our elements
            return kind or "iterated", [(n, True, parent) for n in _names_in(parent.target)], parent
        if isinstance(parent, ast.comprehension) and parent.iter is node:
            # a comprehension's variables live in the comprehension only
            holder = self.parents.get(parent)
            return kind or "iterated", [(n, True, holder) for n in _names_in(parent.target)], parent
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and parent.value is node:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if all(isinstance(t, ast.Name) for t in targets):
                return kind or "copied", [(t.id, element, None) for t in targets], parent
            if all(isinstance(t, (ast.Tuple, ast.List)) for t in targets):
                return kind or "unpacked", [(n, True, None) for t in targets for n in _names_in(t)], parent
            return "stored", [], parent
        if isinstance(parent, ast.Match) and parent.subject is node:
            if any(_tests_exception_class(case.pattern) for case in parent.cases):
                return "tested", [], parent  # case BaseException(): a type test
            captures = {n.name for n in ast.walk(parent) if isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name}
            return kind or "matched", [(n, True, parent) for n in captures], parent
        if isinstance(parent, ast.Call):
            func = parent.func
            callee = func.id if isinstance(func, ast.Name) else None
            if callee in TYPE_TESTS and parent.args and parent.args[0] is node:
                return "tested", [], parent
            outer = self.parents.get(parent)
            if callee == "type" and (isinstance(outer, ast.Compare) or isinstance(outer, ast.Call)
                                     and isinstance(outer.func, ast.Name) and outer.func.id in TYPE_TESTS):
                return "tested", [], outer  # type(r) is X, issubclass(type(r), X)
            if callee in INSPECTIONS:
                return kind or "inspected", [], parent
            return "passed", [], parent
        if isinstance(parent, ast.Attribute) and parent.value is node:
            call = self.parents.get(parent)
            if parent.attr == "cancel" and isinstance(call, ast.Call) and call.func is parent:
                return "cancelled", [], parent
            if parent.attr in ("exception", "result", "done", "cancelled"):
                return "tested", [], parent  # a task's own way to look at its outcome
            return kind or "attribute", [], parent
        if isinstance(parent, (ast.Return, ast.Yield, ast.YieldFrom)):
            return "returned", [], parent
        if isinstance(parent, ast.Await):
            return "awaited", [], parent
        if isinstance(parent, ast.Starred):
            return self._classify_expression(parent, element, kind)
        if isinstance(parent, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            return "stored", [], parent
        if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.BoolOp, ast.UnaryOp, ast.Compare, ast.Assert)):
            return kind or "inspected", [], parent
        if isinstance(parent, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            return "passed", [], parent
        return kind or "passed", [], parent
