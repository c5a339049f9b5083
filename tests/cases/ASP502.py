"""Eval file for ASP502 stale-read-across-await.  Parsed, never run.

Accounts, caches, quotas and counters that read shared state into a local,
await, and then write the state back from that local: whatever other tasks
wrote during the await is overwritten.  Positives carry `# error: ASP502` on
the write; every other write of shared state is a negative that must stay silent.
"""
from __future__ import annotations

import asyncio
from collections import defaultdict

import anyio

QUOTAS: dict[str, int] = {}
VISITS = defaultdict(int)
inflight = 0
generation = 0
_CONFIG_LOCK = asyncio.Lock()


class Settings:
    def __init__(self):
        self.retries = 3
        self.version = 0


SETTINGS = Settings()


class InsufficientFunds(Exception):
    pass


class Conflict(Exception):
    pass


async def audit(*args) -> None:
    await asyncio.sleep(0)


async def remote_version() -> int:
    await asyncio.sleep(0)
    return 1


# -- accounts ------------------------------------------------------------------------------


class Account:
    def __init__(self, backend):
        self.backend = backend
        self.balance = 0
        self.pending: list[int] = []
        self.last_change = 0
        self._lock = asyncio.Lock()
        self.transfers = anyio.Semaphore(1)

    async def withdraw(self, amount: int):
        balance = self.balance
        if balance < amount:
            raise InsufficientFunds(self.balance)
        await self.backend.debit(amount)
        self.balance = balance - amount  # error: ASP502

    async def deposit(self, amount: int):
        balance = self.balance
        await audit("deposit", amount)
        self.balance = max(0, balance + amount)  # error: ASP502

    async def deposit_in_branch(self, amount: int, notify: bool):
        current = self.balance
        if notify:
            await audit("deposit", amount)
            self.balance = current + amount  # error: ASP502
        else:
            self.balance = current + amount  # no await on this path

    async def deposit_locked(self, amount: int):
        async with self._lock:
            balance = self.balance
            await audit("deposit", amount)
            self.balance = balance + amount  # the whole span is under the lock

    async def deposit_locked_late(self, amount: int):
        balance = self.balance
        await audit("deposit", amount)
        async with self._lock:
            self.balance = balance + amount  # error: ASP502

    async def deposit_semaphore(self, amount: int):
        async with self.transfers:
            balance = self.balance
            await audit("deposit", amount)
            self.balance = balance + amount  # an anyio.Semaphore(1) held across the span

    async def read_locked_write_unlocked(self, amount: int):
        async with self._lock:
            balance = self.balance
        await audit("deposit", amount)
        self.balance = balance + amount  # error: ASP502

    async def withdraw_checked(self, amount: int):
        balance = self.balance
        await self.backend.debit(amount)
        if self.balance != balance:  # read again after the await: a conflict is detected
            raise Conflict(self.balance)
        self.balance = balance - amount

    async def withdraw_fresh(self, amount: int):
        balance = self.balance
        await self.backend.debit(amount)
        self.balance = self.balance - amount  # re-read in the write itself

    async def resync(self):
        balance = self.balance
        await audit("resync")
        self.balance = await self.backend.balance()  # the write does not use the local
        self.last_change = balance  # a different attribute

    async def try_transfer(self, amount: int):
        snapshot = self.balance
        self.balance = snapshot - amount
        try:
            await self.backend.debit(amount)
        except OSError:
            self.balance = snapshot  # a restore of the snapshot: written back unchanged
            raise

    async def settle(self, amount: int):
        balance = self.balance
        self.balance = balance - amount  # written before any await
        await audit("settle", amount)

    async def reconcile(self, amount: int):
        balance = self.balance
        await audit("reconcile", amount)
        balance = await self.backend.balance()  # the local is rebound after the await
        self.balance = balance - amount

    async def drain(self, stream):
        balance = self.balance
        spent = 0
        async for charge in stream:  # every step awaits
            spent += charge
        self.balance = balance - spent  # error: ASP502

    async def deposit_via_session(self, amount: int):
        balance = self.balance
        async with self.backend.session() as session:  # entering awaits
            self.balance = balance + amount  # error: ASP502
            await session.commit()

    async def record_and_settle(self, amount: int):
        balance = self.balance
        await audit("settle", amount)
        self.balance, self.last_change = balance - amount, amount  # error: ASP502

    async def charge(self, amount: int):
        balance: int = self.balance
        await audit("charge", amount)
        self.balance = balance - amount  # error: ASP502

    async def add_interest(self) -> int:
        before = self.balance
        self.balance += await self.backend.interest()  # error: ASP501
        return before  # the write above does not use the local: not ASP502

    def charge_sync(self, amount: int):
        balance = self.balance
        self.balance = balance - amount  # a sync method: nothing interleaves


class TokenBucket:
    instances = 0  # a class attribute, shared by every bucket

    def __init__(self, rate: float, capacity: float):
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.busy_time = 0.0
        self.samples: list[float] = []

    @classmethod
    async def create(cls, rate: float) -> TokenBucket:
        count = cls.instances
        await audit("bucket", count)
        cls.instances = count + 1  # error: ASP502
        return cls(rate, rate)

    async def take(self, n: float):
        tokens = self.tokens
        if tokens < n:
            await asyncio.sleep((n - tokens) / self.rate)
        self.tokens = max(0.0, tokens - n)  # error: ASP502

    async def timed(self, job):
        busy = self.busy_time
        try:
            await job()
        finally:
            self.busy_time = busy + 1.0  # error: ASP502

    async def observe(self, pool):
        samples = self.samples
        async with pool.connection() as conn:  # entering awaits
            self.samples = samples + [conn.latency]  # error: ASP502

    async def plan(self, n: float):
        tokens = self.tokens

        async def later():
            await audit("plan", n)

        self.tokens = tokens - n  # the await is in a nested function that does not run here
        return later

    def on_refill(self, amount: float):
        async def refill():
            tokens = self.tokens
            await audit("refill", amount)
            self.tokens = min(self.capacity, tokens + amount)  # error: ASP502
        return refill


# -- caches, quotas, counters -----------------------------------------------------------------


class TTLCache:
    def __init__(self, loader):
        self.loader = loader
        self.entries: dict[str, bytes] = {}
        self.size = 0
        self.hits = defaultdict(int)
        self.cache_lock = asyncio.Lock()

    async def put(self, key: str):
        size = self.size
        value = await self.loader(key)
        self.entries[key] = value
        self.size = size + len(value)  # error: ASP502

    async def put_locked(self, key: str):
        async with self.cache_lock:
            size = self.size
            value = await self.loader(key)
            self.size = size + len(value)

    async def hit(self, key: str):
        count = self.hits[key]
        await self.loader(key)
        self.hits[key] = count + 1  # error: ASP502

    async def refresh(self, key: str):
        async def load_and_count():
            size = self.size
            value = await self.loader(key)
            self.size = size + len(value)  # error: ASP502
        await load_and_count()


async def spend_quota(user: str, cost: int):
    left = QUOTAS[user]
    await audit("spend", user)
    QUOTAS[user] = left - cost  # error: ASP502


async def count_visit(page: str):
    seen = VISITS[page]
    await audit("visit", page)
    VISITS[page] = VISITS[page] + 1  # read again in the write
    return seen


async def track_inflight(job):
    global inflight
    running = inflight
    await job()
    inflight = running + 1  # error: ASP502


async def next_generation():
    global generation
    async with _CONFIG_LOCK:
        current = generation
        await audit("generation", current)
        generation = current + 1  # under the module's lock


async def bump_version():
    version = SETTINGS.version
    latest = await remote_version()
    SETTINGS.version = max(version, latest) + 1  # error: ASP502


async def copy_locally(settings: Settings):
    retries = settings.retries
    await audit("retries")
    settings.retries = retries + 1  # a parameter, not shared state
    local_copy = {"retries": retries}
    await audit("copy")
    local_copy["retries"] = retries + 1  # a local dict
    return local_copy


def make_tracker():
    total = 0

    async def add(job) -> int:
        nonlocal total
        before = total
        await job()
        total = before + 1  # error: ASP502
        return total

    async def add_fresh(job) -> int:
        nonlocal total
        before = total
        await job()
        total = total + 1  # read again
        return before

    return add, add_fresh


async def dial(token: str):
    await asyncio.sleep(0)
    return token


class Reconnecting:
    """The state handed to a call whose fresh result is what gets written back is no stale copy
    (seen on unseen projects: a reconnect loop and a paginating poller)."""

    def __init__(self):
        self.conn = None
        self.offset = 0
        self.items = []
        self.count = 0
        self.budget = 10

    async def poll(self, offset: int) -> list:
        await asyncio.sleep(0)
        return [offset]

    async def reconnect(self) -> None:
        attempt = dial(token=self.conn.token)
        self.conn = await asyncio.wait_for(attempt, 60)

    async def next_page(self) -> None:
        page = await self.poll(offset=self.offset)
        self.offset = page[-1] + 1

    async def next_page_in_two_steps(self) -> None:
        pending = self.poll(self.offset)
        page = await pending
        self.offset = page[-1] + 1

    async def copied_then_written(self) -> None:
        items = self.items.copy()
        await audit("items")
        self.items = items + ["x"]  # error: ASP502

    async def converted_then_written(self) -> None:
        count = int(self.count)
        await audit("count")
        self.count = count + 1  # error: ASP502

    async def sorted_then_written(self) -> None:
        items = sorted(self.items)
        await audit("items")
        self.items = items + ["y"]  # error: ASP502

    async def read_beside_a_call(self) -> None:
        budget = self.budget - len(self.items)
        await audit("budget")
        self.budget = budget - 1  # error: ASP502

    async def derived_by_a_call(self) -> None:
        limit = max_of(self.budget, 3)
        await audit("limit")
        self.budget = limit - 1  # a fresh value computed by a call from the state: silent


def max_of(a: int, b: int) -> int:
    return a if a > b else b
