"""Chat information, membership and files: getChat, getChatMember, leaveChat, getFile …"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.emulator.errors import bad_request
from bot.emulator.methods.common import Access, resolve_chat
from bot.emulator.methods.registry import Params, api_method
from bot.emulator.serialize import chat_full_json, member_json
from bot.emulator.state import PRESENT_STATUSES, SimChat, SimUser

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator


def member_status(emu: BotApiEmulator, chat: SimChat, user: SimUser) -> str:
    """A user's status in a chat as Telegram would report it."""
    if chat.type == "private":
        if user.id in (emu.bot_user.id, chat.id):
            return "member"
        return "left"
    if user.id == emu.bot_user.id:
        return chat.bot_status
    return chat.members.get(user.id, "left")


@api_method("getChat")
async def get_chat(emu: BotApiEmulator, p: Params) -> Any:
    chat = resolve_chat(emu, p["chat_id"], "read")
    return chat_full_json(emu.spec, emu.world, chat)


@api_method("getChatMember")
async def get_chat_member(emu: BotApiEmulator, p: Params) -> Any:
    user_id = int(p["user_id"])
    access: Access = "read" if user_id == emu.bot_user.id else "members"
    chat = resolve_chat(emu, p["chat_id"], access)
    user = emu.world.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    return member_json(emu.spec, user, member_status(emu, chat, user))


@api_method("getChatAdministrators")
async def get_chat_administrators(emu: BotApiEmulator, p: Params) -> Any:
    chat = resolve_chat(emu, p["chat_id"], "members")
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    admins = [
        member_json(emu.spec, emu.world.users[uid], status)
        for uid, status in chat.members.items()
        if status in ("creator", "administrator")
    ]
    if chat.bot_status == "administrator":
        admins.append(member_json(emu.spec, emu.bot_user, "administrator"))
    return admins


@api_method("getChatMemberCount")
async def get_chat_member_count(emu: BotApiEmulator, p: Params) -> Any:
    chat = resolve_chat(emu, p["chat_id"], "members")
    if chat.type == "private":
        return 2
    count = sum(1 for status in chat.members.values() if status in PRESENT_STATUSES)
    return count + (1 if chat.bot_present else 0)


@api_method("leaveChat")
async def leave_chat(emu: BotApiEmulator, p: Params) -> Any:
    chat = resolve_chat(emu, p["chat_id"], "read")
    if chat.type == "private":
        raise bad_request("chat member status can't be changed in private chats")
    emu.change_bot_status(chat, "left", by=emu.bot_user)
    return True


@api_method("getFile")
async def get_file(emu: BotApiEmulator, p: Params) -> Any:
    record = emu.files.get(p["file_id"].strip())
    if record is None:
        raise bad_request("invalid file_id")
    return record.as_file()
