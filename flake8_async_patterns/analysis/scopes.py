"""Name bindings per scope, built lazily, and name lookup (LEGB)."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Sequence

from .nodes import child_nodes, walk

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
FUNCTION_LIKE = (*FUNCTIONS, ast.Lambda)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
SCOPES = (ast.Module, ast.ClassDef, ast.Lambda, *FUNCTIONS, *COMPREHENSIONS)


@dataclass(frozen=True)
class Binding:
    """One way a name gets a value in a scope.

    kind: "def" (node is the FunctionDef/AsyncFunctionDef), "class" (ClassDef),
    "import" (target is the qualified name), "param" (node is the function),
    "assign" (value is the single right-hand side, or None when unknown).
    """

    kind: str
    node: ast.AST
    target: str = ""
    value: ast.expr | None = None


class Scope:
    def __init__(self, node: ast.AST, parent: Scope | None) -> None:
        self.node = node
        self.parent = parent
        self.bindings: dict[str, list[Binding]] = {}
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        _collect(self)

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, ast.ClassDef)

    @property
    def is_function(self) -> bool:
        return isinstance(self.node, (*FUNCTIONS, ast.Lambda))

    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def lookup(self, name: str) -> tuple[Scope, list[Binding]] | None:
        """Where `name`, read in this scope, is bound: (scope, bindings), or None (builtin/undefined)."""
        if name in self.globals:
            module = self.module()
            return (module, module.bindings[name]) if name in module.bindings else None
        scope: Scope | None = self
        while scope is not None:
            if scope is self or not scope.is_class:
                if name in scope.globals and scope is not self:
                    module = self.module()
                    return (module, module.bindings[name]) if name in module.bindings else None
                if name not in scope.nonlocals and name in scope.bindings:
                    return scope, scope.bindings[name]
            scope = scope.parent
        return None


def _bind(scope: Scope, name: str, binding: Binding) -> None:
    scope.bindings.setdefault(name, []).append(binding)


def _collect(scope: Scope) -> None:
    node = scope.node
    if isinstance(node, (*FUNCTIONS, ast.Lambda)):
        args = node.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None:
                _bind(scope, arg.arg, Binding("param", node))
        todo: list[ast.AST] = list(node.body) if isinstance(node, FUNCTIONS) else [node.body]
    elif isinstance(node, COMPREHENSIONS):
        todo = []
        for index, generator in enumerate(node.generators):
            todo.append(generator.target)
            if index:
                todo.append(generator.iter)
            todo.extend(generator.ifs)
        todo.extend([node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt])
    else:
        todo = list(node.body)
    while todo:
        child = todo.pop()
        kind = type(child)
        if kind not in _BINDING_KINDS:
            if kind is ast.Name:
                if not isinstance(child.ctx, ast.Load):
                    _bind(scope, child.id, Binding("assign", child))
            else:
                todo += child_nodes(child)
            continue
        if isinstance(child, FUNCTIONS):
            _bind(scope, child.name, Binding("def", child))
            todo.extend(child.decorator_list)
            todo.extend(d for d in (*child.args.defaults, *child.args.kw_defaults) if d is not None)
            continue
        if isinstance(child, ast.ClassDef):
            _bind(scope, child.name, Binding("class", child))
            todo.extend(child.decorator_list)
            todo.extend(child.bases)
            todo.extend(k.value for k in child.keywords)
            continue
        if isinstance(child, ast.Lambda):
            todo.extend(d for d in (*child.args.defaults, *child.args.kw_defaults) if d is not None)
            continue
        if isinstance(child, COMPREHENSIONS):
            todo.append(child.generators[0].iter)
            _walrus_targets(scope, child)
            continue
        if isinstance(child, ast.Import):
            for alias in child.names:
                if alias.asname:
                    _bind(scope, alias.asname, Binding("import", child, alias.name))
                else:
                    top = alias.name.split(".")[0]
                    _bind(scope, top, Binding("import", child, top))
            continue
        if isinstance(child, ast.ImportFrom):
            base = "." * child.level + (child.module or "")
            for alias in child.names:
                if alias.name == "*":
                    _bind(scope, "*", Binding("import", child, base + ".*"))
                    continue
                target = f"{base}.{alias.name}" if base and not base.endswith(".") else base + alias.name
                _bind(scope, alias.asname or alias.name, Binding("import", child, target))
            continue
        if isinstance(child, ast.Global):
            scope.globals.update(child.names)
            continue
        if isinstance(child, ast.Nonlocal):
            scope.nonlocals.update(child.names)
            continue
        if isinstance(child, (ast.Assign, ast.AnnAssign)):
            targets = child.targets if isinstance(child, ast.Assign) else [child.target]
            single = len(targets) == 1 and isinstance(targets[0], ast.Name)
            if single:
                _bind(scope, targets[0].id, Binding("assign", child, value=child.value))
                if child.value is not None:
                    todo.append(child.value)
                continue
        elif isinstance(child, ast.Name):
            if not isinstance(child.ctx, ast.Load):
                _bind(scope, child.id, Binding("assign", child))
            continue
        elif isinstance(child, ast.withitem) and isinstance(child.optional_vars, ast.Name):
            _bind(scope, child.optional_vars.id, Binding("assign", child, value=child.context_expr))
            todo.append(child.context_expr)
            continue
        elif isinstance(child, ast.ExceptHandler) and child.name:
            _bind(scope, child.name, Binding("assign", child))
        elif isinstance(child, (ast.MatchAs, ast.MatchStar)) and child.name:
            _bind(scope, child.name, Binding("assign", child))
        elif isinstance(child, ast.MatchMapping) and child.rest:
            _bind(scope, child.rest, Binding("assign", child))
        todo.extend(child_nodes(child))


# node types that bind names or open scopes: every other node only holds nodes to look into
_BINDING_KINDS = frozenset({
    *FUNCTIONS, ast.ClassDef, ast.Lambda, *COMPREHENSIONS, ast.Import, ast.ImportFrom, ast.Global,
    ast.Nonlocal, ast.Assign, ast.AnnAssign, ast.withitem, ast.ExceptHandler, ast.MatchAs, ast.MatchStar,
    ast.MatchMapping,
})


def _walrus_targets(scope: Scope, comprehension: ast.AST) -> None:
    """`(y := f(x)) for x in xs` binds y in the enclosing scope."""
    for sub in walk(comprehension):
        if isinstance(sub, ast.NamedExpr) and isinstance(sub.target, ast.Name):
            _bind(scope, sub.target.id, Binding("assign", sub))


def scope_node_index(path: Sequence[ast.AST]) -> int:
    """Index in `path` (root first, the node last) of the scope that evaluates the last node."""
    for index in range(len(path) - 2, -1, -1):
        candidate = path[index]
        if not isinstance(candidate, SCOPES):
            continue
        child = path[index + 1]
        if isinstance(candidate, FUNCTIONS + (ast.ClassDef,)):
            if any(child is statement for statement in candidate.body):
                return index
        elif isinstance(candidate, ast.Lambda):
            if child is candidate.body:
                return index
        elif isinstance(candidate, COMPREHENSIONS):
            first = candidate.generators[0]
            if not (child is first and index + 2 < len(path) and path[index + 2] is first.iter):
                return index
        else:
            return index
    return 0
