"""Helpers shared by method implementations: chat access, files, replies, new messages.

The access rules are telegram-bot-api's ``check_chat_access`` (who may write where and
with which 403), applied to the simulated world.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from bot.emulator.entities import Entity
from bot.emulator.errors import bad_request, forbidden
from bot.emulator.files import StoredFile
from bot.emulator.formatting import format_text
from bot.emulator.limits import check_caption_length
from bot.emulator.spec import UploadedFile
from bot.emulator.state import SimChat, SimMessage

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

Access = Literal["write", "edit", "read", "members"]


def resolve_chat(emu: BotApiEmulator, chat_id: int | str, access: Access) -> SimChat:
    """Find a chat the bot may use with ``access``, or raise Telegram's error."""
    chat: SimChat | None = None
    if isinstance(chat_id, int):
        chat = emu.world.chats.get(chat_id)
    elif not chat_id.startswith("@"):
        try:
            chat = emu.world.chats.get(int(chat_id.strip()))
        except ValueError:
            chat = None
    if chat is None or chat.id == emu.bot_user.id:
        raise bad_request("chat not found")
    if chat.type == "private":
        user = chat.user
        if user is not None and access == "write":
            if user.blocked:
                raise forbidden("bot was blocked by the user")
            if not user.started:
                raise forbidden("bot can't initiate conversation with a user")
        return chat
    kind = "group chat" if chat.type == "group" else "supergroup chat"
    strict = access != "read" or chat.type == "supergroup"
    if chat.bot_status == "kicked" and strict:
        raise forbidden(f"bot was kicked from the {kind}")
    if not chat.bot_present and strict:
        raise forbidden(f"bot is not a member of the {kind}")
    return chat


def entities_json(emu: BotApiEmulator, entities: list[Entity]) -> list[dict[str, Any]]:
    """Entities as Bot API JSON; text mentions of unknown users are dropped."""
    out = []
    for e in entities:
        user = None
        if e.type == "text_mention":
            known = emu.world.users.get(e.user_id or 0)
            if known is None:
                continue
            user = known.to_json()
        out.append(e.to_json(user))
    return out


def caption_from(
    emu: BotApiEmulator, caption: str | None, parse_mode: str | None, entities: Any
) -> tuple[str | None, list[dict[str, Any]]]:
    """Format an optional caption (≤1024 characters after parsing)."""
    if not caption:
        return None, []
    text, parsed = format_text(caption, parse_mode, entities, allow_empty=True)
    check_caption_length(text)
    return (text or None), entities_json(emu, parsed)


def reply_target(emu: BotApiEmulator, chat: SimChat, params: dict[str, Any]) -> int | None:
    """The replied-to message id from ``reply_parameters`` (same-chat replies)."""
    reply = params.get("reply_parameters")
    if not reply:
        return None
    message = emu.world.find_message(chat.id, int(reply["message_id"]))
    if message is None:
        if reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return message.message_id


def apply_keyboard(chat: SimChat, markup: dict[str, Any] | None) -> None:
    """Track the custom (reply) keyboard a user currently sees in this chat."""
    if markup is None:
        return
    if "keyboard" in markup:
        chat.reply_keyboard = markup
    elif markup.get("remove_keyboard"):
        chat.reply_keyboard = None


def check_flood(emu: BotApiEmulator, method: str, chat: SimChat) -> None:
    emu.flood.check_send(method, chat.id, chat.type != "private", 1, emu.clock().timestamp())


def new_bot_message(emu: BotApiEmulator, chat: SimChat, **content: Any) -> SimMessage:
    """Store a message sent by the bot (ids and date assigned by the world)."""
    message = SimMessage(
        message_id=0,
        chat_id=chat.id,
        date=emu.world.now(),
        from_bot=True,
        sender_id=emu.bot_user.id,
        **content,
    )
    return emu.world.add_message(chat, message)


def resolve_file(
    emu: BotApiEmulator,
    value: str | UploadedFile,
    kind: Literal["photo", "document", "voice"],
    params: dict[str, Any],
    *,
    what: str = "file",
) -> list[StoredFile]:
    """An InputFile or file_id/URL/attach:// string → stored file(s) (photo: all sizes)."""
    if isinstance(value, str) and value.startswith("attach://"):
        part = params.get(value[len("attach://") :])
        if not isinstance(part, UploadedFile):
            raise bad_request(f"can't parse InputMedia: {what} not found")
        value = part
    if isinstance(value, UploadedFile):
        if not value.data:
            raise bad_request("file must be non-empty")
        if kind == "photo":
            return emu.files.add_photo(value.data)
        if kind == "voice":
            return [emu.files.add_voice(value.data, value.content_type, params.get("duration"))]
        return [emu.files.add_document(value.data, value.filename, value.content_type)]
    file_id = value.strip()
    if file_id.lower().startswith(("http://", "https://")):
        # No internet here; Telegram would download the URL.
        raise bad_request("failed to get HTTP URL content")
    record = emu.files.get(file_id)
    if record is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if record.kind != kind:
        raise bad_request(f"can't use file of type {record.kind.title()} as {kind.title()}")
    if kind == "photo":
        return emu.files.photo_sizes(record)
    return [record]
