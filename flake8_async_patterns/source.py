"""Reading a source file and linting its text: the one place both the CLI and the fixer use."""
from __future__ import annotations

import ast
import errno
import os
import re
import stat
import sys
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
    return decode_source(read_bytes(path))


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file. A FIFO, a socket or a device named like a module is an
    OSError, found without waiting on it: opened without blocking, then looked at."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else \
                "a folder" if stat.S_ISDIR(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) \
                else "not a regular file"
            raise OSError(errno.EINVAL, f"not a regular file ({kind}), not read", str(path))
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(descriptor)


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


# Statements of a newer Python than the one running: (the Python that added it, its shape at the
# start of the line the error is on)
NEWER_SYNTAX = (
    ((3, 11), re.compile(r"\s*except\s*\*")),                       # except* (PEP 654)
    ((3, 12), re.compile(r"\s*type\s+\w+\s*(\[.*\])?\s*=")),           # type X = ... (PEP 695)
    ((3, 12), re.compile(r"\s*(async\s+)?(def|class)\s+\w+\s*\[")),      # def f[T](), class C[T]
    ((3, 14), re.compile(r"\s*except\s+[\w.]+\s*,\s*[\w.]+.*:")),          # except A, B: (PEP 758)
)


def syntax_error_line(path: str, error: SyntaxError, source: str | None = None) -> str:
    """`path:line:col: E999 SyntaxError: msg`, saying which Python the syntax needs when it is a
    newer Python's (`type X = int` read by 3.11)."""
    where = f"{path}:{error.lineno or 1}:{error.offset or 1}"
    text = error.text
    if source is not None and error.lineno:
        lines = source.splitlines()
        text = lines[error.lineno - 1] if error.lineno <= len(lines) else text
    needs = next((version for version, shape in NEWER_SYNTAX
                  if version > sys.version_info[:2] and text and shape.match(text)), None)
    hint = (f" (this syntax needs Python {needs[0]}.{needs[1]}+; running {sys.version_info[0]}."
            f"{sys.version_info[1]})") if needs else ""
    return f"{where}: E999 {type(error).__name__}: {error.msg}{hint}"
