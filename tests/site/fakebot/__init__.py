"""fakebot 2.3: a stand-in for an installed chat-bot client (tests/site is on the path of
every lint in the tests).  The linter reads this source; nothing imports it."""
from .client import Bot, fetch_updates

__all__ = ["Bot", "fetch_updates"]
__version__ = "2.3.0"
