"""analysis/tasks.py alone: which calls make a task that their caller must keep.  Each test asks
about the call on the line marked `# <-`."""
from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_async_patterns.analysis import ModuleFacts
from flake8_async_patterns.analysis.tasks import is_task_annotation, returns_task, task_call
from flake8_async_patterns.settings import Settings
from test_analysis import call_path


def facts_for(source: str, filename: str = "<test>") -> ModuleFacts:
    source = textwrap.dedent(source)
    facts = ModuleFacts(ast.parse(source), Settings(), filename, source=source)
    for node in ast.walk(facts.tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            facts.record_import(node)  # as the engine does while it walks
    return facts


def made(source: str, filename: str = "<test>", awaited: bool = False):
    facts = facts_for(source, filename)
    path = call_path(facts, source)
    call = path[-1].value if isinstance(path[-1], ast.Await) else path[-1]
    return task_call(call, facts.resolver, facts.scope(path), awaited=awaited)


def function_returns_task(source: str, name: str) -> bool:
    facts = facts_for(source)
    module = facts.scope([facts.tree])
    (binding,) = module.bindings[name]
    return returns_task(binding.node, facts.resolver, facts.child_scope(binding.node, module))


HEADER = """
import asyncio
from typing import Any, Coroutine, Optional
_tasks = set()
"""


@pytest.mark.parametrize("body", [
    "return asyncio.create_task(coro)",
    "return asyncio.ensure_future(coro)",
    "return asyncio.get_running_loop().create_task(coro)",
    "return asyncio.gather(coro, coro)",
    "task = asyncio.create_task(coro)\n    return task",
    "if not coro:\n        return None\n    return asyncio.create_task(coro)",
    "return asyncio.create_task(coro) if coro else None",
])
def test_a_body_that_returns_a_task_nobody_else_holds(body):
    assert function_returns_task(HEADER + f"def spawn(coro):\n    {body}\n", "spawn")


@pytest.mark.parametrize("body", [
    "task = asyncio.create_task(coro)\n    _tasks.add(task)\n    return task",  # a registry keeps it
    "task = asyncio.create_task(coro)\n    task.add_done_callback(print)\n    return task",
    "global last\n    last = asyncio.create_task(coro)\n    return last",
    "return coro.group.create_task(coro)",  # a task group's task
    "return asyncio.ensure_future(asyncio.get_running_loop().create_future())",
    "return asyncio.get_running_loop().run_in_executor(None, coro)",
    "return asyncio.current_task()",
    "return keep(asyncio.create_task(coro))",  # handed to someone who may keep it
    "asyncio.create_task(coro)",  # returns nothing
    "return coro",  # the caller's own value
    "yield asyncio.create_task(coro)",  # a generator
    "return _tasks[coro]",
])
def test_a_body_that_keeps_its_task_or_makes_none(body):
    assert not function_returns_task(HEADER + f"def spawn(coro):\n    {body}\n", "spawn")


@pytest.mark.parametrize("returns, expected", [
    ("asyncio.Task", True),
    ("Optional[asyncio.Task]", True),
    ("asyncio.Task[int] | None", True),
    ("'asyncio.Task[int]'", True),
    ("asyncio.Future", False),  # also how completion signals are handed out
    ("int", False),
    ("Optional[int]", False),
])
def test_the_annotation_of_a_function_whose_body_cannot_tell(returns, expected):
    source = HEADER + f"def spawn(coro: Coroutine[Any, Any, None]) -> {returns}:\n    return make(coro)\n"
    assert function_returns_task(source, "spawn") is expected
    stub = HEADER + f"def spawn(coro: 'Coroutine[Any, Any, None]') -> {returns}: ...\n"
    assert function_returns_task(stub, "spawn") is expected


def test_an_annotated_function_given_no_work_is_a_lookup():
    assert not function_returns_task(HEADER + "def root() -> asyncio.Task:\n    return find()\n", "root")
    assert not function_returns_task(HEADER + "def named(name: str) -> asyncio.Task: ...\n", "named")


def test_a_decorator_that_cannot_be_read_hides_what_is_returned():
    source = HEADER + "@cached\ndef spawn(coro):\n    return asyncio.create_task(coro)\n"
    assert not function_returns_task(source, "spawn")
    source = HEADER + "class C:\n    @staticmethod\n    def spawn(coro):\n        return asyncio.create_task(coro)\n"
    assert made(source + "C.spawn(None)  # <-\n") is None  # not `self.` or a module: not resolved


def test_task_annotations():
    facts = facts_for(HEADER + "import typing\nfrom asyncio import Task\n")
    scope = facts.scope([facts.tree])

    def annotation(text):
        return ast.parse(text, mode="eval").body

    assert is_task_annotation(annotation("Task"), facts.resolver, scope)
    assert is_task_annotation(annotation("typing.Optional[Task[None]]"), facts.resolver, scope)
    assert not is_task_annotation(annotation("Task | int"), facts.resolver, scope)
    assert not is_task_annotation(None, facts.resolver, scope)


def test_calls_in_the_same_module():
    source = HEADER + """
def spawn(coro):
    return asyncio.create_task(coro)
def spawn_again(coro):
    return spawn(coro)
class Pool:
    def start(self, coro):
        return asyncio.get_running_loop().create_task(coro)
    def run(self, coro):
        self.start(coro)  # <-
"""
    assert made(source).name == "self.start"
    assert made(HEADER + "def spawn(coro):\n    return spawn_again(coro)\n"
                "def spawn_again(coro):\n    return asyncio.ensure_future(coro)\nspawn(None)  # <-\n").name == "spawn"
    assert made(HEADER + "asyncio.gather(a(), b())  # <-\n").gather
    assert made(HEADER + "def spawn(coro):\n    return spawn(coro)\nspawn(None)  # <-\n") is None  # a cycle


def test_an_async_def_returns_its_task_when_awaited():
    source = HEADER + "async def start(coro: Coroutine) -> asyncio.Task:\n    return asyncio.create_task(coro)\n"
    assert made(source + "async def main():\n    await start(None)  # <-\n", awaited=True).name == "start"
    assert made(source + "start(None)  # <-\n") is None  # not awaited: a coroutine (ASP101)


def test_other_modules_and_re_exports(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from ._compat import create_task, spawn\n")
    (tmp_path / "pkg" / "_compat.py").write_text(textwrap.dedent("""
        import asyncio
        from asyncio import create_task
        ensure = asyncio.ensure_future
        def spawn(coro):
            return create_task(coro)
        def kept(coro):
            task = create_task(coro)
            TASKS.add(task)
            return task
    """))
    filename = str(tmp_path / "app.py")

    def ask(line):
        source = f"import pkg\nfrom pkg import _compat\nfrom pkg._compat import ensure, kept\n{line}  # <-\n"
        return made(source, filename)

    assert ask("pkg.create_task(work())").factory
    assert ask("pkg.spawn(work())").name == "pkg.spawn"
    assert ask("_compat.spawn(work())").evidence == "project"
    assert ask("ensure(work())").factory
    assert ask("ensure(future)") is None  # ensure_future of a name: maybe a future kept elsewhere
    assert ask("kept(work())") is None
    assert ask("pkg.missing(work())") is None
