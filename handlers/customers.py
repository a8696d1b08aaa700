"""The customer card, its timeline, /customer, /find and the card's own buttons (A2, A3).

Cards open from any list through ``OpenCustomer``; each opens as a new message so the list
stays usable. The timeline's pages edit their own message. /newcustomer lives in
``customers_new`` and tier overrides in ``customers_tier``; their handlers are listed here.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.access import requires
from bot.callbacks.customers import (
    CustomerTimeline,
    FindPage,
    InviteContact,
    OpenCustomer,
    RemoveOverride,
    TurnTimeline,
)
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply
from bot.views import customers as views
from handlers import customers_new, customers_tier
from handlers.customers_card import answer_tap, reply_private, send_card
from handlers.invites import invite_text
from storage import tiering, timeline
from storage.customers import find_customers, invite_for_customer
from storage.models import Role

STAFF = (Role.ADMIN, Role.MANAGER, Role.REP, Role.AGENT)
FIND_DRAFT = "find"


@requires(*STAFF)
async def open_card(update: Update, context: FieldContext) -> None:
    """A tap on a customer anywhere: show its card."""
    query = update.callback_query
    data = OpenCustomer.parse(query.data if query else None)
    if query is None or data is None:
        return
    await send_card(update, context, data.customer_id)
    await answer_tap(update, context)


@requires(*STAFF)
async def customer_command(update: Update, context: FieldContext) -> None:
    """/customer <id>: the card of one customer by its number."""
    args = context.args or []
    if len(args) != 1 or not (args[0].isascii() and args[0].isdigit()) or len(args[0]) > 9:
        await reply(update, t(context.lang, "customers.customer_usage"))
        return
    await send_card(update, context, int(args[0]))


@requires(*STAFF)
async def timeline_page(update: Update, context: FieldContext) -> None:
    """A timeline page from a card (a new message) or turned within its own message."""
    query = update.callback_query
    data = CustomerTimeline.parse(query.data if query else None)
    turn = TurnTimeline.parse(query.data if query else None)
    if query is None or (data or turn) is None:
        return
    target = data or turn
    assert target is not None
    page = await timeline.customer_timeline(
        context.require_actor(), target.customer_id, target.page
    )
    text = views.timeline_text(context.lang, page)
    markup = views.timeline_keyboard(context.lang, page)
    await answer_tap(update, context)
    if turn is not None:
        await query.edit_message_text(text, reply_markup=markup)
    else:
        await reply_private(update, context, text, markup)


@requires(*STAFF)
async def find(update: Update, context: FieldContext) -> None:
    """/find <text>: customers by name, phone (or its last digits), contact or e-mail."""
    text = " ".join(context.args or [])
    if not text.strip():
        await reply(update, t(context.lang, "customers.find_usage"))
        return
    context.drafts[FIND_DRAFT] = text
    page = await find_customers(context.require_actor(), text, 0)
    if page.total == 1:
        await send_card(update, context, page.items[0].id)
        return
    await reply(update, *views.find_results(context.lang, text, page))


@requires(*STAFF)
async def find_page(update: Update, context: FieldContext) -> None:
    """Another page of the last /find."""
    query = update.callback_query
    data = FindPage.parse(query.data if query else None)
    text = context.drafts.get(FIND_DRAFT)
    if query is None or data is None:
        return
    if not isinstance(text, str):
        await query.answer(t(context.lang, "general.stale_button"))
        return
    page = await find_customers(context.require_actor(), text, data.page)
    body, markup = views.find_results(context.lang, text, page)
    await query.answer()
    await query.edit_message_text(body, reply_markup=markup)


@requires(Role.ADMIN, Role.MANAGER, Role.REP)
async def invite_contact(update: Update, context: FieldContext) -> None:
    """Issue a one-time link a contact of this customer opens to reach us."""
    query = update.callback_query
    data = InviteContact.parse(query.data if query else None)
    if query is None or data is None:
        return
    issued = await invite_for_customer(
        context.require_actor(), data.customer_id, now=context.services.clock.now()
    )
    await answer_tap(update, context)
    await reply_private(update, context, invite_text(context.lang, issued, context.bot.username))


@requires(Role.ADMIN, Role.MANAGER)
async def remove_override(update: Update, context: FieldContext) -> None:
    """Give the tier back to the rule and show the updated card."""
    query = update.callback_query
    data = RemoveOverride.parse(query.data if query else None)
    if query is None or data is None:
        return
    change = await tiering.remove_tier_override(
        context.require_actor(), data.customer_id, now=context.services.clock.now()
    )
    lang = context.lang
    done = t(lang, "customers.override_removed", tier=views.tier_name(lang, change.tier))
    await answer_tap(update, context, done)
    await reply_private(update, context, done)
    await send_card(update, context, change.customer_id)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        customers_new.conversation_handler(),
        customers_tier.conversation_handler(),
        CommandHandler("customer", customer_command, filters.ChatType.PRIVATE),
        CommandHandler("find", find, filters.ChatType.PRIVATE),
        CallbackQueryHandler(open_card, pattern=OpenCustomer.match),
        CallbackQueryHandler(timeline_page, pattern=CustomerTimeline.match),
        CallbackQueryHandler(timeline_page, pattern=TurnTimeline.match),
        CallbackQueryHandler(find_page, pattern=FindPage.match),
        CallbackQueryHandler(invite_contact, pattern=InviteContact.match),
        CallbackQueryHandler(remove_override, pattern=RemoveOverride.match),
    ]
