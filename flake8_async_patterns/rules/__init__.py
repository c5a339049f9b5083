"""The catalogue: one module per rule.  Importing this package registers them all."""
from . import (  # noqa: F401
    coroutine_in_sync_slot,
    coroutine_not_awaited,
    dangling_task,
    discarded_coroutines,
)
