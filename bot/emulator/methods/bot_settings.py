"""What a bot configures about itself: commands per scope+language, name, descriptions,
menu button. Stored so tests (and the sandbox UI) can read them back."""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING, Any

from bot.emulator.errors import bad_request
from bot.emulator.limits import check_bot_commands
from bot.emulator.methods.common import resolve_chat
from bot.emulator.methods.registry import Params, api_method

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

_TEXT_LIMITS = {"name": 64, "description": 512, "short_description": 120}


def scope_key(scope: dict[str, Any] | None) -> str:
    """A canonical key for a BotCommandScope (chat ids normalised to integers)."""
    scope = dict(scope or {"type": "default"})
    if "chat_id" in scope:
        with contextlib.suppress(TypeError, ValueError):
            scope["chat_id"] = int(scope["chat_id"])
    if "user_id" in scope:
        scope["user_id"] = int(scope["user_id"])
    return json.dumps(scope, sort_keys=True)


def _checked_scope(emu: BotApiEmulator, p: Params) -> str:
    scope = p.get("scope")
    if scope and "chat_id" in scope:
        resolve_chat(emu, scope["chat_id"], "members")
    return scope_key(scope)


@api_method("setMyCommands")
async def set_my_commands(emu: BotApiEmulator, p: Params) -> Any:
    commands = p["commands"]
    check_bot_commands(commands)
    key = (_checked_scope(emu, p), p.get("language_code", ""))
    emu.world.commands[key] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


@api_method("getMyCommands")
async def get_my_commands(emu: BotApiEmulator, p: Params) -> Any:
    key = (_checked_scope(emu, p), p.get("language_code", ""))
    return list(emu.world.commands.get(key, []))


@api_method("deleteMyCommands")
async def delete_my_commands(emu: BotApiEmulator, p: Params) -> Any:
    key = (_checked_scope(emu, p), p.get("language_code", ""))
    emu.world.commands.pop(key, None)
    return True


def _set_text(emu: BotApiEmulator, field: str, p: Params) -> bool:
    value = p.get(field, "")
    if len(value) > _TEXT_LIMITS[field]:
        raise bad_request(f"{field.replace('_', ' ')} is too long")
    emu.world.bot_settings.setdefault(field, {})[p.get("language_code", "")] = value
    return True


def _get_text(emu: BotApiEmulator, field: str, p: Params) -> dict[str, str]:
    values = emu.world.bot_settings.get(field, {})
    language = p.get("language_code", "")
    value = values.get(language) or values.get("", "")
    if field == "name" and not value:
        value = emu.bot_user.first_name
    return {field: value}


@api_method("setMyName")
async def set_my_name(emu: BotApiEmulator, p: Params) -> Any:
    return _set_text(emu, "name", p)


@api_method("getMyName")
async def get_my_name(emu: BotApiEmulator, p: Params) -> Any:
    return _get_text(emu, "name", p)


@api_method("setMyDescription")
async def set_my_description(emu: BotApiEmulator, p: Params) -> Any:
    return _set_text(emu, "description", p)


@api_method("getMyDescription")
async def get_my_description(emu: BotApiEmulator, p: Params) -> Any:
    return _get_text(emu, "description", p)


@api_method("setMyShortDescription")
async def set_my_short_description(emu: BotApiEmulator, p: Params) -> Any:
    return _set_text(emu, "short_description", p)


@api_method("getMyShortDescription")
async def get_my_short_description(emu: BotApiEmulator, p: Params) -> Any:
    return _get_text(emu, "short_description", p)


def _menu_chat(emu: BotApiEmulator, p: Params) -> Any:
    if "chat_id" not in p:
        return None
    chat = emu.world.chats.get(int(p["chat_id"]))
    if chat is None or chat.type != "private":
        raise bad_request("chat not found")
    return chat


@api_method("setChatMenuButton")
async def set_chat_menu_button(emu: BotApiEmulator, p: Params) -> Any:
    button = p.get("menu_button") or {"type": "default"}
    chat = _menu_chat(emu, p)
    if chat is None:
        emu.world.default_menu_button = button
    else:
        chat.menu_button = button
    return True


@api_method("getChatMenuButton")
async def get_chat_menu_button(emu: BotApiEmulator, p: Params) -> Any:
    chat = _menu_chat(emu, p)
    if chat is not None and chat.menu_button is not None:
        return chat.menu_button
    return emu.world.default_menu_button
