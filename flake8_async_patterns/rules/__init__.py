"""The catalogue: one module per rule.  Importing this package registers them all."""
from . import (  # noqa: F401
    await_in_loop,
    await_inside_gather,
    coroutine_in_sync_slot,
    coroutine_not_awaited,
    dangling_task,
    discarded_coroutines,
    exception_check_misses_cancellation,
    gather_exceptions_ignored,
    gather_orphans_on_failure,
    gather_results_unchecked,
    nested_gather,
    pending_tasks_leaked,
    sequential_awaits,
    trivial_gather,
    unbounded_gather,
    unbounded_task_spawn,
)
