"""Eval file for ASP401 nested-gather.  Parsed, never run.

An API client and a report builder that gather per-item gathers.  Positives
carry `# error: ASP401`; every other gather is a negative that must stay
silent.  The per-item coroutines below hold a semaphore, so ASP201 stays
quiet except where a line says otherwise.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
from asyncio import gather

from tenacity import retry
from thirdparty import fetch_pair

_api_slots = asyncio.Semaphore(10)


async def fetch_user(client, user_id):
    async with _api_slots:
        return await client.get(f"/users/{user_id}")


async def fetch_orders(client, user_id):
    async with _api_slots:
        return await client.get(f"/users/{user_id}/orders")


async def fetch_avatar(client, user_id):
    async with _api_slots:
        return await client.get(f"/users/{user_id}/avatar")


async def user_with_orders(client, user_id):
    """One user's profile and orders, together."""
    return await asyncio.gather(fetch_user(client, user_id), fetch_orders(client, user_id))


async def user_bundle(client, user_id):
    return await gather(fetch_user(client, user_id), fetch_orders(client, user_id), fetch_avatar(client, user_id))


async def user_logged(client, user_id, log):
    log.debug("loading %s", user_id)  # does more than return a gather
    return await asyncio.gather(fetch_user(client, user_id), fetch_orders(client, user_id))


async def user_checked(client, user_id):
    if user_id is None:
        return None, None
    return await asyncio.gather(fetch_user(client, user_id), fetch_orders(client, user_id))


async def user_waited(client, user_id):
    # returns the result of asyncio.wait, not of a gather
    return await asyncio.wait([asyncio.ensure_future(fetch_user(client, user_id)),
                               asyncio.ensure_future(fetch_orders(client, user_id))])


async def user_kept(client, user_id):
    profile, orders = await asyncio.gather(fetch_user(client, user_id), fetch_orders(client, user_id))
    return {"profile": profile, "orders": orders}


def user_future(client, user_id):
    # a sync factory: the indirect form covers only an `async def`
    return asyncio.gather(fetch_user(client, user_id), fetch_orders(client, user_id))


async def users_direct(client, ids):
    return await asyncio.gather(*(asyncio.gather(fetch_user(client, i), fetch_orders(client, i)) for i in ids))  # error: ASP401


async def users_list(client, ids):
    return await gather(*[gather(fetch_user(client, i), fetch_avatar(client, i)) for i in ids])  # error: ASP401


async def users_alias(client, ids):
    return await aio.gather(*(aio.gather(fetch_user(client, i), fetch_orders(client, i)) for i in ids))  # error: ASP401


async def users_through_helper(client, ids):
    return await asyncio.gather(*(user_with_orders(client, i) for i in ids))  # error: ASP401


async def users_through_bundle(client, ids):
    return await asyncio.gather(*[user_bundle(client, i) for i in ids])  # error: ASP401


async def users_map(client, ids):
    return await asyncio.gather(*map(lambda i: user_with_orders(client, i), ids))  # error: ASP401


async def users_starred_name(client, ids):
    pairs = [user_with_orders(client, i) for i in ids]
    return await asyncio.gather(*pairs)  # error: ASP401


async def users_appended(client, teams):
    groups = []
    for team in teams:
        groups.append(asyncio.gather(fetch_user(client, team.lead), fetch_orders(client, team.lead)))
    return await asyncio.gather(*groups)  # error: ASP401


async def admins_small(client):
    # only two admins, but still one gather per admin: flatten it
    return await asyncio.gather(*(user_with_orders(client, i) for i in (1, 2)))  # error: ASP401


async def users_local_helper(client, ids):
    async def both(user_id):
        return await asyncio.gather(fetch_user(client, user_id), fetch_avatar(client, user_id))

    return await asyncio.gather(*(both(i) for i in ids))  # error: ASP401


class UserDirectory:
    client = None

    @classmethod
    async def _profile_and_avatar(cls, user_id):
        return await gather(fetch_user(cls.client, user_id), fetch_avatar(cls.client, user_id))

    @classmethod
    async def load_many(cls, ids):
        return await gather(*(cls._profile_and_avatar(i) for i in ids))  # error: ASP401


async def warm_cache(client, ids):
    # result discarded: the flat gather is a safe fix
    await asyncio.gather(*(user_with_orders(client, i) for i in ids))  # error: ASP401


class ReportBuilder:
    def __init__(self, client):
        self.client = client

    async def _sections(self, account):
        return await asyncio.gather(self._summary(account), self._invoices(account))

    async def _summary(self, account):
        async with _api_slots:
            return await self.client.get(f"/accounts/{account}/summary")

    async def _invoices(self, account):
        async with _api_slots:
            return await self.client.get(f"/accounts/{account}/invoices")

    async def build(self, accounts):
        return await asyncio.gather(*(self._sections(a) for a in accounts))  # error: ASP401

    async def build_one(self, account):
        # two hand-written gathers: a fixed few, not one per item
        return await asyncio.gather(
            asyncio.gather(self._summary(account), self._invoices(account)),
            asyncio.gather(fetch_user(self.client, account), fetch_orders(self.client, account)),
        )

    async def build_named(self, account):
        # a starred name bound to a literal of two hand-written gathers
        parts = [self._sections(account), asyncio.gather(self._summary(account), self._invoices(account))]
        return await asyncio.gather(*parts)

    async def build_flat(self, accounts):
        # already flat: one gather over every per-account call
        return await asyncio.gather(*(self._summary(a) for a in accounts),
                                    *(self._invoices(a) for a in accounts))


async def users_logged(client, ids, log):
    # the helper logs before gathering: it does more than return a gather
    return await asyncio.gather(*(user_logged(client, i, log) for i in ids))


async def users_checked(client, ids):
    # the helper branches before gathering
    return await asyncio.gather(*(user_checked(client, i) for i in ids))


async def owner_and_admin_waited(client, owner_id, admin_id):
    # the helper returns an asyncio.wait, not a gather
    return await asyncio.gather(*(user_waited(client, i) for i in (owner_id, admin_id)))


async def users_kept(client, ids):
    # the helper unpacks its gather and builds a dict
    return await asyncio.gather(*(user_kept(client, i) for i in ids))


async def owner_and_admin(client, owner_id, admin_id):
    # a sync def returning a gather future: not the async-def form
    return await asyncio.gather(*(user_future(client, i) for i in (owner_id, admin_id)))


async def users_imported(client, ids):
    # defined in another module: not a same-module async def
    return await asyncio.gather(*(fetch_pair(client, i) for i in ids))  # error: ASP201


async def users_with_deadline(client, ids):
    # each element is a wait_for, not a gather
    return await asyncio.gather(*(asyncio.wait_for(user_with_orders(client, i), 5) for i in ids))


async def users_tasks(client, ids):
    # per-item tasks of plain coroutines: nothing nested
    tasks = [asyncio.create_task(fetch_user(client, i)) for i in ids]
    return await asyncio.gather(*tasks)


async def users_two_levels_by_hand(client, first, second):
    # a gather of two gathers written out by hand
    return await gather(user_with_orders(client, first), user_with_orders(client, second))


@retry(reraise=True)
async def user_retried(client, user_id):
    return await asyncio.gather(fetch_user(client, user_id), fetch_orders(client, user_id))


async def users_retried(client, ids):
    # an unknown decorator: the helper may be anything, so not a nested gather; still a fan-out
    return await asyncio.gather(*(user_retried(client, i) for i in ids))  # error: ASP201


async def users_streamed(client, ids, sink):
    # the outer call is as_completed, not gather: results are handled as they arrive
    for next_user in asyncio.as_completed([user_with_orders(client, i) for i in ids]):
        sink.send(await next_user)
