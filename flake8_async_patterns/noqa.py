"""`# noqa` comments, applied the way flake8 applies them (to the whole logical line)."""
from __future__ import annotations

import io
import re
import tokenize

NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
ALL = frozenset({""})  # a bare `# noqa`: every code starts with ""


def _codes(comment: str) -> frozenset[str] | None:
    match = NOQA.search(comment)
    if match is None:
        return None
    if match.group("codes") is None:
        return ALL
    return frozenset(c.upper() for c in re.split(r"[,\s]+", match.group("codes")) if c)


def noqa_lines(source: str) -> dict[int, frozenset[str]]:
    """Line number -> code prefixes silenced on that line."""
    if "noqa" not in source.lower():
        return {}
    result: dict[int, frozenset[str]] = {}
    pending: list[frozenset[str]] = []
    start = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            kind = token.type
            if kind == tokenize.COMMENT:
                codes = _codes(token.string)
                if codes is not None:
                    if start is None:
                        result[token.start[0]] = result.get(token.start[0], frozenset()) | codes
                    else:
                        pending.append(codes)
            elif kind in (tokenize.NEWLINE, tokenize.ENDMARKER):
                if start is not None and pending:
                    merged = frozenset().union(*pending)
                    for line in range(start, token.end[0] + 1):
                        result[line] = result.get(line, frozenset()) | merged
                start, pending = None, []
            elif kind not in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING) \
                    and start is None:
                start = token.start[0]
    except (tokenize.TokenError, SyntaxError):
        for number, text in enumerate(source.splitlines(), 1):
            codes = _codes(text) if "#" in text else None
            if codes is not None:
                result[number] = codes
    return result


def silenced(code: str, line: int, lines: dict[int, frozenset[str]]) -> bool:
    prefixes = lines.get(line)
    return bool(prefixes) and code.startswith(tuple(prefixes))
