"""Sending methods: text, photo, document, voice, location, venue, contact, albums, copies.

Order of checks follows telegram-bot-api: content is parsed first (parse errors win), then the
chat is checked (403s), then the reply target, then flood control, then the message is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.emulator.errors import bad_request
from bot.emulator.formatting import format_text
from bot.emulator.limits import check_media_group_size, check_text_length, normalize_reply_markup
from bot.emulator.methods.common import (
    apply_keyboard,
    caption_from,
    check_flood,
    entities_json,
    new_bot_message,
    reply_target,
    resolve_chat,
    resolve_file,
)
from bot.emulator.methods.registry import Params, api_method
from bot.emulator.serialize import message_json
from bot.emulator.state import SimChat

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def _prepare(emu: BotApiEmulator, p: Params, method: str) -> tuple[SimChat, Any, int | None]:
    """Markup, chat access, reply target and flood check shared by all senders."""
    markup = normalize_reply_markup(p.get("reply_markup"))
    chat = resolve_chat(emu, p["chat_id"], "write")
    reply_to = reply_target(emu, chat, p)
    check_flood(emu, method, chat)
    return chat, markup, reply_to


def _finish(emu: BotApiEmulator, chat: SimChat, markup: Any, **content: Any) -> dict[str, Any]:
    message = new_bot_message(emu, chat, reply_markup=markup, **content)
    apply_keyboard(chat, markup)
    return message_json(emu.world, message)


def _check_location(latitude: float, longitude: float) -> dict[str, Any]:
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise bad_request("wrong location specified")
    return {"latitude": latitude, "longitude": longitude}


@api_method("sendMessage")
async def send_message(emu: BotApiEmulator, p: Params) -> Any:
    text, entities = format_text(
        p["text"], p.get("parse_mode"), p.get("entities"), allow_empty=False
    )
    check_text_length(text)
    chat, markup, reply_to = _prepare(emu, p, "sendMessage")
    return _finish(
        emu,
        chat,
        markup,
        text=text,
        entities=entities_json(emu, entities),
        reply_to_message_id=reply_to,
    )


@api_method("sendPhoto")
async def send_photo(emu: BotApiEmulator, p: Params) -> Any:
    caption, caption_entities = caption_from(
        emu, p.get("caption"), p.get("parse_mode"), p.get("caption_entities")
    )
    chat, markup, reply_to = _prepare(emu, p, "sendPhoto")
    sizes = resolve_file(emu, p["photo"], "photo", p)
    return _finish(
        emu,
        chat,
        markup,
        photo=[s.as_photo_size() for s in sizes],
        caption=caption,
        caption_entities=caption_entities,
        reply_to_message_id=reply_to,
    )


@api_method("sendDocument")
async def send_document(emu: BotApiEmulator, p: Params) -> Any:
    caption, caption_entities = caption_from(
        emu, p.get("caption"), p.get("parse_mode"), p.get("caption_entities")
    )
    chat, markup, reply_to = _prepare(emu, p, "sendDocument")
    (record,) = resolve_file(emu, p["document"], "document", p)
    return _finish(
        emu,
        chat,
        markup,
        document=record.as_document(),
        caption=caption,
        caption_entities=caption_entities,
        reply_to_message_id=reply_to,
    )


@api_method("sendVoice")
async def send_voice(emu: BotApiEmulator, p: Params) -> Any:
    caption, caption_entities = caption_from(
        emu, p.get("caption"), p.get("parse_mode"), p.get("caption_entities")
    )
    chat, markup, reply_to = _prepare(emu, p, "sendVoice")
    (record,) = resolve_file(emu, p["voice"], "voice", p)
    return _finish(
        emu,
        chat,
        markup,
        voice=record.as_voice(),
        caption=caption,
        caption_entities=caption_entities,
        reply_to_message_id=reply_to,
    )


@api_method("sendLocation")
async def send_location(emu: BotApiEmulator, p: Params) -> Any:
    location = _check_location(p["latitude"], p["longitude"])
    if "horizontal_accuracy" in p:
        location["horizontal_accuracy"] = p["horizontal_accuracy"]
    if p.get("live_period"):
        location["live_period"] = p["live_period"]
    chat, markup, reply_to = _prepare(emu, p, "sendLocation")
    return _finish(emu, chat, markup, location=location, reply_to_message_id=reply_to)


@api_method("sendVenue")
async def send_venue(emu: BotApiEmulator, p: Params) -> Any:
    location = _check_location(p["latitude"], p["longitude"])
    venue = {"location": location, "title": p["title"], "address": p["address"]}
    for key in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
        if key in p:
            venue[key] = p[key]
    chat, markup, reply_to = _prepare(emu, p, "sendVenue")
    return _finish(
        emu, chat, markup, venue=venue, location=dict(location), reply_to_message_id=reply_to
    )


@api_method("sendContact")
async def send_contact(emu: BotApiEmulator, p: Params) -> Any:
    contact = {"phone_number": p["phone_number"], "first_name": p["first_name"]}
    for key in ("last_name", "vcard"):
        if key in p:
            contact[key] = p[key]
    chat, markup, reply_to = _prepare(emu, p, "sendContact")
    return _finish(emu, chat, markup, contact=contact, reply_to_message_id=reply_to)


@api_method("sendMediaGroup")
async def send_media_group(emu: BotApiEmulator, p: Params) -> Any:
    media: list[dict[str, Any]] = p["media"]
    check_media_group_size(len(media))
    kinds = {item["type"] for item in media}
    unsupported = kinds - {"photo", "document"}
    if unsupported:
        raise bad_request(
            f"media of type {sorted(unsupported)[0]} is not supported by the emulator"
        )
    if len(kinds) > 1:
        raise bad_request("can't use the media of the specified type in the album")
    prepared = []
    for item in media:
        caption, caption_entities = caption_from(
            emu, item.get("caption"), item.get("parse_mode"), item.get("caption_entities")
        )
        prepared.append((item, caption, caption_entities))
    chat = resolve_chat(emu, p["chat_id"], "write")
    reply_to = reply_target(emu, chat, p)
    check_flood(emu, "sendMediaGroup", chat)
    files = [
        resolve_file(emu, item["media"], item["type"], p, what="media") for item, _, _ in prepared
    ]
    group_id = emu.world.next_media_group_id()
    results = []
    for (item, caption, caption_entities), stored in zip(prepared, files, strict=True):
        content: dict[str, Any]
        if item["type"] == "photo":
            content = {"photo": [s.as_photo_size() for s in stored]}
        else:
            content = {"document": stored[0].as_document()}
        message = new_bot_message(
            emu,
            chat,
            caption=caption,
            caption_entities=caption_entities,
            media_group_id=group_id,
            reply_to_message_id=reply_to,
            **content,
        )
        results.append(message_json(emu.world, message))
    return results


@api_method("sendChatAction")
async def send_chat_action(emu: BotApiEmulator, p: Params) -> Any:
    if p["action"] not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat = resolve_chat(emu, p["chat_id"], "write")
    chat.last_action = p["action"]
    return True


def _source_message(emu: BotApiEmulator, p: Params, what: str) -> Any:
    source_chat = resolve_chat(emu, p["from_chat_id"], "read")
    message = emu.world.find_message(source_chat.id, p["message_id"])
    if message is None:
        raise bad_request(f"message to {what} not found")
    return message


_COPIED = ("text", "entities", "photo", "document", "voice", "location", "venue", "contact")


@api_method("copyMessage")
async def copy_message(emu: BotApiEmulator, p: Params) -> Any:
    source = _source_message(emu, p, "copy")
    content = {key: getattr(source, key) for key in _COPIED}
    if all(v in (None, []) for v in content.values()):
        raise bad_request("message can't be copied")
    if "caption" in p:
        content["caption"], content["caption_entities"] = caption_from(
            emu, p.get("caption"), p.get("parse_mode"), p.get("caption_entities")
        )
    else:
        content["caption"], content["caption_entities"] = source.caption, source.caption_entities
    chat, markup, reply_to = _prepare(emu, p, "copyMessage")
    message = new_bot_message(
        emu, chat, reply_markup=markup, reply_to_message_id=reply_to, **content
    )
    apply_keyboard(chat, markup)
    return {"message_id": message.message_id}


@api_method("forwardMessage")
async def forward_message(emu: BotApiEmulator, p: Params) -> Any:
    source = _source_message(emu, p, "forward")
    content = {key: getattr(source, key) for key in (*_COPIED, "caption", "caption_entities")}
    sender = emu.world.users[source.sender_id]
    origin = source.forward_origin or {
        "type": "user",
        "date": source.date,
        "sender_user": sender.to_json(),
    }
    chat = resolve_chat(emu, p["chat_id"], "write")
    check_flood(emu, "forwardMessage", chat)
    message = new_bot_message(emu, chat, forward_origin=origin, **content)
    return message_json(emu.world, message)
