"""Eval file for ASP204 sequential-independent-awaits (opt-in).  Parsed, never run.

The request handlers of a small blogging and banking API.  Positives carry
`# error: ASP204` on the first statement of a run of independent awaits; every
other pair of awaits is a negative that must stay silent: the later one needs
the earlier one's result, or their order is the point.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass
class User:
    id: int
    avatar_url: str


async def fetch_user(user_id: int) -> User:
    await asyncio.sleep(0.01)
    return User(user_id, "")


async def fetch_orders(user_id: int) -> list[dict]:
    await asyncio.sleep(0.01)
    return []


async def fetch_weather(city: str) -> dict:
    await asyncio.sleep(0.01)
    return {}


async def fetch_headlines(section: str) -> list[str]:
    await asyncio.sleep(0.01)
    return []


async def fetch_quotes(symbols: tuple[str, ...]) -> dict[str, float]:
    await asyncio.sleep(0.01)
    return {}


async def load_profile(user_id: int) -> dict:
    await asyncio.sleep(0.01)
    return {}


async def load_preferences(user_id: int) -> dict:
    await asyncio.sleep(0.01)
    return {}


async def geocode(address: str) -> tuple[float, float]:
    await asyncio.sleep(0.01)
    return 0.0, 0.0


async def lookup_timezone(city: str) -> str:
    await asyncio.sleep(0.01)
    return "UTC"


async def fetch_avatar(url: str) -> bytes:
    await asyncio.sleep(0.01)
    return b""


async def fetch_followers(user_id: int) -> list[int]:
    await asyncio.sleep(0.01)
    return []


async def fetch_following(user_id: int) -> list[int]:
    await asyncio.sleep(0.01)
    return []


async def fetch_recommendations(user_id: int, follows: list[int]) -> list[int]:
    await asyncio.sleep(0.01)
    return []


async def fetch_trending(region: str) -> list[str]:
    await asyncio.sleep(0.01)
    return []


async def get_post(post_id: int) -> dict:
    await asyncio.sleep(0.01)
    return {}


async def get_comments(post_id: int) -> list[dict]:
    await asyncio.sleep(0.01)
    return []


async def fetch_thread(thread_id: int) -> dict:
    await asyncio.sleep(0.01)
    return {}


async def fetch_rates(currency: str) -> dict:
    await asyncio.sleep(0.01)
    return {}


async def fetch_fees(country: str) -> dict:
    await asyncio.sleep(0.01)
    return {}


async def create_account(email: str) -> None:
    await asyncio.sleep(0.01)


async def send_welcome(email: str) -> None:
    await asyncio.sleep(0.01)


async def insert_order(order: dict) -> int:
    await asyncio.sleep(0.01)
    return 1


async def insert_invoice(invoice: dict) -> int:
    await asyncio.sleep(0.01)
    return 1


async def login(username: str, password: str) -> str:
    await asyncio.sleep(0.01)
    return "session"


async def fetch_catalog() -> list[dict]:
    await asyncio.sleep(0.01)
    return []


async def get_token() -> str:
    await asyncio.sleep(0.01)
    return "token"


async def fetch_private(token: str, path: str) -> dict:
    await asyncio.sleep(0.01)
    return {}


async def rank(items: list[int], key) -> list[int]:
    await asyncio.sleep(0.01)
    return sorted(items, key=key)


async def fetch_weights(user_id: int) -> dict[int, float]:
    await asyncio.sleep(0.01)
    return {}


async def debit(conn, account: str, amount: int) -> int:
    await conn.execute("UPDATE accounts SET balance = balance - $1 WHERE id = $2", amount, account)
    return amount


async def credit(conn, account: str, amount: int) -> int:
    await conn.execute("UPDATE accounts SET balance = balance + $1 WHERE id = $2", amount, account)
    return amount


# -- positives: the later calls do not use what the earlier ones returned -------------------


async def account_page(user_id: int):
    user = await fetch_user(user_id)  # error: ASP204
    orders = await fetch_orders(user_id)
    return user, orders


async def dashboard(city: str, symbols: tuple[str, ...]):
    weather = await fetch_weather(city)  # error: ASP204
    headlines = await fetch_headlines("front")
    quotes = await fetch_quotes(symbols)
    return weather, headlines, quotes


async def settings_page(user_id: int):
    profile: dict = await load_profile(user_id)  # error: ASP204
    preferences: dict = await load_preferences(user_id)
    return profile, preferences


async def local_time(address: str, city: str):
    lat, lon = await geocode(address)  # error: ASP204
    zone = await lookup_timezone(city)
    return lat, lon, zone


async def social_graph(user_id: int, region: str):
    followers = await fetch_followers(user_id)  # error: ASP204
    following = await fetch_following(user_id)
    picks = await fetch_recommendations(user_id, following)  # error: ASP204
    trending = await fetch_trending(region)  # `picks` used `following`, so a new run starts above
    return followers, picks, trending


async def checkout(user_id: int, country: str, express: bool):
    if express:
        rates = await fetch_rates("EUR")  # error: ASP204
        fees = await fetch_fees(country)
        return rates, fees
    log.info("standard checkout for %s", user_id)
    return None


async def checkout_fallback(country: str):
    try:
        rates = await fetch_rates("USD")  # error: ASP204
        fees = await fetch_fees(country)
    except TimeoutError:
        return None
    else:
        user = await fetch_user(0)  # error: ASP204
        orders = await fetch_orders(0)
        return rates, fees, user, orders


async def overview(user_ids: list[int]):
    for user_id in user_ids:
        profile = await load_profile(user_id)  # error: ASP203, ASP204
        preferences = await load_preferences(user_id)
        log.info("%s: %s %s", user_id, profile, preferences)


async def blog_post(post_id: int):
    post = await get_post(post_id)  # error: ASP204
    comments = await get_comments(post_id)
    return post, comments


async def forum_view(thread_id: int, user_id: int):
    thread = await fetch_thread(thread_id)  # error: ASP204
    author = await fetch_user(user_id)
    return thread, author


class ProfileService:
    def __init__(self, db) -> None:
        self.db = db

    async def fetch_profile(self, user_id: int) -> dict:
        await asyncio.sleep(0.01)
        return {}

    async def fetch_badges(self, user_id: int) -> list[str]:
        await asyncio.sleep(0.01)
        return []

    async def page(self, user_id: int):
        profile = await self.fetch_profile(user_id)  # error: ASP204
        badges = await self.fetch_badges(user_id)
        return profile, badges

    async def card(self, user_id: int):
        async def headline(uid: int) -> str:
            await asyncio.sleep(0.01)
            return str(uid)

        async def stats(uid: int) -> dict:
            await asyncio.sleep(0.01)
            return {}

        title = await headline(user_id)  # error: ASP204
        numbers = await stats(user_id)
        return title, numbers

    # -- negatives in a class ---------------------------------------------------------------

    async def orders_and_totals(self, user_id: int):
        # one connection object: a driver such as asyncpg runs one query at a time on it
        orders = await self.db.fetch("SELECT * FROM orders WHERE user_id = $1", user_id)
        totals = await self.db.fetch("SELECT sum(total) FROM orders WHERE user_id = $1", user_id)
        return orders, totals


# -- negatives: a later await needs an earlier result, or the order is the point ---------------


async def user_with_orders(user_id: int):
    user = await fetch_user(user_id)
    orders = await fetch_orders(user.id)  # uses `user`
    return user, orders


async def avatar_of(user_id: int):
    user = await fetch_user(user_id)
    avatar = await fetch_avatar(url=f"{user.avatar_url}?size=64")  # uses `user` inside an f-string
    return avatar


async def sign_up(email: str) -> None:
    await create_account(email)  # bare statements done for their side effects, in this order
    await send_welcome(email)


async def place_order(order: dict, invoice: dict):
    order_id = await insert_order(order)  # writes: the invoice row refers to the order row
    invoice_id = await insert_invoice(invoice)
    return order_id, invoice_id


async def browse(username: str, password: str):
    session = await login(username, password)  # the login sets up the session the next call rides on
    catalog = await fetch_catalog()
    return session, catalog


async def secret(path: str):
    profile = await fetch_private(await get_token(), path)  # an await inside the call's arguments
    weather = await fetch_weather("Oslo")
    return profile, weather


async def throttled(city: str):
    weather = await fetch_weather(city)
    await asyncio.sleep(1)  # pacing between the two calls on purpose
    headlines = await fetch_headlines("front")
    return weather, headlines


async def interleaved(user_id: int):
    user = await fetch_user(user_id)
    log.info("loaded %s", user.id)  # not consecutive: a statement in between
    orders = await fetch_orders(user_id)
    return user, orders


async def split_blocks(user_id: int, full: bool):
    user = await fetch_user(user_id)  # the next await is in another block, maybe never run
    if full:
        orders = await fetch_orders(user_id)
        return user, orders
    return user, None


async def ranked_feed(user_id: int, items: list[int]):
    weights = await fetch_weights(user_id)
    ranked = await rank(items, key=lambda item: weights.get(item, 0.0))  # the lambda reads `weights`
    return ranked


async def transfer(pool, source: str, target: str, amount: int):
    async with pool.acquire() as conn:
        async with conn.transaction():
            debited = await debit(conn, source, amount)  # both run on one connection, in one transaction
            credited = await credit(conn, target, amount)
    return debited, credited


async def report(conn, day: str):
    signups = await conn.fetchval("SELECT count(*) FROM users WHERE day = $1", day)  # one connection
    orders = await conn.fetchval("SELECT count(*) FROM orders WHERE day = $1", day)
    return signups, orders


async def single(user_id: int):
    user = await fetch_user(user_id)  # a single await: nothing to run together
    return user


# -- negatives found in real projects ------------------------------------------------------


class MultipartReader:
    def __init__(self, content, boundary: bytes) -> None:
        self._content = content
        self._boundary = boundary
        self._unread: list[bytes] = []
        self._at_eof = False

    async def _readline(self) -> bytes:
        if self._unread:
            return self._unread.pop()
        return await self._content.readline()

    async def _read_boundary(self) -> None:
        chunk = (await self._readline()).rstrip()
        if chunk == self._boundary + b"--":
            self._at_eof = True
            # corpus: aiohttp multipart — the same call twice reads the next two lines of one stream
            epilogue = await self._readline()
            next_line = await self._readline()
            if next_line[:2] == b"--":
                self._unread.append(next_line)
            else:
                self._unread.extend([next_line, epilogue])


# Seen on unseen projects: awaits that cannot overlap, or share one connection of the object.
import abc


async def parse_header(raw: bytes) -> dict:
    return {"raw": raw}  # awaits nothing


async def parse_body(raw: bytes) -> dict:
    return {"raw": raw}


class Repository(abc.ABC):
    def __init__(self, conn):
        self._conn = conn

    @abc.abstractmethod
    async def load_user(self, user_id: int) -> dict:
        ...

    @abc.abstractmethod
    async def load_orders(self, user_id: int) -> list:
        ...

    async def count_users(self) -> int:
        return await self._conn.fetchval("select count(*) from users")

    async def count_orders(self) -> int:
        return await self._conn.fetchval("select count(*) from orders")

    async def remote_users(self) -> int:
        await asyncio.sleep(0.01)
        return 0

    async def remote_orders(self) -> int:
        await asyncio.sleep(0.01)
        return 0

    async def parsed(self, head: bytes, body: bytes) -> tuple:
        header = await parse_header(head)
        content = await parse_body(body)
        return header, content

    async def abstract_loads(self, user_id: int) -> tuple:
        user = await self.load_user(user_id)
        orders = await self.load_orders(user_id)
        return user, orders

    async def counts_on_one_connection(self) -> tuple:
        users = await self.count_users()
        orders = await self.count_orders()
        return users, orders

    async def remote_counts(self) -> tuple:
        users = await self.remote_users()  # error: ASP204
        orders = await self.remote_orders()
        return users, orders
