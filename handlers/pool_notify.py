"""Telling people elsewhere: a rep in their private chat, the team group, the managers.

A notice that cannot be delivered (the person never opened the bot, blocked it, or the
group removed it) is logged and skipped: the change it reports is already in the database,
and one unreachable person must not stop the others from hearing about theirs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.i18n import Lang, resolve_lang
from storage.pool_rules import Recipient

log = logging.getLogger(__name__)

Render = Callable[[Lang], tuple[str, InlineKeyboardMarkup | None]]


def language(recipient: Recipient) -> Lang:
    return resolve_lang(recipient.language)


async def tell(
    bot: Bot, recipient: Recipient | None, text: str, markup: InlineKeyboardMarkup | None = None
) -> bool:
    """Send one message; False (and a log line) when Telegram refuses it."""
    if recipient is None:
        return False
    try:
        await bot.send_message(recipient.chat_id, text, reply_markup=markup)
    except (Forbidden, BadRequest) as error:
        log.info("could not notify chat %s: %s", recipient.chat_id, error)
        return False
    return True


async def tell_each(bot: Bot, recipients: Iterable[Recipient], render: Render) -> int:
    """Send each recipient the message rendered in their language; how many arrived."""
    sent = 0
    for recipient in recipients:
        text, markup = render(language(recipient))
        sent += await tell(bot, recipient, text, markup)
    return sent


async def edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Redraw the message a button belongs to; an identical redraw is not an error."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise
