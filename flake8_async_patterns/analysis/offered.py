"""The name index: names under which modules can offer a coroutine function, read from their
text (or tree) before any resolution, so that most calls are never resolved at all."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from .nodes import walk

# Names under which a module can offer a coroutine function: its `async def`s, and names it
# binds one to (`from m import f as g`, `g = m.f` on a line of its own).  Read from the text,
# comments and strings included, which only ever adds names.
# Each pattern starts with literal text, which `re` finds fast; what precedes a match is
# read after it, from the line it is on.
_ASYNC_DEF = re.compile(r"async[ \t]+def[ \t]+(\w+)")
_AS = re.compile(r" as[ \t]+(\w+)")  # `import m as x`, `from m import f as x`
_ASSIGNED = re.compile(r"=[ \t]*(?:[A-Za-z_][\w.]*\.)?(\w+)[ \t]*(?:#[^\n]*)?$", re.MULTILINE)
# a module-level name bound by any assignment (`fetch = make_fetcher()`): only astroid can say
# what it is, so it may be a coroutine function
_MODULE_ASSIGNED = re.compile(r"\n(\w+)[ \t]*(?::[^=\n]*)?=[^=]")
_WORD_BEFORE = re.compile(r"(\w+)[ \t]*\Z")
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\w+)|import[ \t]+(\w+))", re.MULTILINE)
_RETURNS_COROUTINE = re.compile(r"->[ \t]*(?:\w+\.)*Coroutine\b")  # a stub's `def f() -> Coroutine[...]`
_DEF_NAME = re.compile(r"def[ \t]+(\w+)")
_TARGET = re.compile(r"[ \t]*(\w+)[ \t]*(?::[^=\n]*)?")  # `x` or `x: T`, alone on its line before `=`
# an `async def` under a decorator that names a property (`@property`, `@cached_property`, ...)
_ASYNC_PROPERTY = re.compile(r"@[\w.]*property\b[^\n]*\n(?:[ \t]*@[^\n]*\n)*[ \t]*async[ \t]+def[ \t]+(\w+)")


@dataclass
class OfferedNames:
    """What one or more modules' text says about names of coroutine functions."""

    defined: set[str]  # `async def` names
    aliases: dict[str, set[str]]  # a name -> the new names bound to it
    files: dict[str, int] = field(default_factory=dict)  # path -> length of the text read from disk
    imports: set[str] = field(default_factory=set)  # top-level modules imported (absolute imports)
    properties: set[str] = field(default_factory=set)  # names of `async def`s under a property decorator
    _names: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of_text(cls, text: str, stub: bool = False) -> OfferedNames:
        aliases: dict[str, set[str]] = {}
        for match in _AS.finditer(text):
            before = _WORD_BEFORE.search(text, max(0, match.start() - 200), match.start())
            if before:
                aliases.setdefault(before.group(1), set()).add(match.group(1))
        for match in _ASSIGNED.finditer(text):
            target = _TARGET.fullmatch(text, text.rfind("\n", 0, match.start()) + 1, match.start())
            if target:
                aliases.setdefault(match.group(1), set()).add(target.group(1))
        first = _MODULE_ASSIGNED.match("\n" + text[:200])  # the first line has no newline before it
        defined = {*_ASYNC_DEF.findall(text), *_MODULE_ASSIGNED.findall(text), *(first.groups() if first else ())}
        if stub:
            for match in _RETURNS_COROUTINE.finditer(text):
                name = _DEF_NAME.findall(text, max(0, text.rfind("def ", 0, match.start())), match.start())
                defined.update(name[:1])
        imports = {a or b for a, b in _IMPORT.findall(text)}
        properties = set(_ASYNC_PROPERTY.findall(text)) if "property" in text else set()
        return cls(defined, aliases, imports=imports, properties=properties)

    @classmethod
    def of_tree(cls, tree: ast.AST) -> OfferedNames:
        offered = cls(set(), {})
        module_level = set(map(id, getattr(tree, "body", ())))
        for node in walk(tree):
            if isinstance(node, ast.AsyncFunctionDef):
                offered.defined.add(node.name)
                if any(_names_a_property(d) for d in node.decorator_list):
                    offered.properties.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and not getattr(node, "level", 0):
                modules = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                offered.imports.update(m.split(".")[0] for m in modules if m)
            if isinstance(node, ast.alias) and node.asname:
                offered.aliases.setdefault(node.name.rsplit(".", 1)[-1], set()).add(node.asname)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and id(node) in module_level:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                offered.defined.update(t.id for t in targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.Assign) and isinstance(node.value, (ast.Name, ast.Attribute)):
                old = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
                offered.aliases.setdefault(old, set()).update(t.id for t in node.targets if isinstance(t, ast.Name))
        return offered

    def update(self, other: OfferedNames) -> None:
        self._names.clear()
        self.defined |= other.defined
        self.files |= other.files
        self.imports |= other.imports
        self.properties |= other.properties
        for old, new in other.aliases.items():
            self.aliases.setdefault(old, set()).update(new)

    def names(self, extra: frozenset[str] = frozenset()) -> frozenset[str]:
        """The defined names, `extra` and every alias of one of them, through chains of aliases."""
        cached = self._names.get(extra)
        if cached is not None:
            return cached
        found = set(self.defined) | extra
        todo = list(found)
        while todo:
            for new in self.aliases.get(todo.pop(), ()):
                if new not in found:
                    found.add(new)
                    todo.append(new)
        self._names[extra] = result = frozenset(found)
        return result


def _names_a_property(decorator: ast.AST) -> bool:
    while isinstance(decorator, ast.Call):
        decorator = decorator.func
    name = decorator.attr if isinstance(decorator, ast.Attribute) else getattr(decorator, "id", "")
    return name.endswith("property")
