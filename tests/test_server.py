"""The language server, driven over stdio by pytest-lsp's client as an editor drives it.

Each test starts `python -m flake8_async_patterns server` in a process of its own, opens
documents, waits for the diagnostics it publishes, asks for code actions and applies their
edits the way an editor does, then checks that the diagnostics that follow are clean.
"""
from __future__ import annotations

import asyncio
import os
import sys
import textwrap
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from flake8_async_patterns.registry import Finding
from flake8_async_patterns.server import with_noqa

BUGGY = textwrap.dedent("""\
    import asyncio


    async def fetch(url):
        await asyncio.sleep(0)
        return url


    async def main():
        fetch("https://example.com")
        return 1
    """)

FANOUT = textwrap.dedent("""\
    import asyncio


    async def check_link(url):
        await asyncio.sleep(0)
        return True


    async def check_links(urls):
        return await asyncio.gather(*(check_link(url) for url in urls))
    """)

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "flake8_async_patterns", "server"],
                            server_env={**os.environ, "PYTHONPATH": str(Path(__file__).parent / "site")})


def initialize_params(root: Path, options: dict | None = None) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=types.ClientCapabilities(text_document=types.TextDocumentClientCapabilities(
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(value_set=list(types.CodeActionKind)))))),
        root_uri=root.as_uri(), initialization_options=options)


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.async-patterns]\n", encoding="utf-8")
    await lsp_client.initialize_session(initialize_params(tmp_path))
    lsp_client.root = tmp_path
    yield
    await lsp_client.shutdown_session()


class Document:
    """A document the test edits as an editor would: its text and version on the client."""

    def __init__(self, client: LanguageClient, path: Path, text: str) -> None:
        self.client, self.uri, self.text, self.version = client, path.as_uri(), text, 1

    async def open(self) -> list[types.Diagnostic]:
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=self.uri, language_id="python", version=1, text=self.text)))
        return await self.diagnostics()

    async def diagnostics(self) -> list[types.Diagnostic]:
        while True:
            await asyncio.wait_for(self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 60)
            if self.uri in self.client.diagnostics:
                return list(self.client.diagnostics.pop(self.uri))

    async def change(self, text: str) -> list[types.Diagnostic]:
        self.text, self.version = text, self.version + 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        return await self.diagnostics()

    async def actions(self, at: types.Range, diagnostics: list[types.Diagnostic],
                      only: list[str] | None = None) -> list[types.CodeAction]:
        result = await self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri), range=at,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only)))
        return [a for a in result or [] if isinstance(a, types.CodeAction)]

    def applied(self, action: types.CodeAction) -> str:
        """The text after the action's edit, applied as an editor applies it."""
        (change,) = action.edit.document_changes
        assert change.text_document.uri == self.uri and change.text_document.version == self.version
        text = self.text
        for edit in sorted(change.edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            start, end = offset(text, edit.range.start), offset(text, edit.range.end)
            text = text[:start] + edit.new_text + text[end:]
        return text


def offset(text: str, position: types.Position) -> int:
    """The index in `text` of an LSP position (UTF-16 columns)."""
    lines = text.splitlines(keepends=True)
    before = sum(len(line) for line in lines[:position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for index, char in enumerate(line):
        if units >= position.character:
            return before + index
        units += 2 if ord(char) > 0xFFFF else 1
    return before + len(line.rstrip("\r\n")) if units >= position.character else before + len(line)


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


@pytest.mark.asyncio
async def test_diagnostics_then_the_quick_fix_makes_the_file_clean(client: LanguageClient):
    document = Document(client, client.root / "app.py", BUGGY)
    diagnostics = await document.open()
    assert codes(diagnostics) == ["ASP101"]
    (found,) = diagnostics
    assert found.source == "async-patterns" and found.severity == types.DiagnosticSeverity.Warning
    assert (found.range.start.line, found.range.start.character) == (9, 4)  # `fetch(...)`, 0-based
    assert found.range.end.line == 9 and found.range.end.character > found.range.start.character
    assert found.code_description is not None and found.code_description.href.endswith("ASP101.md")

    actions = await document.actions(found.range, diagnostics)
    fixes = [a for a in actions if a.title.startswith("Fix ASP101")]
    assert len(fixes) == 1 and fixes[0].is_preferred and fixes[0].kind == types.CodeActionKind.QuickFix
    fixed = document.applied(fixes[0])
    assert '    await fetch("https://example.com")\n' in fixed
    assert await document.change(fixed) == []


@pytest.mark.asyncio
async def test_noqa_action_silences_the_line(client: LanguageClient):
    document = Document(client, client.root / "app.py", BUGGY)
    diagnostics = await document.open()
    actions = await document.actions(diagnostics[0].range, diagnostics)
    (noqa,) = [a for a in actions if a.title == "Disable ASP101 for this line"]
    assert not noqa.is_preferred
    text = document.applied(noqa)
    assert '    fetch("https://example.com")  # noqa: ASP101\n' in text
    assert await document.change(text) == []


@pytest.mark.asyncio
async def test_fix_all_source_action(client: LanguageClient):
    text = BUGGY + "\n\nasync def again():\n    fetch('a')\n    fetch('b')\n"
    document = Document(client, client.root / "app.py", text)
    diagnostics = await document.open()
    assert codes(diagnostics) == ["ASP101"] * 3
    everywhere = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    actions = await document.actions(everywhere, [], only=[types.CodeActionKind.SourceFixAll])
    assert [a.kind for a in actions] == ["source.fixAll.async-patterns"]
    assert await document.change(document.applied(actions[0])) == []
    quick = await document.actions(everywhere, [], only=[types.CodeActionKind.QuickFix])
    assert all(a.kind == types.CodeActionKind.QuickFix for a in quick)


@pytest.mark.asyncio
async def test_unsafe_fixes_only_when_the_settings_allow(client: LanguageClient):
    document = Document(client, client.root / "links.py", FANOUT)
    diagnostics = await document.open()
    assert codes(diagnostics) == ["ASP201"]
    actions = await document.actions(diagnostics[0].range, diagnostics)
    assert [a.title for a in actions] == ["Disable ASP201 for this line"]  # the fix is unsafe

    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"asyncPatterns": {"unsafeFixes": True}}))
    assert codes(await document.diagnostics()) == ["ASP201"]
    actions = await document.actions(diagnostics[0].range, diagnostics)
    (fix,) = [a for a in actions if a.title.startswith("Fix ASP201")]
    assert "unsafe" in fix.title and not fix.is_preferred
    assert await document.change(document.applied(fix)) == []


@pytest.mark.asyncio
async def test_unsaved_text_is_linted_and_syntax_errors_are_one_diagnostic(client: LanguageClient):
    path = client.root / "draft.py"  # never written to disk
    document = Document(client, path, "x = 1\n")
    assert await document.open() == []
    diagnostics = await document.change(BUGGY)
    assert codes(diagnostics) == ["ASP101"]
    (broken,) = await document.change("async def f(:\n    pass\n")
    assert broken.code == "E999" and broken.severity == types.DiagnosticSeverity.Error
    assert broken.range.start.line == 0
    assert not path.exists()


@pytest.mark.asyncio
async def test_configuration_of_the_nearest_pyproject_and_settings_override(client: LanguageClient):
    sub = client.root / "legacy"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[tool.async-patterns]\nignore = ["ASP101"]\n', encoding="utf-8")
    quiet = Document(client, sub / "old.py", BUGGY)
    assert await quiet.open() == []
    loud = Document(client, client.root / "new.py", BUGGY)
    assert codes(await loud.open()) == ["ASP101"]

    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"asyncPatterns": {"ignore": ["ASP1"]}}))
    published = {}
    while len(published) < 2:
        await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 60)
        published.update(client.diagnostics)
    assert list(published[loud.uri]) == [] and list(published[quiet.uri]) == []


@pytest.mark.asyncio
async def test_a_saved_module_is_read_again(client: LanguageClient):
    package = client.root / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "client.py").write_text("async def fetch(url):\n    return url\n", encoding="utf-8")
    service = Document(client, package / "service.py",
                       "from .client import fetch\n\n\nasync def order():\n    fetch('x')\n")
    assert codes(await service.open()) == ["ASP101"]

    (package / "client.py").write_text("def fetch(url):\n    return url\n", encoding="utf-8")
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=(package / "client.py").as_uri())))
    assert await service.diagnostics() == []


@pytest.mark.asyncio
async def test_bad_settings_are_one_message_and_the_server_goes_on(client: LanguageClient):
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"asyncPatterns": {"select": ["XYZ9"], "unsafeFixes": "yes"}}))
    document = Document(client, client.root / "app.py", BUGGY)
    assert codes(await document.open()) == ["ASP101"]
    messages = [m.message for m in client.messages]
    assert any("select: not a rule code or prefix: XYZ9" in m for m in messages), messages
    assert any("unsafeFixes: expected true or false" in m for m in messages), messages


def test_positions_count_utf16_units():
    from flake8_async_patterns.server import _utf16

    line = 'x = "é😀"; fetch()'
    assert _utf16(line, len('x = "é😀"; '.encode("utf-8"))) == len('x = "é"; ') + 2


def finding(line: int, code: str = "ASP101") -> Finding:
    return Finding(code, line, 0, "message")


@pytest.mark.parametrize(("text", "line", "expected"), [
    ("fetch()\n", 1, "fetch()  # noqa: ASP101\n"),
    ("fetch()  # why\n", 1, "fetch()  # why  # noqa: ASP101\n"),
    ("fetch()  # noqa: ASP102\n", 1, "fetch()  # noqa: ASP102, ASP101\n"),
    ("fetch(\n    1,\n)\n", 1, "fetch(\n    1,\n)  # noqa: ASP101\n"),
    ('fetch("""\n""")\n', 1, 'fetch("""\n""")  # noqa: ASP101\n'),
    ("fetch()", 1, "fetch()  # noqa: ASP101"),
])
def test_noqa_goes_where_flake8_reads_it(text: str, line: int, expected: str):
    assert with_noqa(text, finding(line)) == expected


@pytest.mark.parametrize("text", ["fetch()  # noqa\n", "fetch()  # noqa: ASP101\n"])
def test_noqa_already_there(text: str):
    assert with_noqa(text, finding(1)) is None


def test_without_pygls_the_command_says_what_to_install():
    import subprocess

    script = ("import sys; sys.modules['pygls'] = None; sys.modules['pygls.lsp.server'] = None\n"
              "from flake8_async_patterns.cli import main; sys.exit(main(['server']))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "flake8-async-patterns[server]" in done.stderr
    assert "Traceback" not in done.stderr
