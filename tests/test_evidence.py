"""The evidence sources of the resolver, each alone: annotations, installed packages,
receiver evidence (decorators are in test_analysis.py).  Each test asks the resolver about
the call on the line marked `# <-` and checks both the answer and the evidence it names."""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_async_patterns.analysis import ModuleFacts, external
from flake8_async_patterns.analysis.run import RUN
from flake8_async_patterns.settings import Settings
from test_analysis import MARK, call_path, callee


def evidence(source: str) -> str | None:
    found = callee(source)
    return None if found is None else found.evidence


CLIENT = """
from __future__ import annotations
import dataclasses
from typing import Annotated, Any, Optional, Union, TYPE_CHECKING
if TYPE_CHECKING:
    from typing import Awaitable
class Client:
    async def get(self): ...
    def url(self): ...
class Other:
    async def get(self): ...
    def url(self): ...
class SyncClient:
    def get(self): ...
class Child(Client):
    def get(self): ...
"""


@pytest.mark.parametrize("annotation", [
    "Client", "Optional[Client]", "Client | None", "Union[Client, None]", "'Client'", "Annotated[Client, 1]",
    "Union[Client, Other]", "'Optional[Client]'",
])
def test_parameter_annotations_name_the_class(annotation):
    assert evidence(CLIENT + f"""
async def main(c: {annotation}):
    c.get()  # <-
""") == "annotation"


@pytest.mark.parametrize("annotation", [
    "Any", "object", "Union[Client, SyncClient]", "Child", "list[Client]", "T", "'not valid ('",
])
def test_annotations_that_name_no_coroutine_method(annotation):
    assert callee(CLIENT + f"""
T = TypeVar("T")
async def main(c: {annotation}):
    c.get()  # <-
""") is None


def test_a_sync_method_of_an_annotated_class_is_not():
    assert callee(CLIENT + """
async def main(c: Client):
    c.url()  # <-
""") is None


def test_varargs_and_rebound_parameters_are_unknown():
    assert callee(CLIENT + """
async def main(*cs: Client):
    cs.get()  # <-
""") is None
    assert callee(CLIENT + """
async def main(c: Client):
    c = make()
    c.get()  # <-
""") is None


@pytest.mark.parametrize("body", [
    "c: Client = make()\n    c.get()  # <-",
    "c = build()\n    c.get()  # <-",
    "build().get()  # <-",
    "c = await connect()\n    c.get()  # <-",
])
def test_annotated_locals_and_return_annotations(body):
    assert evidence(CLIENT + f"""
def build() -> Client: ...
async def connect() -> Client: ...
async def main():
    {body}
""") == "annotation"


def test_an_unawaited_async_factory_is_not_its_result():
    assert callee(CLIENT + """
async def connect() -> Client: ...
async def main():
    c = connect()
    c.get()  # <-
""") is None


@pytest.mark.parametrize("declaration", [
    "client: Client",
    "client: Optional[Client] = None",
    "@property\n    def client(self) -> Client: ...",
])
def test_class_level_declarations_name_the_attribute_class(declaration):
    assert evidence(CLIENT + f"""
@dataclasses.dataclass
class Service:
    {declaration}
    async def run(self):
        self.client.get()  # <-
""") == "annotation"


def test_self_attribute_annotated_in_init():
    assert evidence(CLIENT + """
class Service:
    def __init__(self, make):
        self.client: Client = make()
    async def run(self):
        self.client.get()  # <-
""") == "annotation"


def test_a_declaration_in_a_base_class_counts():
    assert evidence(CLIENT + """
class Base:
    client: Client
class Service(Base):
    async def run(self):
        self.client.get()  # <-
""") == "annotation"


# -- receiver evidence ------------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    "await stream.read_block()\n    stream.read_block()  # <-",
    "stream.read_block()  # <-\n    await stream.read_block()",
    "while block := await stream.read_block():\n        pass\n    if stream.read_block():  # <-\n        pass",
    "await stream.conn.send(1)\n    stream.conn.send(2)  # <-",
])
def test_the_same_receiver_method_awaited_elsewhere_in_the_function(body):
    assert evidence(f"""
async def main(stream):
    {body}
""") == "receiver"


@pytest.mark.parametrize("source", [
    "async def other(stream):\n    await stream.read_block()\nasync def main(stream):\n    stream.read_block()  # <-",
    "async def main(a, b):\n    await a.read()\n    b.read()  # <-",
    "async def main(stream):\n    await stream.read()\n    stream = reopen()\n    stream.read()  # <-",
    "async def main(loop):\n    await loop.run_in_executor(None, f)\n    loop.run_in_executor(None, f)  # <-",
    "async def main(stream):\n    stream.read()  # <-",
    "async def main(stream):\n    def inner():\n        stream.read()  # <-\n    await stream.read()",
])
def test_not_receiver_evidence(source):
    assert callee(source) is None


def test_an_awaited_call_is_not_its_own_evidence():
    source = "async def main(stream):\n    await stream.read_block()  # <-\n"
    facts = ModuleFacts(ast.parse(source), Settings(), "<test>", source)
    path = call_path(facts, source, MARK)
    assert facts.resolver.coroutine_call(path[-1], facts.scope(path)) is None


# -- installed packages ---------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path, monkeypatch):
    """A folder of "installed" packages on sys.path, and a project beside it."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    external.package_roots.cache_clear()
    external.installed_module.cache_clear()
    external._with_packages.cache_clear()
    external._package_offered.cache_clear()
    yield folder
    external.package_roots.cache_clear()
    external.installed_module.cache_clear()
    external._with_packages.cache_clear()
    external._package_offered.cache_clear()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def resolve_in_project(tmp_path: Path, source: str, tri_state: bool = False):
    """coroutine_call of the marked call (with `tri_state`: callee_of, False for "surely not")."""
    module = write(tmp_path / "project", "main.py", source)
    text = module.read_text(encoding="utf-8")
    facts = ModuleFacts(ast.parse(text), Settings(), str(module), text)
    path = call_path(facts, text, MARK)
    if tri_state:
        return facts.resolver.callee_of(path[-1].func, facts.scope(path))
    return facts.resolver.coroutine_call(path[-1], facts.scope(path))


def test_a_package_method_through_a_re_export_and_an_annotation(site, tmp_path):
    write(site, "fakebot/__init__.py", "from .client import Bot\n")
    write(site, "fakebot/client.py", """
        from .base import Base
        class Bot(Base):
            async def send_message(self, text): ...
            def format_text(self, text): ...
    """)
    write(site, "fakebot/base.py", "class Base:\n    async def close(self): ...\n")
    for call, expected in [("send_message", "annotation"), ("close", "annotation"), ("format_text", None)]:
        found = resolve_in_project(tmp_path, f"""
            from fakebot import Bot
            async def main(bot: Bot):
                bot.{call}("hi")  # <-
        """)
        assert (found and found.evidence) == expected, call


def test_a_package_function_and_a_local_instance(site, tmp_path):
    write(site, "fakebot/__init__.py", "async def fetch_updates(): ...\nclass Bot:\n    async def stop(self): ...\n")
    found = resolve_in_project(tmp_path, "import fakebot\nasync def main():\n    fakebot.fetch_updates()  # <-\n")
    assert found is not None and found.evidence == "package" and found.name == "fakebot.fetch_updates"
    found = resolve_in_project(tmp_path,
                               "import fakebot\nasync def main():\n    b = fakebot.Bot()\n    b.stop()  # <-\n")
    assert found is not None and found.evidence == "package"


def test_stubs_come_before_the_source(site, tmp_path):
    write(site, "stubbed/__init__.py", "def __getattr__(name):\n    return make(name)\n")
    write(site, "stubbed/__init__.pyi", """
        from typing import Any, Coroutine
        class Conn:
            async def query(self, sql: str) -> list: ...
            def execute(self, sql: str) -> Coroutine[Any, Any, int]: ...
            def cursor(self) -> object: ...
    """)
    for call, resolved in [("query", True), ("execute", True), ("cursor", False)]:
        found = resolve_in_project(tmp_path, f"""
            from stubbed import Conn
            async def main(conn: Conn):
                conn.{call}("select 1")  # <-
        """)
        assert (found is not None) == resolved, call


def test_a_package_that_is_not_installed_is_unknown(site, tmp_path):
    assert resolve_in_project(tmp_path, """
        from notinstalled import Bot
        async def main(bot: Bot):
            bot.send_message("hi")  # <-
    """) is None


def test_the_standard_library_is_never_read_as_a_package():
    assert external.locate(["json", "dumps"], __file__) is None
    assert not any(Path(root).name.startswith("python3") for root in external.package_roots())


def test_an_attribute_assigned_from_an_annotated_parameter():
    assert evidence(CLIENT + """
class Service:
    def __init__(self, client: Client, *, other: Other, plain):
        self.client = client
        self.other = other
        self.plain = plain
    async def run(self):
        self.client.get()  # <-
""") == "annotation"
    assert evidence(CLIENT + """
class Service:
    def __init__(self, *, other: Optional[Other] = None):
        self.other = other
    async def run(self):
        self.other.get()  # <-
""") == "annotation"
    assert callee(CLIENT + """
class Service:
    def __init__(self, plain):
        self.plain = plain
    async def run(self):
        self.plain.get()  # <-
""") is None


@pytest.mark.parametrize("source", [
    "async def main(c, is_async):\n    if is_async:\n        await c.close()\n    else:\n        c.close()  # <-",
    "async def main(c):\n    if isinstance(c, Async):\n        await c.get()\n    elif c:\n        pass\n    else:\n"
    "        c.get()  # <-",
    "async def main(c, a):\n    x = c.get() if a else (await c.get())  # <-",
    "async def main(c):\n    match c:\n        case 1:\n            await c.get()\n"
    "        case _:\n            c.get()  # <-",
])
def test_awaited_and_unawaited_in_different_branches_are_not_evidence(source):
    """Code written for sync and async clients alike: each branch calls its own kind."""
    assert callee(source) is None


def test_a_branch_and_the_code_after_it_can_both_run():
    assert evidence("async def main(c, a):\n    if a:\n        await c.get()\n    c.get()  # <-\n") == "receiver"


def test_verbose_says_what_resolved_each_call_and_which_packages_were_read(tmp_path):
    import os
    import subprocess
    import sys

    site = tmp_path / "site"
    write(site, "fakebot/__init__.py", "from .client import Bot\n")
    write(site, "fakebot/client.py", "class Bot:\n    async def send_message(self, text): ...\n")
    project = tmp_path / "project"
    write(project, "main.py", """
        from fakebot import Bot
        async def main(bot: Bot, stream):
            bot.send_message("hi")
            stream.read()
            await stream.read()
    """)
    (project / "pyproject.toml").write_text("[tool.async-patterns]\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-m", "flake8_async_patterns", "check", "--verbose", "main.py"],
                          capture_output=True, text=True, cwd=project, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith("[resolved from annotation: fakebot.Bot.send_message]"), lines
    assert lines[1].endswith("[resolved from receiver: stream.read]"), lines
    assert "installed packages read to resolve calls: fakebot (2 modules)" in done.stderr
    quiet = subprocess.run([sys.executable, "-m", "flake8_async_patterns", "check", "main.py"],
                           capture_output=True, text=True, cwd=project, env=env, timeout=120)
    assert "[resolved" not in quiet.stdout and "installed packages" not in quiet.stderr


def test_what_follows_an_if_that_returns_is_its_else():
    """openai's tests: `if isinstance(c, Async): return await c.run(r)` then `return c.run(r)`."""
    assert callee("async def main(c, a):\n    if a:\n        return await c.run()\n    return c.run()  # <-\n") is None
    assert callee("async def main(c, a):\n    for x in a:\n        if x:\n            await c.run()\n"
                  "            continue\n        c.run()  # <-\n") is None
    assert evidence("async def main(c, a):\n    if a:\n        await c.run()\n        log()\n    c.run()  # <-\n") \
        == "receiver"


def test_two_ifs_on_the_same_test_take_the_same_branch():
    assert callee("async def main(c, a):\n    if isinstance(c, S):\n        r = c.run()\n    else:\n"
                  "        r = await c.run()\n    if isinstance(c, S):\n        c.run()  # <-\n") is None


@pytest.mark.parametrize("body", [
    "async with Pool() as c:\n        c.get()  # <-",
    "async with make() as c:\n        c.get()  # <-",
    "with open_sync() as c:\n        c.get()  # <-",
])
def test_what_a_context_manager_enters_by_its_annotation(body):
    assert evidence(CLIENT + f"""
from typing import Self
class Manager:
    async def __aenter__(self) -> Client: ...
class SyncManager:
    def __enter__(self) -> "Client": ...
class Pool:
    async def __aenter__(self) -> Self: ...
    async def get(self): ...
def make() -> Manager: ...
def open_sync() -> SyncManager: ...
async def main():
    {body}
""") == "annotation"


def test_entering_without_an_annotation_is_unknown():
    assert callee(CLIENT + """
class Manager:
    async def __aenter__(self): ...
async def main():
    async with Manager() as c:
        c.get()  # <-
""") is None


def test_a_chain_of_calls_into_a_package(site, tmp_path):
    write(site, "fakedb/__init__.py", "from .engine import Engine\n")
    write(site, "fakedb/engine.py", """
        from typing import Self
        class Connection:
            async def execute(self, sql): ...
            def close(self): ...
        class Engine:
            async def connect(self) -> Connection: ...
            async def __aenter__(self) -> Self: ...
    """)
    for body, expected in [
        ("engine = fakedb.Engine()\n    conn = await engine.connect()\n    conn.execute('x')  # <-", True),
        ("engine = fakedb.Engine()\n    conn = await engine.connect()\n    conn.close()  # <-", False),
        ("async with fakedb.Engine() as engine:\n        engine.connect()  # <-", True),
    ]:
        found = resolve_in_project(tmp_path, f"import fakedb\nasync def main():\n    {body}\n")
        assert (found is not None) == expected, body


def test_a_sync_override_in_the_module_makes_an_annotated_method_unknown():
    """aiohttp's tests: `resp = await req.send(conn)` is annotated ClientResponse, but the test
    passes a subclass of its own whose `read` is a plain def."""
    assert callee(CLIENT + """
async def main(make):
    class Custom(Other):
        def get(self):
            return "customized"
    c: Other = make(Custom)
    c.get()  # <-
""") is None
    assert evidence(CLIENT + """
class Custom(Other):
    def get(self):
        return "a subclass elsewhere in the module does not say what this value is"
async def main(c: Other):
    c.get()  # <-
""") == "annotation"


def test_a_fifo_in_the_project_does_not_block_the_name_index(tmp_path):
    """The index reads every module of the project: a FIFO named like one is never opened."""
    import os
    import subprocess
    import sys

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    project = tmp_path / "project"
    write(project, "main.py", "async def fetch(): ...\nasync def main():\n    fetch()\n")
    os.mkfifo(project / "pipe.py")
    (project / "pyproject.toml").write_text("[tool.async-patterns]\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "flake8_async_patterns", "check", "main.py"],
                          capture_output=True, text=True, cwd=project, timeout=60)
    assert done.returncode == 1 and "ASP101" in done.stdout, done.stderr


def known(source: str):
    """callee_of: a Callee, False (surely no coroutine function) or None (unknown), asked as
    bench/reach.py asks it: of an awaited call."""
    from test_analysis import facts_for

    facts = facts_for(source)
    path = call_path(facts, source)
    return facts.resolver.callee_of(path[-1].func, facts.scope(path))


CALLABLES = CLIENT + """
from typing import Protocol, overload
class Factory(Protocol):
    @overload
    async def __call__(self, x: int) -> Client: ...
    @overload
    async def __call__(self, x: str) -> Client: ...
class Mixed(Protocol):
    @overload
    async def __call__(self, x: int) -> Client: ...
    @overload
    def __call__(self, x: str) -> Client: ...
class Plain:
    def __call__(self) -> Awaitable[int]: ...
class Handler:
    async def __call__(self): ...
"""


@pytest.mark.parametrize("call", ["make(1)", "handler()", "Handler()()"])
def test_calling_an_instance_runs_its_classs_call(call):
    assert evidence(CALLABLES + f"""
async def main(make: Factory, handler: Handler):
    {call}  # <-
""") in ("annotation", "module")


@pytest.mark.parametrize("call, answer", [
    ("plain()", False), ("mixed(1)", False), ("Client()", False), ("c.url()", False), ("c.get()", True),
    ("unknown.get()", None), ("anything()", None), ("len(c)", None),
])
def test_callee_of_tells_known_from_unknown(call, answer):
    found = known(CALLABLES + f"""
async def main(plain: Plain, mixed: Mixed, c: Client, unknown, anything: Any):
    await {call}  # <-
""")
    assert (bool(found) if found else found) is answer


def mixins(site):
    write(site, "mixpkg/__init__.py", """
        from .sync import Commands
        from .aio import AsyncCommands
        class Search(Commands):
            pass
        class AsyncSearch(Search, AsyncCommands):
            pass
    """)
    write(site, "mixpkg/sync.py", "class Commands:\n    def search(self): ...\n    def info(self): ...\n")
    write(site, "mixpkg/aio.py", """
        from .sync import Commands
        class AsyncCommands(Commands):
            async def search(self): ...
    """)


def test_the_mro_of_a_package_class_is_linearized_across_its_modules(site, tmp_path):
    mixins(site)
    origin = str(write(tmp_path / "project", "main.py", "import mixpkg\n"))
    found = external.linearization("mixpkg.AsyncSearch", origin, Settings())
    assert [name for name, _ in found] == ["mixpkg.AsyncSearch", "mixpkg.Search", "mixpkg.aio.AsyncCommands",
                                           "mixpkg.sync.Commands"]


@pytest.mark.parametrize("call, coroutine", [("s.search()", True), ("s.info()", False), ("plain.search()", False)])
def test_a_method_of_a_diamond_of_mixins_in_other_modules(site, tmp_path, call, coroutine):
    mixins(site)
    found = resolve_in_project(tmp_path, f"""
        from mixpkg import AsyncSearch, Search
        async def main(s: AsyncSearch, plain: Search):
            {call}  # <-
    """)
    assert (found is not None) is coroutine


def test_a_base_that_cannot_be_read_hides_what_the_other_bases_inherit(site, tmp_path):
    mixins(site)
    # C3 may put the unknown base before Commands: only the bases named before it are sure
    source = """
        from mixpkg import Search
        from nowhere import Unknown
        class Mine(Search{bases}):
            pass
        async def main(m: Mine):
            await m.info()  # <-
    """
    assert resolve_in_project(tmp_path, source.format(bases=""), tri_state=True) is False
    assert resolve_in_project(tmp_path, source.format(bases=", Unknown"), tri_state=True) is None


def test_a_base_named_by_an_alias_is_the_class_it_names(site, tmp_path):
    mixins(site)
    write(site, "mixpkg/aliases.py", """
        from .aio import AsyncCommands
        from .sync import Commands
        AsyncKeys = AsyncCommands
        Keys = Commands
        class AsyncClient(AsyncKeys):
            pass
        class Client(Keys):
            pass
    """)
    origin = str(write(tmp_path / "project", "main.py", "import mixpkg\n"))
    found = external.linearization("mixpkg.aliases.AsyncClient", origin, Settings())
    assert [name for name, _ in found] == ["mixpkg.aliases.AsyncClient", "mixpkg.aio.AsyncCommands",
                                           "mixpkg.sync.Commands"]
    source = """
        from mixpkg.aliases import AsyncClient, Client
        async def main(a: AsyncClient, s: Client):
            await {call}  # <-
    """
    assert resolve_in_project(tmp_path, source.format(call="a.search()"), tri_state=True)
    assert resolve_in_project(tmp_path, source.format(call="s.search()"), tri_state=True) is False


# -- pytest fixtures ------------------------------------------------------------------------------

def lint_in(tmp_path: Path, files: dict[str, str], target: str) -> list[tuple[int, str, str]]:
    """Findings of `target` (with its evidence) in a project written under tmp_path."""
    from flake8_async_patterns.source import lint_source

    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    path = tmp_path / target
    RUN.clear()
    findings = lint_source(path.read_text(encoding="utf-8"), str(path), Settings(), frozenset({"ASP101"}))
    return [(f.line, f.code, f.fix.get("evidence")) for f in findings]


FIXTURE_CLIENT = """
    class Client:
        async def get(self): ...
"""


def test_fixture_of_a_conftest_above_the_test(tmp_path: Path):
    files = {
        "client.py": FIXTURE_CLIENT,
        "conftest.py": "import pytest\nfrom client import Client\n\n"
                       "@pytest.fixture\ndef client():\n    return Client()\n",
        "tests/test_x.py": "async def test_a(client):\n    client.get()\n",
    }
    assert lint_in(tmp_path, files, "tests/test_x.py") == [(2, "ASP101", "fixture")]


def test_a_conftest_above_the_project_root_is_not_read(tmp_path: Path):
    files = {
        "client.py": FIXTURE_CLIENT,
        "conftest.py": "import pytest\nfrom client import Client\n\n"
                       "@pytest.fixture\ndef client():\n    return Client()\n",
        "inner/pyproject.toml": "",
        "inner/test_x.py": "async def test_a(client):\n    client.get()\n",
    }
    assert lint_in(tmp_path, files, "inner/test_x.py") == []


def test_a_fixture_named_in_pytest_plugins(tmp_path: Path):
    files = {
        "client.py": FIXTURE_CLIENT,
        "helpers/__init__.py": "",
        "helpers/fixtures.py": "import pytest\nfrom client import Client\n\n"
                               "@pytest.fixture\nasync def client():\n    yield Client()\n",
        "conftest.py": "pytest_plugins = ['helpers.fixtures']\n",
        "test_x.py": "async def test_a(client):\n    client.get()\n",
    }
    assert lint_in(tmp_path, files, "test_x.py") == [(2, "ASP101", "fixture")]


def test_two_plugins_defining_one_fixture_are_unsure(tmp_path: Path):
    plugin = "import pytest\nfrom client import Client\n\n@pytest.fixture\ndef client():\n    return Client()\n"
    files = {
        "client.py": FIXTURE_CLIENT,
        "one.py": plugin,
        "two.py": plugin,
        "conftest.py": "pytest_plugins = ['one', 'two']\n",
        "test_x.py": "async def test_a(client):\n    client.get()\n",
    }
    assert lint_in(tmp_path, files, "test_x.py") == []


def test_a_file_that_is_not_a_test_module_gets_no_fixtures(tmp_path: Path):
    files = {
        "client.py": FIXTURE_CLIENT,
        "conftest.py": "import pytest\nfrom client import Client\n\n"
                       "@pytest.fixture\ndef client():\n    return Client()\n",
        "helpers.py": "async def test_a(client):\n    client.get()\n",
    }
    assert lint_in(tmp_path, files, "helpers.py") == []


def test_pytest11_entry_points_are_read():
    from flake8_async_patterns.analysis.fixtures import _pytest11

    text = "[console_scripts]\nx = a:b\n\n[pytest11]\naiohttp = pytest_aiohttp.plugin\nother = pkg.mod:obj\n"
    assert _pytest11(text) == ["pytest_aiohttp.plugin", "pkg.mod"]
