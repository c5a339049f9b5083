"""Persistent models.  No markers: nothing here depends on another module."""
import asyncio


class Model:
    async def save(self) -> None:
        await asyncio.sleep(0)

    async def delete(self) -> None:
        await asyncio.sleep(0)

    def validate(self) -> bool:
        return True


class User(Model):
    async def rename(self, name: str) -> None:
        self.name = name
        await self.save()

    def display(self) -> str:
        return getattr(self, "name", "?")
