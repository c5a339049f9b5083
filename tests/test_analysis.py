"""Unit tests of flake8_async_patterns.analysis: scopes and coroutine resolution.

Each test builds a ModuleFacts for a small module and asks a question about a
node picked out by a `# <-` marker at the end of its line.
"""
from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_async_patterns.analysis import ModuleFacts
from flake8_async_patterns.analysis.coroutines import Callee, has_yield
from flake8_async_patterns.analysis.vocabulary import STDLIB_COROUTINES
from flake8_async_patterns.analysis.scopes import Scope, scope_node_index
from flake8_async_patterns.settings import Settings

MARK = "# <-"


# -- helpers -----------------------------------------------------------------------


def facts_for(source: str, **settings) -> ModuleFacts:
    source = textwrap.dedent(source)
    return ModuleFacts(ast.parse(source), Settings(**settings), "<test>")


def marked_line(facts: ModuleFacts, source: str, marker: str = MARK) -> int:
    lines = [n for n, text in enumerate(textwrap.dedent(source).splitlines(), 1) if text.rstrip().endswith(marker)]
    assert len(lines) == 1, f"expected one line marked {marker!r}, found {lines}"
    return lines[0]


def path_to(tree: ast.AST, predicate) -> list[ast.AST]:
    """The path (module first) to the first node, in source order, that satisfies `predicate`."""
    found: list[list[ast.AST]] = []
    stack: list[list[ast.AST]] = [[tree]]
    while stack:  # iterative: some tests build trees deeper than the recursion limit
        path = stack.pop()
        if predicate(path[-1]):
            found.append(path)
        stack.extend([*path, child] for child in ast.iter_child_nodes(path[-1]))
    assert found, "no node matches"
    found.sort(key=lambda p: (getattr(p[-1], "lineno", 0), getattr(p[-1], "col_offset", 0), len(p)))
    return found[0]


def call_path(facts: ModuleFacts, source: str, marker: str = MARK) -> list[ast.AST]:
    """The path to the outermost call on the marked line."""
    line = marked_line(facts, source, marker)
    return path_to(facts.tree, lambda n: isinstance(n, ast.Call) and n.lineno == line)


def name_path(facts: ModuleFacts, source: str, name: str, marker: str = MARK) -> list[ast.AST]:
    line = marked_line(facts, source, marker)
    return path_to(facts.tree, lambda n: isinstance(n, ast.Name) and n.id == name and n.lineno == line)


def callee(source: str, marker: str = MARK, **settings) -> Callee | None:
    """What the resolver says about the call on the marked line."""
    facts = facts_for(source, **settings)
    path = call_path(facts, source, marker)
    return facts.resolver.coroutine_call(path[-1], facts.scope(path))


def lookup(source: str, name: str, marker: str = MARK):
    """(scope node, binding kinds) where `name`, read on the marked line, is bound; None if unbound."""
    facts = facts_for(source)
    path = name_path(facts, source, name, marker)
    found = facts.scope(path).lookup(name)
    if found is None:
        return None
    scope, bindings = found
    return scope.node, [b.kind for b in bindings]


def node_named(facts: ModuleFacts, name: str) -> ast.AST:
    return path_to(facts.tree, lambda n: getattr(n, "name", None) == name)[-1]


# -- scopes --------------------------------------------------------------------------


def test_scope_of_module_statement_is_module_scope():
    src = """
    x = 1
    print(x)  # <-
    """
    facts = facts_for(src)
    path = name_path(facts, src, "x")
    scope = facts.scope(path)
    assert isinstance(scope, Scope)
    assert scope.node is facts.tree
    assert scope.parent is None
    assert [b.kind for b in scope.bindings["x"]] == ["assign"]


def test_scope_objects_are_shared_per_node():
    src = """
    def f(a):
        a  # <-
        return a
    """
    facts = facts_for(src)
    path = name_path(facts, src, "a")
    assert facts.scope(path) is facts.scope(path)
    assert facts.scope(path).is_function
    assert facts.scope(path).parent is facts.scope([facts.tree])


def test_function_parameters_and_locals():
    src = """
    x = 1
    def f(a, /, b, *args, c, **kw):
        y = 2
        a, b, args, c, kw, y, x  # <-
    """
    facts = facts_for(src)
    path = name_path(facts, src, "a")
    scope = facts.scope(path)
    for name in ("a", "b", "args", "c", "kw"):
        where, bindings = scope.lookup(name)
        assert where is scope and [b.kind for b in bindings] == ["param"], name
    assert [b.kind for b in scope.lookup("y")[1]] == ["assign"]
    where, _ = scope.lookup("x")
    assert where.node is facts.tree


def test_builtins_and_undefined_names_are_not_found():
    src = """
    def f():
        len, undefined_name  # <-
    """
    assert lookup(src, "len") is None
    assert lookup(src, "undefined_name") is None


def test_def_class_and_import_bindings():
    src = """
    import os.path
    import asyncio as aio
    from asyncio import sleep as nap, gather
    from . import sibling
    from .pkg import thing
    def f(): pass
    async def g(): pass
    class C: pass
    os, aio, nap, gather, sibling, thing, f, g, C  # <-
    """
    facts = facts_for(src)
    module = facts.scope([facts.tree])
    targets = {name: module.bindings[name][0].target for name in ("os", "aio", "nap", "gather", "sibling", "thing")}
    assert targets == {
        "os": "os",
        "aio": "asyncio",
        "nap": "asyncio.sleep",
        "gather": "asyncio.gather",
        "sibling": ".sibling",
        "thing": ".pkg.thing",
    }
    assert [b.kind for b in module.bindings["f"]] == ["def"]
    assert [b.kind for b in module.bindings["g"]] == ["def"]
    assert [b.kind for b in module.bindings["C"]] == ["class"]


def test_other_binding_forms():
    src = """
    def f(items):
        for a, (b, *c) in items: pass
        with open(x) as d, ctx() as (e, g): pass
        try: pass
        except Exception as h: pass
        (i := 1)
        import j
        k: int = 2
        l += 1
        del m
        match items:
            case [n, *o]: pass
            case {"k": p, **q}: pass
        a, b, c, d, e, g, h, i, j, k, l, m, n, o, p, q  # <-
    """
    facts = facts_for(src)
    scope = facts.scope(name_path(facts, src, "a"))
    for name in "abcdeghijklmnopq":
        found = scope.lookup(name)
        assert found is not None and found[0] is scope, name


def test_global_declaration_reads_and_writes_the_module():
    src = """
    counter = 0
    def bump():
        global counter
        counter = counter + 1  # <-
    """
    node, kinds = lookup(src, "counter")
    assert isinstance(node, ast.Module)
    assert kinds == ["assign"]


def test_global_declaration_of_a_name_the_module_never_binds():
    src = """
    def f():
        global late
        late  # <-
    def g():
        global late
        late = 1
    """
    # The module itself does not bind `late` (only g does, through `global`):
    # lookup may say "module" or None, but never "f's local".
    found = lookup(src, "late")
    assert found is None or isinstance(found[0], ast.Module)


def test_nested_function_sees_global_declared_in_enclosing_function():
    src = """
    x = 0
    def outer():
        global x
        x = 1
        def inner():
            return x  # <-
    """
    node, _ = lookup(src, "x")
    assert isinstance(node, ast.Module)


def test_nonlocal_declaration_reads_the_enclosing_function():
    src = """
    x = 0
    def outer():
        x = 1
        def inner():
            nonlocal x
            x += 1  # <-
    """
    node, kinds = lookup(src, "x")
    assert isinstance(node, ast.FunctionDef) and node.name == "outer"
    assert kinds == ["assign"]


def test_closure_reads_enclosing_function():
    src = """
    def outer():
        y = 1
        def inner():
            return y  # <-
    """
    node, _ = lookup(src, "y")
    assert isinstance(node, ast.FunctionDef) and node.name == "outer"


def test_class_body_names_are_not_visible_in_methods():
    src = """
    x = "module"
    class C:
        x = "class"
        def m(self):
            return x  # <-
    """
    node, _ = lookup(src, "x")
    assert isinstance(node, ast.Module)


def test_class_body_names_are_visible_in_the_class_body():
    src = """
    x = "module"
    class C:
        x = "class"
        y = x  # <-
    """
    facts = facts_for(src)
    path = name_path(facts, src, "x")
    scope = facts.scope(path)
    assert scope.is_class
    where, _ = scope.lookup("x")
    assert where is scope


def test_method_nested_in_class_in_function_skips_class_but_sees_function():
    src = """
    def factory():
        helper = 1
        class C:
            helper = 2
            def m(self):
                return helper  # <-
    """
    node, _ = lookup(src, "helper")
    assert isinstance(node, ast.FunctionDef) and node.name == "factory"


def test_comprehension_variable_is_local_to_the_comprehension():
    src = """
    def f(xs):
        x = "outer"
        return [x * 2 for x in xs]  # <-
    """
    facts = facts_for(src)
    path = name_path(facts, src, "x")  # the first x on the line: the element
    scope = facts.scope(path)
    assert isinstance(scope.node, ast.ListComp)
    where, _ = scope.lookup("x")
    assert where is scope
    assert isinstance(scope.parent.node, ast.FunctionDef)


def test_first_iterable_of_comprehension_is_evaluated_in_enclosing_scope():
    src = """
    def f():
        x = [1, 2]
        return [x for x in x]  # <-
    """
    facts = facts_for(src)
    line = marked_line(facts, src)
    comp = path_to(facts.tree, lambda n: isinstance(n, ast.ListComp))[-1]
    iter_path = path_to(facts.tree, lambda n: n is comp.generators[0].iter)
    elt_path = path_to(facts.tree, lambda n: n is comp.elt)
    assert iter_path[-1].lineno == line
    assert isinstance(facts.scope(iter_path).node, ast.FunctionDef)
    assert isinstance(facts.scope(elt_path).node, ast.ListComp)
    function = path_to(facts.tree, lambda n: isinstance(n, ast.FunctionDef))[-1]
    assert scope_node_index(iter_path) == iter_path.index(function)


def test_later_iterables_and_conditions_are_in_comprehension_scope():
    src = """
    def f(rows):
        return {c: r for r in rows for c in r if c}  # <-
    """
    facts = facts_for(src)
    comp = path_to(facts.tree, lambda n: isinstance(n, ast.DictComp))[-1]
    second_iter = path_to(facts.tree, lambda n: n is comp.generators[1].iter)
    condition = path_to(facts.tree, lambda n: n is comp.generators[1].ifs[0])
    assert facts.scope(second_iter).node is comp
    assert facts.scope(condition).node is comp
    assert facts.scope(second_iter).lookup("r")[0].node is comp


def test_comprehension_in_class_body_skips_class_for_element_but_not_first_iterable():
    src = """
    class C:
        xs = [1, 2]
        ys = [x for x in xs]  # <-
    """
    facts = facts_for(src)
    comp = path_to(facts.tree, lambda n: isinstance(n, ast.ListComp))[-1]
    iter_path = path_to(facts.tree, lambda n: n is comp.generators[0].iter)
    assert facts.scope(iter_path).is_class
    assert facts.scope(iter_path).lookup("xs")[0].is_class
    # from inside the comprehension, the class body is invisible
    assert facts.scope(path_to(facts.tree, lambda n: n is comp.elt)).lookup("xs") is None


def test_walrus_in_comprehension_binds_in_enclosing_scope():
    src = """
    def f(xs):
        [y := x for x in xs]
        return y  # <-
    """
    node, _ = lookup(src, "y")
    assert isinstance(node, ast.FunctionDef)


def test_lambda_parameters_and_defaults():
    src = """
    def f():
        n = 1
        g = lambda a, b=n: a + b + n  # <-
    """
    facts = facts_for(src)
    lam = path_to(facts.tree, lambda n: isinstance(n, ast.Lambda))
    body = path_to(facts.tree, lambda n: n is lam[-1].body)
    scope = facts.scope(body)
    assert scope.node is lam[-1]
    assert scope.lookup("a")[0] is scope
    assert scope.lookup("n")[0].node.name == "f"
    # a default is evaluated where the lambda is defined
    default = path_to(facts.tree, lambda n: n is lam[-1].args.defaults[0])
    assert isinstance(facts.scope(default).node, ast.FunctionDef)


def test_decorators_and_defaults_are_evaluated_in_the_enclosing_scope():
    src = """
    def outer():
        deco = 1
        @deco
        def inner(a=deco): pass  # <-
    """
    facts = facts_for(src)
    inner = node_named(facts, "inner")
    dec_path = path_to(facts.tree, lambda n: n is inner.decorator_list[0])
    default_path = path_to(facts.tree, lambda n: n is inner.args.defaults[0])
    assert facts.scope(dec_path).node.name == "outer"
    assert facts.scope(default_path).node.name == "outer"


def test_names_bound_only_in_nested_functions_are_not_local():
    src = """
    def outer():
        def inner():
            z = 1
        z  # <-
    """
    assert lookup(src, "z") is None


def test_star_import_is_recorded():
    src = """
    from pkg import *
    thing  # <-
    """
    facts = facts_for(src)
    module = facts.scope([facts.tree])
    assert "*" in module.bindings
    assert module.bindings["*"][0].target == "pkg.*"


# -- coroutines.Resolver: what is a coroutine call ---------------------------------


def test_module_async_def_is_a_coroutine_function():
    found = callee("""
    async def fetch(): return 1
    async def main():
        fetch()  # <-
    """)
    assert found is not None
    assert found.name == "fetch"
    assert isinstance(found.node, ast.AsyncFunctionDef) and found.node.name == "fetch"


def test_sync_def_is_not():
    assert callee("""
    def fetch(): return 1
    async def main():
        fetch()  # <-
    """) is None


def test_call_at_module_level_resolves_too():
    assert callee("""
    async def fetch(): return 1
    fetch()  # <-
    """) is not None


def test_function_defined_later_in_the_module():
    assert callee("""
    async def main():
        fetch()  # <-
    async def fetch(): return 1
    """) is not None


def test_nested_async_def():
    found = callee("""
    def outer():
        async def inner(): pass
        inner()  # <-
    """)
    assert found is not None and found.name == "inner"


def test_nested_def_not_visible_outside_its_function():
    assert callee("""
    def outer():
        async def inner(): pass
    inner()  # <-
    """) is None


def test_local_sync_def_shadows_module_async_def():
    assert callee("""
    async def fetch(): pass
    def main():
        def fetch(): pass
        fetch()  # <-
    """) is None


def test_parameter_shadows_module_async_def():
    assert callee("""
    async def fetch(): pass
    def main(fetch):
        fetch()  # <-
    """) is None


def test_reassigned_name_is_unsure():
    assert callee("""
    async def fetch(): pass
    fetch = wrap(fetch)
    fetch()  # <-
    """) is None


def test_conditionally_defined_sync_in_one_branch_is_unsure():
    assert callee("""
    import sys
    if sys.version_info >= (3, 11):
        async def fetch(): pass
    else:
        def fetch(): pass
    fetch()  # <-
    """) is None


def test_conditionally_defined_async_in_both_branches_is_a_coroutine():
    assert callee("""
    import sys
    if sys.version_info >= (3, 11):
        async def fetch(): pass
    else:
        async def fetch(): return 1
    fetch()  # <-
    """) is not None


def test_try_import_fallback_to_async_def_is_unsure():
    assert callee("""
    try:
        from fast import fetch
    except ImportError:
        async def fetch(): pass
    fetch()  # <-
    """) is None


def test_async_generator_is_not_a_coroutine_function():
    assert callee("""
    async def ticks():
        yield 1
    async def main():
        ticks()  # <-
    """) is None


def test_yield_in_nested_function_does_not_make_an_async_generator():
    found = callee("""
    async def make():
        def gen():
            yield 1
        return gen
    make()  # <-
    """)
    assert found is not None


def test_has_yield():
    tree = ast.parse(textwrap.dedent("""
    async def a():
        yield 1
    async def b():
        x = [(yield) for _ in ()] if False else None
    async def c():
        lambda: (yield)
        class K:
            def m(self):
                yield 1
    async def d():
        await x
    """))
    results = {f.name: has_yield(f) for f in tree.body}
    assert results["a"] is True
    assert results["c"] is False
    assert results["d"] is False


def test_method_through_self():
    found = callee("""
    class Client:
        async def fetch(self): pass
        async def run(self):
            self.fetch()  # <-
    """)
    assert found is not None and found.node.name == "fetch"


def test_method_through_cls_in_classmethod():
    assert callee("""
    class Client:
        @classmethod
        async def make(cls): pass
        @classmethod
        def run(cls):
            cls.make()  # <-
    """) is not None


def test_sync_method_through_self_is_not():
    assert callee("""
    class Client:
        def fetch(self): pass
        async def run(self):
            self.fetch()  # <-
    """) is None


def test_self_not_first_parameter_is_not_resolved():
    assert callee("""
    class Client:
        async def fetch(self): pass
        def run(other, self):
            self.fetch()  # <-
    """) is None


def test_self_in_staticmethod_is_not_resolved():
    assert callee("""
    class Client:
        async def fetch(self): pass
        @staticmethod
        def run(self):
            self.fetch()  # <-
    """) is None


def test_self_in_a_plain_function_is_not_resolved():
    assert callee("""
    async def fetch(self): pass
    def run(self):
        self.fetch()  # <-
    """) is None


def test_attribute_assigned_on_instances_is_unsure():
    assert callee("""
    class Client:
        def __init__(self, fetch):
            self.fetch = fetch
        async def fetch(self): pass
        async def run(self):
            self.fetch()  # <-
    """) is None


def test_class_attribute_that_is_not_a_def_is_unsure():
    assert callee("""
    class Client:
        fetch = staticmethod(lambda: 1)
        async def run(self):
            self.fetch()  # <-
    """) is None


def test_method_from_base_class_in_module():
    found = callee("""
    class Base:
        async def fetch(self): pass
    class Client(Base):
        async def run(self):
            self.fetch()  # <-
    """)
    assert found is not None and found.name == "Base.fetch"


def test_method_from_grandparent_and_generic_base():
    assert callee("""
    from typing import Generic, TypeVar
    T = TypeVar("T")
    class Root:
        async def fetch(self): pass
    class Mid(Root, Generic[T]): pass
    class Client(Mid[int]):
        async def run(self):
            self.fetch()  # <-
    """) is not None


def test_override_in_subclass_wins():
    assert callee("""
    class Base:
        async def fetch(self): pass
    class Client(Base):
        def fetch(self): pass
        async def run(self):
            self.fetch()  # <-
    """) is None


def test_method_missing_with_unknown_external_base_is_none():
    assert callee("""
    from ext import Base
    class Client(Base):
        async def run(self):
            self.fetch()  # <-
    """) is None


def test_method_missing_with_unknown_base_behind_a_local_base_is_none():
    assert callee("""
    import ext
    class Middle(ext.Base):
        pass
    class Client(Middle):
        async def run(self):
            self.fetch()  # <-
    """) is None


def test_unknown_external_base_shadowed_by_local_async_method():
    # the method is found on the class itself, before any unknown base
    assert callee("""
    from ext import Base
    class Client(Base):
        async def fetch(self): pass
        async def run(self):
            self.fetch()  # <-
    """) is not None


def test_metaclass_makes_method_lookup_unsure():
    assert callee("""
    class Meta(type): pass
    class Base(metaclass=Meta): pass
    class Client(Base):
        async def run(self):
            self.fetch()  # <-
    """) is None


def test_super_call_resolves_to_base_method():
    found = callee("""
    class Base:
        async def close(self): pass
    class Client(Base):
        async def close(self):
            super().close()  # <-
    """)
    assert found is not None and found.name == "Base.close"


def test_super_call_with_sync_base_method_is_none():
    assert callee("""
    class Base:
        def close(self): pass
    class Client(Base):
        async def close(self):
            super().close()  # <-
    """) is None


def test_super_call_with_unknown_base_is_none():
    assert callee("""
    from ext import Base
    class Client(Base):
        async def close(self):
            super().close()  # <-
    """) is None


def test_class_attribute_access_through_class_name():
    assert callee("""
    class Client:
        @staticmethod
        async def fetch(): pass
    Client.fetch()  # <-
    """) is not None


def test_stdlib_coroutine_via_module():
    found = callee("""
    import asyncio
    asyncio.sleep(1)  # <-
    """)
    assert found is not None and found.name == "asyncio.sleep" and found.node is None


def test_stdlib_coroutine_via_alias():
    found = callee("""
    import asyncio as aio
    aio.sleep(1)  # <-
    """)
    assert found is not None and found.name == "asyncio.sleep"


def test_stdlib_coroutine_via_from_import():
    found = callee("""
    from asyncio import sleep
    sleep(1)  # <-
    """)
    assert found is not None and found.name == "asyncio.sleep"


def test_stdlib_coroutine_via_from_import_alias():
    assert callee("""
    from asyncio import open_connection as connect
    connect("h", 1)  # <-
    """) is not None


def test_stdlib_coroutine_via_submodule_import():
    assert callee("""
    import asyncio.tasks
    asyncio.tasks.sleep(1)  # <-
    """) is not None


@pytest.mark.parametrize("name", ["sleep", "wait_for", "open_connection", "to_thread",
                                  "create_subprocess_exec", "create_subprocess_shell", "wait", "start_server"])
def test_stdlib_table(name):
    assert f"asyncio.{name}" in STDLIB_COROUTINES
    assert callee(f"""
    import asyncio
    asyncio.{name}()  # <-
    """) is not None


@pytest.mark.parametrize("name", ["gather", "create_task", "ensure_future", "run", "get_event_loop", "Queue"])
def test_asyncio_functions_that_are_not_coroutine_functions(name):
    assert callee(f"""
    import asyncio
    asyncio.{name}()  # <-
    """) is None


def test_unimported_bare_name_like_stdlib_is_not_resolved():
    assert callee("""
    async def main():
        sleep(1)  # <-
    """) is None


def test_sleep_from_time_is_not_a_coroutine():
    assert callee("""
    from time import sleep
    sleep(1)  # <-
    """) is None


def test_local_module_shadowing_asyncio_name():
    assert callee("""
    import trio as asyncio
    asyncio.sleep(1)  # <-
    """) is None


def test_star_import_makes_unknown_names_unsure():
    assert callee("""
    from somewhere import *
    sleep(1)  # <-
    """) is None


def test_unknown_external_import_is_none():
    assert callee("""
    from ext import fetch
    fetch()  # <-
    """) is None


def test_settings_coroutine_functions_from_import():
    found = callee("""
    from ext import fetch
    fetch()  # <-
    """, coroutine_functions=frozenset({"ext.fetch"}))
    assert found is not None and found.name == "ext.fetch"


def test_settings_coroutine_functions_module_attribute_and_alias():
    assert callee("""
    import ext.client as c
    c.fetch()  # <-
    """, coroutine_functions=frozenset({"ext.client.fetch"})) is not None


def test_settings_coroutine_functions_other_name_not_affected():
    assert callee("""
    from ext import fetch
    fetch()  # <-
    """, coroutine_functions=frozenset({"other.fetch"})) is None


def test_settings_coroutine_functions_do_not_override_local_sync_def():
    assert callee("""
    def fetch(): pass
    fetch()  # <-
    """, coroutine_functions=frozenset({"fetch"})) is None


# -- decorators ----------------------------------------------------------------


@pytest.mark.parametrize("header, decorator", [
    ("from contextlib import asynccontextmanager", "@asynccontextmanager"),
    ("import contextlib", "@contextlib.asynccontextmanager"),
    ("import pytest", "@pytest.fixture"),
    ("import pytest", "@pytest.fixture(scope='module')"),
    ("from pytest import fixture", "@fixture"),
    ("import pytest_asyncio", "@pytest_asyncio.fixture"),
    ("import functools", "@functools.cached_property"),
])
def test_transforming_decorators_exclude_module_function(header, decorator):
    assert callee(f"""
    {header}
    {decorator}
    async def thing():
        return 1
    thing()  # <-
    """) is None


def test_property_method_is_not_a_coroutine_call():
    src = """
    class C:
        @property
        async def value(self):
            return 1
        @value.setter
        async def value(self, new):
            pass
        def run(self):
            self.value()  # <-
    """
    assert callee(src) is None


def test_asynccontextmanager_generator_is_excluded():
    assert callee("""
    from contextlib import asynccontextmanager
    @asynccontextmanager
    async def session():
        yield 1
    session()  # <-
    """) is None


@pytest.mark.parametrize("decorator", [
    "@functools.wraps(f)", "@staticmethod", "@classmethod", "@abc.abstractmethod", "@pytest.mark.asyncio",
    "@keep", "@async_wrap", "@retry(3)", "@passthrough",
])
def test_neutral_and_readable_keeping_decorators_keep_the_coroutine(decorator):
    assert callee(f"""
    import abc, functools, pytest
    def keep(fn):
        REGISTRY.append(fn)
        return fn
    def async_wrap(fn):
        @functools.wraps(fn)
        async def wrapper(*args, **kwargs):
            return await fn(*args, **kwargs)
        return wrapper
    def retry(times):
        def decorate(fn):
            async def again(*args):
                return await fn(*args)
            return functools.wraps(fn)(again)
        return decorate
    def passthrough(fn):
        def wrapper(*args):
            return fn(*args)
        return wrapper
    class Holder:
        {decorator}
        async def thing(self=None):
            return 1
        def run(self):
            self.thing()  # <-
    """) is not None


@pytest.mark.parametrize("decorator", [
    "@mydeco", "@mydeco()", "@lib.retry(3)", "@run_sync", "@run_in_loop", "@Memo", "@as_partial", "@async_factory",
])
def test_unknown_and_running_decorators_make_it_no_coroutine(decorator):
    assert callee(f"""
    import asyncio, functools, lib
    from lib import mydeco
    def run_sync(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return asyncio.run(fn(*args, **kwargs))
        return wrapper
    def run_in_loop(fn):
        def wrapper(*args):
            return asyncio.get_event_loop().run_until_complete(fn(*args))
        return wrapper
    class Memo:
        def __init__(self, fn):
            self.fn = fn
    def as_partial(fn):
        return functools.partial(fn, 1)
    async def async_factory(fn):
        return fn
    class Holder:
        {decorator}
        async def thing(self=None):
            return 1
        def run(self):
            self.thing()  # <-
    """) is None


def test_a_decorator_of_another_module_is_read(tmp_path):
    (tmp_path / "deco.py").write_text(textwrap.dedent("""
        import asyncio
        def keep(fn):
            return fn
        def sync(fn):
            def wrapper(*a):
                return asyncio.run(fn(*a))
            return wrapper
    """))
    (tmp_path / "reexport.py").write_text("from deco import keep, sync\n")
    for name, expected in [("deco", True), ("reexport", True)]:
        for decorator, keeps in [("keep", True), ("sync", False)]:
            source = f"from {name} import {decorator}\n@{decorator}\nasync def f(): pass\nf()  # <-\n"
            module = tmp_path / f"use_{name}_{decorator}.py"
            module.write_text(source)
            facts = ModuleFacts(ast.parse(source), Settings(), str(module), source)
            path = call_path(facts, source, MARK)
            found = facts.resolver.coroutine_call(path[-1], facts.scope(path))
            assert (found is not None) == (keeps and expected), (name, decorator)


@pytest.mark.parametrize(("configured", "silenced"), [("mydeco", True), ("other.mydeco", False)])
def test_settings_non_coroutine_decorators(configured, silenced):
    src = """
    def mydeco(fn):
        return fn
    @mydeco
    async def fetch(): pass
    fetch()  # <-
    """
    assert callee(src) is not None
    assert (callee(src, non_coroutine_decorators=frozenset({configured})) is None) == silenced


def test_settings_non_coroutine_decorator_dotted_and_called_form():
    src = """
    class deco:
        @staticmethod
        def wrap(timeout):
            def keep(fn):
                return fn
            return keep
    @deco.wrap(timeout=1)
    async def fetch(): pass
    fetch()  # <-
    """
    assert callee(src, non_coroutine_decorators=frozenset({"deco.wrap"})) is None
    assert callee(src, non_coroutine_decorators=frozenset({"wrap"})) is None


def test_overloads_are_ignored():
    assert callee("""
    from typing import overload
    @overload
    def fetch(x: int) -> int: ...
    @overload
    def fetch(x: str) -> str: ...
    async def fetch(x):
        return x
    fetch(1)  # <-
    """) is not None


def test_overloads_are_ignored_via_typing_module_and_on_methods():
    assert callee("""
    import typing
    class C:
        @typing.overload
        def get(self, x: int) -> int: ...
        @typing.overload
        def get(self, x: str) -> str: ...
        async def get(self, x):
            return x
        async def run(self):
            self.get(1)  # <-
    """) is not None


def test_sync_implementation_after_async_overload_stubs_is_not_a_coroutine():
    assert callee("""
    from typing import overload
    @overload
    async def fetch(x: int) -> int: ...
    def fetch(x):
        return x
    fetch(1)  # <-
    """) is None


# -- other resolver questions ---------------------------------------------------------


def test_qualified_name():
    src = """
    import asyncio as aio
    from concurrent import futures
    aio.gather()  # <-
    futures.ThreadPoolExecutor()  # <2
    """
    facts = facts_for(src)
    path = call_path(facts, src)
    assert facts.resolver.qualified_name(path[-1].func, facts.scope(path)) == "asyncio.gather"
    path = call_path(facts, src, "# <2")
    assert facts.resolver.qualified_name(path[-1].func, facts.scope(path)) == \
        "concurrent.futures.ThreadPoolExecutor"


def test_qualified_name_of_local_def_is_none():
    src = """
    def gather(): pass
    gather()  # <-
    """
    facts = facts_for(src)
    path = call_path(facts, src)
    assert facts.resolver.qualified_name(path[-1].func, facts.scope(path)) is None


def test_coroutine_function_reference_without_call():
    src = """
    import threading
    async def work(): pass
    threading.Thread(target=work)  # <-
    """
    facts = facts_for(src)
    path = call_path(facts, src)
    target = path[-1].keywords[0].value
    assert facts.resolver.coroutine_function(target, facts.scope(path)) is not None


def test_non_call_is_not_a_coroutine_call():
    src = """
    async def work(): pass
    x = work  # <-
    """
    facts = facts_for(src)
    path = name_path(facts, src, "work")
    assert facts.resolver.coroutine_call(path[-1], facts.scope(path)) is None


def test_call_of_call_result_is_not_resolved():
    assert callee("""
    async def work(): pass
    factory()()  # <-
    """) is None


def test_deep_attribute_chain_does_not_recurse_too_deep():
    src = "import asyncio\nasyncio" + ".x" * 1500 + ".sleep(1)  # <-\n"
    # asyncio.x.x...sleep is not asyncio.sleep; what matters is no RecursionError
    assert callee(src) is None


def test_deep_attribute_chain_through_self():
    src = textwrap.dedent("""
    class C:
        async def f(self):
            self""") + ".a" * 1500 + ".b()  # <-\n"
    assert callee(src) is None


# -- the cheap name test before resolving ------------------------------------------------------

OFFERING = '''
import asyncio
from .client import fetch as download, parse as read
from .client import (
    close as shut,
)
fetch_alias = download
handler: object = make_handler()

async def ping():
    pass

class Client:
    get = ping
    if x == y:
        pass
'''


@pytest.mark.parametrize("build", ["text", "tree"])
def test_offered_names_follow_aliases_of_coroutine_functions(build):
    from flake8_async_patterns.analysis.offered import OfferedNames

    source = textwrap.dedent(OFFERING)
    offered = OfferedNames.of_text(source) if build == "text" else OfferedNames.of_tree(ast.parse(source))
    # `ping` is defined here; `handler` is bound at module level by a call (astroid may know);
    # `fetch` is offered by another module: its aliases follow it
    names = offered.names(frozenset({"fetch"}))
    assert {"ping", "get", "handler", "fetch", "download", "fetch_alias"} <= names
    # `parse`/`close` are not known to be coroutine functions, so neither are their aliases
    assert not {"read", "shut", "parse", "close", "x", "Client"} & names


def test_a_call_whose_name_nothing_offers_is_not_resolved():
    """The resolver does not even build the scope for a name no module offers."""
    source = """
        async def fetch():
            pass

        def main():
            fetch()
            render()
    """
    facts = facts_for(source)
    calls = [n for n in ast.walk(facts.tree) if isinstance(n, ast.Call)]
    names = {c.func.id: facts.resolver.may_be_coroutine_function(c.func) for c in calls}
    assert names == {"fetch": True, "render": False}


def test_unsaved_text_offers_its_own_new_coroutine_functions(tmp_path):
    """An editor lints text that is not on disk yet: a coroutine function only that text
    defines is still found (the project's index read the file as it was on disk)."""
    from flake8_async_patterns.source import lint_source

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    module = tmp_path / "pkg" / "mod.py"
    module.write_text("def old():\n    pass\n")
    edited = "async def brand_new_name():\n    pass\n\n\ndef main():\n    brand_new_name()\n"
    found = lint_source(edited, str(module), Settings(), frozenset({"ASP101"}))
    assert [(f.line, f.code) for f in found] == [(6, "ASP101")]


def test_unsaved_text_leaves_the_project_index_as_it_is_on_disk(tmp_path):
    """The names the unsaved text adds are its own: the index other files are checked
    against still says what the files on disk say."""
    from flake8_async_patterns.analysis.external import project_offered
    from flake8_async_patterns.source import lint_source

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from .client import fetch as get\n")
    (tmp_path / "pkg" / "client.py").write_text("async def fetch():\n    pass\n")
    module = tmp_path / "pkg" / "mod.py"
    module.write_text("def old():\n    pass\n")
    edited = "from .client import fetch as unsaved_alias\n\n\ndef main():\n    unsaved_alias()\n"
    found = lint_source(edited, str(module), Settings(), frozenset({"ASP101"}))
    assert [(f.line, f.code) for f in found] == [(5, "ASP101")]
    assert "unsaved_alias" not in project_offered(str(module)).names(frozenset())
