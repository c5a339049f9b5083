"""The fan-out fixes, run: the fixed programs do the same work with bounded concurrency."""
from __future__ import annotations

import asyncio
import textwrap

from flake8_async_patterns.fixing import fix_source
from flake8_async_patterns.registry import enabled_codes
from flake8_async_patterns.settings import Settings

PROGRAM = textwrap.dedent("""
    import asyncio

    running = 0
    peak = 0
    done = []


    async def fetch(url):
        global running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        running -= 1
        done.append(url)
        return url.upper()


    async def crawl(urls):
        return await asyncio.gather(*(fetch(u) for u in urls))
""")


def run(source: str, urls: list[str]):
    namespace: dict = {}
    exec(compile(source, "<fixed>", "exec"), namespace)
    results = asyncio.run(namespace["crawl"](urls))
    return results, namespace["peak"], namespace["done"]


def fixed(source: str, unsafe: bool = False, **options) -> str:
    outcome = fix_source(source, "program.py", Settings(concurrency=3), enabled_codes(), unsafe, options)
    assert outcome.changed, outcome.unfixed
    return outcome.new


def test_unbounded_gather_fix_bounds_concurrency_and_keeps_order():
    urls = [f"u{i}" for i in range(40)]
    results, peak, done = run(PROGRAM, urls)
    assert peak == 40  # before: everything at once
    new = fixed(PROGRAM)
    assert "Semaphore(3)" in new
    results_after, peak_after, done_after = run(new, urls)
    assert results_after == results == [u.upper() for u in urls]  # same results, same order
    assert peak_after == 3
    assert sorted(done_after) == sorted(urls)  # all the work ran
