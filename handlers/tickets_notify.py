"""Sending what ticket actions produce: notices to the customer, the agent and the managers.

The bot relays content, never people: a message becomes the bot's own text, photos are sent
again by their file ids — nobody's Telegram identity travels with them. A notice that cannot
be delivered (the person never opened the bot, or blocked it) is logged and skipped: the
change is already in the database and on the ticket's history.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.callbacks.tickets import FinishWriting
from bot.context import FieldContext
from bot.i18n import Lang, resolve_lang, t
from bot.render import plain_text
from bot.replies import Markup, reply, send_stored_photos
from bot.views import tickets as views
from handlers.flow import ANYTHING_ELSE, TEXT, Callback, reprompt, tapped
from storage.tickets_common import Notice, NoticeKind

log = logging.getLogger(__name__)


async def deliver(bot: Bot, notices: Sequence[Notice], now: datetime) -> int:
    """Send every notice in its recipient's language; how many arrived.

    The breaches of one sweep reach each team audience as one message.
    """
    sent = 0
    escalations: dict[int, list[Notice]] = {}
    for item in notices:
        if item.kind is NoticeKind.ESCALATION:
            escalations.setdefault(item.to.chat_id, []).append(item)
            continue
        lang = resolve_lang(item.to.language)
        text = views.notice_text(lang, item, now)
        markup = views.notice_buttons(lang, item)
        if await send(bot, item.to.chat_id, text, markup, item.photos, lang):
            sent += 1
    for chat_id, group in escalations.items():
        text, markup = views.escalation_text(resolve_lang(group[0].to.language), group)
        sent += await send(bot, chat_id, text, markup)
    return sent


async def send(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    photos: Sequence[str] = (),
    lang: Lang = Lang.EN,
) -> bool:
    """The text (with its buttons), then the photos as albums; False if it did not arrive."""
    try:
        await bot.send_message(chat_id, text, reply_markup=markup)
    except (Forbidden, BadRequest) as error:
        log.info("could not send a ticket notice to chat %s: %s", chat_id, error)
        return False
    try:
        await send_stored_photos(bot, chat_id, photos, lang)
    except (Forbidden, BadRequest) as error:  # the text arrived; the photos stay on the ticket
        log.info("could not send a ticket's photos to chat %s: %s", chat_id, error)
    return True


async def edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Redraw the message a button belongs to; an identical redraw is not an error."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


def in_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type != ChatType.PRIVATE


async def reply_private(
    update: Update, context: FieldContext, text: str, markup: Markup = None
) -> Message:
    """Answer in the sender's private chat, even for a button tapped in the team group:
    a group never sees a ticket's details."""
    user = update.effective_user
    if not in_group(update) or user is None:
        return await reply(update, text, markup)
    return await context.bot.send_message(user.id, text, reply_markup=markup)


async def answer(update: Update, context: FieldContext, toast: str | None = None) -> None:
    """Acknowledge a button; in a group, say the answer went to the private chat."""
    query = update.callback_query
    if query is None:
        return
    if toast is None and in_group(update):
        toast = t(context.lang, "tickets.sent_private")
    await query.answer(plain_text(toast) if toast else None)


def photo_of(update: Update) -> tuple[str, ...]:
    """The largest size of the message's photo, as a one-element tuple (or none)."""
    message = update.effective_message
    if message is None or not message.photo:
        return ()
    return (message.photo[-1].file_id,)


def first_of_album(update: Update, draft: dict[str, object]) -> bool:
    """True for a message that is not the 2nd…nth photo of an album already acknowledged."""
    message = update.effective_message
    group = message.media_group_id if message is not None else None
    first = group is None or draft.get("album") != group
    draft["album"] = group
    return first


def relay_state(
    state: object, draft: str, done_key: str, relayed: Callback
) -> dict[object, list[BaseHandler[Any, Any, Any]]]:
    """The one state of a relay form (an agent replying, a customer writing): every text or
    photo goes to the other side at once, until Done — or /cancel: what was sent stays sent.
    """

    async def finish(update: Update, context: FieldContext) -> int:
        if update.callback_query is not None:
            await tapped(update, FinishWriting)
        context.drafts.pop(draft, None)
        await reply(update, t(context.lang, done_key))
        return ConversationHandler.END

    return {
        state: [
            CommandHandler("cancel", finish),
            CallbackQueryHandler(finish, pattern=FinishWriting.match),
            MessageHandler(TEXT | filters.PHOTO, relayed),
            MessageHandler(ANYTHING_ELSE, reprompt(state, "tickets.only_text_photos")),
        ]
    }
