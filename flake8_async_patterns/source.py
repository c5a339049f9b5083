"""Reading a source file and linting its text: the one place both the CLI and the fixer use."""
from __future__ import annotations

import ast
import tokenize
from pathlib import Path

from .noqa import noqa_lines, silenced
from .registry import Finding
from .settings import Settings


class UndecodableFile(ValueError):
    pass


def _position(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - data.rfind(b"\n", 0, offset)
    return f"{line}:{column}"


def read_source(path: Path) -> str:
    with open(path, "rb") as handle:
        return decode_source(handle.read())


def decode_source(data: bytes) -> str:
    """The text of Python source bytes, decoded as Python would (PEP 263 cookie, BOM);
    UndecodableFile says where and why not."""
    try:
        encoding, _ = tokenize.detect_encoding(iter(data.splitlines(keepends=True)).__next__)
    except SyntaxError as error:
        # a bad coding cookie, or bytes that are not UTF-8 before any cookie
        try:
            data.decode("utf-8")
            where = "1:1"
        except UnicodeDecodeError as bad:
            where = _position(data, bad.start)
        raise UndecodableFile(f"{where}: cannot decode: {one_line(error)}") from None
    try:
        text = data.decode(encoding)
    except (ValueError, LookupError) as error:  # codecs such as punycode raise a bare UnicodeError
        where = _position(data, error.start) if isinstance(error, UnicodeDecodeError) else "1:1"
        raise UndecodableFile(f"{where}: cannot decode as {encoding}: {one_line(error)}") from None
    return text[1:] if text.startswith("\ufeff") else text


def lint_source(source: str, filename: str, settings: Settings, codes: frozenset[str]) -> list[Finding]:
    from .engine import check_tree

    tree = ast.parse(source, filename)
    findings = check_tree(tree, settings, filename, codes, source)
    if not findings:
        return findings
    lines = noqa_lines(source)
    return [f for f in findings if not silenced(f.code, f.line, lines)]


def one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
