"""HTTP handlers: absolute imports of the app's own modules, and the star re-export."""
import asyncio
import atexit
import concurrent.futures

import app
import app.api
import app.models as models
from app import api
from app import get_user, get_config, watch_users, list_users, user_fixture, user_lock
from app.db import Session
from app.db.session import Session as RawSession
from app.api import config_alias, dynamic_handler, fetch_profile, load_user, watch_alias
from app.models import Model, User
from app.nowhere import get_thing  # no such module: silent
from app import not_exported  # neither defined nor re-exported: silent


async def show_user(user_id: int) -> None:
    get_user(user_id)  # error: ASP101
    api.get_user(user_id)  # error: ASP101
    app.api.get_user(user_id)  # error: ASP101
    app.get_user(user_id)  # error: ASP101
    list_users()  # error: ASP101
    await get_user(user_id)
    user = await api.get_user(user_id)
    get_config()
    api.get_config()
    watch_users()
    user_fixture()
    user_lock(user_id)
    get_thing(user_id)
    not_exported(user_id)
    print(user)


async def update_user(user: User) -> None:
    record = User()
    record.save()  # error: ASP101
    record.rename("ada")  # error: ASP101
    record.validate()
    record.display()
    model = models.Model()
    model.delete()  # error: ASP101
    session = Session()
    session.commit()  # error: ASP101
    session.add(record)
    raw = RawSession()
    raw.rollback()  # error: ASP101
    user.save()  # error: ASP101
    results = [api.get_user(i) for i in range(3)]  # error: ASP102
    await asyncio.sleep(0)


def shutdown() -> None:
    atexit.register(Session().commit)  # error: ASP104
    with concurrent.futures.ThreadPoolExecutor() as pool:
        pool.submit(get_user, 1)  # error: ASP104
        pool.submit(api.get_config)
        pool.submit(watch_users)
    while list_users():  # error: ASP104
        break


async def through_assignments(user_id: int) -> None:
    load_user(user_id)  # error: ASP101
    api.load_user(user_id)  # error: ASP101
    fetch_profile(user_id)  # error: ASP101
    config_alias()
    watch_alias()
    dynamic_handler(user_id)  # astroid cannot tell which value: silent
