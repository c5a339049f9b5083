"""The async client overrides some commands with coroutines."""
from .commands import Commands


class AsyncCommands(Commands):
    async def search(self, query: str) -> list:
        return [query]

    async def info(self) -> dict:
        return {}
