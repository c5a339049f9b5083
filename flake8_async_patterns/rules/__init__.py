"""The catalogue: one module per rule.  Importing this package registers them all."""
from . import (  # noqa: F401
    await_in_loop,
    await_inside_gather,
    coroutine_in_sync_slot,
    coroutine_not_awaited,
    dangling_task,
    discarded_coroutines,
    nested_gather,
    sequential_awaits,
    trivial_gather,
    unbounded_gather,
    unbounded_task_spawn,
)
