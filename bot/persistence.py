"""PTB persistence in our own database, so a restart resumes conversations mid-way.

PTB loads everything once at start and hands us snapshots to store; the application flushes
after every update (see ``bot.updates``), not only on PTB's interval, so nothing a user typed
is lost to a crash. Values must be JSON-serialisable — drafts are plain dicts. Unchanged
snapshots are skipped, because PTB marks data dirty on every read.
"""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.context import BotData
from storage import botstate

Data = dict[str, Any]


class DatabasePersistence(BasePersistence[Data, Data, BotData]):
    def __init__(self, services: BotData, update_interval: float = 60) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=True, chat_data=True, user_data=True, callback_data=True
            ),
            update_interval=update_interval,
        )
        self._services = services
        self._written: dict[tuple[str, object], str] = {}

    def _changed(self, kind: str, key: object, value: object) -> bool:
        encoded = json.dumps(value, sort_keys=True, default=str)
        if self._written.get((kind, key)) == encoded:
            return False
        self._written[(kind, key)] = encoded
        return True

    async def get_user_data(self) -> dict[int, Data]:
        data = await botstate.load_user_data()
        for user_id, value in data.items():
            self._changed("user", user_id, value)
        return data

    async def get_chat_data(self) -> dict[int, Data]:
        data = await botstate.load_chat_data()
        for chat_id, value in data.items():
            self._changed("chat", chat_id, value)
        return data

    async def get_bot_data(self) -> BotData:
        """Services stay the running ones; only ``state`` comes from the database."""
        state = await botstate.load_value("bot_data") or {}
        self._changed("bot", None, state)
        return BotData(self._services.settings, self._services.clock, state)

    async def get_callback_data(self) -> CDCData | None:
        stored = await botstate.load_value("callback_data")
        if not stored:
            return None
        return ([tuple(item) for item in stored[0]], stored[1])

    async def get_conversations(self, name: str) -> ConversationDict:
        return await botstate.load_conversations(name)

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        if self._changed("conversation", (name, key), new_state):
            await botstate.save_conversation(name, key, new_state)

    async def update_user_data(self, user_id: int, data: Data) -> None:
        if self._changed("user", user_id, data):
            await botstate.save_user_data(user_id, data)

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        if self._changed("chat", chat_id, data):
            await botstate.save_chat_data(chat_id, data)

    async def update_bot_data(self, data: BotData) -> None:
        if self._changed("bot", None, data.state):
            await botstate.save_value("bot_data", data.state)

    async def update_callback_data(self, data: CDCData) -> None:
        if self._changed("callback", None, data):
            await botstate.save_value("callback_data", deepcopy(data))

    async def drop_chat_data(self, chat_id: int) -> None:
        self._written.pop(("chat", chat_id), None)
        await botstate.drop_chat_data(chat_id)

    async def drop_user_data(self, user_id: int) -> None:
        self._written.pop(("user", user_id), None)
        await botstate.drop_user_data(user_id)

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        """Memory is authoritative while running: nothing else writes these rows."""

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        """Memory is authoritative while running: nothing else writes these rows."""

    async def refresh_bot_data(self, bot_data: BotData) -> None:
        """Memory is authoritative while running: nothing else writes these rows."""

    async def flush(self) -> None:
        """Every update is written as it happens; there is nothing buffered to flush."""
