"""The command menu each role sees, in each language (``setMyCommands``).

Menus are data: a role's tuple of commands. Every command listed here must have a handler
and a ``cmd.<name>`` description in every catalog (tests check both). Telegram's per-language
default menus only know two-letter codes, so Traditional Chinese users get their exact menu
through a per-chat scope once they have talked to the bot.
"""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import TelegramError

from bot.i18n import Lang, t
from storage.models import Role

log = logging.getLogger(__name__)

# Daily work first, setup and help last.
MENUS: dict[Role | None, tuple[str, ...]] = {
    None: ("start", "help", "lang"),
    Role.ADMIN: (
        "teams",
        "newteam",
        "invite",
        "settings",
        "stages",
        "import",
        "find",
        "help",
        "lang",
    ),
    Role.MANAGER: (
        "digest",
        "team",
        "teamtasks",
        "visits",
        "calendar",
        "tickets",
        "pool",
        "leads",
        "poolflow",
        "servicestats",
        "find",
        "followup",
        "tasks",
        "newcustomer",
        "lead",
        "import",
        "stages",
        "settings",
        "invite",
        "bindgroup",
        "help",
        "lang",
    ),
    Role.REP: (
        "my",
        "followup",
        "plan",
        "calendar",
        "checkin",
        "tasks",
        "pool",
        "find",
        "leads",
        "lead",
        "newcustomer",
        "visits",
        "ics",
        "away",
        "invite",
        "help",
        "lang",
    ),
    Role.AGENT: ("tickets", "find", "away", "help", "lang"),
    Role.CUSTOMER: ("newticket", "mytickets", "help", "lang"),
}
GROUP_MENU: tuple[str, ...] = ("bindgroup", "help")

# Default menus by Telegram's two-letter language code; "" is every other language.
DEFAULT_MENU_LANGS: dict[str, Lang] = {"": Lang.EN, "en": Lang.EN, "zh": Lang.ZH_HANS}


def commands_for(names: tuple[str, ...], lang: Lang) -> list[BotCommand]:
    return [BotCommand(name, t(lang, f"cmd.{name}")) for name in names]


async def publish_default_menus(bot: Bot) -> None:
    """The menus people see before the bot knows them: private chats and groups."""
    for code, lang in DEFAULT_MENU_LANGS.items():
        await bot.set_my_commands(
            commands_for(MENUS[None], lang),
            scope=BotCommandScopeAllPrivateChats(),
            language_code=code or None,
        )
        await bot.set_my_commands(
            commands_for(GROUP_MENU, lang),
            scope=BotCommandScopeAllGroupChats(),
            language_code=code or None,
        )


async def set_user_menu(bot: Bot, chat_id: int, role: Role | None, lang: Lang) -> None:
    """Show one user their role's commands in their language; a failure is only cosmetic."""
    try:
        await bot.set_my_commands(
            commands_for(MENUS[role], lang), scope=BotCommandScopeChat(chat_id)
        )
    except TelegramError:
        log.warning("could not set the command menu of chat %s", chat_id, exc_info=True)
