"""Sending a customer card: shared by the card's buttons and the forms that end on a card.

Cards, timelines and invite links go to the person's private chat even when the button was
tapped in a group (a pool notice, say): a group must never see a customer's details.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatType

from bot.context import FieldContext
from bot.i18n import t
from bot.render import plain_text
from bot.replies import Markup, reply
from bot.views import customers as views
from storage import cards


def in_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type != ChatType.PRIVATE


async def reply_private(
    update: Update, context: FieldContext, text: str, markup: Markup = None
) -> Message:
    """Answer in the sender's private chat, wherever they tapped."""
    user = update.effective_user
    if not in_group(update) or user is None:
        return await reply(update, text, markup)
    return await context.bot.send_message(user.id, text, reply_markup=markup)


async def answer_tap(update: Update, context: FieldContext, toast: str | None = None) -> None:
    """Acknowledge a button; in a group, say the answer went to the private chat."""
    query = update.callback_query
    if query is None:
        return
    if toast is None and in_group(update):
        toast = t(context.lang, "customers.sent_private")
    await query.answer(plain_text(toast) if toast else None)


async def send_card(update: Update, context: FieldContext, customer_id: int) -> None:
    """Assemble the card for the sender and send it as a new message."""
    now = context.services.clock.now()
    card = await cards.customer_card(context.require_actor(), customer_id, now)
    lang = context.lang
    text, markup = views.card_text(lang, card, now), views.card_keyboard(lang, card)
    await reply_private(update, context, text, markup)
