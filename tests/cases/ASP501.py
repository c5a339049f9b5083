"""Eval file for ASP501 await-in-read-modify-write.  Parsed, never run.

Metrics, caches, rate limiters and accounts that update shared state with
`op= await ...`: the old value is read before the await and written after it,
so two tasks interleaving at the await lose one update.  Positives carry
`# error: ASP501`; every other augmented assignment is a negative that must
stay silent.
"""
from __future__ import annotations

import asyncio
import contextlib
import collections
import threading
from asyncio import Lock
from collections import Counter, defaultdict

import anyio
import trio

REQUESTS: dict[str, int] = {}
BYTES_BY_HOST = defaultdict(int)
ERRORS = Counter()
request_count = 0
bytes_total = 0
_REFRESH = asyncio.Lock()
STATS_GUARD = threading.Lock()
published = asyncio.Lock()  # a lock whose name does not say so: its origin is seen


class Stats:
    def __init__(self):
        self.sent = 0
        self.failed = 0


STATS = Stats()


async def fetch_size(url: str) -> int:
    await asyncio.sleep(0)
    return len(url)


async def count_rows(table: str) -> int:
    await asyncio.sleep(0)
    return 1


async def send(payload: bytes) -> int:
    await asyncio.sleep(0)
    return len(payload)


# -- module-level state ---------------------------------------------------------------


async def record_request(host: str, url: str):
    REQUESTS[host] += await fetch_size(url)  # error: ASP501:5
    BYTES_BY_HOST[host] += await fetch_size(url)  # error: ASP501
    ERRORS[host] -= await count_rows("errors")  # error: ASP501
    STATS.sent += await send(url.encode())  # error: ASP501


async def bump_globals(url: str):
    global request_count, bytes_total
    request_count += 1  # no await: nothing runs between the read and the write
    bytes_total += await fetch_size(url)  # error: ASP501


async def bump_under_module_locks(host: str, url: str):
    global bytes_total
    async with _REFRESH:
        bytes_total += await fetch_size(url)  # the module's asyncio.Lock is held
    async with published:
        REQUESTS[host] += await fetch_size(url)  # made by asyncio.Lock(), whatever its name
    with STATS_GUARD:
        STATS.failed += await count_rows("failed")  # a threading.Lock held across the await


async def tally_locally(hosts: list[str]):
    seen = 0
    per_host: dict[str, int] = {}
    sizes = collections.Counter()
    for host in hosts:
        seen += await fetch_size(host)  # a plain local
        per_host[host] += await fetch_size(host)  # a local dict
        sizes[host] |= await count_rows(host)  # a local Counter
    REQUESTS = {}  # a local that shadows the module's dict
    REQUESTS["all"] += await count_rows("all")  # the local, not the module's dict
    return seen, per_host, sizes, REQUESTS


async def merge_into(totals: dict[str, int], host: str):
    totals[host] += await fetch_size(host)  # a parameter, not module state


async def hoisted(host: str):
    global bytes_total
    size = await fetch_size(host)
    bytes_total += size  # the await ran first: read and write are back to back
    REQUESTS[host] += size  # the same, on a module dict


def sync_total(host: str, size: int):
    global bytes_total
    bytes_total += size  # a sync function: no await can interleave
    REQUESTS[host] += size


# -- classes -----------------------------------------------------------------------------


class Account:
    def __init__(self, owner: str):
        self.owner = owner
        self.balance = 0
        self.history: list[int] = []
        self._lock = asyncio.Lock()
        self.ledger_access = asyncio.Lock()  # a lock seen through its constructor
        self.reserved = anyio.Lock()

    async def interest(self) -> int:
        await asyncio.sleep(0)
        return 1

    async def deposit_interest(self):
        self.balance += await self.interest()  # error: ASP501

    async def withdraw_fee(self, fee_source):
        self.balance -= await fee_source.fee(self.owner)  # error: ASP501

    async def scale(self, rates):
        self.balance *= await rates.factor(self.owner)  # error: ASP501

    async def deposit_locked(self):
        async with self._lock:
            self.balance += await self.interest()  # self._lock = asyncio.Lock() in __init__

    async def deposit_ledger(self):
        async with self.ledger_access:
            self.balance += await self.interest()  # self.ledger_access = asyncio.Lock() in __init__
        async with self.reserved:
            if self.owner:
                self.balance += await self.interest()  # anyio.Lock, nested in an if

    async def deposit_then_add(self):
        amount = await self.interest()
        self.balance += amount  # value computed first
        self.history += [amount]

    def deposit_sync(self, amount: int):
        self.balance += amount  # a sync method

    async def add_history(self):
        self.history += [await self.interest()]  # error: ASP501


class RateLimiter:
    tokens_granted = 0  # a class attribute, shared by every instance

    def __init__(self, rate: float):
        self.rate = rate
        self.tokens = rate
        self.waits: dict[str, float] = {}
        self.mutex = trio.Lock()

    async def refill(self) -> float:
        await asyncio.sleep(0)
        return self.rate

    async def acquire(self, key: str):
        self.tokens += await self.refill()  # error: ASP501
        self.waits[key] += await self.refill()  # error: ASP501

    async def acquire_guarded(self, key: str):
        async with self.mutex:
            self.tokens += await self.refill()  # a trio.Lock
            self.waits[key] += await self.refill()

    @classmethod
    async def grant(cls, limiter: RateLimiter):
        cls.tokens_granted += await limiter.refill()  # error: ASP501

    @staticmethod
    async def top_up(limiter: RateLimiter):
        limiter.tokens += await limiter.refill()  # a parameter of a staticmethod, not self

    async def burst(self, keys: list[str]):
        async def one(key: str):
            self.tokens -= await self.refill()  # error: ASP501
        async with self.mutex:
            await one(keys[0])  # the closure runs under the lock, but its own body holds none

    async def spend(self, key: str):
        async with self.mutex:
            async def later():
                self.tokens -= await self.refill()  # error: ASP501
            pending = asyncio.create_task(later())  # runs after the lock is released
        await pending


async def grant_from(limiter: RateLimiter):
    RateLimiter.tokens_granted += await limiter.refill()  # error: ASP501


class HitCache:
    def __init__(self):
        self.hits: dict[str, int] = defaultdict(int)
        self.misses = 0
        self._state_lock = asyncio.Lock()
        self.session = None

    async def lookup(self, key: str) -> int:
        await asyncio.sleep(0)
        return 1

    async def record(self, key: str):
        self.hits[key] += await self.lookup(key)  # error: ASP501

    async def record_in_session(self, key: str):
        async with self.session:
            self.misses += await self.lookup(key)  # error: ASP501

    async def record_locked(self, key: str, lock: Lock):
        async with self._state_lock:
            self.misses += await self.lookup(key)
        async with lock:
            self.hits[key] += await self.lookup(key)  # a parameter whose name says lock

    async def record_with_timeout(self, key: str):
        async with self._state_lock, asyncio.timeout(1):
            self.misses += await self.lookup(key)  # the lock is one of several items

    async def record_per_key(self, key: str, locks: dict[str, asyncio.Lock]):
        async with locks[key]:
            self.hits[key] += await self.lookup(key)  # an item of a dict of locks is a lock

    def _lock_for(self, key: str) -> asyncio.Lock:
        return asyncio.Lock()

    async def record_via_factory(self, key: str):
        async with self._lock_for(key):
            self.hits[key] += await self.lookup(key)  # a lock factory method: its name says lock

    def reset_later(self):
        async def reset():
            self.misses += await self.lookup("reset")  # error: ASP501
        return reset


class StatsCollector:
    """The first parameter need not be called self."""

    def __init__(this):
        this.samples = 0
        this.locks = {}

    async def sample(this) -> int:
        await asyncio.sleep(0)
        return 1

    async def collect(this):
        this.samples += await this.sample()  # error: ASP501

    async def collect_per_key(this, key: str):
        async with this.locks.setdefault(key, asyncio.Lock()):
            this.samples += await this.sample()  # a per-key lock, fetched through a method

    async def collect_in_fresh_lock(this):
        async with asyncio.Lock():
            this.samples += await this.sample()  # error: ASP501


def make_counter():
    total = 0
    calls = 0

    async def add(table: str) -> int:
        nonlocal total
        total += await count_rows(table)  # error: ASP501
        calls = 1  # a local of add: calls is not nonlocal here
        calls += await count_rows(table)
        return total + calls

    return add


def make_guarded_counter():
    total = 0
    state_lock = asyncio.Lock()

    async def add(table: str) -> int:
        nonlocal total
        async with state_lock:
            total += await count_rows(table)  # the closure's lock is held
        return total

    return add


class Ledger:
    def __init__(self):
        self.total = 0
        self.state = "idle"
        self.state_lock = contextlib.nullcontext()  # named like a lock, but the code shows it is not one

    async def fetch(self) -> int:
        await asyncio.sleep(0)
        return 1

    async def step(self, state: str) -> str:
        await asyncio.sleep(0)
        return state

    async def add_spelled_out(self):
        self.total = self.total + await self.fetch()  # error: ASP501

    async def add_under_a_fake_lock(self):
        with self.state_lock:
            self.total += await self.fetch()  # error: ASP501

    async def advance(self):
        self.state = await self.step(self.state)  # a plain assignment from a call: not this rule
