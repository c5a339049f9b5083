"""Start a new rule: `python -m flake8_async_patterns.new_rule ASPnnn rule-name`.

Writes `flake8_async_patterns/rules/<rule_name>.py` (the page's sections, the metadata and an
empty check) and `tests/cases/ASPnnn.py` (the eval file), then says what is left to do.  The
new rule's tests fail until its check finds its example: that is where the work starts.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Sequence

from .registry import all_rules

CODE = re.compile(r"ASP[1-9]\d{2}")
NAME = re.compile(r"[a-z]+(-[a-z]+)+")
ROOT = Path(__file__).resolve().parent.parent

RULE_MODULE = '''"""## What it does
Finds TODO: the shape of code it reports, and what it leaves alone.

## Why is this bad?
TODO: what goes wrong at run time, and when.

## Example
```python
import asyncio


async def main():
    ...  # TODO: the smallest realistic program with the defect; this rule must report it
```

## Use instead
```python
import asyncio


async def main():
    ...  # TODO: the same program written right; no rule may report it
```

## Fix safety
None: the rule reports only.

## Options
None.

## References
- [asyncio: Developing with asyncio](https://docs.python.org/3/library/asyncio-dev.html)
"""
from __future__ import annotations

import ast

from ..registry import rule

RULE = rule("{code}", "{name}", "TODO: one line for the catalogue", doc=__doc__, default={default})


@RULE.on(ast.Call)
def check(node, ctx):
    """TODO: yield RULE.at(node, "what is wrong; what to do") where the defect is."""
    return ()
'''

CASE_FILE = '''"""Eval file of {code} ({name}): a line that must be reported ends with `# error: {code}`;
every other line must stay silent.  Write at least 12 of each, tricky negatives included."""
import asyncio


async def reported():
    ...  # TODO: a positive, marked   # error: {code}


async def silent():
    ...  # TODO: a negative: the nearest thing that is right
'''


def scaffold(code: str, name: str, root: Path, default: bool = True) -> list[Path]:
    """Write the new rule's module and eval file under `root`; ValueError says why not."""
    if not CODE.fullmatch(code):
        raise ValueError(f"{code!r} is not a rule code (ASP followed by three digits, e.g. ASP205)")
    if not NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a rule name (two or more lower-case words joined by '-')")
    for existing in all_rules():
        if existing.code == code:
            raise ValueError(f"{code} is taken by {existing.name}")
        if existing.name == name:
            raise ValueError(f"{name} is taken by {existing.code}")
    module = root / "flake8_async_patterns" / "rules" / f"{name.replace('-', '_')}.py"
    cases = root / "tests" / "cases" / f"{code}.py"
    for path in (module, cases):
        if path.exists():
            raise ValueError(f"{path} exists already")
        if not path.parent.is_dir():
            raise ValueError(f"{path.parent} is not a folder: is {root} a checkout of the project?")
    module.write_text(RULE_MODULE.replace("{code}", code).replace("{name}", name)
                      .replace("{default}", str(default)), encoding="utf-8")
    cases.write_text(CASE_FILE.format(code=code, name=name), encoding="utf-8")
    return [module, cases]


NEXT_STEPS = """next:
  1. write the check in {module} and the page's sections (its examples are executed by the tests)
  2. fill {cases} with positives and negatives; run: python -m pytest tests/test_cases.py -k {code}
  3. python -m flake8_async_patterns.docs   (writes docs/rules/{code}.md)
  4. add the rule to the README's rule table and to docs/fixing.md's table
  5. python -m pytest tests/test_rule_metadata.py tests/test_docs.py
see docs/contributing.md"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flake8_async_patterns.new_rule",
                                     description="Write the files of a new rule.")
    parser.add_argument("code", help="the new code, e.g. ASP205")
    parser.add_argument("name", help="the new rule's kebab-case name, e.g. gather-in-finally")
    parser.add_argument("--opt-in", action="store_true", help="off until selected by name (RULES.md, opt-in rules)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project checkout (default: this one)")
    args = parser.parse_args(argv)
    code = args.code.upper()
    try:
        module, cases = scaffold(code, args.name, args.root, default=not args.opt_in)
    except (ValueError, OSError) as error:
        print(f"new_rule: {error}", file=sys.stderr)
        return 2
    print(f"wrote {module}\nwrote {cases}")
    print(NEXT_STEPS.format(module=module, cases=cases, code=code))
    return 0


if __name__ == "__main__":
    sys.exit(main())
