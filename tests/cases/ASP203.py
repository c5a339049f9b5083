"""Eval file for ASP203 await-in-loop (opt-in).  Parsed, never run.

A user-data pipeline: it loads profiles, renders thumbnails, scores leads and
syncs a search index.  Positives carry `# error: ASP203` (on the loop's first
await); every other loop that awaits is a negative that must stay silent:
its passes depend on each other, or their order is the point.
"""
from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)
MAX_PAGES = 20


async def fetch_profile(user_id: int) -> dict:
    await asyncio.sleep(0.01)
    return {"id": user_id}


async def render_thumbnail(path: str) -> bytes:
    await asyncio.sleep(0.01)
    return b""


async def index_document(doc: dict) -> None:
    await asyncio.sleep(0.01)


async def download_feed(url: str) -> list[dict]:
    await asyncio.sleep(0.01)
    return []


async def embed(text: str) -> list[float]:
    await asyncio.sleep(0.01)
    return []


async def summarize(article: str) -> str:
    await asyncio.sleep(0.01)
    return article[:100]


async def classify(ticket: dict) -> str:
    await asyncio.sleep(0.01)
    return "bug"


async def fetch_meta(key: str) -> dict:
    await asyncio.sleep(0.01)
    return {}


async def fetch_stats(key: str) -> dict:
    await asyncio.sleep(0.01)
    return {}


async def resize_image(image: bytes, width: int) -> bytes:
    await asyncio.sleep(0.01)
    return image


async def list_users() -> list[str]:
    await asyncio.sleep(0.01)
    return []


async def lookup_email(user: str) -> str:
    await asyncio.sleep(0.01)
    return user + "@example.org"


async def compute_total(region: str) -> int:
    await asyncio.sleep(0.01)
    return 0


async def fetch_batch(cursor: str | None) -> tuple[list[dict], str | None]:
    await asyncio.sleep(0.01)
    return [], None


async def count_rows(table: str) -> int:
    await asyncio.sleep(0.01)
    return 0


async def probe(host: str) -> bool:
    await asyncio.sleep(0.01)
    return True


async def is_available(name: str) -> bool:
    await asyncio.sleep(0.01)
    return True


async def check_host(host: str) -> bool:
    await asyncio.sleep(0.01)
    return True


async def fetch_quote(symbol: str) -> float:
    await asyncio.sleep(0.01)
    return 1.0


async def submit_order(order: dict) -> str:
    await asyncio.sleep(0.01)
    return "ok"


async def heartbeat(node: str) -> None:
    await asyncio.sleep(0.01)


async def stream_rows():
    for row in range(3):
        yield row


async def archive_row(row: int) -> None:
    await asyncio.sleep(0.01)


async def emit(writer: asyncio.StreamWriter, line: bytes) -> None:
    writer.write(line + b"\n")  # one line on the wire; the next must come after it
    await writer.drain()


async def write_record(out, record: dict) -> None:
    await asyncio.sleep(0)


async def diff_snapshot(snapshot: dict, previous: dict | None) -> dict:
    await asyncio.sleep(0.01)
    return snapshot


async def reply(message: str, history: list[str]) -> str:
    await asyncio.sleep(0.01)
    return message


async def verify(signature: bytes) -> bool:
    await asyncio.sleep(0.01)
    return True


# -- positives: every pass does its own item's work, nothing flows between passes -------------


async def load_profiles(user_ids: list[int]) -> list[dict]:
    profiles = []
    for user_id in user_ids:
        profiles.append(await fetch_profile(user_id))  # error: ASP203
    return profiles


async def thumbnails_for(paths: list[str]) -> dict[str, bytes]:
    thumbnails = {}
    for path in paths:
        thumbnails[path] = await render_thumbnail(path)  # error: ASP203
    return thumbnails


async def reindex(docs: list[dict]) -> None:
    for doc in docs:
        await index_document(doc)  # error: ASP203


async def refresh_feeds(sources: dict[str, str]) -> dict[str, list[dict]]:
    feeds = {}
    for name, url in sources.items():
        feeds[name] = await download_feed(url)  # error: ASP203
    return feeds


async def embed_all(texts: list[str]) -> dict[int, list[float]]:
    vectors = {}
    for i, text in enumerate(texts):
        vectors[i] = await embed(text)  # error: ASP203
    return vectors


async def digest(articles: list[str]) -> list[str]:
    summaries = []
    for article in articles:
        summary = await summarize(article)  # error: ASP203
        summaries.append(summary.strip())
    return summaries


async def triage(tickets: list[dict]) -> list[str]:
    flagged = []
    for ticket in tickets:
        if ticket["priority"] > 3:  # decides on the item, not on an awaited result
            flagged.append(await classify(ticket))  # error: ASP203
    return flagged


async def dashboard_rows(keys: list[str]) -> list[tuple[dict, dict]]:
    rows = []
    for key in keys:
        meta = await fetch_meta(key)  # error: ASP203, ASP204
        stats = await fetch_stats(key)
        rows.append((meta, stats))
    return rows


async def shrink(images: list[bytes]) -> list[bytes]:
    resized = []
    for image in images:
        resized.append(await resize_image(image, width=800))  # error: ASP203
    return resized


async def mailing_list() -> dict[str, str]:
    emails = {}
    for user in await list_users():  # the awaited iterable is evaluated once, before the loop
        emails[user] = await lookup_email(user)  # error: ASP203
    return emails


async def regional_report(regions: list[str]) -> dict[str, int]:
    report = {}
    for region in regions:
        report[region] = await compute_total(region)  # error: ASP203
    return report


async def crawl(urls: list[str | None]) -> list[list[dict]]:
    pages = []
    for url in urls:
        if not url:
            continue  # skips an empty item; no pass depends on another
        pages.append(await download_feed(url))  # error: ASP203
    return pages


class Geocoder:
    @staticmethod
    async def locate(address: str) -> tuple[float, float]:
        await asyncio.sleep(0.01)
        return 0.0, 0.0


class LeadScorer:
    def __init__(self, model: str) -> None:
        self.model = model

    async def score(self, lead: dict) -> float:
        await asyncio.sleep(0.01)
        return 0.5

    @classmethod
    async def check_health(cls, host: str) -> bool:
        await asyncio.sleep(0.01)
        return True

    async def score_all(self, leads: list[dict]) -> dict[str, float]:
        scores = {}
        for lead in leads:
            scores[lead["id"]] = await self.score(lead)  # error: ASP203
        return scores

    @classmethod
    async def health_report(cls, hosts: list[str]) -> dict[str, bool]:
        report = {}
        for host in hosts:
            report[host] = await cls.check_health(host)  # error: ASP203
        return report

    async def locate_leads(self, leads: list[dict]) -> list[tuple[float, float]]:
        places = []
        for lead in leads:
            places.append(await Geocoder.locate(lead["address"]))  # error: ASP203
        return places

    async def enrich_rows(self, rows: list[dict]) -> list[dict]:
        async def enrich(row: dict) -> dict:
            await asyncio.sleep(0.01)
            return {**row, "model": self.model}

        enriched = []
        for row in rows:
            enriched.append(await enrich(row))  # error: ASP203
        return enriched


def make_handler(doc_ids: list[int]):
    async def handler() -> list[dict]:
        found = []
        for doc_id in doc_ids:
            found.append(await fetch_profile(doc_id))  # error: ASP203
        return found

    return handler


# -- negatives: a pass depends on an earlier one, or the order is the point ---------------


async def all_records() -> list[dict]:
    items, cursor = [], None
    for _ in range(MAX_PAGES):
        batch, cursor = await fetch_batch(cursor)  # pagination: the cursor feeds the next pass
        items.extend(batch)
    return items


async def table_sizes(tables: list[str]) -> int:
    total = 0
    for table in tables:
        total += await count_rows(table)  # a running total carried from pass to pass
    return total


async def first_reachable(hosts: list[str]) -> str | None:
    chosen = None
    for host in hosts:
        reachable = await probe(host)  # the loop stops on the first good result
        if reachable:
            chosen = host
            break
    return chosen


async def free_name(candidates: list[str]) -> str | None:
    for name in candidates:
        if await is_available(name):  # returns on a result: later names are never tried
            return name
    return None


async def healthy_hosts(hosts: list[str]) -> list[str]:
    healthy = []
    for host in hosts:
        up = await check_host(host)  # control depends on the result (`if up:`)
        if up:
            healthy.append(host)
    return healthy


async def quotes(symbols: list[str]) -> dict[str, float]:
    prices = {}
    for symbol in symbols:
        prices[symbol] = await fetch_quote(symbol)  # paced by the sleep below: rate limiting
        await asyncio.sleep(0.2)
    return prices


async def place(order: dict) -> str:
    for attempt in range(5):  # retries with back-off
        try:
            return await submit_order(order)
        except ConnectionError:
            await asyncio.sleep(2 ** attempt)
    raise RuntimeError("order service unreachable")


async def keep_alive(node: str) -> None:
    for _ in range(3):
        await heartbeat(node)  # the same call every pass: polling, not per-item work


async def archive() -> None:
    async for row in stream_rows():
        await archive_row(row)  # async for: the next row only exists after this pass


async def send_lines(writer: asyncio.StreamWriter, lines: list[bytes]) -> None:
    for line in lines:
        await emit(writer, line)  # writes to one stream: the order of the lines is the output


async def dump(out, records: list[dict]) -> None:
    for record in records:
        await write_record(out, record)  # writes records to a file in order


async def drain_raw(writer: asyncio.StreamWriter, chunks: list[bytes]) -> None:
    for chunk in chunks:
        writer.write(chunk)
        await writer.drain()  # flow control of one socket


async def changes(snapshots: list[dict]) -> list[dict]:
    diffs, previous = [], None
    for snapshot in snapshots:
        diff = await diff_snapshot(snapshot, previous)  # each pass compares with the one before
        diffs.append(diff)
        previous = snapshot
    return diffs


async def replay(messages: list[str]) -> list[str]:
    history: list[str] = []
    for message in messages:
        # every answer sees the conversation so far: the list carries results to the next pass
        history.append(await reply(message, history))
    return history


async def verify_all(signatures: list[bytes]) -> None:
    for signature in signatures:
        valid = await verify(signature)  # raises on the first bad one: later ones are not checked
        if not valid:
            raise ValueError("bad signature")


async def stream_profiles(user_ids: list[int]):
    for user_id in user_ids:
        yield await fetch_profile(user_id)  # an async generator hands out one item at a time


async def mirror(client, urls: list[str]) -> list[bytes]:
    pages = []
    for url in urls:
        pages.append(await client.get(url))  # an unknown client: resolution is unsure
    return pages


class Uploader:
    def __init__(self) -> None:
        self.offset = 0
        self._lock = asyncio.Lock()
        self.outbox: asyncio.Queue = asyncio.Queue()

    async def upload_chunk(self, chunk: bytes, offset: int) -> int:
        await asyncio.sleep(0.01)
        return offset + len(chunk)

    async def apply(self, change: dict) -> None:
        await asyncio.sleep(0.01)

    async def upload(self, chunks: list[bytes]) -> None:
        for chunk in chunks:
            # the offset the server returns is where the next chunk goes: carried on self
            self.offset = await self.upload_chunk(chunk, self.offset)

    async def apply_all(self, changes: list[dict]) -> None:
        for change in changes:
            async with self._lock:  # serialised under a lock on purpose
                await self.apply(change)

    async def queue_all(self, messages: list[str]) -> None:
        for message in messages:
            await self.outbox.put(message)  # a queue put: back-pressure, in order


# -- negatives found in real projects ------------------------------------------------------


async def aiter_from(items: list[int]):
    for item in items:
        yield item


async def accumulate(source):
    total = 0
    if not hasattr(source, "__aiter__"):
        source = aiter_from(list(source))
    async for value in source:
        total += value
        yield total


async def collect(iterator) -> list[int]:
    return [value async for value in iterator]


async def test_accumulate_empty() -> None:
    # corpus: anyio tests — an assert on each result checks them in order: a failure stops the loop
    for iterator in (accumulate([]), accumulate(aiter_from([]))):
        assert await collect(iterator) == []


# Seen on unseen projects: loops whose passes cannot overlap, or whose order is the point.
import abc


async def validate(item: dict) -> bool:
    return bool(item)  # awaits nothing: concurrency gains nothing


class Store(abc.ABC):
    def __init__(self, conn, registry):
        self._conn = conn
        self.registry = registry
        self._startup_hooks = []
        self.middlewares = []
        self.handlers = {}
        self.state = registry

    @abc.abstractmethod
    async def load(self, key: str) -> dict:
        ...

    async def abstract_by_body(self, key: str) -> dict:
        raise NotImplementedError

    async def save_row(self, row: dict) -> None:
        await self._conn.execute("insert", row)  # one connection of this object

    async def fetch_remote(self, key: str) -> dict:
        await asyncio.sleep(0.01)
        return {"key": key}

    async def no_await_callee(self, items: list[dict]) -> None:
        for item in items:
            await validate(item)

    async def abstract_callees(self, keys: list[str]) -> None:
        for key in keys:
            await self.load(key)
        for key in keys:
            await self.abstract_by_body(key)

    async def one_connection(self, rows: list[dict]) -> None:
        for row in rows:
            await self.save_row(row)

    async def remote_per_key(self, keys: list[str]) -> None:
        for key in keys:
            await self.fetch_remote(key)  # error: ASP203

    async def hooks_in_order(self) -> None:
        for hook in self._startup_hooks:
            await fetch_profile(hook)
        for middleware in reversed(self.middlewares):
            await fetch_profile(middleware)
        for name, handler in self.handlers.items():
            await fetch_profile(handler)

    async def hook_named_items_are_not_hooks(self, users: list[int]) -> None:
        for user in users:
            await fetch_profile(user)  # error: ASP203

    async def container_through_attributes(self, users: list[int]) -> None:
        for user in users:
            if user in self.state.seen:
                continue
            self.state.seen.add(user)
            await fetch_profile(user)

    async def container_through_attributes_never_read(self, users: list[int]) -> None:
        for user in users:
            self.state.loaded.add(user)
            await fetch_profile(user)  # error: ASP203

    async def argument_mutated_in_the_body(self, pages: list[int]) -> None:
        params = {"size": 10}
        for page in pages:
            params["page"] = page
            await download_feed(params, page)


# -- a carried value, a shared `with`, one stateful object, an asserted order ----------------

import contextlib  # noqa: E402
import os  # noqa: E402
import unittest  # noqa: E402
from unittest import mock  # noqa: E402


async def normalize(value: dict, variant: str) -> dict:
    await asyncio.sleep(0.01)
    return value


async def transform_through_variants(data: dict, variants: list[str]) -> dict:
    for variant in variants:
        data = await normalize(data, variant)  # each pass transforms the previous pass's result
    return data


async def transform_each_variant(data: dict, variants: list[str]) -> list[dict]:
    out = []
    for variant in variants:
        shaped = await normalize(data, variant)  # error: ASP203
        out.append(shaped)
    return out


async def carried_through_walrus(data: dict, variants: list[str]) -> None:
    for variant in variants:
        log.info("%s", (data := await normalize(data, variant)))


class Reconnects(unittest.IsolatedAsyncioTestCase):
    async def check_mode(self, mode: str) -> None:
        await asyncio.sleep(0.01)

    async def test_modes(self) -> None:
        for mode in ("require", "verify-ca", "verify-full"):
            with self.subTest(mode=mode):
                await self.check_mode(mode)  # a subtest per pass: its scope would mix with the others'
        for mode in ("require", "verify-ca"):
            with mock.patch.dict(os.environ, {"SSL_MODE": mode}):
                await self.check_mode(mode)  # the patched environment is shared by every pass
        for mode in ("require", "verify-ca"):
            with self.assertRaises(ValueError):  # only catches what its own pass raises
                await self.check_mode(mode)  # error: ASP203
        for mode in ("require", "verify-ca"):
            with contextlib.suppress(KeyError):  # the `with` does not hold the await
                os.environ.pop("SSL_MODE")
            await self.check_mode(mode)  # error: ASP203


class Fieldwork:
    def __init__(self) -> None:
        self.models: dict[str, str] = {}
        self.transport = None


async def check_live_case(app: Fieldwork, api: str, outcome: str) -> None:
    app.models = {api: outcome}  # every pass reconfigures the one app
    await asyncio.sleep(0.01)


async def inspect_case(app: Fieldwork, api: str) -> None:
    log.info("%s", app.models)
    await asyncio.sleep(0.01)


async def drive_one_app(app: Fieldwork, apis: list[str]) -> None:
    for api in apis:
        await check_live_case(app, api, "denied")
    for api in apis:
        await inspect_case(app, api)  # error: ASP203


async def configure_each(apps: list[Fieldwork]) -> None:
    for app in apps:
        await check_live_case(app, "responses", "denied")  # error: ASP203


async def describe_resource(resource: str) -> None:
    await asyncio.sleep(0.01)


async def headers_in_order(resources: list[str]) -> None:
    recorded: list[str] = []

    def on_describe(header: str) -> None:
        recorded.append(header)

    for resource in resources:
        await describe_resource(resource)
    assert recorded == ["key-4", "key-5"]  # the passes' side effects, in order
    for resource in resources:
        await describe_resource(resource)  # error: ASP203
    assert len(recorded) == 2  # a count, not an order
    for resource in resources:
        await describe_resource(resource)  # error: ASP203
    assert recorded == []  # nothing recorded: no order to keep
    for resource in resources:
        await describe_resource(resource)  # error: ASP203
    assert [header.lower() for header in recorded] == ["key"] * 2  # the same value twice: any order
    on_describe("key-6")


class OrderedCalls(unittest.IsolatedAsyncioTestCase):
    async def test_calls_in_order(self) -> None:
        calls: list[str] = []
        for name in ("a", "b"):
            calls.append(name)
            await describe_resource(name)
        self.assertEqual(calls, ["a", "b"])
