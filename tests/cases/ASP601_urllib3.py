"""Eval file for ASP601: urllib3 and urllib.request on the event loop.  Parsed, never run.

A crawler's fetch layer.  Positives: `urllib3.request()`, `urllib.request.urlopen()`, and the
methods that send a request (`request`, `urlopen`, `request_encode_url`,
`request_encode_body`) on a `PoolManager`, a `ProxyManager`, a connection pool, or what
`connection_from_url`/`proxy_from_url` return.  Negatives: the pool methods that do no I/O,
urllib3's helpers, an unknown object's `request`, the same calls in a thread.
"""
from __future__ import annotations

import asyncio
from typing import Optional, Union
from urllib import request as urlrequest

import urllib3
from urllib3 import HTTPConnectionPool, PoolManager, connection_from_url
from urllib3.poolmanager import ProxyManager

SEED = "https://example.org/"
http = PoolManager(num_pools=4)


async def fetch_top_level(url):
    return urllib3.request("GET", url).data  # error: ASP601


async def fetch_stdlib(url):
    with urlrequest.urlopen(url, timeout=10) as reply:  # error: ASP601
        return reply.read()


async def fetch_with_module_pool(url):
    return http.request("GET", url, retries=2)  # error: ASP601


async def fetch_local_manager(urls):
    manager = urllib3.PoolManager()
    pages = [manager.request("GET", url) for url in urls]  # error: ASP601
    manager.clear()  # drops the pools: no request
    return pages


async def fetch_entered(url):
    with PoolManager() as manager:
        return manager.urlopen("GET", url, redirect=False)  # error: ASP601


async def fetch_from_pool(path):
    pool = connection_from_url(SEED, maxsize=2)
    return pool.request("GET", path)  # error: ASP601


async def post_form(pool: HTTPConnectionPool, fields):
    return pool.request_encode_body("POST", "/form", fields=fields)  # error: ASP601


async def search(pool: Optional[urllib3.HTTPSConnectionPool], query):
    return pool.request_encode_url("GET", "/search", fields={"q": query})  # error: ASP601


async def via_proxy(url):
    proxy = urllib3.proxy_from_url("http://proxy.internal:3128")
    return proxy.request("GET", url)  # error: ASP601


async def via_declared_proxy(url):
    proxy: ProxyManager = ProxyManager("http://proxy.internal:3128")
    return proxy.request("GET", url)  # error: ASP601


async def either_pool(pool: Union[urllib3.PoolManager, urllib3.ProxyManager], url):
    return pool.request("HEAD", url)  # error: ASP601


async def retry_with_any_pool(url):
    pool: urllib3.PoolManager = urllib3.PoolManager()
    first = pool.request("GET", url)  # error: ASP601
    pool: urllib3.HTTPConnectionPool = connection_from_url(url)
    return first, pool.urlopen("GET", "/")  # error: ASP601


class Crawler:
    manager: urllib3.PoolManager

    def __init__(self):
        self.pool = urllib3.HTTPConnectionPool("example.org", maxsize=8)

    async def crawl(self, path):
        self.manager.request("GET", SEED + path)  # error: ASP601
        return self.pool.urlopen("GET", path)  # error: ASP601

    # -- negatives ----------------------------------------------------------------------------

    async def bookkeeping(self):
        self.pool.close()  # closes idle sockets: no request
        return self.pool.is_same_host(SEED), self.manager.connection_from_url(SEED)


# -- negatives ------------------------------------------------------------------------------


async def helpers_only(url):
    parsed = urllib3.util.parse_url(url)
    retries = urllib3.Retry(total=3)
    timeout = urllib3.Timeout(connect=1.0)
    return parsed.host, retries, timeout, urllib3.make_headers(keep_alive=True)


async def unknown_client(client, url):
    return client.request("GET", url)  # an object of unknown type: unsure, silent


async def offloaded(url):
    pool = urllib3.PoolManager()
    first = await asyncio.to_thread(pool.request, "GET", url)
    second = await asyncio.to_thread(urllib3.request, "GET", url)
    return first, second, await asyncio.to_thread(lambda: urlrequest.urlopen(url).read())


async def in_a_helper(url):
    def fetch_sync():
        return http.request("GET", url)  # a nested plain def

    return await asyncio.get_running_loop().run_in_executor(None, fetch_sync)


async def awaited_request(manager: urllib3.PoolManager, url):
    # awaited: whatever `manager` really is, the author treats it as asynchronous
    return await manager.request("GET", url)


async def maybe_async_pool(pool: urllib3.PoolManager | AsyncPool, url):
    return pool.request("GET", url)  # one of the two may be asynchronous: unsure, silent


class AsyncPool:
    async def request(self, method, url):
        return method, url


def sync_crawl(url):
    return http.request("GET", url).data  # a plain function
