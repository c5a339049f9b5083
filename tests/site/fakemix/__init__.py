"""A client whose async flavour mixes the sync class with async overrides: a diamond of
bases across modules (AsyncSearch -> Search -> Commands, AsyncSearch -> AsyncCommands -> Commands)."""
from .async_commands import AsyncCommands
from .commands import Commands


class Search(Commands):
    def index_name(self) -> str:
        return "idx"


class AsyncSearch(Search, AsyncCommands):
    pass


class Unreadable(Search, make_base()):  # noqa: F821 - a base no reader can name
    pass
