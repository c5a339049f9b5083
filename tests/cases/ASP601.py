"""Eval file for ASP601 blocking-call-in-coroutine.  Parsed, never run.

A deployment agent that polls services, runs commands and downloads
artifacts, half ported to asyncio.  Positives carry `# error: ASP601`: a
well-known blocking call made directly on the event loop.  The same calls in a
nested sync def, a lambda, a plain function, at module level or handed to a
thread as a callable must stay silent.
"""
from __future__ import annotations

import asyncio
import functools
import json
import socket
import subprocess
import time
import time as t
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from time import sleep
from urllib.request import urlopen

import httpx
import requests
import requests as r

HEALTH_URL = "http://localhost:8080/health"
executor = ThreadPoolExecutor(max_workers=4)


# -- positives: directly inside a coroutine --------------------------------------------------


async def wait_until_healthy(retries=10):
    for _ in range(retries):
        response = requests.get(HEALTH_URL, timeout=2)  # error: ASP601
        if response.ok:
            return True
        time.sleep(1)  # error: ASP601
    return False


async def backoff(attempt):
    sleep(2 ** attempt)  # error: ASP601


async def throttle():
    t.sleep(0.1)  # error: ASP601


async def report_status(status):
    r.put(f"{HEALTH_URL}/status", json={"status": status})  # error: ASP601
    requests.post(HEALTH_URL, data=json.dumps(status), timeout=5)  # error: ASP601


async def download(url):
    with urllib.request.urlopen(url) as reply:  # error: ASP601
        return reply.read()


async def download_mirror(url):
    return urlopen(url, timeout=10).read()  # error: ASP601


async def deploy(revision):
    subprocess.run(["git", "checkout", revision], check=True)  # error: ASP601
    status = subprocess.call(["make", "build"])  # error: ASP601
    if status:
        raise RuntimeError(status)
    return subprocess.check_output(["git", "rev-parse", "HEAD"]).decode()  # error: ASP601


async def probe(host, port):
    try:
        sock = socket.create_connection((host, port), timeout=1)  # error: ASP601
    except OSError:
        return False
    sock.close()
    return True


async def fetch_all(urls):
    session = requests.Session()
    session.headers["User-Agent"] = "agent/1.0"
    pages = [session.get(url).text for url in urls]  # error: ASP601
    session.close()
    return pages


async def fetch_with_context(url):
    with requests.Session() as session:
        return session.get(url).json()  # error: ASP601


async def raw_request(method, url):
    return requests.request(method, url).content  # error: ASP601


async def nested_dispatch(commands):
    async def run_one(command):
        return subprocess.check_output(command, shell=True)  # error: ASP601

    return await asyncio.gather(*(run_one(c) for c in commands[:5]))


async def thread_of_a_result(url):
    # the call runs here, on the loop; only its *result* goes to the thread
    return await asyncio.to_thread(requests.get(url).json)  # error: ASP601


async def stream_logs(path):
    while True:
        time.sleep(0.5)  # error: ASP601
        yield path


class Agent:
    def __init__(self, base_url, loop, client):
        self.base_url = base_url
        self.loop = loop
        self.client = client
        self.requests = requests.Session()

    async def heartbeat(self):
        requests.head(self.base_url)  # error: ASP601

    async def fetch(self, path):
        return self.requests.get(self.base_url + path)  # error: ASP601

    @staticmethod
    async def pause():
        sleep(0.2)  # error: ASP601

    async def install(self, package):
        out = subprocess.run(["pip", "install", package], capture_output=True)  # error: ASP601
        return out.returncode

    # -- negatives in the same class --------------------------------------------------------

    async def heartbeat_offloaded(self):
        return await self.loop.run_in_executor(None, requests.head, self.base_url)  # the callable, not a call

    async def install_offloaded(self, package):
        run = functools.partial(subprocess.run, ["pip", "install", package], capture_output=True)
        return await asyncio.to_thread(run)  # a partial of the blocking function: runs in a thread

    async def fetch_with_client(self, path):
        return await self.client.get(self.base_url + path)  # a client given from outside: unknown, awaited

    async def sleep(self, seconds):
        await asyncio.sleep(seconds)

    async def nap(self):
        await self.sleep(1)  # the class's own coroutine method named sleep

    def blocking_refresh(self):
        time.sleep(1)  # a plain method, run wherever the caller likes
        return requests.get(self.base_url)


# -- negatives ------------------------------------------------------------------------------


async def poll_offloaded(url):
    await asyncio.to_thread(time.sleep, 1)  # time.sleep is handed over, not called
    return await asyncio.get_running_loop().run_in_executor(None, requests.get, url)


async def poll_with_executor(url):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor, functools.partial(requests.get, url, timeout=5))


async def poll_async(url):
    await asyncio.sleep(1)  # the coroutine version
    async with httpx.AsyncClient() as client:
        response = await client.get(url)  # an async client, awaited
    return response.json()


async def poll_aiohttp(session, url):
    async with session.get(url) as response:  # an unknown session object: unsure, stay silent
        return await response.text()


async def run_in_nested_def(command):
    def run_sync():
        return subprocess.run(command, check=True)  # a nested sync def: runs wherever it is called

    return await asyncio.to_thread(run_sync)


async def with_callbacks(loop, url):
    on_done = lambda _future: time.sleep(0)  # noqa: E731 - a lambda body is not the coroutine's body
    fetch_later = lambda: requests.get(url)  # noqa: E731
    future = loop.run_in_executor(None, fetch_later)
    future.add_done_callback(on_done)
    return await future


async def local_sleep(seconds):
    def sleep(delay):  # a local function that shadows time.sleep
        return delay * 2

    return sleep(seconds)


async def shadowed_module(requests, url):
    return await requests.get(url)  # the parameter shadows the requests module


async def harmless_time_calls(url):
    started = time.monotonic()
    stamp = time.time()
    query = urllib.parse.urlencode({"t": stamp})
    return f"{url}?{query}", started


async def spawn(command):
    process = await asyncio.create_subprocess_exec(*command)  # the asyncio version
    return await process.wait()


async def start_background(command):
    # starting a process forks and execs on the loop's thread (flake8-async's ASYNC220)
    return subprocess.Popen(command)  # error: ASP601


async def open_socket(host, port):
    reader, writer = await asyncio.open_connection(host, port)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # creating a socket does not block
    return reader, writer, sock


async def submit_to_pool(url):
    future = executor.submit(requests.get, url)  # the callable goes to the executor
    return await asyncio.wrap_future(future)


async def build_class_inside(url):
    class Probe:
        def check(self):
            return urlopen(url).status  # a method of a class built here: not the coroutine's body

    return Probe


async def busy_health_check():
    # pretend the loop is busy: a comment saying it blocks on purpose keeps the fix off, not the finding
    time.sleep(0.1)  # error: ASP601
    # block the loop deliberately
    t.sleep(0.2)  # error: ASP601


def legacy_main():
    time.sleep(1)  # a plain function
    subprocess.call(["true"])
    return requests.get(HEALTH_URL)


if __name__ == "__main__":
    time.sleep(0.1)  # module level
    socket.create_connection(("localhost", 8080)).close()
    asyncio.run(wait_until_healthy())
