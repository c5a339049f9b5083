"""One frozen Settings object, from flake8 options or `[tool.async-patterns]`."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

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
CODE_KEYS = ("select", "extend-select", "ignore", "extend-ignore")  # of [tool.async-patterns]


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


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def split_names(value: Any, key: str = "value") -> frozenset[str]:
    """Names from a comma-separated string or a list of them; anything else is a SettingsError."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        raise SettingsError(f"{key}: must be a list of strings (or one comma-separated string), not {_shown(value)}")
    names = set()
    for item in value:
        names.update(part.strip() for part in item.split(",") if part.strip())
    return frozenset(names)


def parse_version(value: Any, key: str = "target version") -> tuple[int, int]:
    if not isinstance(value, str):  # a TOML float cannot tell 3.1 from 3.10
        raise SettingsError(f"{key}: must be a string like '3.11' or 'py311', not {_shown(value)}")
    match = re.fullmatch(r"(?:py)?3\.?(\d{1,2})", value.strip().lower())
    if not match:
        raise SettingsError(f"{key}: {_shown(value)} is not like '3.11' or 'py311'")
    return (3, int(match.group(1)))


def version_from_requires_python(spec: str) -> tuple[int, int] | None:
    """The lowest 3.x version that a `requires-python` specifier admits."""
    lows = [(3, int(minor)) for op, minor in re.findall(r"(>=|==|~=|>)\s*3\.(\d+)", spec)]
    return min(lows) if lows else None


def positive_int(key: str, value: Any) -> int:
    # a bool is an int to Python, a float (1e400 is inf) is not a count
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            pass
    if number is None:
        raise SettingsError(f"{key}: must be a whole number, not {_shown(value)}")
    if number < 1:
        raise SettingsError(f"{key}: must be at least 1, not {number}")
    return number


def _option_for(key: str) -> Option | None:
    normal = key.replace("_", "-")
    normal = normal if normal.startswith(PREFIX) else PREFIX + normal
    return next((option for option in OPTIONS if option.key == normal), None)


def build(values: Mapping[str, Any], requires_python: str | None = None) -> Settings:
    """Settings from a mapping of option keys (with or without the prefix, - or _).  A bad
    value is a SettingsError that names the key as it was written."""
    settings = Settings()
    if requires_python:
        settings = replace(settings, target_version=version_from_requires_python(requires_python)
                           or settings.target_version)
    for key, value in values.items():
        option = _option_for(key)
        if option is None or value is None or value == "":
            continue
        if option.kind is int:
            value = positive_int(key, value)
        elif option.kind is list:
            value = split_names(value, key)
            if option.choices:
                value = frozenset(v.lower() for v in value)
                unknown = sorted(value - set(option.choices))
                if unknown:
                    raise SettingsError(f"{key}: unknown value(s) {', '.join(map(repr, unknown))}; "
                                        f"choose from {', '.join(option.choices)}")
        else:
            value = parse_version(value, key)
        settings = replace(settings, **{option.attr: value})
    return settings


def unknown_codes(codes: Iterable[str]) -> list[str]:
    """The selectors that neither name a rule nor begin one's code (`ASP`, `ASP1`, `ASP101` are known)."""
    from .registry import all_rules

    known = [r.code for r in all_rules()]
    return [code for code in codes if not any(k.startswith(code.upper()) for k in known)]


@dataclass(frozen=True)
class ProjectConfig:
    path: Path | None
    settings: Settings
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    # (glob relative to the configuration's folder, codes or prefixes left out in files it matches)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    respect_gitignore: bool = True
    cache_dir: str | None = None  # as written in the file: relative to its folder

    @property
    def root(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    def ignored_in(self, path: str) -> tuple[str, ...]:
        """The codes per-file-ignores leaves out in the file at `path`."""
        return ignored_codes(path, self.per_file_ignores, self.root)


def ignored_codes(path: str, rules: Iterable[tuple[str, tuple[str, ...]]], root: Path) -> tuple[str, ...]:
    import fnmatch
    import os

    absolute = os.path.abspath(path)
    try:
        relative = Path(os.path.relpath(absolute, root)).as_posix()
    except ValueError:  # another drive
        relative = Path(absolute).as_posix()
    name = os.path.basename(absolute)
    return tuple(code for pattern, codes in rules
                 if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(name, pattern)
                 or fnmatch.fnmatch(relative, pattern.rstrip("/") + "/*")
                 for code in codes)


def per_file_ignores(key: str, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`{"tests/*" = ["ASP201"]}` in pyproject, or `tests/*:ASP201,ASP202` entries on the command line."""
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        pairs = []
        for item in value:
            pattern, sep, codes = item.rpartition(":")
            if not sep or not pattern.strip():
                raise SettingsError(f"{key}: {item!r} is not like 'tests/*:ASP201,ASP202'")
            pairs.append((pattern.strip(), codes))
        value = dict(pairs)
    if not isinstance(value, dict):
        raise SettingsError(f"{key}: must be a table of glob = [codes], not {_shown(value)}")
    return tuple((pattern, checked_codes(f"{key}.{pattern}", codes)) for pattern, codes in value.items())


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long, a folder we may not search
        return False


def find_pyproject(start: Path) -> Path | None:
    try:
        start = start.resolve()
    except (OSError, RuntimeError):
        start = start.absolute()
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if _is_file(candidate):
            return candidate
    return None


def _table(data: Mapping[str, Any], *keys: str) -> dict:
    """The table at data[k1][k2]..., empty when absent; a SettingsError when something on the
    way is not a table."""
    for depth, key in enumerate(keys):
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise SettingsError(f"{'.'.join(keys[:depth + 1])}: must be a table, not {_shown(value)}")
        data = value
    return dict(data)


def requires_python(start: Path) -> str | None:
    """`[project] requires-python` of the nearest pyproject.toml, if it can be read."""
    path = find_pyproject(start)
    if path is None:
        return None
    try:
        value = _table(tomllib.loads(path.read_text(encoding="utf-8")), "project").get("requires-python")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, SettingsError):
        return None
    return value if isinstance(value, str) else None


def checked_codes(key: str, value: Any) -> tuple[str, ...]:
    """Rule codes or prefixes from a config value; an unknown one is a SettingsError."""
    codes = tuple(sorted(code.upper() for code in split_names(value, key)))
    unknown = unknown_codes(codes)
    if unknown:
        raise SettingsError(f"{key}: not a rule code or prefix: {', '.join(unknown)} (expected e.g. ASP1, ASP101)")
    return codes


def _patterns(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        raise SettingsError(f"{key}: must be a list of glob patterns (strings), not {_shown(value)}")
    return tuple(value)


def _pop(table: dict, key: str) -> tuple[str, Any]:
    """(the key as written, its value) for `key` spelt with - or _; (key, None) when absent."""
    for spelling in (key, key.replace("-", "_")):
        if spelling in table:
            return spelling, table.pop(spelling)
    return key, None


def load_project(start: Path, exact: bool = False) -> ProjectConfig:
    """Read `[tool.async-patterns]` (and `requires-python`) from the nearest pyproject.toml,
    or from `start` itself when `exact`.  Every problem is a SettingsError of one line:
    `<file>: <key>: <what is wrong>`."""
    path = start if exact else find_pyproject(start)
    if exact and not _is_file(start):
        raise SettingsError(f"{start}: no such configuration file")
    if path is None:
        return ProjectConfig(None, Settings())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"{path}: cannot read configuration: {' '.join(str(error).split())}") from None
    try:
        return _project_config(path, data)
    except SettingsError as error:
        raise SettingsError(f"{path}: {error}") from None


def _project_config(path: Path, data: dict) -> ProjectConfig:
    table = _table(data, "tool", "async-patterns")
    requires = _table(data, "project").get("requires-python")
    if requires is not None and not isinstance(requires, str):
        raise SettingsError(f"requires-python: must be a string like '>=3.10', not {_shown(requires)}")
    key, select = _pop(table, "select")
    select = checked_codes(key, select) if select is not None else None
    extend_select = checked_codes(*_pop(table, "extend-select"))
    ignore = checked_codes(*_pop(table, "ignore")) + checked_codes(*_pop(table, "extend-ignore"))
    key, exclude = _pop(table, "exclude")
    exclude = _patterns(key, exclude) if exclude is not None else ()
    key, extend_exclude = _pop(table, "extend-exclude")
    extend_exclude = _patterns(key, extend_exclude) if extend_exclude is not None else ()
    key, ignores = _pop(table, "per-file-ignores")
    ignores = per_file_ignores(key, ignores) if ignores is not None else ()
    key, gitignore = _pop(table, "respect-gitignore")
    if gitignore is not None and not isinstance(gitignore, bool):
        raise SettingsError(f"{key}: must be true or false, not {_shown(gitignore)}")
    key, cache_dir = _pop(table, "cache-dir")
    if cache_dir is not None and (not isinstance(cache_dir, str) or not cache_dir.strip()):
        raise SettingsError(f"{key}: must be a folder name, not {_shown(cache_dir)}")
    unknown = sorted(k for k in table if _option_for(k) is None)
    if unknown:
        known = [*CODE_KEYS, "exclude", "extend-exclude", "per-file-ignores", "respect-gitignore", "cache-dir",
                 *(o.key[len(PREFIX):] for o in OPTIONS)]
        raise SettingsError(f"{', '.join(unknown)}: unknown key{'s' if len(unknown) > 1 else ''} in "
                            f"[tool.async-patterns]; known keys: {', '.join(known)}")
    return ProjectConfig(path, build(table, requires), select, extend_select, ignore, exclude, extend_exclude,
                         ignores, True if gitignore is None else gitignore, cache_dir)
