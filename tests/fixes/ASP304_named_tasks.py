import asyncio
from asyncio import FIRST_COMPLETED, create_task


async def query(replica):
    await asyncio.sleep(0)
    return replica


async def first_of_two():
    primary = create_task(query("db-1"))
    secondary = create_task(query("db-2"))
    done, _ = await asyncio.wait({primary, secondary}, return_when=FIRST_COMPLETED)
    return done.pop().result()


async def first_of_list(replicas):
    attempts = []
    for replica in replicas:
        attempts.append(create_task(query(replica)))
    done, pending = await asyncio.wait(attempts, return_when=FIRST_COMPLETED)
    return done.pop().result()


async def within_deadline():
    task = create_task(query("db-1"))  # `task` is taken: the loop needs another name
    other = create_task(query("db-2"))
    await asyncio.wait([task, other], timeout=1.0)
    return task.get_name()


async def in_a_try():
    primary = create_task(query("db-1"))
    secondary = create_task(query("db-2"))
    try:
        done, _ = await asyncio.wait([primary, secondary], timeout=0.5)
    except OSError:
        return None
    return len(done)


async def in_one_line_blocks(fast):
    primary = create_task(query("db-1"))
    secondary = create_task(query("db-2"))
    if fast: outcome = await asyncio.wait((primary, secondary), return_when=FIRST_COMPLETED)  # race
    return fast


async def names_taken(jobs):
    pending = list(jobs)  # `pending` means something else here
    primary = create_task(query(pending[0]))
    secondary = create_task(query(pending[1]))
    done, _ = await asyncio.wait([primary, secondary], return_when=FIRST_COMPLETED)
    return done.pop().result()
