"""Eval file for ASP303 exception-check-misses-cancellation.  Parsed, never run.

Health checks and a nightly sync job for a small fleet.  Positives carry
`# error: ASP303` on the `Exception` of an `isinstance(r, Exception)` test
(or a tuple with `Exception` and no `BaseException`) applied to the results
of gather(..., return_exceptions=True): a CancelledError is a BaseException
since 3.8 and passes such a test as a success.  Every other isinstance is a
negative that must stay silent.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
import logging
from asyncio import gather

log = logging.getLogger(__name__)

_probe_slots = asyncio.Semaphore(10)


class ProbeTimeout(Exception):
    pass


async def probe(host: str) -> float:
    async with _probe_slots:
        await asyncio.sleep(0)
        return 0.0


async def sync_account(account_id: str) -> dict:
    async with _probe_slots:
        await asyncio.sleep(0)
        return {"id": account_id}


def describe(error: BaseException) -> str:
    # a sync helper, not on gather results
    if isinstance(error, Exception):
        return f"error: {error}"
    return f"interrupted: {error!r}"


# -- positives ---------------------------------------------------------------------------


async def healthy_hosts(hosts: list[str]) -> list[float]:
    results = await gather(*(probe(h) for h in hosts), return_exceptions=True)
    return [r for r in results if not isinstance(r, Exception)]  # error: ASP303


async def log_failures(hosts: list[str]) -> int:
    results = await asyncio.gather(*(probe(h) for h in hosts), return_exceptions=True)
    failed = 0
    for r in results:
        if isinstance(r, Exception):  # error: ASP303
            log.warning("probe failed: %r", r)
            failed += 1
    return failed


async def strict_sync(accounts: list[str]) -> list[dict]:
    results = await aio.gather(*(sync_account(a) for a in accounts), return_exceptions=True)
    return [r for r in results if not isinstance(r, (ValueError, Exception))]  # error: ASP303


async def first_failure(hosts: list[str]) -> BaseException | None:
    results = await gather(*(probe(h) for h in hosts), return_exceptions=True)
    return next((r for r in results if isinstance(r, Exception)), None)  # error: ASP303


async def latency_by_host(hosts: list[str]) -> dict[str, float]:
    results = await gather(*(probe(h) for h in hosts), return_exceptions=True)
    latencies = {}
    for host, r in zip(hosts, results):
        if isinstance(r, Exception):  # error: ASP303
            continue
        latencies[host] = r
    return latencies


async def compare(primary: str, replica: str) -> float:
    a, b = await asyncio.gather(probe(primary), probe(replica), return_exceptions=True)
    if isinstance(a, Exception) or isinstance(b, Exception):  # error: ASP303
        return -1.0
    return a - b


async def primary_latency(primary: str, replica: str) -> float:
    results = await gather(probe(primary), probe(replica), return_exceptions=True)
    first = results[0]
    if isinstance(first, Exception):  # error: ASP303
        return -1.0
    return first


async def total_latency(hosts: list[str]) -> float:
    total = 0.0
    for r in await gather(*(probe(h) for h in hosts), return_exceptions=True):
        if not isinstance(r, Exception):  # error: ASP303
            total += r
    return total


async def sync_report(accounts: list[str]) -> dict[str, dict]:
    results = await aio.gather(*(sync_account(a) for a in accounts), return_exceptions=True)
    return {a: r for a, r in zip(accounts, results) if not isinstance(r, Exception)}  # error: ASP303


async def sync_all_or_raise(accounts: list[str]) -> list[dict]:
    results = await gather(*(sync_account(a) for a in accounts), return_exceptions=True)
    errors = [r for r in results if isinstance(r, Exception)]  # error: ASP303
    if errors:
        raise ExceptionGroup("account sync failed", errors)
    return results


async def assert_all_up(hosts: list[str]) -> None:
    outcomes = await asyncio.gather(*(probe(h) for h in hosts), return_exceptions=True)
    checked = outcomes
    for o in checked:
        assert not isinstance(o, (Exception,)), o  # error: ASP303


async def any_down(hosts: list[str]) -> bool:
    # the walrus keeps the results for the log line below
    if (results := await gather(*(probe(h) for h in hosts), return_exceptions=True)) \
            and any(isinstance(r, Exception) for r in results):  # error: ASP303
        log.warning("down: %r", results)
        return True
    return False


async def survivors(hosts: list[str]) -> list[float]:
    results = await gather(*(probe(h) for h in hosts), return_exceptions=True)
    return list(filter(lambda r: not isinstance(r, Exception), results))  # error: ASP303


class Fleet:
    def __init__(self, hosts: list[str]) -> None:
        self.hosts = hosts
        self.timeouts = 0
        self.errors = 0

    async def check(self, host: str) -> float:
        async with _probe_slots:
            return await probe(host)

    async def tally(self) -> None:
        results = await gather(*(self.check(h) for h in self.hosts), return_exceptions=True)
        for r in results:
            if isinstance(r, ProbeTimeout):
                self.timeouts += 1
            elif isinstance(r, Exception):  # error: ASP303
                self.errors += 1

    async def check_pairs(self, pairs: list[tuple[str, str]]) -> list[bool]:
        async def both_up(left: str, right: str) -> bool:
            l, r = await aio.gather(self.check(left), self.check(right), return_exceptions=True)
            return not isinstance(l, Exception) and not isinstance(r, Exception)  # error: ASP303

        return await asyncio.gather(*(both_up(a, b) for a, b in pairs))


# -- negatives ---------------------------------------------------------------------------


async def healthy_hosts_base(hosts: list[str]) -> list[float]:
    # BaseException: a CancelledError counts as a failure
    results = await gather(*(probe(h) for h in hosts), return_exceptions=True)
    return [r for r in results if not isinstance(r, BaseException)]


async def healthy_or_cancelled(hosts: list[str]) -> list[float]:
    # CancelledError named beside Exception: the one BaseException gather hands back
    results = await asyncio.gather(*(probe(h) for h in hosts), return_exceptions=True)
    return [r for r in results if not isinstance(r, (Exception, asyncio.CancelledError))]


async def healthy_tuple_base(hosts: list[str]) -> list[float]:
    # a tuple that has BaseException
    results = await aio.gather(*(probe(h) for h in hosts), return_exceptions=True)
    return [r for r in results if not isinstance(r, (ProbeTimeout, BaseException))]


async def check_one(host: str) -> float:
    # an except clause variable, not a gather result
    try:
        return await probe(host)
    except Exception as exc:
        if isinstance(exc, Exception):
            log.warning("probe of %s failed: %s", host, exc)
        return -1.0


async def strict_latencies(hosts: list[str]) -> list[float]:
    # no return_exceptions: a failure is raised, never returned as a result
    results = await gather(*(probe(h) for h in hosts))
    return [r for r in results if not isinstance(r, Exception)]


async def strict_latencies_false(hosts: list[str]) -> list[float]:
    # return_exceptions=False: the same
    results = await gather(*(probe(h) for h in hosts), return_exceptions=False)
    return [r for r in results if not isinstance(r, Exception)]


async def drain_errors(queue: asyncio.Queue) -> int:
    # items from a queue, not gather results
    count = 0
    while not queue.empty():
        item = queue.get_nowait()
        if isinstance(item, Exception):
            count += 1
    return count


async def first_done(hosts: list[str]) -> float:
    # the exception of a task from asyncio.wait, not a gather result
    tasks = [asyncio.create_task(probe(h)) for h in hosts[:5]]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    winner = done.pop()
    error = None if winner.cancelled() else winner.exception()
    if isinstance(error, Exception):
        return -1.0
    return winner.result()


async def retry_failed(hosts: list[str]) -> list[float]:
    # the loop variable `r` is reused for a second list that holds no gather results
    results = await gather(*(probe(h) for h in hosts), return_exceptions=True)
    retries = []
    for r, host in zip(results, hosts):
        if isinstance(r, BaseException):
            retries.append(host)
    outcomes = []
    for host in retries:
        try:
            outcomes.append(await probe(host))
        except ProbeTimeout as exc:
            outcomes.append(exc)
    recovered = []
    for r in outcomes:
        if not isinstance(r, Exception):
            recovered.append(r)
    return recovered


def summarize_errors(errors: list) -> str:
    # a sync function: no gather in sight
    return ", ".join(describe(e) for e in errors if isinstance(e, Exception))


class FleetNegatives(Fleet):
    async def tally_base(self) -> None:
        # the last branch tests BaseException
        results = await gather(*(self.check(h) for h in self.hosts), return_exceptions=True)
        for r in results:
            if isinstance(r, ProbeTimeout):
                self.timeouts += 1
            elif isinstance(r, BaseException):
                self.errors += 1

    async def on_failure(self, host: str, error: Exception) -> None:
        # a parameter, not a gather result
        if isinstance(error, Exception):
            self.errors += 1
        await asyncio.sleep(0)


class CancellationHandledBeside(Fleet):
    """A test of BaseException or CancelledError on the same value, in the same loop body or
    if/elif chain, already handles cancellation (seen on unseen projects)."""

    async def cancelled_first(self) -> None:
        results = await gather(*(self.check(h) for h in self.hosts), return_exceptions=True)
        for r in results:
            if isinstance(r, asyncio.CancelledError):
                raise r
            elif isinstance(r, Exception):
                self.errors += 1

    async def base_after(self) -> None:
        results = await gather(*(self.check(h) for h in self.hosts), return_exceptions=True)
        for r in results:
            if isinstance(r, Exception):
                self.errors += 1
            elif isinstance(r, BaseException):
                raise r

    async def separate_ifs_same_body(self) -> None:
        results = await gather(*(self.check(h) for h in self.hosts), return_exceptions=True)
        for host, r in zip(self.hosts, results):
            if isinstance(r, (KeyboardInterrupt, asyncio.CancelledError)):
                raise r
            if isinstance(r, Exception):
                self.errors += 1

    async def other_value_tested(self) -> None:
        results = await gather(*(self.check(h) for h in self.hosts), return_exceptions=True)
        for r in results:
            if isinstance(self.last, BaseException):
                continue
            if isinstance(r, Exception):  # error: ASP303
                self.errors += 1

    async def other_loop_tests_base(self) -> None:
        results = await gather(*(self.check(h) for h in self.hosts), return_exceptions=True)
        for r in results:
            if isinstance(r, Exception):  # error: ASP303
                self.errors += 1
        for r in results:
            if isinstance(r, BaseException):
                self.seen += 1

    async def comprehension_pair(self) -> list:
        results = await gather(*(self.check(h) for h in self.hosts), return_exceptions=True)
        return [r for r in results if isinstance(r, Exception) and not isinstance(r, asyncio.CancelledError)]
