"""Editing and deleting messages, and answering callback queries.

Reproduces the classic gotchas: editing without ``reply_markup`` removes the inline keyboard,
an identical edit fails with "message is not modified", text edits of a photo fail, a callback
query can be answered once and only within 15 minutes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.emulator.errors import bad_request
from bot.emulator.formatting import format_text
from bot.emulator.limits import (
    CALLBACK_QUERY_TTL_SECONDS,
    check_callback_answer_text,
    check_text_length,
    normalize_reply_markup,
)
from bot.emulator.methods.common import caption_from, entities_json, resolve_chat
from bot.emulator.methods.registry import Params, api_method
from bot.emulator.serialize import message_json
from bot.emulator.state import SimChat, SimMessage

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
DELETE_WINDOW = timedelta(hours=48)


def _inline(markup: dict[str, Any] | None) -> Any:
    return markup.get("inline_keyboard") if markup else None


def _target(emu: BotApiEmulator, p: Params) -> tuple[SimChat, SimMessage]:
    """The bot message an edit* call refers to."""
    if "inline_message_id" in p:
        raise bad_request("inline messages are not supported by the emulator")
    if "chat_id" not in p:
        raise bad_request("chat_id is empty")
    if "message_id" not in p:
        raise bad_request("message identifier is not specified")
    chat = resolve_chat(emu, p["chat_id"], "edit")
    message = emu.world.find_message(chat.id, p["message_id"])
    if message is None:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return chat, message


def _apply(emu: BotApiEmulator, message: SimMessage, **changes: Any) -> dict[str, Any]:
    current = {key: getattr(message, key) for key in changes}
    unchanged = all(
        _inline(current[k]) == _inline(v) if k == "reply_markup" else current[k] == v
        for k, v in changes.items()
    )
    if unchanged:
        raise bad_request(NOT_MODIFIED)
    emu.world.record_edit(message)
    for key, value in changes.items():
        setattr(message, key, value)
    emu.world.notify_edited(message)
    return message_json(emu.world, message)


@api_method("editMessageText")
async def edit_message_text(emu: BotApiEmulator, p: Params) -> Any:
    text, entities = format_text(
        p["text"], p.get("parse_mode"), p.get("entities"), allow_empty=False
    )
    check_text_length(text)
    markup = normalize_reply_markup(p.get("reply_markup"))
    _, message = _target(emu, p)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    return _apply(
        emu, message, text=text, entities=entities_json(emu, entities), reply_markup=markup
    )


@api_method("editMessageCaption")
async def edit_message_caption(emu: BotApiEmulator, p: Params) -> Any:
    caption, caption_entities = caption_from(
        emu, p.get("caption"), p.get("parse_mode"), p.get("caption_entities")
    )
    markup = normalize_reply_markup(p.get("reply_markup"))
    _, message = _target(emu, p)
    if message.photo is None and message.document is None:
        raise bad_request("there is no caption in the message to edit")
    return _apply(
        emu, message, caption=caption, caption_entities=caption_entities, reply_markup=markup
    )


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(emu: BotApiEmulator, p: Params) -> Any:
    markup = normalize_reply_markup(p.get("reply_markup"))
    _, message = _target(emu, p)
    return _apply(emu, message, reply_markup=markup)


def _can_delete(emu: BotApiEmulator, chat: SimChat, message: SimMessage) -> bool:
    if emu.clock().timestamp() - message.date > DELETE_WINDOW.total_seconds():
        return False
    if message.from_bot or chat.type == "private":
        return True
    return chat.bot_status in ("administrator", "creator")


@api_method("deleteMessage")
async def delete_message(emu: BotApiEmulator, p: Params) -> Any:
    chat = resolve_chat(emu, p["chat_id"], "edit")
    message = emu.world.find_message(chat.id, p["message_id"])
    if message is None:
        raise bad_request("message to delete not found")
    if not _can_delete(emu, chat, message):
        raise bad_request("message can't be deleted")
    emu.world.delete_message(message)
    return True


@api_method("deleteMessages")
async def delete_messages(emu: BotApiEmulator, p: Params) -> Any:
    ids: list[int] = p["message_ids"]
    if not ids:
        raise bad_request("message identifiers are not specified")
    if len(ids) > 100:
        raise bad_request("too many message identifiers specified")
    chat = resolve_chat(emu, p["chat_id"], "edit")
    found = [m for m in (emu.world.find_message(chat.id, i) for i in ids) if m is not None]
    if any(not _can_delete(emu, chat, m) for m in found):
        raise bad_request("message can't be deleted")
    for message in found:
        emu.world.delete_message(message)
    return True


@api_method("answerCallbackQuery")
async def answer_callback_query(emu: BotApiEmulator, p: Params) -> Any:
    check_callback_answer_text(p.get("text"))
    record = emu.world.callback_queries.get(p["callback_query_id"].strip())
    if record is None or record.answer is not None:
        raise bad_request(QUERY_INVALID)
    age = (emu.clock() - record.created_at).total_seconds()
    if age > CALLBACK_QUERY_TTL_SECONDS:
        raise bad_request(QUERY_INVALID)
    record.answer = {
        "text": p.get("text"),
        "show_alert": bool(p.get("show_alert", False)),
        "url": p.get("url"),
        "cache_time": p.get("cache_time", 0),
    }
    return True
