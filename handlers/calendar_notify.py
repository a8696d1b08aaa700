"""Sending calendar messages to someone other than the person who tapped: a rep whose entry
a manager changed, and the reminders and agendas of the scheduler.

A message that cannot be delivered (the rep never opened the bot, or blocked it) is logged
and skipped: what it reports is already in the database.
"""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.i18n import Lang, resolve_lang
from bot.views import calendar as views
from storage.calendar_entries import Change

log = logging.getLogger(__name__)


async def tell(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Send one message; False (and a log line) when Telegram refuses it."""
    try:
        await bot.send_message(chat_id, text, reply_markup=markup)
    except (Forbidden, BadRequest) as error:
        log.info("could not send a calendar message to chat %s: %s", chat_id, error)
        return False
    return True


async def tell_rep(bot: Bot, change: Change, action: str) -> None:
    """Tell the rep that someone else (their manager) changed their entry."""
    if change.notify is None:
        return
    lang: Lang = resolve_lang(change.notify.language)
    await tell(bot, change.notify.chat_id, *views.rep_notice(lang, change, action))
