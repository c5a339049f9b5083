"""Rule metadata and the registration of checks by AST node type."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Iterable, Mapping


@dataclass(frozen=True)
class Finding:
    code: str
    line: int
    col: int
    message: str
    end_line: int | None = None
    end_col: int | None = None
    # What a fix will need: plain data (strings, numbers, positions), never AST nodes.
    fix: Mapping[str, Any] = field(default_factory=dict)
    # ASP201: where the fanned-out collection comes from (settings.FANOUT_ORIGINS); None for other rules
    origin: str | None = None


Check = Callable[[Any, Any], Iterable[Finding]]


class FixSafety(str, Enum):
    """How safe the fix a rule declares is (RULES.md). `fixing.Fix.safe` of each fix it makes
    must agree: tests/test_rule_metadata.py applies every fix pair to see."""

    SAFE = "safe"  # applied by `async-patterns fix`
    UNSAFE = "unsafe"  # applied only with --unsafe-fixes
    SAFE_OR_UNSAFE = "safe or unsafe"  # depends on the code fixed; `fix_cases` says which is which


# A name for `Rule.on_call`: calls whose callee may be a coroutine function (see
# Resolver.may_be_coroutine_function), whatever it is called.
MAY_BE_COROUTINE = "<may be a coroutine function>"


@dataclass
class Rule:
    code: str
    name: str
    summary: str
    default: bool = True
    fix: FixSafety | None = None  # the safety of the fix RULES.md gives it, None: report only
    doc: str = ""
    checks: list[tuple[type, Check]] = field(default_factory=list)
    call_checks: list[tuple[frozenset[str], Check]] = field(default_factory=list)
    fixer: Callable | None = None  # (finding, FixContext, options) -> fixing.Fix | None
    fix_cases: str = ""  # for SAFE_OR_UNSAFE: which fixes are safe, which are not

    @property
    def fix_text(self) -> str | None:
        """The fix's safety as the docs show it: `safe`, or `safe (time.sleep); unsafe (the others)`."""
        return (self.fix_cases or self.fix.value) if self.fix else None

    @property
    def fix_available(self) -> bool:
        """The fixer can apply it today."""
        return self.fixer is not None

    def fixes(self, fixer: Callable) -> Callable:
        """Register the decorated function as this rule's fixer (libcst is imported only inside it)."""
        self.fixer = fixer
        return fixer

    def on(self, *node_types: type) -> Callable[[Check], Check]:
        """Register the decorated function as this rule's check for `node_types`."""

        def register(check: Check) -> Check:
            for node_type in node_types:
                self.checks.append((node_type, check))
            return check

        return register

    def on_call(self, *names: Iterable[str] | str) -> Callable[[Check], Check]:
        """Register the decorated function as this rule's check for calls whose callee is
        called one of `names` (its last part: `gather` for `asyncio.gather`, `aio.gather`,
        or a name imported as `gather`), so that the engine asks no other call."""
        wanted = frozenset(n for group in names for n in ([group] if isinstance(group, str) else group))

        def register(check: Check) -> Check:
            self.call_checks.append((wanted, check))
            return check

        return register

    def at(self, node: ast.AST, message: str, **fix: Any) -> Finding:
        return Finding(
            self.code,
            node.lineno,
            node.col_offset,
            message,
            getattr(node, "end_lineno", None),
            getattr(node, "end_col_offset", None),
            fix,
        )


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, summary: str, *, doc: str, default: bool = True,
         fix: FixSafety | None = None, fix_cases: str = "") -> Rule:
    if code in RULES:
        raise ValueError(f"rule {code} registered twice")
    if fix is not None and not isinstance(fix, FixSafety):
        raise TypeError(f"rule {code}: fix must be a FixSafety, not {fix!r}")
    if bool(fix_cases) != (fix is FixSafety.SAFE_OR_UNSAFE):
        raise ValueError(f"rule {code}: fix_cases says which fixes are safe, for FixSafety.SAFE_OR_UNSAFE only")
    new = Rule(code, name, summary, default, fix, doc, fix_cases=fix_cases)
    RULES[code] = new
    return new


def all_rules() -> list[Rule]:
    from . import rules  # noqa: F401  (importing the package registers every rule)

    return [RULES[code] for code in sorted(RULES)]


def opt_in_codes() -> tuple[str, ...]:
    """The codes that are off until selected by name (RULES.md, "Opt-in rules"): each rule's
    own `default` says so."""
    return tuple(r.code for r in all_rules() if not r.default)


def _parse_codes(values: Iterable[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    codes: list[str] = []
    for value in values:
        codes.extend(part.strip().upper() for part in value.split(",") if part.strip())
    return tuple(codes)


def enabled_codes(select: Iterable[str] | None = None,
                  extend_select: Iterable[str] | None = None,
                  ignore: Iterable[str] | None = None,
                  extend_ignore: Iterable[str] | None = None) -> frozenset[str]:
    """The rule codes that a select/ignore configuration turns on.

    Like flake8: `select` replaces the default set, the longest matching prefix
    wins between select and ignore.  An opt-in rule is on only when a selector
    names it more precisely than the bare `ASP` prefix (`ASP203`, `ASP2`).
    """
    chosen = _parse_codes(select)
    chosen = ("ASP",) if chosen is None else chosen
    chosen += _parse_codes(extend_select) or ()
    ignored = (_parse_codes(ignore) or ()) + (_parse_codes(extend_ignore) or ())
    result = set()
    for found in all_rules():
        selectors = [s for s in chosen if found.code.startswith(s)]
        if not selectors:
            continue
        best = max(selectors, key=len)
        if not found.default and len(best) <= len("ASP"):
            continue
        ignores = [s for s in ignored if found.code.startswith(s)]
        if ignores and len(max(ignores, key=len)) >= len(best):
            continue
        result.add(found.code)
    return frozenset(result)
