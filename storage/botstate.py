"""Storage behind the bot's PTB persistence: user/chat/bot data and conversation states."""

from __future__ import annotations

import json
from typing import Any

from tortoise.exceptions import IntegrityError

from storage.models import BotChatData, BotConversation, BotKeyValue, BotUserData

ConversationKey = tuple[str | int, ...]


async def load_user_data() -> dict[int, dict[str, Any]]:
    return {row.user_id: row.data for row in await BotUserData.all()}


async def load_chat_data() -> dict[int, dict[str, Any]]:
    return {row.chat_id: row.data for row in await BotChatData.all()}


async def save_user_data(user_id: int, data: dict[str, Any]) -> None:
    await _upsert(BotUserData, {"user_id": user_id}, data)


async def save_chat_data(chat_id: int, data: dict[str, Any]) -> None:
    await _upsert(BotChatData, {"chat_id": chat_id}, data)


async def drop_user_data(user_id: int) -> None:
    await BotUserData.filter(user_id=user_id).delete()


async def drop_chat_data(chat_id: int) -> None:
    await BotChatData.filter(chat_id=chat_id).delete()


async def load_value(key: str) -> Any:
    row = await BotKeyValue.get_or_none(key=key)
    return row.data if row else None


async def save_value(key: str, data: Any) -> None:
    await _upsert(BotKeyValue, {"key": key}, data)


async def load_conversations(name: str) -> dict[ConversationKey, object]:
    rows = await BotConversation.filter(name=name)
    return {tuple(json.loads(row.key)): row.state for row in rows}


async def save_conversation(name: str, key: ConversationKey, state: object | None) -> None:
    """Store a conversation's state; ``None`` means the conversation ended."""
    encoded = json.dumps(list(key))
    if state is None:
        await BotConversation.filter(name=name, key=encoded).delete()
        return
    await _upsert(BotConversation, {"name": name, "key": encoded}, state, column="state")


async def _upsert(model: Any, key: dict[str, Any], value: Any, column: str = "data") -> None:
    """Update the row, or create it; a concurrent creator's row is then updated instead."""
    if await model.filter(**key).update(**{column: value}):
        return
    try:
        await model.create(**key, **{column: value})
    except IntegrityError:
        await model.filter(**key).update(**{column: value})
