"""The service side: take, reply, ask for information, resolve, transfer; /tickets and
/servicestats.

Replying is a small form: after Reply (or Ask for information) every text or photo goes to
the customer at once, as the bot's own message, until Done. Every button names a ticket id;
storage answers "not found" for a ticket the tapper may not see, so forged data changes
nothing.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)

from bot.access import requires
from bot.callbacks.tickets import (
    QueuePage,
    ReplyToTicket,
    ResolveTicket,
    StatsPeriod,
    TakeTicket,
    TransferTicket,
    TransferTo,
)
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply, text_of
from bot.views import tickets as views
from bot.views import tickets_stats as stats_views
from handlers.flow import answer_and_clear, conversation
from handlers.tickets_notify import (
    answer,
    deliver,
    edit,
    first_of_album,
    photo_of,
    relay_state,
    reply_private,
)
from storage import tickets, tickets_agent, tickets_assign, tickets_stats
from storage.models import Role

REPLY = "ticket_reply"
STAFF = (Role.AGENT, Role.MANAGER, Role.ADMIN)


class Replying(IntEnum):
    MESSAGE = 1


async def _redraw(update: Update, context: FieldContext, ticket_id: int) -> None:
    """Draw the ticket's service view in place of the tapped message."""
    query = update.callback_query
    now = context.services.clock.now()
    view = await tickets.ticket_view(context.require_actor(), ticket_id, now=now)
    if query is not None:
        await edit(
            query,
            views.staff_text(context.lang, view, now),
            views.staff_buttons(context.lang, view),
        )


@requires(Role.AGENT)
async def take(update: Update, context: FieldContext) -> None:
    """Start working a ticket (one's own, or a waiting one): the customer hears of it."""
    query = update.callback_query
    wanted = TakeTicket.parse(query.data if query else None)
    if wanted is None:
        return
    now = context.services.clock.now()
    outcome = await tickets_assign.take_ticket(context.require_actor(), wanted.ticket_id, now=now)
    await answer(update, context, t(context.lang, "tickets.taken", id=outcome.ticket.id))
    await deliver(context.bot, outcome.notices, now)
    await _redraw(update, context, outcome.ticket.id)


@requires(*STAFF)
async def start_reply(update: Update, context: FieldContext) -> Replying | None:
    """Reply or Ask for information: what follows goes to the customer until Done."""
    query = update.callback_query
    wanted = ReplyToTicket.parse(query.data if query else None)
    if wanted is None:
        return None
    ticket = await tickets_agent.check_acting(context.require_actor(), wanted.ticket_id)
    await answer(update, context)
    context.drafts[REPLY] = {"ticket": ticket.id, "ask": wanted.ask}
    key = "tickets.ask_prompt" if wanted.ask else "tickets.reply_prompt"
    text = t(context.lang, key, id=ticket.id, customer=ticket.customer_name)
    await reply_private(update, context, text, views.finish_buttons(context.lang))
    return Replying.MESSAGE


async def replied(update: Update, context: FieldContext) -> int:
    """Text or a photo goes to the customer now; the first of a question asks for information."""
    draft = context.drafts.get(REPLY) or {}
    if "ticket" not in draft:
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    message = update.effective_message
    text = text_of(update) or (message.caption if message is not None else None)
    now = context.services.clock.now()
    outcome = await tickets_agent.agent_message(
        context.require_actor(),
        int(draft["ticket"]),
        text,
        photo_of(update),
        ask=bool(draft.get("ask")),
        now=now,
    )
    draft["ask"] = False
    delivered = await deliver(context.bot, outcome.notices, now)
    if first_of_album(update, draft):
        key = "tickets.relayed" if delivered else "tickets.not_delivered"
        await reply(update, t(context.lang, key, id=outcome.ticket.id))
    return Replying.MESSAGE


def reply_form() -> ConversationHandler[Any]:
    return conversation(
        "ticketreply",
        entry_points=[CallbackQueryHandler(start_reply, pattern=ReplyToTicket.match)],
        states=relay_state(Replying.MESSAGE, REPLY, "tickets.reply_done", replied),
        draft=REPLY,
    )


@requires(*STAFF)
async def resolve(update: Update, context: FieldContext) -> None:
    """Resolve after a confirmation; the customer is asked for a rating."""
    query = update.callback_query
    wanted = ResolveTicket.parse(query.data if query else None)
    if wanted is None:
        return
    actor, lang = context.require_actor(), context.lang
    if not wanted.confirmed:
        ticket = await tickets_agent.check_acting(actor, wanted.ticket_id)
        await answer(update, context)
        await reply_private(update, context, *views.resolve_confirm(lang, ticket.id))
        return
    now = context.services.clock.now()
    outcome = await tickets_agent.resolve_ticket(actor, wanted.ticket_id, now=now)
    await answer_and_clear(update)
    delivered = await deliver(context.bot, outcome.notices, now)
    key = "tickets.resolved_done" if delivered else "tickets.resolved_not_told"
    await reply(update, t(lang, key, id=outcome.ticket.id))


@requires(*STAFF)
async def transfer(update: Update, context: FieldContext) -> None:
    """Offer the team's available agents for the ticket."""
    query = update.callback_query
    wanted = TransferTicket.parse(query.data if query else None)
    if wanted is None:
        return
    now = context.services.clock.now()
    choices = await tickets_assign.transfer_choices(
        context.require_actor(), wanted.ticket_id, now=now
    )
    await answer(update, context)
    text = t(context.lang, "tickets.transfer_pick", id=wanted.ticket_id)
    await reply_private(
        update, context, text, views.transfer_buttons(context.lang, wanted.ticket_id, choices)
    )


@requires(*STAFF)
async def transfer_to(update: Update, context: FieldContext) -> None:
    """Give the ticket to the tapped agent; they get it with its buttons."""
    query = update.callback_query
    wanted = TransferTo.parse(query.data if query else None)
    if wanted is None:
        return
    now = context.services.clock.now()
    outcome = await tickets_assign.transfer_ticket(
        context.require_actor(), wanted.ticket_id, wanted.agent_id, now=now
    )
    await answer_and_clear(update)
    await deliver(context.bot, outcome.notices, now)
    text = t(
        context.lang, "tickets.transferred", id=outcome.ticket.id, agent=outcome.ticket.agent_name
    )
    await reply(update, text)


# ----- /tickets and /servicestats -----


async def _queue(context: FieldContext, page: int) -> tuple[str, Any]:
    actor = context.require_actor()
    found = await tickets_agent.ticket_queue(actor, page)
    team = actor.role is not Role.AGENT
    return views.queue(context.lang, found, team, context.services.clock.now())


@requires(Role.AGENT, Role.MANAGER)
async def queue(update: Update, context: FieldContext) -> None:
    """/tickets: an agent's queue by deadline; a manager's team queue, breaches first."""
    await reply_private(update, context, *await _queue(context, 0))


@requires(Role.AGENT, Role.MANAGER)
async def queue_page(update: Update, context: FieldContext) -> None:
    query = update.callback_query
    wanted = QueuePage.parse(query.data if query else None)
    if query is None or wanted is None:
        return
    text, markup = await _queue(context, wanted.page)
    await query.answer()
    await edit(query, text, markup)


@requires(Role.MANAGER)
async def service_stats(update: Update, context: FieldContext) -> None:
    """/servicestats: volume, SLA times, breaches and ratings of the last 30 days."""
    now = context.services.clock.now()
    found = await tickets_stats.service_stats(context.require_actor(), 30, now=now)
    await reply_private(update, context, *stats_views.stats(context.lang, found))


@requires(Role.MANAGER)
async def stats_period(update: Update, context: FieldContext) -> None:
    query = update.callback_query
    wanted = StatsPeriod.parse(query.data if query else None)
    if query is None or wanted is None:
        return
    now = context.services.clock.now()
    found = await tickets_stats.service_stats(context.require_actor(), wanted.days, now=now)
    await query.answer()
    await edit(query, *stats_views.stats(context.lang, found))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        reply_form(),
        CallbackQueryHandler(take, pattern=TakeTicket.match),
        CallbackQueryHandler(resolve, pattern=ResolveTicket.match),
        CallbackQueryHandler(transfer, pattern=TransferTicket.match),
        CallbackQueryHandler(transfer_to, pattern=TransferTo.match),
        CommandHandler("tickets", queue),
        CallbackQueryHandler(queue_page, pattern=QueuePage.match),
        CommandHandler("servicestats", service_stats),
        CallbackQueryHandler(stats_period, pattern=StatsPeriod.match),
    ]
