"""Which command menu a user sees in a chat, resolved the way Telegram clients do.

A bot stores commands per (scope, language) with ``setMyCommands``; a client shows the first
list that is set along a fixed order of scopes, most specific first, each tried with the
user's language and then without (https://core.telegram.org/bots/api#determining-list-of-commands).
The sandbox's composer uses this to offer exactly the menu a real user would get.
"""

from __future__ import annotations

from typing import Any

from bot.emulator.methods.bot_settings import scope_key
from bot.emulator.state import SimChat, SimUser, World

ADMIN_STATUSES = frozenset({"creator", "administrator"})


def menu_scopes(chat: SimChat, user: SimUser | None) -> list[dict[str, Any]]:
    """The scopes a client consults for ``user`` in ``chat``, in Telegram's order."""
    if chat.type == "private":
        return [
            {"type": "chat", "chat_id": chat.id},
            {"type": "all_private_chats"},
            {"type": "default"},
        ]
    is_admin = user is not None and chat.members.get(user.id) in ADMIN_STATUSES
    scopes: list[dict[str, Any]] = []
    if user is not None:
        scopes.append({"type": "chat_member", "chat_id": chat.id, "user_id": user.id})
    if is_admin:
        scopes.append({"type": "chat_administrators", "chat_id": chat.id})
    scopes.append({"type": "chat", "chat_id": chat.id})
    if is_admin:
        scopes.append({"type": "all_chat_administrators"})
    scopes += [{"type": "all_group_chats"}, {"type": "default"}]
    return scopes


def language_candidates(language_code: str | None) -> list[str]:
    """``zh-hans`` → ``["zh-hans", "zh", ""]``: bots set menus for two-letter codes, and a
    client falls back to the list without a language."""
    candidates: list[str] = []
    code = (language_code or "").strip().lower()
    if code:
        candidates.append(code)
        primary = code.split("-", 1)[0]
        if primary != code:
            candidates.append(primary)
    candidates.append("")
    return candidates


def resolve_menu(
    world: World, chat: SimChat, user: SimUser | None, language_code: str | None = None
) -> list[dict[str, Any]]:
    """The commands ``user`` sees in ``chat`` (their own language unless one is given)."""
    language = (
        language_code if language_code is not None else (user.language_code if user else None)
    )
    for scope in menu_scopes(chat, user):
        key = scope_key(scope)
        for code in language_candidates(language):
            commands = world.commands.get((key, code))
            if commands is not None:
                return [dict(c) for c in commands]
    return []
