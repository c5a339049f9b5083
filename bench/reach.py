"""Reach: how many `await <call>` of the corpus the resolver knows to be coroutine calls.

    python bench/reach.py LABEL=FOLDER ... > counts.json

Run by the interpreter of the venv to measure (bench/run.py reach starts it in the corpus venv,
or in the one of --python): the tool is imported from there and reads installed packages from
its sys.path. For every ast.Await whose value is an ast.Call it asks
`facts.resolver.callee_of(call.func, scope)` and counts the call under the shape of `call.func`:
resolved (a coroutine function) with its evidence, or known to be no coroutine function (a plain
def returning an awaitable, a class), or unknown. Prints JSON: {label: {"files", "failed",
"errors", "shapes": {shape: {"awaited", "resolved", "not_coroutine", "evidence": {kind: n}}}}},
"_elapsed": s, "_tool": the package's folder}. A callee without an `evidence` (older code) counts
as evidence "unlabelled". Standard library only.
"""
from __future__ import annotations

import ast
import json
import os
import sys
import time
import tokenize
from collections import Counter
from pathlib import Path

SHAPES = ("name", "self.m", "x.m", "self.x.m", "other")
SELF = ("self", "cls")
# an awaited call whose callee is surely no coroutine function (a plain def returning an
# awaitable, a class, `asyncio.gather`): known, but not a coroutine call
NOT_COROUTINE = "not coroutine"
# $ASYNC_PATTERNS_REACH_UNKNOWN=FILE: each awaited call left unknown, as `path:line<TAB>shape<TAB>callee`
UNKNOWN_LOG = open(os.environ["ASYNC_PATTERNS_REACH_UNKNOWN"], "a", encoding="utf-8") \
    if os.environ.get("ASYNC_PATTERNS_REACH_UNKNOWN") else None


def shape(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return "name"
    if isinstance(func, ast.Attribute):
        value = func.value
        if isinstance(value, ast.Name):
            return "self.m" if value.id in SELF else "x.m"
        if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id in SELF:
            return "self.x.m"
    return "other"


def read(path: Path) -> tuple[ast.Module, str]:
    data = path.read_bytes()
    encoding, _ = tokenize.detect_encoding(iter(data.splitlines(keepends=True)).__next__)
    source = data.decode(encoding, errors="replace")
    return ast.parse(source, str(path)), source


def measure_file(path: Path) -> Counter:
    """Counter of (shape, "awaited" | "resolved" | evidence kind)."""
    from flake8_async_patterns.analysis import ModuleFacts
    from flake8_async_patterns.settings import Settings

    tree, source = read(path)
    facts = ModuleFacts(tree, Settings(), str(path), source)
    record_import = getattr(facts, "record_import", None)  # as the engine does, in source order
    counts: Counter = Counter()
    path_nodes: list[ast.AST] = []
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        del path_nodes[depth:]
        path_nodes.append(node)
        if record_import and isinstance(node, (ast.Import, ast.ImportFrom)):
            record_import(node)
        if isinstance(node, ast.Call) and len(path_nodes) > 1 and isinstance(path_nodes[-2], ast.Await):
            kind = shape(node.func)
            counts[kind, "awaited"] += 1
            nodes = list(path_nodes)
            scope = lambda nodes=nodes: facts.scope(nodes)  # noqa: E731
            ask = getattr(facts.resolver, "callee_of", None)  # older code: coroutine_call only
            callee = ask(node.func, scope) if ask else facts.resolver.coroutine_call(node, scope)
            if callee:
                counts[kind, "resolved"] += 1
                counts[kind, getattr(callee, "evidence", "") or "unlabelled"] += 1  # older code: no evidence
            elif callee is False:
                counts[kind, NOT_COROUTINE] += 1
            elif UNKNOWN_LOG:
                UNKNOWN_LOG.write(f"{path}:{node.lineno}\t{kind}\t{ast.get_source_segment(source, node.func)}\n")
        stack.extend((child, depth + 1) for child in reversed(list(ast.iter_child_nodes(node))))
    return counts


def measure(folder: Path) -> dict:
    files = failed = 0
    errors: list[str] = []
    total: Counter = Counter()
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        files += 1
        try:
            total += measure_file(path.resolve())
        except Exception as error:  # noqa: BLE001 - SyntaxError, RecursionError, a bug: count it, go on
            failed += 1
            errors.append(f"{path}: {type(error).__name__}: {str(error)[:200]}")
    shapes = {}
    for kind in SHAPES:
        evidence = {key: n for (s, key), n in sorted(total.items())
                    if s == kind and key not in ("awaited", "resolved", NOT_COROUTINE)}
        shapes[kind] = {"awaited": total[kind, "awaited"], "resolved": total[kind, "resolved"], "evidence": evidence,
                        "not_coroutine": total[kind, NOT_COROUTINE]}
    return {"files": files, "failed": failed, "errors": errors, "shapes": shapes}


# -- the table (run by bench/run.py, any interpreter) ------------------------------------------

def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _row(label: str, stats: dict, kinds: list[str]) -> list[str]:
    awaited, resolved, other = stats["awaited"], stats["resolved"], stats["not_coroutine"]
    return [label, str(awaited), str(resolved), _percent(resolved, awaited),
            *(str(stats["evidence"].get(k, 0)) for k in kinds), str(other), _percent(resolved + other, awaited)]


def _add(into: dict, stats: dict) -> None:
    into["awaited"] += stats["awaited"]
    into["resolved"] += stats["resolved"]
    into["not_coroutine"] += stats.get("not_coroutine", 0)  # counts of older code have none
    for key, n in stats["evidence"].items():
        into["evidence"][key] = into["evidence"].get(key, 0) + n


def _empty() -> dict:
    return {"awaited": 0, "resolved": 0, "evidence": {}, "not_coroutine": 0}


def table(counts: dict, by_project: bool = False) -> str:
    projects = {label: c for label, c in counts.items() if not label.startswith("_")}
    per_shape = {kind: _empty() for kind in SHAPES}
    per_project = {}
    for label, c in projects.items():
        per_project[label] = _empty()
        for kind in SHAPES:
            _add(per_shape[kind], c["shapes"][kind])
            _add(per_project[label], c["shapes"][kind])
    total = _empty()
    for stats in per_shape.values():
        _add(total, stats)
    order = ["module", "project", "annotation", "package", "receiver", "stdlib", "option"]
    kinds = [k for k in order if k in total["evidence"]] + sorted(set(total["evidence"]) - set(order))
    header = ["shape", "awaited", "resolved", "%", *kinds, "not coro", "known %"]
    rows = [_row(kind, per_shape[kind], kinds) for kind in SHAPES]
    rows.append(None)
    rows.append(_row("TOTAL", total, kinds))
    if by_project:
        rows.append(None)
        rows.append(["project", *header[1:]])
        rows.append(None)
        rows += [_row(label, stats, kinds) for label, stats in per_project.items()]
    widths = [max(len(r[i]) for r in [header, *rows] if r) for i in range(len(header))]
    lines = []
    for row in [header, None, *rows]:
        if row is None:
            lines.append("  ".join("-" * w for w in widths))
        else:
            lines.append("  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths))))
    files = sum(c["files"] for c in projects.values())
    failed = sum(c["failed"] for c in projects.values())
    lines.append(f"\n{files} files in {len(projects)} folders; {failed} could not be measured"
                 f" (SyntaxError, RecursionError or an error of the tool)")
    for label, c in projects.items():
        for error in c["errors"]:
            lines.append(f"  {error}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    counts = {}
    for argument in argv:
        label, _, folder = argument.partition("=")
        counts[label] = measure(Path(folder))
        print(f"  {label}: {counts[label]['files']} files", file=sys.stderr, flush=True)
    counts["_elapsed"] = round(time.perf_counter() - start, 2)
    import flake8_async_patterns
    counts["_tool"] = str(Path(flake8_async_patterns.__file__).parent)  # which install was measured
    json.dump(counts, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
