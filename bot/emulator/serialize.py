"""World objects rendered as Bot API JSON (``Message``, ``Chat``, ``ChatMember`` …).

Objects with many mandatory flags (``ChatMemberAdministrator``, ``ChatFullInfo``) are filled
from the spec itself, so every response keeps validating against ``api.json`` even when a new
Bot API version adds required fields.
"""

from __future__ import annotations

from typing import Any

from bot.emulator.spec import ApiSpec
from bot.emulator.state import SimChat, SimMessage, SimUser, World

# Rights a simulated administrator has (Telegram's defaults when promoting in a client).
_ADMIN_RIGHTS = {
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_change_info": True,
    "can_invite_users": True,
    "can_pin_messages": True,
}
_STATUS_TYPES = {
    "creator": "ChatMemberOwner",
    "administrator": "ChatMemberAdministrator",
    "member": "ChatMemberMember",
    "restricted": "ChatMemberRestricted",
    "left": "ChatMemberLeft",
    "kicked": "ChatMemberBanned",
}


def fill_required(spec: ApiSpec, type_name: str, given: dict[str, Any]) -> dict[str, Any]:
    """``given`` plus neutral values (False, 0, "", nested objects) for missing required fields."""
    out = dict(given)
    type_spec = spec.types[type_name]
    for f in type_spec.fields.values():
        if not f.required or f.name in out:
            continue
        kind = f.types[0]
        if kind == "Boolean":
            out[f.name] = False
        elif kind in ("Integer", "Float"):
            out[f.name] = 0
        elif kind == "String":
            out[f.name] = ""
        elif kind.startswith("Array of"):
            out[f.name] = []
        elif kind in spec.types and not spec.types[kind].subtypes:
            out[f.name] = fill_required(spec, kind, {})
    return out


def message_json(world: World, message: SimMessage, *, with_reply: bool = True) -> dict[str, Any]:
    """The ``Message`` object as Telegram returns it (current content, edits applied)."""
    chat = world.chats[message.chat_id]
    sender = world.users[message.sender_id]
    out: dict[str, Any] = {
        "message_id": message.message_id,
        "from": sender.to_json(),
        "chat": chat.to_json(),
        "date": message.date,
    }
    if message.forward_origin is not None:
        out["forward_origin"] = message.forward_origin
    if with_reply and message.reply_to_message_id is not None:
        replied = world.find_message(chat.id, message.reply_to_message_id)
        if replied is not None:
            out["reply_to_message"] = message_json(world, replied, with_reply=False)
    if message.edit_date is not None:
        out["edit_date"] = message.edit_date
    if message.media_group_id is not None:
        out["media_group_id"] = message.media_group_id
    if message.text is not None:
        out["text"] = message.text
        if message.entities:
            out["entities"] = message.entities
    for key in ("photo", "document", "voice", "location", "venue", "contact"):
        value = getattr(message, key)
        if value is not None:
            out[key] = value
    if message.caption:
        out["caption"] = message.caption
        if message.caption_entities:
            out["caption_entities"] = message.caption_entities
    out.update(message.extra)
    if message.reply_markup and "inline_keyboard" in message.reply_markup:
        out["reply_markup"] = {"inline_keyboard": message.reply_markup["inline_keyboard"]}
    return out


def chat_full_json(spec: ApiSpec, world: World, chat: SimChat) -> dict[str, Any]:
    """``ChatFullInfo`` for getChat."""
    base = chat.to_json()
    base.update({"accent_color_id": 0, "max_reaction_count": 11})
    if chat.type != "private":
        base["permissions"] = fill_required(
            spec,
            "ChatPermissions",
            {
                "can_send_messages": True,
                "can_send_photos": True,
                "can_send_documents": True,
                "can_send_other_messages": True,
                "can_invite_users": True,
            },
        )
    return fill_required(spec, "ChatFullInfo", base)


def member_json(spec: ApiSpec, user: SimUser, status: str) -> dict[str, Any]:
    """A ``ChatMember`` of the right concrete type for ``status``."""
    given: dict[str, Any] = {"status": status, "user": user.to_json()}
    if status == "administrator":
        given.update(_ADMIN_RIGHTS)
        given["can_be_edited"] = False
    if status == "restricted":
        given["is_member"] = True
    return fill_required(spec, _STATUS_TYPES[status], given)
