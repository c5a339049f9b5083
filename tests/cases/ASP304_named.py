"""Eval file for ASP304 pending-tasks-leaked: tasks held in local names.  Parsed, never run.

A chat relay that races its reader against a shutdown signal, and a few
lookup helpers that race replicas.  The tasks are made in the function, kept
in local names or a local list or set, and handed to a wait that can return
early.  When nothing cancels, awaits, returns or stores them afterwards, and
the pending set is dropped, the losers keep running.
"""
from __future__ import annotations

import asyncio
from asyncio import FIRST_COMPLETED, create_task, ensure_future

REPLICAS = ("db-1", "db-2", "db-3")


async def query(replica: str, key: str) -> str:
    await asyncio.sleep(0.01)
    return f"{replica}:{key}"


async def read_message(reader) -> bytes:
    await asyncio.sleep(0)
    return b""


async def keepalive() -> None:
    while True:
        await asyncio.sleep(30)


def deliver(message: bytes) -> None:
    pass


# -- positives: the losers of the race keep running ---------------------------------------


async def lookup_first(key: str) -> str:
    primary = asyncio.create_task(query(REPLICAS[0], key))
    secondary = asyncio.create_task(query(REPLICAS[1], key))
    done, _ = await asyncio.wait({primary, secondary}, return_when=asyncio.FIRST_COMPLETED)  # error: ASP304
    return done.pop().result()


async def lookup_first_checked(key: str) -> str:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    done, pending = await asyncio.wait([primary, secondary], return_when=FIRST_COMPLETED)  # error: ASP304
    if primary in done:  # looking at which one won does not stop the other
        return primary.result()
    return secondary.result()


async def lookup_in_list(key: str) -> str:
    attempts = [create_task(query(replica, key)) for replica in REPLICAS]
    done, _ = await asyncio.wait(attempts, return_when=FIRST_COMPLETED)  # error: ASP304
    return done.pop().result()


async def lookup_in_set_of_futures(key: str) -> str:
    attempts = {ensure_future(query(REPLICAS[0], key)), ensure_future(query(REPLICAS[2], key))}
    done, pending = await asyncio.wait(attempts, timeout=0.5)  # error: ASP304
    log_count = len(pending)
    return done.pop().result() if done else str(log_count)


async def lookup_appended(key: str) -> str:
    attempts = []
    for replica in REPLICAS:
        attempts.append(create_task(query(replica, key)))
    done, _ = await asyncio.wait(attempts, return_when=FIRST_COMPLETED)  # error: ASP304
    return done.pop().result()


async def lookup_added_by_name(key: str) -> str:
    attempts = set()
    first = create_task(query(REPLICAS[0], key))
    attempts.add(first)
    attempts.add(create_task(query(REPLICAS[1], key)))
    done, _ = await asyncio.wait(attempts, return_when=FIRST_COMPLETED)  # error: ASP304
    return done.pop().result()


async def lookup_named_list(key: str) -> str:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    racers = [primary, secondary]
    done, pending = await asyncio.wait(racers, return_when=FIRST_COMPLETED)  # error: ASP304
    return done.pop().result()


async def lookup_on_loop(key: str) -> str:
    loop = asyncio.get_running_loop()
    primary = loop.create_task(query(REPLICAS[0], key))
    secondary = loop.create_task(query(REPLICAS[2], key))
    await asyncio.wait([primary, secondary], timeout=1.0)  # error: ASP304
    return primary.result() if primary.done() else "timed out"


async def lookup_annotated(key: str) -> str:
    primary: asyncio.Task[str] = asyncio.Task(query(REPLICAS[0], key))
    secondary: asyncio.Task[str] = asyncio.Task(query(REPLICAS[1], key))
    outcome = await asyncio.wait((primary, secondary), return_when=asyncio.FIRST_EXCEPTION)  # error: ASP304
    return secondary.get_name()


async def relay(reader, stop: asyncio.Event) -> None:
    while True:
        # a new pair each turn: the loser of the last turn is never stopped
        incoming = create_task(read_message(reader))
        stopping = create_task(stop.wait())
        done, pending = await asyncio.wait({incoming, stopping}, return_when=FIRST_COMPLETED)  # error: ASP304
        if stopping in done:
            return
        deliver(incoming.result())


class Relay:
    def __init__(self) -> None:
        self.closed: asyncio.Future = asyncio.get_event_loop().create_future()

    async def next_message(self, reader) -> bytes | None:
        # the object's future is not ours to cancel, but the reader task is ours
        incoming = create_task(read_message(reader))
        done, _ = await asyncio.wait([incoming, self.closed], return_when=FIRST_COMPLETED)  # error: ASP304
        return incoming.result() if incoming in done else None

    async def next_message_after_keepalive(self, reader) -> bytes | None:
        incoming = create_task(read_message(reader))
        beat = create_task(keepalive())
        done, _ = await asyncio.wait([incoming, beat, self.closed], return_when=FIRST_COMPLETED)  # error: ASP304
        return incoming.result() if incoming in done else None


async def lookup_with_deadline_positional(key: str) -> str:
    primary = create_task(query(REPLICAS[0], key))
    done, pending = await asyncio.wait([primary], 2.0)  # error: ASP304
    return primary.get_name()


async def lookup_pair_unpacked(key: str) -> str:
    primary, secondary = create_task(query(REPLICAS[0], key)), create_task(query(REPLICAS[1], key))
    done, _ = await asyncio.wait([primary, secondary], return_when=FIRST_COMPLETED)  # error: ASP304
    return done.pop().result()


def start_query(replica: str, key: str) -> asyncio.Task:
    return asyncio.create_task(query(replica, key))


async def lookup_via_helper(key: str) -> str:
    # a helper that hands its caller a task nobody else holds
    primary = start_query(REPLICAS[0], key)
    secondary = start_query(REPLICAS[1], key)
    done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)  # error: ASP304
    return done.pop().result()


# -- negatives: the named tasks are dealt with, or were not made for the wait -------------


async def lookup_cancel_one_by_one(key: str) -> str:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
    primary.cancel()
    secondary.cancel()
    return done.pop().result()


async def lookup_cancel_in_loop(key: str) -> str:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
    for task in (primary, secondary):
        task.cancel()
    return done.pop().result()


async def lookup_cancel_pending_in_finally(key: str) -> str:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    pending: set = set()
    try:
        done, pending = await asyncio.wait({primary, secondary}, timeout=1.0)
        return done.pop().result()
    finally:
        for task in pending:
            task.cancel()


async def lookup_then_await_the_rest(key: str) -> list[str]:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
    await secondary  # the other one is waited for after all
    return [task.result() for task in done]


async def lookup_then_gather(key: str) -> list[str]:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    await asyncio.wait({primary, secondary}, timeout=0.1)
    return await asyncio.gather(primary, secondary)


async def lookup_and_hand_over(key: str):
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
    return primary, secondary  # the caller owns them now


class Lookup:
    def __init__(self) -> None:
        self.current: asyncio.Task | None = None
        self.background: set[asyncio.Task] = set()

    async def race_and_keep(self, key: str) -> str:
        primary = create_task(query(REPLICAS[0], key))
        secondary = create_task(query(REPLICAS[1], key))
        done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
        self.background.add(secondary)  # kept: the object stops it at shutdown
        return done.pop().result()

    async def race_and_remember(self, key: str) -> str:
        primary = create_task(query(REPLICAS[0], key))
        secondary = create_task(query(REPLICAS[1], key))
        self.current = secondary  # the object holds the other one now
        done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
        return primary.result() if primary in done else "later"

    async def race_own_task(self, key: str) -> str:
        # self.current existed before this function: someone else owns it
        other = self.current
        done, _ = await asyncio.wait({other, self.current}, return_when=FIRST_COMPLETED)
        return done.pop().result()


async def race_given(primary: asyncio.Task, secondary: asyncio.Task) -> set:
    # the caller made the tasks and still holds them
    done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
    return done


async def race_rebound(key: str) -> str:
    primary = create_task(query(REPLICAS[0], key))
    primary = create_task(query(REPLICAS[1], key))  # the first one is lost here; unsure which
    done, _ = await asyncio.wait({primary}, return_when=FIRST_COMPLETED)
    return done.pop().result()


async def race_rebound_in_branch(key: str, fast: bool) -> str:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    if fast:
        secondary = primary
    done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
    return done.pop().result()


async def poll_until_done(key: str) -> str:
    primary = create_task(query(REPLICAS[0], key))
    while True:
        # made before the loop: every turn waits on the same task again
        done, _ = await asyncio.wait({primary}, timeout=0.1)
        if done:
            return primary.result()


async def poll_list_until_done(key: str) -> list[str]:
    attempts = [create_task(query(replica, key)) for replica in REPLICAS]
    while True:
        done, _ = await asyncio.wait(attempts, timeout=0.1)
        if len(done) == len(attempts):
            return [task.result() for task in done]


async def drain_until_done(key: str) -> list[str]:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    results = []
    pending = {primary, secondary}
    while pending:  # what is pending is waited for again
        done, pending = await asyncio.wait(pending, return_when=FIRST_COMPLETED)
        results.extend(task.result() for task in done)
    return results


async def lookup_with_callback(key: str) -> str:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    primary.add_done_callback(lambda _: secondary.cancel())  # the winner stops the other
    done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
    return done.pop().result()


async def lookup_list_cancelled(key: str) -> str:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    racers = [primary, secondary]
    done, _ = await asyncio.wait(racers, return_when=FIRST_COMPLETED)
    for task in racers:
        task.cancel()
    return done.pop().result()


async def lookup_existing_future(key: str, ready: asyncio.Future) -> str:
    # ensure_future of a future hands back that future: nothing new is started
    waiter = ensure_future(ready)
    done, _ = await asyncio.wait({waiter}, timeout=1.0)
    return "ready" if done else "late"


async def lookup_closure_cancels(key: str) -> str:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))

    def stop() -> None:
        primary.cancel()
        secondary.cancel()

    done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
    asyncio.get_running_loop().call_soon(stop)
    return done.pop().result()


async def lookup_made_in_loop(key: str) -> str:
    for replica in REPLICAS:
        last = create_task(query(replica, key))  # only the last one is waited for
    done, _ = await asyncio.wait({last}, timeout=1.0)
    return done.pop().result()


async def lookup_all(key: str) -> list[str]:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))
    done, _ = await asyncio.wait({primary, secondary})  # ALL_COMPLETED: nothing is left
    return [task.result() for task in done]


async def lookup_list_passed_on(key: str, registry: list) -> str:
    attempts = []
    attempts.append(create_task(query(REPLICAS[0], key)))
    attempts.append(create_task(query(REPLICAS[1], key)))
    registry.append(attempts)  # someone else holds the list
    done, _ = await asyncio.wait(attempts, return_when=FIRST_COMPLETED)
    return done.pop().result()


async def lookup_outer_tasks(key: str) -> str:
    primary = create_task(query(REPLICAS[0], key))
    secondary = create_task(query(REPLICAS[1], key))

    async def first() -> set:
        # the enclosing function's tasks: made before this function
        done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
        return done

    await first()
    primary.cancel()
    secondary.cancel()
    return "ok"


async def test_both_finish_in_time(key: str) -> None:
    # a test that asserts both tasks are done: nothing is left running when it passes
    first = create_task(query(REPLICAS[0], key))
    second = create_task(query(REPLICAS[1], key))
    await asyncio.wait([first, second], timeout=0.5)
    assert first.done()
    assert second.done() and second.exception() is None


async def test_nothing_left_pending(key: str) -> None:
    first = create_task(query(REPLICAS[0], key))
    second = create_task(query(REPLICAS[1], key))
    done, pending = await asyncio.wait([first, second], timeout=0.5)
    assert not pending


async def lookup_loop_variable(key: str) -> str:
    for task in [create_task(query(replica, key)) for replica in REPLICAS]:
        # a loop variable: which task it holds at the wait, and who else holds it, is not shown
        done, _ = await asyncio.wait({task}, timeout=0.1)
    return "ok"


async def lookup_pair_from_helper(key: str) -> str:
    primary, secondary = start_pair(key)  # made elsewhere
    done, _ = await asyncio.wait([primary, secondary], return_when=FIRST_COMPLETED)
    return done.pop().result()


def start_pair(key: str):
    return create_task(query(REPLICAS[0], key)), create_task(query(REPLICAS[1], key))


KEPT: set = set()


def start_kept_query(replica: str, key: str) -> asyncio.Task:
    task = asyncio.create_task(query(replica, key))
    KEPT.add(task)  # the module keeps every task it starts
    task.add_done_callback(KEPT.discard)
    return task


async def lookup_via_keeping_helper(key: str) -> str:
    primary = start_kept_query(REPLICAS[0], key)
    secondary = start_kept_query(REPLICAS[1], key)
    done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
    return done.pop().result()
