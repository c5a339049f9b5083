"""Eval file for ASP601: httpx (and its continuation httpx2) on the event loop.  Parsed, never run.

A metrics exporter that pushes samples to a collector.  Positives: the module functions
(`httpx.get`, ..., `httpx.request`, `httpx.stream`) and the methods of an `httpx.Client`
that make a request or close its connections, wherever the client comes from.  Negatives:
`httpx.AsyncClient`, methods that only build things (`build_request`, `is_closed`), the
same calls handed to a thread, names that merely look alike.
"""
from __future__ import annotations

import asyncio
import functools

import httpx
import httpx as web
import httpx2
from httpx import Client, post as push

COLLECTOR = "http://collector.internal:9091"


async def push_sample(sample):
    httpx.post(f"{COLLECTOR}/samples", json=sample, timeout=2.0)  # error: ASP601


async def probe_collector():
    if web.head(COLLECTOR).status_code != 200:  # error: ASP601
        web.options(COLLECTOR)  # error: ASP601
    return web.get(f"{COLLECTOR}/-/ready").is_success  # error: ASP601


async def retract(sample_id):
    httpx.delete(f"{COLLECTOR}/samples/{sample_id}")  # error: ASP601
    httpx.put(f"{COLLECTOR}/tombstones/{sample_id}", content=b"")  # error: ASP601
    httpx.patch(f"{COLLECTOR}/samples/{sample_id}", json={"state": "gone"})  # error: ASP601


async def push_imported_name(sample):
    return push(COLLECTOR, json=sample)  # error: ASP601


async def raw(method, path):
    return httpx.request(method, COLLECTOR + path).content  # error: ASP601


async def tail(path):
    with httpx.stream("GET", COLLECTOR + path) as response:  # error: ASP601
        return [line for line in response.iter_lines()]


async def push_with_the_fork(sample):
    httpx2.post(COLLECTOR, json=sample)  # error: ASP601
    with httpx2.Client() as client:
        client.get(COLLECTOR)  # error: ASP601


async def push_batch(samples):
    client = httpx.Client(base_url=COLLECTOR, timeout=5)
    for sample in samples:
        client.post("/samples", json=sample)  # error: ASP601
    client.close()  # error: ASP601


async def push_in_session(samples):
    with httpx.Client(base_url=COLLECTOR) as session:
        request = session.build_request("POST", "/batch", json=samples)  # building is not sending
        return session.send(request)  # error: ASP601


async def push_aliased_class(sample):
    client: Client = Client()
    return client.post(COLLECTOR, json=sample)  # error: ASP601


async def stream_via_client(path):
    client = Client()
    with client.stream("GET", COLLECTOR + path) as response:  # error: ASP601
        return response.read()


async def one_shot(sample):
    return httpx.Client().post(COLLECTOR, json=sample).json()  # error: ASP601


# -- negatives ------------------------------------------------------------------------------


async def push_async(sample):
    async with httpx.AsyncClient(base_url=COLLECTOR) as client:
        response = await client.post("/samples", json=sample)
        await client.aclose()
    return response.json()


async def push_async_assigned(samples):
    client = httpx.AsyncClient()
    for sample in samples:
        await client.post(COLLECTOR, json=sample)
    await client.aclose()


async def build_only():
    client = httpx.Client()
    request = client.build_request("GET", COLLECTOR)  # no I/O
    return request, client.is_closed, client.base_url


async def harmless_module_names(raw_url):
    url = httpx.URL(raw_url)
    timeout = httpx.Timeout(5.0)
    headers = httpx.Headers({"Accept": "application/json"})
    response = httpx.Response(200, json={"ok": True})  # a response built in memory
    return url, timeout, headers, response.json()


async def offloaded(sample):
    await asyncio.to_thread(httpx.post, COLLECTOR, json=sample)  # handed to a thread, not called
    loop = asyncio.get_running_loop()
    client = httpx.Client()
    await loop.run_in_executor(None, functools.partial(client.post, COLLECTOR, json=sample))
    return await asyncio.to_thread(lambda: httpx.get(COLLECTOR).json())


async def in_a_helper(sample):
    def send_sync():
        with httpx.Client() as client:
            return client.post(COLLECTOR, json=sample)  # a nested plain def: runs in the thread

    return await asyncio.to_thread(send_sync)


async def dictionary_get(config):
    return config.get("collector", COLLECTOR)  # a dict's get, not an HTTP call


async def shadowing_parameter(httpx, sample):
    return await httpx.post(COLLECTOR, json=sample)  # the parameter shadows the module


def sync_exporter(sample):
    httpx.post(COLLECTOR, json=sample)  # a plain function
    with httpx.Client() as client:
        client.get(COLLECTOR)


async def against_a_mock(handler, app):
    # an in-memory transport answers in the calling thread and sends nothing
    client = httpx.Client(transport=httpx.MockTransport(handler))
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url=COLLECTOR) as wsgi:
        return client.get(COLLECTOR), wsgi.post("/samples")


async def against_the_network(handler):
    client = httpx.Client(transport=httpx.HTTPTransport(retries=3))
    return client.get(COLLECTOR)  # error: ASP601
