"""fake_tasks_pkg: an installed job library whose helpers start asyncio tasks."""
from .core import Scheduler, fire, fire_and_keep, launch
from .compat import create_task, ensure_future

__all__ = ["Scheduler", "create_task", "ensure_future", "fire", "fire_and_keep", "launch"]
