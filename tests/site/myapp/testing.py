"""myapp's test helpers."""


def sync_test(function):
    """Mark an `async def` test to be run to completion by the session loop.

    This placeholder is swapped at import time by myapp's pytest plugin for a wrapper that
    drives the coroutine on the session loop, so a decorated test is a plain function; the
    linter, which reads this source, cannot know that (hence the non-coroutine-decorators
    option in the projects that use it)."""
    return function
