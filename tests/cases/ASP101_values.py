"""Eval file for ASP101: a coroutine used as if it were its result, and a coroutine returned
from an `async def`.  Parsed, never run.

The commonest run-time symptom of a forgotten `await`: a `TypeError` or a silently wrong
value far from the call.  Positives carry `# error: ASP101`.
"""
import asyncio
import json
import logging


class Repository:
    async def get_user(self, uid):
        await asyncio.sleep(0)
        return {"id": uid, "name": "ada"}

    async def split(self, raw):
        return raw[:2], raw[2:]

    async def count(self):
        return 3

    def cached_user(self, uid):
        return {"id": uid}


async def fetch_rows():
    return [1, 2, 3]


async def fetch_name():
    return "ada"


async def load_config():
    return {"debug": True}


def make_coroutines():
    return [fetch_rows(), fetch_name()]


# -- used directly as its result -------------------------------------------------------------


async def direct(repo: Repository, raw):
    name = repo.get_user(1)["name"]  # error: ASP101
    label = repo.get_user(1).name  # error: ASP101
    head, body = repo.split(raw)  # error: ASP101
    total = repo.count() + 1  # error: ASP101
    if repo.count() == 3:  # error: ASP101
        pass
    line = f"user {fetch_name()}"  # error: ASP101
    size = len(fetch_rows())  # error: ASP101
    text = json.dumps(load_config())  # error: ASP101
    for row in fetch_rows():  # error: ASP101
        print(row)
    first = [row for row in fetch_rows()]  # error: ASP101
    print(fetch_name())  # error: ASP101
    values = sorted(fetch_rows())  # error: ASP101
    return name, label, head, body, total, line, size, text, first, values


async def direct_negatives(repo: Repository):
    rows = await fetch_rows()  # awaited
    name = (await repo.get_user(1))["name"]  # awaited, then subscripted
    cached = repo.cached_user(1)["id"]  # a plain method
    coroutine = fetch_rows()
    coroutine.close()  # the coroutine's own method: used as a coroutine
    frame = fetch_name().cr_frame  # the coroutine's own attribute
    same = fetch_rows() is None  # an identity test: ASP101 leaves it to the reader
    task = asyncio.create_task(fetch_name())  # handed to create_task
    done = await asyncio.wait_for(fetch_rows(), 1)  # handed to wait_for
    logging.info("%s", repo.get_user)  # the method itself, not a call
    await coroutine
    return rows, name, cached, frame, same, task, done


# -- used through a local ---------------------------------------------------------------------


async def through_locals(repo: Repository, raw):
    user = repo.get_user(1)  # error: ASP101
    print(user["name"])
    rows = fetch_rows()  # error: ASP101
    for row in rows:
        print(row)
    parts = repo.split(raw)  # error: ASP101
    head, tail = parts
    count = repo.count()  # error: ASP101
    count_plus = count + 1
    config = load_config()  # error: ASP101
    dumped = json.dumps(config)
    name = fetch_name()  # error: ASP101
    greeting = f"hi {name}"
    others = fetch_rows()  # error: ASP101
    if others == []:
        pass
    listed = fetch_rows()  # error: ASP101
    how_many = len(listed)
    return head, tail, count_plus, dumped, greeting, how_many


async def through_locals_negatives(repo: Repository):
    user = repo.get_user(1)  # awaited later
    print((await user)["name"])
    rows = fetch_rows()  # passed to gather as well as iterated: someone may await it
    await asyncio.gather(rows, fetch_name())
    name = fetch_name()  # stored on an object
    repo.pending = name
    config = load_config()  # returned to the caller (also read): handed on
    if config is None:
        return None
    again = repo.get_user(2)  # rebound before it is read
    again = {"name": "bob"}
    print(again["name"])
    plain = repo.cached_user(1)  # a plain method
    print(plain["id"])
    items = fetch_rows()  # passed to a function we cannot see into
    helper(items)
    count = repo.count()  # error: ASP101
    if count:  # only tested for truth: never used, so reported as never awaited
        pass
    return config


def helper(items):
    return items


# -- returned from an async def ---------------------------------------------------------------


class Service:
    def __init__(self, repo: Repository):
        self.repo = repo

    async def user(self, uid):
        return self.repo.get_user(uid)  # error: ASP101

    async def rows(self):
        return fetch_rows()  # error: ASP101

    async def rows_if(self, flag):
        if flag:
            return fetch_rows()  # error: ASP101
        return []

    async def name(self):
        try:
            return fetch_name()  # error: ASP101
        finally:
            pass

    async def config(self):
        with self.lock:
            return load_config()  # error: ASP101

    async def count(self):
        return self.repo.count()  # error: ASP101

    async def split(self, raw):
        return self.repo.split(raw)  # error: ASP101

    async def nested(self):
        async def inner():
            return fetch_name()  # error: ASP101
        return await inner()


class ServiceNegatives:
    def __init__(self, repo: Repository):
        self.repo = repo

    def user(self, uid):
        return self.repo.get_user(uid)  # a plain def hands the coroutine to its caller

    async def awaited(self, uid):
        return await self.repo.get_user(uid)

    async def plain(self, uid):
        return self.repo.cached_user(uid)  # a plain method's value

    async def task(self):
        return asyncio.create_task(fetch_rows())  # a task, not a coroutine

    async def many(self):
        return make_coroutines()  # a plain function's value (a list)

    async def gathered(self):
        return await asyncio.gather(fetch_rows(), fetch_name())

    async def lambda_factory(self):
        return lambda: fetch_rows()  # a function that makes the coroutine later

    async def generator(self):
        yield fetch_rows()  # an async generator hands it on
