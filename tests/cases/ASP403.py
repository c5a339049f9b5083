"""Eval file for ASP403 await-inside-gather.  Parsed, never run.

A news aggregator: a feed client, an image pipeline and a job scheduler.
Positives carry `# error: ASP403`; every other argument of gather, wait,
as_completed or create_task is a negative that must stay silent.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
import logging
from asyncio import as_completed, create_task, gather, wait
from asyncio import gather as run_together

log = logging.getLogger(__name__)
_LIMIT = asyncio.Semaphore(10)
_jobs: set[asyncio.Task] = set()


async def fetch_feed(url: str) -> list[dict]:
    async with _LIMIT:
        await asyncio.sleep(0.01)
        return []


async def fetch_headlines(section: str) -> list[str]:
    await asyncio.sleep(0.01)
    return []


async def fetch_weather(city: str) -> dict:
    await asyncio.sleep(0.01)
    return {}


async def get_token() -> str:
    await asyncio.sleep(0)
    return "token"


async def fetch_private_feed(url: str, token: str) -> list[dict]:
    await asyncio.sleep(0)
    return []


async def make_fetchers(urls: list[str]) -> list:
    return [fetch_feed(url) for url in urls]


async def list_sources() -> list[str]:
    await asyncio.sleep(0)
    return []


async def render_front_page() -> str:
    await asyncio.sleep(0)
    return ""


async def resize(image: bytes, width: int) -> bytes:
    await asyncio.sleep(0)
    return image


async def download_image(url: str) -> bytes:
    await asyncio.sleep(0)
    return b""


def load_config_file() -> dict:
    return {}


# -- positives: the argument is awaited before the call that should run it concurrently ---


async def front_page(city: str):
    return await asyncio.gather(await fetch_headlines("world"), fetch_weather(city))  # error: ASP403:33


async def sidebar(city: str):
    return await aio.gather(fetch_headlines("sport"), await fetch_weather(city))  # error: ASP403:55


async def two_sections():
    world, local = await gather(
        await fetch_headlines("world"),  # error: ASP403
        await fetch_headlines("local"),  # error: ASP403
    )
    return world, local


async def just_the_weather(city: str):
    [weather] = await gather(await fetch_weather(city))  # error: ASP402, ASP403
    return weather


async def images(url: str):
    done, _ = await asyncio.wait([await download_image(url), fetch_headlines("photo")])  # error: ASP403
    return done


async def first_ready(city: str):
    for next_done in as_completed({await fetch_weather(city), fetch_headlines("breaking")}):  # error: ASP403
        return await next_done


async def config_and_page():
    config, page = await run_together(
        await asyncio.to_thread(load_config_file),  # error: ASP403
        render_front_page(),
    )
    return config, page


async def with_a_running_task(city: str):
    weather_task = asyncio.create_task(fetch_weather(city))
    headlines = fetch_headlines("world")
    return await asyncio.gather(await weather_task, headlines)  # error: ASP403


async def within_deadline(city: str):
    done, pending = await wait(
        (fetch_headlines("world"), await fetch_weather(city)),  # error: ASP403
        timeout=5,
    )
    for task in pending:
        task.cancel()
    return done


async def legacy_spelling():
    return await asyncio.tasks.gather(await fetch_headlines("tech"), render_front_page())  # error: ASP403


class Scheduler:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.tasks: list[asyncio.Task] = []

    async def next_job(self):
        await asyncio.sleep(0)
        return render_front_page()  # error: ASP101

    async def build(self):
        await asyncio.sleep(0)
        return render_front_page()  # error: ASP101

    async def enqueue(self) -> None:
        self.tasks.append(create_task(await self.next_job()))  # error: ASP403

    async def enqueue_on_loop(self) -> None:
        self.tasks.append(self.loop.create_task(await self.build()))  # error: ASP403

    async def run_group(self) -> None:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(await self.build())  # error: ASP403
            tg.create_task(self.build())  # not awaited first: the group runs it

    async def fire_and_forget(self) -> None:
        asyncio.create_task(await self.next_job())  # error: ASP103, ASP403

    # -- negatives in a class -------------------------------------------------------------

    async def pending(self) -> set[asyncio.Task]:
        await asyncio.sleep(0)
        return set(self.tasks)

    async def wait_for_all(self):
        done, _ = await asyncio.wait(await self.pending())  # the awaited call returns the tasks to wait on
        return done

    async def in_completion_order(self):
        return [await t for t in asyncio.as_completed(await self.pending())]  # same: it returns the tasks

    async def session(self):
        await asyncio.sleep(0)
        return self

    async def fetch(self, url: str) -> list[dict]:
        await asyncio.sleep(0)
        return []

    async def two_feeds(self):
        # the awaited session is only the receiver: the fetch coroutines themselves run together
        return await asyncio.gather((await self.session()).fetch("a"), (await self.session()).fetch("b"))


# -- negatives: nothing awaited before the gather starts, or not an asyncio fan-out -------


async def world_and_weather(city: str):
    return await asyncio.gather(fetch_headlines("world"), fetch_weather(city))  # plain coroutine calls


async def all_feeds(urls: list[str]):
    return await gather(*(await make_fetchers(urls)))  # the awaited call returns the awaitables


async def private_and_public(url: str):
    # the token is awaited to build an argument of one coroutine: needed before that call exists
    return await gather(fetch_private_feed(url, await get_token()), fetch_feed(url))


async def every_source():
    # the awaited call supplies the iterable; fetch_feed holds _LIMIT, so the fan-out is bounded too
    return await asyncio.gather(*[fetch_feed(url) for url in await list_sources()])


async def thumbnails(url: str):
    image = await download_image(url)  # awaited on its own line, then handed on as data
    return await aio.gather(resize(image, 320), resize(image, 640))


async def start_refresh(city: str) -> None:
    task = asyncio.create_task(fetch_weather(city))  # a coroutine call, not an await
    _jobs.add(task)
    task.add_done_callback(_jobs.discard)


async def refresh_with_token(url: str) -> None:
    task = create_task(fetch_private_feed(url, await get_token()))  # the await only builds an argument
    _jobs.add(task)
    task.add_done_callback(_jobs.discard)


class Board:
    """A to-do board: its `create_task` files a ticket, it has nothing to do with asyncio."""

    async def create_task(self, title: str) -> int:
        await asyncio.sleep(0)
        return 1

    async def title_for(self, ticket: str) -> str:
        await asyncio.sleep(0)
        return ticket


async def file_ticket(board: Board, ticket: str) -> int:
    return await board.create_task(await board.title_for(ticket))  # a board's method, not a task factory


class Stats:
    def __init__(self, registry) -> None:
        self.registry = registry

    async def sample(self) -> float:
        await asyncio.sleep(0)
        return 0.0

    async def record(self) -> None:
        self.registry.gather(await self.sample())  # a metrics registry's gather method


async def digest() -> str:
    def gather(*parts: str) -> str:  # a local helper that joins text shadows asyncio's gather
        return "\n".join(parts)

    return gather(await render_front_page(), "-- end --")
