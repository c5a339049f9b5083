"""One frozen Settings object, from flake8 options or `[tool.async-patterns]`."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PREFIX = "async-patterns-"
# folders that hold no code of the user's: version control, virtualenvs, caches, builds
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".bzr", ".venv", "venv", ".tox", ".nox", "__pycache__", "build", "dist",
    "node_modules", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs", "site-packages",
})

# where the collection of a fan-out comes from (ASP201 reports only those of the option)
FANOUT_ORIGINS = ("awaited", "parameter", "attribute", "call", "local", "constant")
DEFAULT_FANOUT_ORIGINS = frozenset(FANOUT_ORIGINS) - {"constant"}


@dataclass(frozen=True)
class Option:
    key: str  # the flake8 name without `--`, also the pyproject key
    attr: str
    kind: type
    default: Any
    help: str
    choices: tuple[str, ...] = ()  # for a list: the only values it may hold


OPTIONS = (
    Option("async-patterns-max-fanout", "max_fanout", int, 50,
           "a literal or range() fan-out at most this large counts as small (default: 50)"),
    Option("async-patterns-concurrency", "concurrency", int, 10,
           "the semaphore size that fixes write (default: 10)"),
    Option("async-patterns-coroutine-functions", "coroutine_functions", list, (),
           "comma-separated dotted names to treat as coroutine functions"),
    Option("async-patterns-non-coroutine-decorators", "non_coroutine_decorators", list, (),
           "comma-separated decorators that make an async def return something other than a coroutine"),
    Option("async-patterns-target-version", "target_version", str, None,
           "lowest Python version the code must run on, e.g. 3.11 (default: from requires-python, else 3.9)"),
    Option("async-patterns-fanout-origins", "fanout_origins", list, DEFAULT_FANOUT_ORIGINS,
           "comma-separated origins of fan-out collections that ASP201 reports, of "
           f"{', '.join(FANOUT_ORIGINS)} (default: all but constant)", choices=FANOUT_ORIGINS),
)


@dataclass(frozen=True)
class Settings:
    max_fanout: int = 50
    concurrency: int = 10
    coroutine_functions: frozenset[str] = field(default_factory=frozenset)
    non_coroutine_decorators: frozenset[str] = field(default_factory=frozenset)
    target_version: tuple[int, int] = (3, 9)
    fanout_origins: frozenset[str] = DEFAULT_FANOUT_ORIGINS


class SettingsError(ValueError):
    pass


def split_names(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    names = set()
    for item in value:
        names.update(part.strip() for part in str(item).split(",") if part.strip())
    return frozenset(names)


def parse_version(value: Any) -> tuple[int, int]:
    text = str(value).strip().lower()
    match = re.fullmatch(r"(?:py)?3\.?(\d{1,2})", text)
    if not match:
        raise SettingsError(f"target version {value!r} is not like '3.11' or 'py311'")
    return (3, int(match.group(1)))


def version_from_requires_python(spec: str) -> tuple[int, int] | None:
    """The lowest 3.x version that a `requires-python` specifier admits."""
    lows = [(3, int(minor)) for op, minor in re.findall(r"(>=|==|~=|>)\s*3\.(\d+)", spec)]
    return min(lows) if lows else None


def positive_int(key: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{key} must be a whole number, not {value!r}") from None
    if number < 1:
        raise SettingsError(f"{key} must be at least 1, not {number}")
    return number


def build(values: Mapping[str, Any], requires_python: str | None = None) -> Settings:
    """Settings from a mapping of option keys (with or without the prefix, - or _)."""
    normal = {}
    for key, value in values.items():
        key = key.replace("_", "-")
        normal[key if key.startswith(PREFIX) else PREFIX + key] = value
    settings = Settings()
    if requires_python:
        settings = replace(settings, target_version=version_from_requires_python(requires_python)
                           or settings.target_version)
    for option in OPTIONS:
        value = normal.get(option.key)
        if value is None or value == "":
            continue
        if option.kind is int:
            value = positive_int(option.key, value)
        elif option.kind is list:
            value = split_names(value)
            if option.choices:
                value = frozenset(v.lower() for v in value)
                unknown = sorted(value - set(option.choices))
                if unknown:
                    raise SettingsError(f"{option.key}: unknown value(s) {', '.join(map(repr, unknown))}; "
                                        f"choose from {', '.join(option.choices)}")
        else:
            value = parse_version(value)
        settings = replace(settings, **{option.attr: value})
    return settings


@dataclass(frozen=True)
class ProjectConfig:
    path: Path | None
    settings: Settings
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def requires_python(start: Path) -> str | None:
    """`[project] requires-python` of the nearest pyproject.toml, if it can be read."""
    path = find_pyproject(start)
    if path is None:
        return None
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {}).get("requires-python")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return value if isinstance(value, str) else None


def _codes(value: Any) -> tuple[str, ...]:
    return tuple(sorted(split_names(value)))


def load_project(start: Path, exact: bool = False) -> ProjectConfig:
    """Read `[tool.async-patterns]` (and `requires-python`) from the nearest pyproject.toml,
    or from `start` itself when `exact`."""
    path = start if exact else find_pyproject(start)
    if exact and not start.is_file():
        raise SettingsError(f"{start}: no such configuration file")
    if path is None:
        return ProjectConfig(None, Settings())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"{path}: cannot read configuration: {error}") from None
    table = dict(data.get("tool", {}).get("async-patterns", {}))
    requires = data.get("project", {}).get("requires-python")
    select = table.pop("select", None)
    config = ProjectConfig(
        path,
        settings=Settings(),
        select=_codes(select) if select is not None else None,
        extend_select=_codes(table.pop("extend-select", table.pop("extend_select", ()))),
        ignore=_codes(table.pop("ignore", ())),
        exclude=tuple(table.pop("exclude", ())),
    )
    known = {o.key for o in OPTIONS} | {o.key[len(PREFIX):] for o in OPTIONS}
    unknown = sorted(k for k in table if k.replace("_", "-") not in known)
    if unknown:
        raise SettingsError(f"{path}: unknown key(s) in [tool.async-patterns]: {', '.join(unknown)}")
    try:
        settings = build(table, requires)
    except SettingsError as error:
        raise SettingsError(f"{path}: {error}") from None
    return replace(config, settings=settings)


