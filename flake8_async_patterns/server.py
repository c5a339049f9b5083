"""`async-patterns server`: a language server over stdio (pygls).

Diagnostics come from the same engine as `check`, on open, on change (debounced) and on save;
each fixable finding offers its fix as a quick fix (safe ones preferred; unsafe ones only when
the `unsafeFixes` setting is on), every finding a "noqa" quick fix, and the document a
"fix all safe" source action.  Each document takes the configuration of the nearest
pyproject.toml above it; the client's settings (initializationOptions, or
workspace/didChangeConfiguration under "asyncPatterns") override select / extendSelect /
ignore / unsafeFixes.  The buffer is linted as it is, unsaved; other modules are read from disk
and read again after any save.
"""
from __future__ import annotations

import asyncio
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from . import __version__
from .noqa import NOQA, split_lines
from .output import file_error, rule_url
from .registry import Finding, enabled_codes
from .settings import ProjectConfig, Settings, SettingsError, find_pyproject, load_project, unknown_codes

SOURCE = "async-patterns"
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
DEBOUNCE_SECONDS = 0.3


@dataclass
class Options:
    """The client's settings; None: what the document's pyproject.toml says."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    unsafe_fixes: bool = False

    @classmethod
    def of(cls, raw) -> tuple[Options, list[str]]:
        """Options from a settings object (its "asyncPatterns" member, or itself), and the
        problems found in it, one line each."""
        if isinstance(raw, dict) and isinstance(raw.get("asyncPatterns"), dict):
            raw = raw["asyncPatterns"]
        if not isinstance(raw, dict):
            return cls(), []
        problems: list[str] = []

        def codes(key: str) -> list[str] | None:
            value = raw.get(key)
            if value is None:
                return None
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"{key}: expected a list of rule codes")
                return None
            unknown = unknown_codes(value)
            if unknown:
                problems.append(f"{key}: not a rule code or prefix: {', '.join(unknown)}")
                return None
            return [v.strip().upper() for v in value]

        unsafe = raw.get("unsafeFixes", False)
        if not isinstance(unsafe, bool):
            problems.append("unsafeFixes: expected true or false")
            unsafe = False
        return cls(codes("select"), codes("extendSelect") or [], codes("ignore") or [], unsafe), problems


@dataclass
class Linted:
    """What one version of a document gave."""

    version: int | None
    text: str
    findings: list[Finding]
    settings: Settings
    codes: frozenset[str]
    error: str | None = None  # the document could not be parsed


class AsyncPatternsServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(SOURCE, __version__)
        self.options = Options()
        self.linted: dict[str, Linted] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.configs: dict[Path | None, ProjectConfig] = {}
        # the engine keeps per-process caches: one lint at a time, off the event loop
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="async-patterns-lint")

    # -- configuration ------------------------------------------------------------------------

    def configure(self, raw) -> None:
        self.options, problems = Options.of(raw)
        for problem in problems:
            self.window_show_message(types.ShowMessageParams(types.MessageType.Warning, f"{SOURCE}: {problem}"))

    def config_of(self, path: str) -> ProjectConfig:
        found = find_pyproject(Path(path).absolute().parent)
        if found not in self.configs:
            try:
                self.configs[found] = load_project(found, exact=True) if found else ProjectConfig(None, Settings())
            except SettingsError as error:
                self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"{SOURCE}: {error}"))
                self.configs[found] = ProjectConfig(None, Settings())
        return self.configs[found]

    def settings_for(self, path: str) -> tuple[Settings, frozenset[str]]:
        config = self.config_of(path)
        options = self.options
        select = options.select if options.select is not None else config.select
        codes = enabled_codes(select=select, extend_select=[*config.extend_select, *options.extend_select],
                              ignore=[*config.ignore, *options.ignore, *config.ignored_in(path)])
        return config.settings, codes

    def forget_files(self) -> None:
        """A file was saved or the configuration changed: read everything from disk again."""
        from .analysis.run import RUN

        self.configs.clear()
        self.worker.submit(RUN.clear).result()

    # -- linting ------------------------------------------------------------------------------

    async def lint(self, uri: str) -> Linted | None:
        document = self.workspace.get_text_document(uri)
        path = document.path or to_fs_path(uri) or uri
        text, version = document.source, document.version
        known = self.linted.get(uri)
        if known is not None and known.version == version and known.text == text:
            return known
        settings, codes = self.settings_for(path)
        loop = asyncio.get_running_loop()
        linted = await loop.run_in_executor(self.worker, _lint, text, path, settings, codes, version)
        self.linted[uri] = linted
        return linted

    async def publish(self, uri: str) -> None:
        linted = await self.lint(uri)
        if linted is None:
            return
        document = self.workspace.get_text_document(uri)
        if document.version != linted.version:
            return  # a newer edit will publish its own
        lines = split_lines(linted.text)
        diagnostics = [diagnostic(f, lines) for f in linted.findings]
        if linted.error:
            path = document.path or to_fs_path(uri) or uri
            diagnostics.append(error_diagnostic(path, linted.error, lines))
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=linted.version))

    def schedule(self, uri: str, delay: float) -> None:
        running = self.pending.pop(uri, None)
        if running is not None:
            running.cancel()

        async def later() -> None:
            await asyncio.sleep(delay)
            await self.publish(uri)

        task = asyncio.get_running_loop().create_task(later())
        self.pending[uri] = task
        task.add_done_callback(lambda done: self.pending.pop(uri, None) if self.pending.get(uri) is done else None)

    # -- code actions -------------------------------------------------------------------------

    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        linted = await self.lint(uri)
        if linted is None:
            return []
        only = params.context.only
        wanted = (lambda kind: True) if not only else (
            lambda kind: any(kind == k or kind.startswith(f"{k}.") for k in only))
        lines = split_lines(linted.text)
        path = self.workspace.get_text_document(uri).path or uri
        actions: list[types.CodeAction] = []
        loop = asyncio.get_running_loop()
        if wanted(types.CodeActionKind.QuickFix.value):
            for finding in linted.findings:
                if not _overlaps(diagnostic(finding, lines).range, params.range):
                    continue
                fixes = await loop.run_in_executor(self.worker, _quick_fixes, linted, path, finding,
                                                   self.options.unsafe_fixes)
                for title, new, safe in fixes:
                    actions.append(types.CodeAction(
                        title=title, kind=types.CodeActionKind.QuickFix, is_preferred=safe,
                        diagnostics=[diagnostic(finding, lines)], edit=_edit(uri, linted, new)))
                noqa = with_noqa(linted.text, finding)
                if noqa is not None:
                    actions.append(types.CodeAction(
                        title=f"Disable {finding.code} for this line", kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic(finding, lines)], edit=_edit(uri, linted, noqa)))
        if wanted(FIX_ALL) and any(_fixable(f) for f in linted.findings):
            new = await loop.run_in_executor(self.worker, _fix_all, linted, path)
            if new is not None:
                actions.append(types.CodeAction(title=f"{SOURCE}: fix all safe fixes", kind=FIX_ALL,
                                                edit=_edit(uri, linted, new)))
        return actions


def _lint(text: str, path: str, settings: Settings, codes: frozenset[str], version) -> Linted:
    from .source import lint_source, one_line, syntax_error_line

    try:
        return Linted(version, text, lint_source(text, path, settings, codes), settings, codes)
    except SyntaxError as error:
        return Linted(version, text, [], settings, codes, syntax_error_line(path, error, text))
    except (RecursionError, MemoryError, ValueError) as error:
        return Linted(version, text, [], settings, codes,
                      f"{path}:1:1: cannot parse: {type(error).__name__}: {one_line(error)}")


def _fixable(finding: Finding) -> bool:
    from .fixing import fixable

    return fixable(finding)


def _quick_fixes(linted: Linted, path: str, finding: Finding, unsafe_allowed: bool) -> list[tuple[str, str, bool]]:
    """(title, fixed text, safe) for the fix of `finding`: the safe one, else the unsafe one when allowed."""
    from .fixing import fix_source

    if not _fixable(finding):
        return []
    for unsafe in (False, True) if unsafe_allowed else (False,):
        outcome = fix_source(linted.text, path, linted.settings, linted.codes, unsafe=unsafe, only=[finding])
        if outcome.changed and outcome.fixed:
            label = " (unsafe: check the new behaviour)" if unsafe else ""
            return [(f"Fix {finding.code}: {_short(finding.message)}{label}", outcome.new, not unsafe)]
    return []


def _fix_all(linted: Linted, path: str) -> str | None:
    from .fixing import fix_source

    outcome = fix_source(linted.text, path, linted.settings, linted.codes)
    return outcome.new if outcome.changed else None


def _short(message: str) -> str:
    return message if len(message) <= 60 else message[:57].rstrip() + "..."


# -- positions ----------------------------------------------------------------------------------

def _utf16(line: str, byte_col: int) -> int:
    """The LSP column (UTF-16 code units) of an ast column (UTF-8 bytes) in `line`."""
    prefix = line.encode("utf-8")[:byte_col].decode("utf-8", "ignore")
    return len(prefix) + sum(1 for char in prefix if ord(char) > 0xFFFF)


def _position(lines: list[str], line: int, byte_col: int) -> types.Position:
    index = min(max(line - 1, 0), max(len(lines) - 1, 0))
    text = lines[index].rstrip("\r\n") if lines else ""
    return types.Position(line=index, character=_utf16(text, byte_col))


def diagnostic(finding: Finding, lines: list[str]) -> types.Diagnostic:
    start = _position(lines, finding.line, finding.col)
    if finding.end_line is not None and finding.end_col is not None:
        end = _position(lines, finding.end_line, finding.end_col)
    else:
        end = types.Position(line=start.line, character=start.character + 1)
    url = rule_url(finding.code)
    return types.Diagnostic(
        range=types.Range(start=start, end=end), message=finding.message, severity=types.DiagnosticSeverity.Warning,
        code=finding.code, source=SOURCE, code_description=types.CodeDescription(href=url) if url else None,
        data={"line": finding.line, "col": finding.col})


def error_diagnostic(path: str, error: str, lines: list[str]) -> types.Diagnostic:
    """The one line of a file that cannot be checked (E999), where it says."""
    line, col, code, message = file_error(path, error)
    index = min(max((line or 1) - 1, 0), max(len(lines) - 1, 0))
    character = max((col or 1) - 1, 0)
    start = types.Position(line=index, character=character)
    return types.Diagnostic(range=types.Range(start=start, end=types.Position(line=index, character=character + 1)),
                            message=message, severity=types.DiagnosticSeverity.Error,
                            code=code if code == "E999" else None, source=SOURCE)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return p.line, p.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _edit(uri: str, linted: Linted, new: str) -> types.WorkspaceEdit:
    """The smallest run of whole lines that turns the document into `new`."""
    old_lines, new_lines = split_lines(linted.text), split_lines(new)
    start = 0
    while start < min(len(old_lines), len(new_lines)) and old_lines[start] == new_lines[start]:
        start += 1
    end_old, end_new = len(old_lines), len(new_lines)
    while end_old > start and end_new > start and old_lines[end_old - 1] == new_lines[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    edit = types.TextEdit(range=types.Range(start=types.Position(line=start, character=0),
                                            end=_line_start(old_lines, end_old)),
                          new_text="".join(new_lines[start:end_new]))
    document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=linted.version)
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document, edits=[edit])])


def _line_start(lines: list[str], index: int) -> types.Position:
    """The start of line `index`; past the last line: the end of the text."""
    if index < len(lines) or not lines:
        return types.Position(line=index, character=0)
    last = lines[-1]
    if last.endswith(("\n", "\r")):
        return types.Position(line=len(lines), character=0)
    return types.Position(line=len(lines) - 1, character=_utf16(last, len(last.encode("utf-8"))))


def with_noqa(text: str, finding: Finding) -> str | None:
    """`text` with `finding` silenced by a `# noqa` comment at the end of its logical line
    (added to the codes of one already there); None when that cannot be done safely."""
    import io
    import tokenize

    lines = split_lines(text)
    end = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NEWLINE and token.start[0] >= finding.line:
                end = token.start[0]
                break
    except (tokenize.TokenError, SyntaxError):
        return None
    if end is None or end > len(lines):
        return None
    line = lines[end - 1]
    body = line.rstrip("\r\n")
    newline = line[len(body):]
    existing = NOQA.search(body)
    if existing is not None:
        codes = existing.group("codes")
        if not codes:
            return None  # a bare `# noqa` already silences everything
        listed = [c for c in re.split(r"[,\s]+", codes) if c]
        if finding.code in listed:
            return None
        body = body[:existing.start()] + f"# noqa: {', '.join([*listed, finding.code])}" + body[existing.end():]
    else:
        body = f"{body}  # noqa: {finding.code}"
    lines[end - 1] = body + newline
    return "".join(lines)


# -- the server's features ----------------------------------------------------------------------

def make_server() -> AsyncPatternsServer:
    server = AsyncPatternsServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: AsyncPatternsServer, params: types.InitializeParams) -> None:
        ls.configure(params.initialization_options)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: AsyncPatternsServer, params: types.DidChangeConfigurationParams):
        if params.settings:
            ls.configure(params.settings)
        ls.forget_files()
        ls.linted.clear()
        for uri in list(ls.workspace.text_documents):
            await ls.publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: AsyncPatternsServer, params: types.DidOpenTextDocumentParams):
        await ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AsyncPatternsServer, params: types.DidChangeTextDocumentParams):
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: AsyncPatternsServer, params: types.DidSaveTextDocumentParams):
        ls.forget_files()  # what other modules say may have changed with this file
        ls.linted.clear()
        for uri in list(ls.workspace.text_documents):
            await ls.publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AsyncPatternsServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        ls.linted.pop(uri, None)
        pending = ls.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False))
    async def code_action(ls: AsyncPatternsServer, params: types.CodeActionParams):
        return await ls.code_actions(params)

    return server


def serve() -> int:
    """Run the server over stdin/stdout until the client says exit."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    make_server().start_io()
    return 0


if __name__ == "__main__":
    sys.exit(serve())
