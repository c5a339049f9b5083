"""fake_tasks_stubbed: its source builds its functions at import time; its stub says what they return."""
import asyncio

launch = asyncio.ensure_future
notify = asyncio.get_event_loop
