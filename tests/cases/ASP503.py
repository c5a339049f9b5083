"""Eval file for ASP503 unlocked-mutation-in-thread.  Parsed, never run.

A metrics collector and a file indexer that push work onto threads, executors
and `asyncio.to_thread`.  The finding sits on the mutation inside the function
that runs in other threads, never on the hand-off.  Positives carry
`# error: ASP503`; mutations under a lock, queue puts, `itertools.count`,
locals, appends, and functions that never leave the event-loop thread must stay
silent.
"""
from __future__ import annotations

import asyncio
import collections
import functools
import itertools
import logging
import os
import queue
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from threading import Thread, Timer

log = logging.getLogger(__name__)

requests_served = 0
bytes_read = 0
last_error = None
peak_latency = 0.0
STATS: dict[str, int] = collections.defaultdict(int)
SEEN: dict[str, int] = {}
RESULTS: list[str] = []
CHECKSUMS: dict[str, int] = {}

stats_lock = threading.Lock()
mu = threading.RLock()  # a lock whose name does not say so: known from its class
work_queue: queue.Queue[str] = queue.Queue()
request_ids = itertools.count(1)
io_executor = ThreadPoolExecutor(max_workers=8)
pool = ThreadPoolExecutor(max_workers=4)  # assigned from ThreadPoolExecutor, not named executor
cpu_pool = ProcessPoolExecutor()


# -- module-level functions run on threads -----------------------------------------------


def count_request(path):
    global requests_served
    requests_served += 1  # error: ASP503
    STATS[path] += 1  # error: ASP503


def count_request_safely(path):
    global requests_served
    with stats_lock:
        requests_served += 1  # under the module's threading.Lock
        STATS[path] += 1  # under the lock too


def record_bytes(n):
    global bytes_read
    bytes_read = bytes_read + n  # error: ASP503


def record_bytes_reentrant(n):
    global bytes_read
    with mu:
        bytes_read = bytes_read + n  # `mu` is a threading.RLock, whatever its name


def record_peak(latency):
    global peak_latency
    peak_latency = max(peak_latency, latency)  # error: ASP503


def record_error(exc):
    global last_error
    last_error = exc  # a plain store, nothing read back: not read-modify-write


def tally(word):
    STATS[word] = STATS[word] + 1  # error: ASP503


def tally_with_default(word):
    SEEN[word] = SEEN.get(word, 0) + 1  # error: ASP503


def remember(path):
    RESULTS.append(path)  # list.append is one call, not a read-modify-write assignment
    CHECKSUMS[path] = len(path)  # a plain store of a fresh value


def enqueue(path):
    work_queue.put(path)  # queue.Queue does its own locking


def next_request_id():
    request_id = next(request_ids)  # itertools.count hands out numbers atomically
    log.debug("request %d", request_id)
    return request_id


def checksum(path):
    total = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(65536), b""):
            total += sum(block)  # a local accumulator
    return total


def scan_directory(root):
    global bytes_read
    with open(os.path.join(root, "index"), "rb") as handle:  # a file, not a lock
        bytes_read += len(handle.read())  # error: ASP503


def count_miss(key):
    STATS["miss:" + key] += 1  # error: ASP503


def observe_batch(batch):
    global bytes_read
    for item in batch:
        if item:
            bytes_read += len(item)  # error: ASP503


def shadowing_local(n):
    requests_served = 0  # no `global`: a local that only shares the name
    requests_served += n
    return requests_served


def bump_cpu_counter(n):
    global requests_served
    requests_served += n  # run only in a process pool: each process has its own copy


def never_threaded(n):
    global requests_served
    requests_served += n  # only ever called directly on the event loop thread


def on_loop_tick():
    global requests_served
    requests_served += 1  # handed to loop.call_soon/call_later: runs on the loop's own thread


def make_reporter(prefix):
    def report():
        global requests_served
        requests_served += 1  # a nested function only built (and returned) by the thread, not run there
    log.info("%s ready", prefix)
    return report


# -- closures -------------------------------------------------------------------------------


def total_size(paths):
    total = 0
    largest = 0

    def add(path):
        nonlocal total, largest
        size = os.path.getsize(path)
        total += size  # error: ASP503
        if size > largest:
            largest = size  # a plain store
        return size

    with ThreadPoolExecutor(max_workers=8) as executor:
        list(executor.map(add, paths))
    return total, largest


def count_lines(paths):
    lines = 0
    lines_lock = threading.Lock()

    def add(path):
        nonlocal lines
        with open(path) as handle:
            found = sum(1 for _ in handle)
        with lines_lock:
            lines += found  # under the closure's lock
        return found

    with ThreadPoolExecutor() as executor:
        for future in [executor.submit(add, path) for path in paths]:
            future.result()
    return lines


def count_words(paths):
    words = 0

    def add(path):
        nonlocal words
        with open(path) as handle:
            words += len(handle.read().split())  # error: ASP503

    threads = [threading.Thread(target=add, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return words


def count_matches(paths, pattern):
    matches = 0

    def add(path, needle):
        nonlocal matches
        with open(path) as handle:
            matches = matches + handle.read().count(needle)  # error: ASP503

    workers = [Thread(target=lambda p=path: add(p, pattern)) for path in paths]
    for worker in workers:
        worker.start()
    return workers


def index_files(paths):
    indexed = 0

    def index(path):
        nonlocal indexed
        log.debug("indexing %s", path)
        indexed += 1  # error: ASP503

    with ThreadPoolExecutor(max_workers=4) as ex:  # `ex` is known from its value, not its name
        ex.map(index, paths)
    return indexed


def count_in_loop_thread(loop, paths):
    seen = 0

    def add(path):
        nonlocal seen
        seen += 1  # handed to loop.call_soon_threadsafe: runs on the loop's thread
        log.debug("queued %s", path)

    for path in paths:
        loop.call_soon_threadsafe(add, path)
    return seen


# -- methods --------------------------------------------------------------------------------


class Metrics:
    def __init__(self):
        self.count = 0
        self.errors = 0
        self.by_status = collections.Counter()
        self.latencies = []
        self._lock = threading.Lock()
        self.cond = threading.Condition()
        self._executor = ThreadPoolExecutor(max_workers=2)

    def observe(self, status, latency):
        self.count += 1  # error: ASP503
        self.by_status[status] += 1  # error: ASP503
        self.latencies.append(latency)  # an append, not an assignment

    def observe_safely(self, status, latency):
        with self._lock:
            self.count += 1  # under self._lock
            self.by_status[status] += 1  # under self._lock
        self.latencies.append(latency)

    def observe_under_condition(self, status):
        with self.cond:
            self.by_status[status] = self.by_status[status] + 1  # a threading.Condition is a lock
            self.cond.notify_all()

    def fail(self):
        self.errors = self.errors + 1  # error: ASP503

    def fail_with_default(self, kind):
        self.by_status[kind] = self.by_status.get(kind, 0) + 1  # error: ASP503

    def reset(self):
        self.count = 0  # a store of a constant: nothing read
        self.by_status = collections.Counter()

    def merge(self, other):
        other.count += self.count  # `other` is a parameter, not self: unsure, stay silent

    def flush(self):
        if self.count:
            self.errors += 1  # error: ASP503
        try:
            self._write()
        finally:
            with self._lock:
                self.count = self.count - self.count  # under the lock

    def _write(self):
        log.info("%d requests", self.count)

    def start(self):
        threading.Thread(target=self.observe, args=(200, 0.1), daemon=True).start()
        threading.Thread(target=self.observe_safely, args=(200, 0.1)).start()
        threading.Thread(target=self.observe_under_condition, args=(500,)).start()
        self._executor.submit(self.fail)
        self._executor.submit(functools.partial(self.fail_with_default, "timeout"))
        self._executor.submit(self.merge, Metrics())
        threading.Timer(30.0, self.flush).start()
        self.reset()  # called directly, on this thread

    def __repr__(self):
        return f"Metrics(count={self.count})"


class Worker(threading.Thread):
    def __init__(self, jobs):
        super().__init__(daemon=True)
        self.jobs = jobs
        self.done = 0

    def run(self):
        for job in self.jobs:
            job()
            self.done += 1  # a Thread subclass's run(): not one of the rule's hand-offs, not reported


# -- hand-offs ------------------------------------------------------------------------------


def start_server(paths, loop):
    for path in paths:
        io_executor.submit(count_request, path)
        io_executor.submit(count_request_safely, path)
        io_executor.submit(record_bytes_reentrant, len(path))
        pool.submit(enqueue, path)
        pool.submit(next_request_id)
        pool.submit(remember, path)
        pool.submit(record_error, ValueError(path))
        pool.submit(checksum, path)
        pool.submit(shadowing_local, 3)
        pool.submit(count_miss, path)
        Thread(target=partial(tally, path)).start()
    with stats_lock:
        io_executor.submit(record_bytes, 10)  # the lock is held at the hand-off, not in the thread
    Timer(5.0, scan_directory, args=("/var/data",)).start()
    cpu_pool.submit(bump_cpu_counter, 1)
    loop.call_soon(on_loop_tick)
    loop.call_later(1.0, on_loop_tick)
    never_threaded(1)
    pool.submit(make_reporter, "stats")


async def refresh(loop, words, latency):
    await loop.run_in_executor(None, tally_with_default, words[0])
    await loop.run_in_executor(io_executor, lambda: record_peak(latency))
    await asyncio.to_thread(observe_batch, words)
    return await asyncio.to_thread(Metrics().reset)


async def main():
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(start_server, ["/a", "/b"], loop)
    return await refresh(loop, ["alpha"], 0.25)


# -- one writer thread, or one key per thread -----------------------------------------------


def receive_all(server):
    received = b""

    def serve():
        nonlocal received
        client, _ = server.accept()
        while data := client.recv(1024):
            received += data  # one thread, started once and joined before the read: the only writer

    thread = Thread(target=serve, daemon=True)
    thread.start()
    thread.join()
    return received


def receive_twice(server):
    received = b""

    def serve():
        nonlocal received
        client, _ = server.accept()
        received += client.recv(1024)  # error: ASP503

    first = Thread(target=serve)
    second = Thread(target=serve)  # two threads run the same closure
    first.start()
    second.start()
    return received


def receive_while_counting(server):
    received = 0

    def serve():
        nonlocal received
        received += len(server.recv(1024))  # error: ASP503

    Thread(target=serve).start()
    received += 1  # the starting thread writes it too, after the hand-off
    return received


def receive_per_connection(server, connections):
    received = 0

    def serve():
        nonlocal received
        received += len(server.recv(1024))  # error: ASP503

    for _ in connections:
        Thread(target=serve).start()  # one thread per pass
    return received


def receive_on_demand(server):
    received = 0

    def serve():
        nonlocal received
        received += len(server.recv(1024))  # error: ASP503

    start = lambda: Thread(target=serve).start()  # noqa: E731 (each call of the lambda starts a thread)
    start()
    start()
    return received


async def total_in_thread(paths):
    total = 0

    def add_all():
        nonlocal total
        for path in paths:
            total += os.path.getsize(path)  # one to_thread call: one thread writes

    await asyncio.to_thread(add_all)
    return total


class PipeReader:
    def __init__(self, process):
        self.process = process
        self.output = {"stdout": 0, "stderr": 0}
        self.seen = {"stdout": 0, "stderr": 0}
        self.totals = collections.Counter()
        self.chunks = collections.Counter()
        self.readers = []
        for pipe, name in ((process.stdout, "stdout"), (process.stderr, "stderr")):
            thread = threading.Thread(target=self.read_output, args=(pipe, name), daemon=True)
            thread.start()
            self.readers.append(thread)
        for name in ("stdout", "stdout"):  # the same key twice
            threading.Thread(target=self.read_twice, args=(process.stdout, name)).start()
        for index in range(4):
            threading.Thread(target=self.read_shard, kwargs={"shard": index}).start()
        for pipe in (process.stdout, process.stderr):
            threading.Thread(target=self.read_into_total, args=(pipe, "all")).start()
        with ThreadPoolExecutor() as executor:
            executor.map(self.read_chunk, range(8))

    def read_output(self, pipe, name):
        while chunk := pipe.read(4096):
            self.output[name] += len(chunk)  # each thread its own key: no other thread touches the item

    def read_twice(self, pipe, name):
        self.seen[name] += len(pipe.read())  # error: ASP503

    def read_shard(self, shard):
        self.totals[shard] = self.totals[shard] + 1  # range() gives every thread its own shard

    def read_into_total(self, pipe, name):
        self.totals[name] += len(pipe.read())  # error: ASP503

    def read_chunk(self, index):
        self.chunks[index] += 1  # executor.map over range(): one index per call


if __name__ == "__main__":
    asyncio.run(main())
