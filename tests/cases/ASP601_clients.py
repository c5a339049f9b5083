"""Eval file for ASP601: sync client objects followed to where they are used.  Parsed, never run.

A payment gateway adapter that keeps its HTTP clients around.  Positives: a
`requests.Session`, an `httpx.Client` or a urllib3 pool reached through a parameter
annotation, an annotated local, a class-level annotation, `self.x = Client()` in
`__init__`, `with ... as`, a factory's return annotation, or a subclass.  Negatives: async
clients, unions with an async client, attributes that may hold either kind, a subclass that
overrides the method with an `async def`, unannotated or `Any` values.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Optional

import httpx
import requests
import urllib3
from requests import Session

API = "https://payments.example.com"


def make_session() -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = "Bearer secret"
    return session


async def charge(session: requests.Session, amount):
    return session.post(f"{API}/charges", json={"amount": amount})  # error: ASP601


async def refund(client: httpx.Client | None, charge_id):
    return client.post(f"{API}/charges/{charge_id}/refund")  # error: ASP601


async def status(client: Optional["httpx.Client"], charge_id):
    return client.get(f"{API}/charges/{charge_id}").json()  # error: ASP601


async def ping(pool: "urllib3.PoolManager"):
    return pool.request("HEAD", API).status  # error: ASP601


async def list_charges():
    session: Session = make_session()
    return session.get(f"{API}/charges")  # error: ASP601


async def from_factory():
    session = make_session()
    return session.request("GET", f"{API}/balance")  # error: ASP601


async def lowercase_factory():
    session = requests.session()
    return session.send(requests.Request("GET", API).prepare())  # error: ASP601


async def entered(charge_id):
    with Session() as session:
        session.delete(f"{API}/charges/{charge_id}")  # error: ASP601
    with httpx.Client(base_url=API) as client, urllib3.PoolManager() as pool:
        client.head("/health")  # error: ASP601
        pool.urlopen("GET", API)  # error: ASP601


@dataclass
class Gateway:
    session: requests.Session
    client: httpx.Client

    async def capture(self, charge_id):
        return self.session.post(f"{API}/charges/{charge_id}/capture")  # error: ASP601

    async def void(self, charge_id):
        return self.client.delete(f"{API}/charges/{charge_id}")  # error: ASP601


class Adapter:
    def __init__(self, client: httpx.Client):
        self.client = client
        self.pool = urllib3.HTTPSConnectionPool("payments.example.com")
        self.retry_session = requests.Session()
        self.hooks: requests.Session = make_session()

    async def authorize(self, amount):
        response = self.client.post("/authorize", json={"amount": amount})  # error: ASP601
        self.pool.request("POST", "/audit", body=b"authorize")  # error: ASP601
        self.hooks.put(f"{API}/hooks/authorize")  # error: ASP601
        return response, self.retry_session.get(f"{API}/fx")  # error: ASP601


class AuditedSession(requests.Session):
    def audit(self, line):
        return line


async def audited(charge_id):
    session = AuditedSession()
    session.audit(charge_id)  # the subclass's own plain method: no request
    return session.get(f"{API}/charges/{charge_id}")  # error: ASP601


# -- negatives ------------------------------------------------------------------------------


async def async_client(client: httpx.AsyncClient):
    return await client.post(f"{API}/charges")


async def either_kind(client: httpx.Client | httpx.AsyncClient):
    return client.get(API)  # may be the async client: unsure, silent


async def untyped(client, session: Any):
    client.get(API)  # nothing says what it is
    return session.post(API)


async def awaited_despite_annotation(client: httpx.Client):
    return await client.get(API)  # the author awaits it: the annotation is not to be trusted here


class AsyncSession(requests.Session):
    async def get(self, url, **kwargs):
        return await asyncio.to_thread(super().get, url, **kwargs)


async def overridden():
    session = AsyncSession()
    return await session.get(API)  # the subclass's coroutine method


class Switching:
    def __init__(self, sync: bool):
        self.client = httpx.Client()
        if not sync:
            self.client = httpx.AsyncClient()  # the attribute may hold either kind

    async def fetch(self):
        return self.client.get(API)


class Defaulted:
    def __init__(self, client: Optional[httpx.Client] = None):
        self.client = client or httpx.AsyncClient()  # not a plain call: unsure

    async def fetch(self):
        return self.client.get(API)


async def rebound(client: httpx.Client):
    client = httpx.AsyncClient()  # the name now holds the async client as well
    return client.get(API)


async def handed_to_thread(session: requests.Session):
    return await asyncio.to_thread(session.get, API)


async def session_bookkeeping(session: requests.Session):
    session.headers.update({"X-Trace": "1"})
    session.mount("https://", requests.adapters.HTTPAdapter(max_retries=3))
    session.close()  # closing a requests session sends nothing
    return session.cookies.get("sid")
