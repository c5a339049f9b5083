"""`# noqa` comments, applied to the lines flake8 applies them to.

flake8 searches for `noqa` in the physical line of a finding, or, when that
line is part of a token spanning several lines (a triple-quoted string), in
all the lines of that token.  The CLI does the same so both doors agree.
"""
from __future__ import annotations

import io
import re
import tokenize

NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
ALL = frozenset({""})  # a bare `# noqa`: every code starts with ""
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    """Lines as Python's tokenizer (and libcst) count them: ended by \\n, \\r\\n or \\r only.
    str.splitlines also ends a line at a form feed, \\x1c..\\x1e, \\x85, \\u2028 and \\u2029."""
    return _LINE.findall(text)


def _codes(text: str) -> frozenset[str] | None:
    match = NOQA.search(text)
    if match is None:
        return None
    if match.group("codes") is None:
        return ALL
    # flake8 compares codes as written: `# noqa: asp101` does not silence ASP101.
    return frozenset(c for c in re.split(r"[,\s]+", match.group("codes")) if c)


def noqa_lines(source: str) -> dict[int, frozenset[str]]:
    """Line number -> code prefixes silenced on that line."""
    if "noqa" not in source.lower():
        return {}
    lines = split_lines(source)
    result: dict[int, frozenset[str]] = {}
    first, last = len(lines) + 2, -1
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            first, last = min(first, token.start[0]), max(last, token.end[0])
            if token.type in (tokenize.NL, tokenize.NEWLINE):
                codes = _codes("".join(lines[first - 1:last]))
                if codes is not None:
                    result.update(dict.fromkeys(range(first, last + 1), codes))
                first, last = len(lines) + 2, -1
    except (tokenize.TokenError, SyntaxError):
        return {}
    return result


def silenced(code: str, line: int, lines: dict[int, frozenset[str]]) -> bool:
    prefixes = lines.get(line)
    return bool(prefixes) and code.startswith(tuple(prefixes))
