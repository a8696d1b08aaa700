"""Telling people what routing did: the assignee gets the lead's card (or one summary when
many arrive at once), the managers get one message per batch about leads that wait.

Used by the form, imports, manual assignment and the retry job. A person who blocked the bot
or never opened it is logged and skipped: a failed notice never undoes an assignment.
"""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.callbacks.leads import LeadsPage, OpenLead
from bot.i18n import resolve_lang, t
from bot.keyboards import button
from bot.render import truncate
from bot.views.leads import (
    assigned_many_text,
    card_buttons,
    card_text,
    lead_title,
    waiting_button,
    waiting_notice,
)
from storage import leads
from storage.assignment_store import RoutingOutcome

log = logging.getLogger(__name__)
CARDS_AT_ONCE = 3
"""Up to this many new leads arrive as cards; more arrive as one list."""


async def _send(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await bot.send_message(chat_id, truncate(text), reply_markup=markup)
    except TelegramError as error:
        log.info("could not tell chat %s about leads: %s", chat_id, error)


async def announce(bot: Bot, outcome: RoutingOutcome, *, skip: int | None = None) -> None:
    """Message the assignees and, if leads wait, the managers; ``skip`` is who already knows."""
    for tally in outcome.reps.values():
        chat_id = tally.recipient.telegram_id
        if chat_id == skip:
            continue
        lang = resolve_lang(tally.recipient.language)
        cards = await leads.cards_for(tally.lead_ids)
        if tally.count <= CARDS_AT_ONCE:
            for card in cards:
                text = t(lang, "leads.notice_new") + "\n\n" + card_text(lang, card)
                await _send(bot, chat_id, text, card_buttons(lang, card))
            continue
        keyboard = [
            [button(f"#{c.lead.id} {lead_title(c.lead)}"[:60], OpenLead(c.lead.id))] for c in cards
        ]
        keyboard.append([button(t(lang, "leads.btn_my_leads"), LeadsPage("mine", 0))])
        text = assigned_many_text(lang, tally.count)
        await _send(bot, chat_id, text, InlineKeyboardMarkup(keyboard))
    if outcome.waiting:
        for manager in outcome.managers:
            if manager.telegram_id == skip:
                continue
            lang = resolve_lang(manager.language)
            await _send(
                bot, manager.telegram_id, waiting_notice(lang, outcome), waiting_button(lang)
            )
