"""What the web chat receives: the emulator's messages and chats as small JSON objects.

Text travels as Telegram delivers it to a client — plain text plus entities (UTF-16 offsets),
never as HTML — so the browser builds the formatting itself and nothing a user or the bot
typed can become markup. Files are referenced by ``file_id``; the browser fetches them from
``/api/files/{file_id}``. A live location carries ``live_until`` (unix time) while it may
still move; the page compares it with the sandbox clock.
"""

from __future__ import annotations

from typing import Any

from bot.emulator import SimChat, SimMessage, SimUser
from bot.emulator.sharing import live_until
from bot.emulator.state import PRESENT_STATUSES, World

JSON = dict[str, Any]
EXCERPT = 80


def user_view(user: SimUser | None) -> JSON:
    if user is None:
        return {"id": 0, "name": "Deleted account", "username": None, "is_bot": False}
    return {
        "id": user.id,
        "name": user.full_name,
        "username": user.username,
        "is_bot": user.is_bot,
    }


def message_view(world: World, message: SimMessage) -> JSON:
    """One message with its current content (edits applied) and what it replies to."""
    out: JSON = {
        "chat_id": message.chat_id,
        "message_id": message.message_id,
        "date": message.date,
        "edit_date": message.edit_date,
        "deleted": message.deleted,
        "from_bot": message.from_bot,
        "sender": user_view(world.users.get(message.sender_id)),
        "text": message.text,
        "entities": message.entities,
        "caption": message.caption,
        "caption_entities": message.caption_entities,
        "reply_markup": message.reply_markup,
        "photo": None,
        "document": message.document,
        "voice": message.voice,
        "location": message.location,
        "live_until": live_until(message),
        "venue": message.venue,
        "contact": message.contact,
        "reply_to": None,
        "forwarded_from": _origin_name(message.forward_origin),
        "service": _service(world, message),
    }
    if message.photo:
        largest = message.photo[-1]
        out["photo"] = {
            "file_id": largest["file_id"],
            "width": largest.get("width"),
            "height": largest.get("height"),
        }
    if message.reply_to_message_id is not None:
        replied = world.find_message(message.chat_id, message.reply_to_message_id)
        if replied is not None:
            out["reply_to"] = {
                "message_id": replied.message_id,
                "sender": user_view(world.users.get(replied.sender_id))["name"],
                "excerpt": _excerpt(replied),
            }
    return out


def chat_view(world: World, chat: SimChat) -> JSON:
    """A chat's header data; groups list their present members with their status."""
    members = [
        {**user_view(world.users.get(uid)), "status": status}
        for uid, status in chat.members.items()
        if status in PRESENT_STATUSES
    ]
    title = chat.title if chat.type != "private" else (chat.user.full_name if chat.user else "")
    return {
        "id": chat.id,
        "type": chat.type,
        "title": title,
        "members": members,
        "bot_present": chat.bot_present,
        "keyboard": chat.reply_keyboard,
    }


def _excerpt(message: SimMessage) -> str:
    if message.text:
        text = message.text
    elif message.caption:
        text = message.caption
    elif message.photo:
        text = "Photo"
    elif message.document:
        text = str(message.document.get("file_name") or "File")
    elif message.voice:
        text = "Voice message"
    elif message.location:
        text = "Location"
    else:
        text = "Message"
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _origin_name(origin: dict[str, Any] | None) -> str | None:
    if not origin:
        return None
    user = origin.get("sender_user")
    if isinstance(user, dict):
        return " ".join(str(user.get(k)) for k in ("first_name", "last_name") if user.get(k))
    return str(origin.get("sender_user_name") or origin.get("author_signature") or "") or None


def _service(world: World, message: SimMessage) -> JSON | None:
    """Service messages (someone added the bot, a group was upgraded…) as kind + names."""
    if not message.extra:
        return None
    kind = next(iter(message.extra))
    value = message.extra[kind]
    names: list[str] = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and "id" in item:
                names.append(user_view(world.users.get(int(item["id"])))["name"])
    elif isinstance(value, dict) and "id" in value:
        names.append(user_view(world.users.get(int(value["id"])))["name"])
    return {"kind": kind, "users": names}
