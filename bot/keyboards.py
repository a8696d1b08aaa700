"""Inline keyboards, built from callback payloads and translated labels."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CallbackData, CancelFlow, Noop, PickInvite, PickLanguage, PickTeamZone
from bot.i18n import LANGUAGE_NAMES, Lang, t
from bot.render import role_name
from storage.models import Role
from storage.paging import Page
from storage.teams import TeamSummary


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data.pack())


def rows(buttons: Iterable[InlineKeyboardButton], width: int = 2) -> InlineKeyboardMarkup:
    """Lay buttons out ``width`` per row."""
    items = list(buttons)
    return InlineKeyboardMarkup([items[i : i + width] for i in range(0, len(items), width)])


def pager(page: Page[object], turn_to: Callable[[int], CallbackData]) -> list[InlineKeyboardButton]:
    """A ‹ 2/5 › row for a paged list; ``turn_to(n)`` is the payload that shows page n.

    Empty when everything fits on one page.
    """
    if page.pages <= 1:
        return []
    row = []
    if page.has_previous:
        row.append(button("‹", turn_to(page.number - 1)))
    row.append(button(f"{page.number + 1}/{page.pages}", Noop()))
    if page.has_next:
        row.append(button("›", turn_to(page.number + 1)))
    return row


def cancel_row(lang: Lang) -> list[InlineKeyboardButton]:
    return [button(t(lang, "common.cancel"), CancelFlow())]


def languages(current: Lang) -> InlineKeyboardMarkup:
    return rows(
        (
            button(("✓ " if lang is current else "") + name, PickLanguage(lang))
            for lang, name in LANGUAGE_NAMES.items()
        ),
        width=1,
    )


def invite_choices(
    lang: Lang, roles: Sequence[Role], teams: Sequence[TeamSummary]
) -> InlineKeyboardMarkup:
    """One button per (role, team) the actor may invite into."""
    many = len(teams) > 1
    return rows(
        (
            button(
                t(lang, "invite.button_team", role=role_name(lang, role), team=team.name)
                if many
                else t(lang, "invite.button", role=role_name(lang, role)),
                PickInvite(role, team.id),
            )
            for team in teams
            for role in roles
        ),
        width=1 if many else 2,
    )


def time_zones(zones: Sequence[str], lang: Lang) -> InlineKeyboardMarkup:
    markup = rows((button(zone, PickTeamZone(zone)) for zone in zones), width=2)
    return InlineKeyboardMarkup([*markup.inline_keyboard, cancel_row(lang)])
