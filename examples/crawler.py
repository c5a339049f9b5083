"""A small breadth-first web crawler on asyncio streams (plain http only).

DELIBERATELY BUGGY DEMO CODE.  It contains asyncio defects on purpose, for
`async-patterns check examples/` (or `flake8 --select ASP examples/`) to find:
ASP101, ASP102, ASP103 and ASP104.  Do not copy it; docs/rules/ shows the
corrected forms.  Standard library only.
"""
from __future__ import annotations

import asyncio
import logging
import sys
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

log = logging.getLogger("crawler")


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.extend(value for name, value in attrs if name == "href" and value)


async def http_get(url: str, timeout: float = 10.0) -> tuple[int, str]:
    """A minimal HTTP/1.0 GET: (status, body)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 80
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(f"GET {target} HTTP/1.0\r\nHost: {host}\r\n"
                     "User-Agent: demo-crawler\r\n\r\n".encode())
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body.decode("utf-8", errors="replace")


class Crawler:
    def __init__(self, root: str, max_pages: int = 100, concurrency: int = 5,
                 delay: float = 0.2) -> None:
        self.root = root
        self.host = urlsplit(root).hostname
        self.max_pages = max_pages
        self.concurrency = concurrency
        self.delay = delay
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.seen: set[str] = set()
        self.pages: dict[str, int] = {}
        self.disallowed: list[str] | None = None

    async def allowed(self, url: str) -> bool:
        """Does robots.txt let us fetch `url`?  Loads robots.txt on first use."""
        if self.disallowed is None:
            self.disallowed = []
            status, body = await http_get(urljoin(self.root, "/robots.txt"))
            for line in body.splitlines() if status == 200 else []:
                field, _, value = line.partition(":")
                if field.strip().lower() == "disallow" and value.strip():
                    self.disallowed.append(value.strip())
        path = urlsplit(url).path or "/"
        return not any(path.startswith(prefix) for prefix in self.disallowed)

    async def enqueue(self, url: str) -> None:
        url, _ = urldefrag(url)
        if urlsplit(url).hostname != self.host or url in self.seen:
            return
        if len(self.seen) >= self.max_pages:
            return
        self.seen.add(url)
        await self.queue.put(url)

    async def save(self, url: str, status: int, size: int) -> None:
        await asyncio.sleep(0)  # stands in for an INSERT into the pages table
        self.pages[url] = status
        log.info("%s %s (%d bytes)", status, url, size)

    async def crawl_one(self, url: str) -> None:
        if not self.allowed(url):  # BUG ASP104: a coroutine is always truthy
            log.info("skipping %s (robots.txt)", url)
            return
        status, body = await http_get(url)
        self.save(url, status, len(body))  # BUG ASP101: never awaited, never saved
        parser = LinkParser()
        parser.feed(body)
        [self.enqueue(urljoin(url, link)) for link in parser.links]  # BUG ASP102
        asyncio.sleep(self.delay)  # BUG ASP101: the politeness delay does not wait

    async def worker(self, number: int) -> None:
        while True:
            url = await self.queue.get()
            try:
                await self.crawl_one(url)
            except (OSError, asyncio.TimeoutError, ValueError) as error:
                log.warning("worker %d: %s failed: %s", number, url, error)
            finally:
                self.queue.task_done()

    async def report_progress(self, every: float = 5.0) -> None:
        while True:
            await asyncio.sleep(every)
            log.info("%d pages crawled, %d queued", len(self.pages), self.queue.qsize())

    async def run(self) -> dict[str, int]:
        asyncio.create_task(self.report_progress())  # BUG ASP103: no reference kept
        await self.enqueue(self.root)
        workers = [asyncio.create_task(self.worker(n)) for n in range(self.concurrency)]
        await self.queue.join()
        for task in workers:
            task.cancel()
        await asyncio.wait(workers)
        return self.pages


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    root = argv[1] if len(argv) > 1 else "http://example.com/"
    pages = asyncio.run(Crawler(root).run())
    for url, status in sorted(pages.items()):
        print(status, url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
