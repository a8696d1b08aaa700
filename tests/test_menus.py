"""Every command a menu offers exists, for every role."""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot.application import build_application
from bot.menus import GROUP_MENU, MENUS
from bot.settings import Settings
from handlers.flow import Form
from tests.support.sim import TOKEN


def _registered_commands() -> set[str]:
    app = build_application(Settings(bot_token=TOKEN))
    names: set[str] = set()
    for group in app.handlers.values():
        for handler in group:
            candidates = handler.entry_points if isinstance(handler, Form) else [handler]
            for candidate in candidates:
                if isinstance(candidate, CommandHandler):
                    names |= set(candidate.commands)
    return names


def test_every_menu_command_has_a_handler() -> None:
    registered = _registered_commands()
    offered = {name for menu in MENUS.values() for name in menu} | set(GROUP_MENU)
    assert offered - registered == set()


def test_two_applications_do_not_share_form_state() -> None:
    one = build_application(Settings(bot_token=TOKEN))
    two = build_application(Settings(bot_token=TOKEN))
    forms_one = {id(h) for g in one.handlers.values() for h in g if isinstance(h, Form)}
    forms_two = {id(h) for g in two.handlers.values() for h in g if isinstance(h, Form)}
    assert forms_one and not forms_one & forms_two
