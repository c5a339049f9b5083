"""The bot client and the long-polling helper."""
import asyncio

from .base import BaseBot


class Bot(BaseBot):
    async def send_message(self, chat_id: int, text: str) -> dict:
        await asyncio.sleep(0)
        return {"chat_id": chat_id, "text": text}

    def format_text(self, text: str) -> str:
        return text.strip()


async def fetch_updates(token: str, offset: int = 0) -> list:
    await asyncio.sleep(0)
    return []


def parse_update(raw: dict) -> dict:
    return dict(raw)
