"""Eval file for ASP305 gather-orphans-on-failure (opt-in).  Parsed, never run.

A feed aggregator: it pulls several feeds at once and must survive a feed that
fails.  Positives carry `# error: ASP305`: an awaited `gather()` without
`return_exceptions` inside a `try` whose handler swallows the error and goes
on, while the gather's other awaitables keep running unsupervised.  Every
other gather is a negative that must stay silent.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
import logging
from asyncio import gather as run_all

from feedkit import gather as gather_feeds  # another library's gather, not asyncio's

log = logging.getLogger(__name__)
_LIMIT = asyncio.Semaphore(8)
FEEDS = ("https://a.example.org/rss", "https://b.example.org/rss", "https://c.example.org/rss")


class FeedError(Exception):
    pass


class ServiceError(Exception):
    pass


async def fetch_feed(url: str) -> str:
    async with _LIMIT:
        await asyncio.sleep(0.01)
        return url


async def parse_feed(url: str) -> list[str]:
    async with _LIMIT:
        await asyncio.sleep(0.01)
        if not url.startswith("https://"):
            raise FeedError(url)
        return [url]


async def refresh_index() -> None:
    await asyncio.sleep(0)


async def notify_admins(message: str) -> None:
    await asyncio.sleep(0)


def is_fatal(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError)


# -- positives: the error is swallowed while the other feeds keep loading -----------------


async def refresh_two(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup))  # error: ASP305
    except Exception:
        log.exception("refresh failed")  # logged, and on we go


async def refresh_quietly(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup))  # error: ASP305
    except:  # noqa: E722 - a bare except swallows everything
        pass


async def refresh_even_on_cancel(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(fetch_feed(primary), refresh_index())  # error: ASP305
    except BaseException as exc:
        log.warning("refresh interrupted: %r", exc)


async def refresh_tuple_handler(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup))  # error: ASP305
    except (OSError, Exception) as exc:
        log.warning("refresh failed: %s", exc)


async def feeds_or_nothing(primary: str, backup: str) -> list[str]:
    try:
        pages = await asyncio.gather(fetch_feed(primary), fetch_feed(backup))  # error: ASP305
    except Exception:
        return []  # a default instead of the error
    return list(pages)


async def feeds_returned(primary: str, backup: str) -> list[str]:
    try:
        return await asyncio.gather(fetch_feed(primary), fetch_feed(backup))  # error: ASP305
    except Exception:
        log.exception("feeds unavailable")
        return []


async def with_retries(primary: str, backup: str) -> list[str]:
    for attempt in range(3):
        try:
            return await asyncio.gather(fetch_feed(primary), fetch_feed(backup))  # error: ASP305
        except Exception:
            # the next attempt starts while the last one's survivors still run
            await asyncio.sleep(2 ** attempt)
    return []


async def explicit_false(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup), return_exceptions=False)  # error: ASP305
    except Exception:
        log.exception("refresh failed")


async def imported_alias(primary: str, backup: str) -> None:
    try:
        await run_all(fetch_feed(primary), parse_feed(backup))  # error: ASP305
    except Exception as exc:
        log.info("skipping this round: %s", exc)


async def module_alias(primary: str, backup: str) -> None:
    try:
        await aio.gather(fetch_feed(primary), parse_feed(backup))  # error: ASP305
    except Exception:
        log.exception("refresh failed")


async def small_fanout() -> list[list[str]]:
    try:
        return await asyncio.gather(*(parse_feed(url) for url in FEEDS))  # error: ASP305
    except Exception:
        log.exception("one feed broke the batch")
        return []


async def under_a_lock(lock: asyncio.Lock, primary: str, backup: str) -> None:
    try:
        async with lock:
            await asyncio.gather(fetch_feed(primary), fetch_feed(backup))  # error: ASP305
    except Exception:
        log.exception("locked refresh failed")


async def only_when_enabled(enabled: bool, primary: str, backup: str) -> None:
    try:
        if enabled:
            await asyncio.gather(fetch_feed(primary), refresh_index())  # error: ASP305
    except Exception:
        log.exception("refresh failed")


async def counting_failures(stats: dict, primary: str, backup: str) -> None:
    errors: list[BaseException] = []
    try:
        await asyncio.gather(parse_feed(primary), parse_feed(backup))  # error: ASP305
    except Exception as exc:
        errors.append(exc)
        stats["failures"] = stats.get("failures", 0) + 1
    log.info("errors so far: %s", errors)


async def nested_try(primary: str, backup: str) -> None:
    try:
        try:
            await asyncio.gather(fetch_feed(primary), fetch_feed(backup))  # error: ASP305
        except Exception:
            log.warning("refresh failed, passing it up")
            raise  # the inner handler re-raises ...
    except Exception:
        pass  # ... and the outer one swallows it all the same


async def catches_what_the_calls_raise(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(parse_feed(primary), parse_feed(backup))  # error: ASP305
    except FeedError:  # parse_feed raises FeedError: this handler catches the gather's failure
        log.warning("a feed is broken")


async def polling_loop(primary: str, backup: str, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await asyncio.gather(fetch_feed(primary), fetch_feed(backup))  # error: ASP305
        except Exception:
            log.exception("round failed")
            continue
        await asyncio.sleep(60)


async def fallback_on_failure(primary: str, backup: str) -> list[str]:
    try:
        return await asyncio.gather(parse_feed(primary), parse_feed(backup))  # error: ASP305
    except Exception:
        return await parse_feed(backup)


# -- negatives: the error propagates, is collected, or there is nothing left running ------


async def reraised(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup))
    except Exception:
        log.exception("refresh failed")
        raise


async def wrapped(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup))
    except Exception as exc:
        raise ServiceError("refresh failed") from exc


async def reraised_when_fatal(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup))
    except Exception as exc:
        if is_fatal(exc):
            raise
        log.warning("refresh failed: %s", exc)


async def kept_exceptions(primary: str, backup: str) -> list[str]:
    try:
        results = await asyncio.gather(fetch_feed(primary), fetch_feed(backup), return_exceptions=True)
    except Exception:
        return []  # every awaitable ran to its end: nothing is orphaned
    return [r for r in results if not isinstance(r, BaseException)]


async def narrow_handler(primary: str, backup: str) -> int:
    try:
        pages = await asyncio.gather(fetch_feed(primary), fetch_feed(backup))
        count = int(pages[0].rsplit("/", 1)[-1] or "0")
    except ValueError:  # the int() below the gather, not the feeds, raises this
        count = 0
    return count


async def cancellation_only(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup))
    except asyncio.CancelledError:
        log.info("refresh cancelled")  # a cancelled gather has cancelled its children


async def gather_in_handler(primary: str, backup: str) -> None:
    try:
        await refresh_index()
    except Exception:
        await asyncio.gather(notify_admins("index"), notify_admins(primary))  # the handler's own work


async def gather_in_finally(primary: str, backup: str) -> None:
    try:
        await refresh_index()
    finally:
        await asyncio.gather(notify_admins("done"), notify_admins(backup))


async def gather_in_else(primary: str, backup: str) -> None:
    try:
        await refresh_index()
    except Exception:
        log.exception("index failed")
    else:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup))  # the handlers do not cover `else`


async def no_handler(primary: str, backup: str) -> None:
    try:
        await asyncio.gather(fetch_feed(primary), fetch_feed(backup))
    finally:
        log.info("refresh finished")


async def gather_future_cancelled(primary: str, backup: str) -> None:
    batch = asyncio.gather(fetch_feed(primary), fetch_feed(backup))
    try:
        await batch
    except Exception:
        batch.cancel()  # cancelling the gather cancels what is still running
        log.exception("refresh failed")


async def handler_cancels_tasks(primary: str, backup: str) -> None:
    tasks = [asyncio.create_task(fetch_feed(primary)), asyncio.create_task(fetch_feed(backup))]
    try:
        await asyncio.gather(*tasks)
    except Exception:
        for task in tasks:  # the survivors are stopped before going on
            task.cancel()
        log.exception("refresh failed")


async def nested_function_in_try(primary: str, backup: str) -> None:
    try:
        async def both() -> list[str]:
            return await asyncio.gather(fetch_feed(primary), fetch_feed(backup))  # not in the try's body

        log.info("defined %s", both.__name__)
    except Exception:
        log.exception("could not define")


async def other_library(primary: str, backup: str) -> None:
    try:
        await gather_feeds(primary, backup)  # feedkit's gather, not asyncio's
    except Exception:
        log.exception("refresh failed")


async def caller_decides(primary: str, backup: str, keep_going: bool) -> list:
    try:
        # return_exceptions is given, and may well be true: not provably "without" it
        return await asyncio.gather(fetch_feed(primary), fetch_feed(backup), return_exceptions=keep_going)
    except Exception:
        log.exception("refresh failed")
        return []


async def outside_any_try(primary: str, backup: str) -> list[str]:
    return await asyncio.gather(fetch_feed(primary), fetch_feed(backup))
