"""The customer's side of a ticket: /mytickets, a ticket's view, writing to the service team,
reopening, rating with feedback — and a message typed outside any form.

Writing is a small form of its own: after "Write to the service team" (or Reopen, or Answer
under a question) every text or photo goes to the ticket at once, until Done. A message
typed outside any form is kept and the customer picks its ticket (or a new one) with a tap:
nothing they wrote is lost.
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
    MessageHandler,
    filters,
)

from bot.access import requires
from bot.callbacks.tickets import (
    FilePending,
    MyTicketsPage,
    OpenTicket,
    RateTicket,
    ReopenTicket,
    SkipFeedback,
    TicketPhotos,
    WriteOnTicket,
)
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply, send_stored_photos, text_of
from bot.views import tickets as views
from handlers.flow import ANYTHING_ELSE, TEXT, answer_and_clear, conversation, reprompt, tapped
from handlers.tickets_notify import (
    answer,
    deliver,
    edit,
    first_of_album,
    photo_of,
    relay_state,
    reply_private,
)
from storage import tickets, tickets_customer
from storage.models import Role
from storage.tickets_common import Audience
from storage.tickets_rules import MESSAGE_MAX, PHOTOS_MAX

WRITE = "ticket_write"
FEEDBACK = "ticket_feedback"
INBOX = "ticket_inbox"
EVERYONE = (Role.CUSTOMER, Role.AGENT, Role.MANAGER, Role.ADMIN)


class Writing(IntEnum):
    MESSAGE = 1


class Rating(IntEnum):
    FEEDBACK = 1


# ----- /mytickets and a ticket's view (both sides) -----


@requires(Role.CUSTOMER)
async def my_tickets(update: Update, context: FieldContext) -> None:
    """/mytickets: the customer's tickets with their status, open ones first."""
    page = await tickets.my_tickets(context.require_actor())
    await reply(update, *views.my_list(context.lang, page))


@requires(Role.CUSTOMER)
async def my_tickets_page(update: Update, context: FieldContext) -> None:
    """Another page of /mytickets, in place (or the list again from a ticket)."""
    query = update.callback_query
    wanted = MyTicketsPage.parse(query.data if query else None)
    if query is None or wanted is None:
        return
    page = await tickets.my_tickets(context.require_actor(), wanted.page)
    await query.answer()
    await edit(query, *views.my_list(context.lang, page))


@requires(*EVERYONE)
async def open_ticket(update: Update, context: FieldContext) -> None:
    """A ticket as the tapper may see it, as a new message in their private chat."""
    query = update.callback_query
    wanted = OpenTicket.parse(query.data if query else None)
    if wanted is None:
        return
    now = context.services.clock.now()
    view = await tickets.ticket_view(context.require_actor(), wanted.ticket_id, now=now)
    await answer(update, context)
    lang = context.lang
    if view.viewer is Audience.CUSTOMER:
        await reply_private(update, context, *views.customer_view(lang, view))
    else:
        text, markup = views.staff_text(lang, view, now), views.staff_buttons(lang, view)
        await reply_private(update, context, text, markup)


@requires(*EVERYONE)
async def ticket_photos(update: Update, context: FieldContext) -> None:
    """The ticket's photos, sent again to the tapper."""
    query = update.callback_query
    wanted = TicketPhotos.parse(query.data if query else None)
    user = update.effective_user
    if wanted is None or user is None:
        return
    photos = await tickets.ticket_photos(context.require_actor(), wanted.ticket_id)
    await answer(update, context)
    await send_stored_photos(context.bot, user.id, photos, context.lang)


# ----- writing on a ticket -----


async def _writing(update: Update, context: FieldContext, ticket_id: int, key: str) -> Writing:
    context.drafts[WRITE] = {"ticket": ticket_id}
    await reply(update, t(context.lang, key, id=ticket_id), views.finish_buttons(context.lang))
    return Writing.MESSAGE


@requires(Role.CUSTOMER)
async def write(update: Update, context: FieldContext) -> Writing | None:
    """Start writing on an open ticket."""
    query = update.callback_query
    wanted = WriteOnTicket.parse(query.data if query else None)
    if wanted is None:
        return None
    ticket = await tickets_customer.check_writable(context.require_actor(), wanted.ticket_id)
    await answer(update, context)
    return await _writing(update, context, ticket.id, "tickets.write_prompt")


@requires(Role.CUSTOMER)
async def reopen(update: Update, context: FieldContext) -> Writing | None:
    """Reopen a resolved ticket and say what is still wrong."""
    query = update.callback_query
    wanted = ReopenTicket.parse(query.data if query else None)
    if wanted is None:
        return None
    now = context.services.clock.now()
    outcome = await tickets_customer.reopen_ticket(
        context.require_actor(), wanted.ticket_id, now=now
    )
    await answer_and_clear(update)
    await deliver(context.bot, outcome.notices, now)
    return await _writing(update, context, outcome.ticket.id, "tickets.reopened")


def _files_pending(data: object) -> bool:
    pending = FilePending.parse(data)
    return pending is not None and pending.ticket_id is not None


@requires(Role.CUSTOMER)
async def file_pending(update: Update, context: FieldContext) -> Writing | None:
    """The message typed outside a form goes to the ticket the customer tapped."""
    query = update.callback_query
    wanted = FilePending.parse(query.data if query else None)
    if wanted is None or wanted.ticket_id is None:
        return None
    pending = context.drafts.get(INBOX)
    if not pending:
        await answer(update, context, t(context.lang, "tickets.inbox_expired"))
        return None
    now = context.services.clock.now()
    outcome = await tickets_customer.customer_message(
        context.require_actor(),
        wanted.ticket_id,
        pending.get("text"),
        tuple(pending.get("photos", [])),
        now=now,
    )
    context.drafts.pop(INBOX, None)
    await answer_and_clear(update)
    await deliver(context.bot, outcome.notices, now)
    return await _writing(update, context, outcome.ticket.id, "tickets.inbox_filed")


async def wrote(update: Update, context: FieldContext) -> int:
    """Text or a photo (with its caption) goes to the ticket at once."""
    draft = context.drafts.get(WRITE) or {}
    if "ticket" not in draft:
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    message = update.effective_message
    text = text_of(update) or (message.caption if message is not None else None)
    now = context.services.clock.now()
    outcome = await tickets_customer.customer_message(
        context.require_actor(), int(draft["ticket"]), text, photo_of(update), now=now
    )
    await deliver(context.bot, outcome.notices, now)
    if first_of_album(update, draft):
        await reply(update, t(context.lang, "tickets.sent", id=outcome.ticket.id))
    return Writing.MESSAGE


def writing_form() -> ConversationHandler[Any]:
    return conversation(
        "ticketwrite",
        entry_points=[
            CallbackQueryHandler(write, pattern=WriteOnTicket.match),
            CallbackQueryHandler(reopen, pattern=ReopenTicket.match),
            CallbackQueryHandler(file_pending, pattern=_files_pending),
        ],
        states=relay_state(Writing.MESSAGE, WRITE, "tickets.write_done", wrote),
        draft=WRITE,
    )


# ----- rating and feedback -----


@requires(Role.CUSTOMER)
async def rate(update: Update, context: FieldContext) -> Rating | None:
    """A 1–5 tap: saved at once (managers alerted if low); feedback is offered."""
    query = update.callback_query
    wanted = RateTicket.parse(query.data if query else None)
    if wanted is None:
        return None
    now = context.services.clock.now()
    rated = await tickets_customer.rate_ticket(
        context.require_actor(), wanted.ticket_id, wanted.score, now=now
    )
    await answer_and_clear(update)
    await deliver(context.bot, rated.outcome.notices, now)
    context.drafts[FEEDBACK] = {"ticket": rated.outcome.ticket.id}
    key = "tickets.rated_low" if rated.alerted else "tickets.rated_thanks"
    stars = "⭐" * rated.score
    text = t(context.lang, key, id=rated.outcome.ticket.id, stars=stars)
    await reply(update, text, views.feedback_buttons(context.lang))
    return Rating.FEEDBACK


async def feedback_typed(update: Update, context: FieldContext) -> int:
    """The customer's words about the service, passed on."""
    draft = context.drafts.get(FEEDBACK) or {}
    if "ticket" not in draft:
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    now = context.services.clock.now()
    rated = await tickets_customer.add_feedback(
        context.require_actor(), int(draft["ticket"]), text_of(update), now=now
    )
    context.drafts.pop(FEEDBACK, None)
    await deliver(context.bot, rated.outcome.notices, now)
    await reply(update, t(context.lang, "tickets.feedback_thanks"))
    return ConversationHandler.END


async def feedback_skipped(update: Update, context: FieldContext) -> int:
    if await tapped(update, SkipFeedback) is None:
        return Rating.FEEDBACK
    context.drafts.pop(FEEDBACK, None)
    await reply(update, t(context.lang, "tickets.feedback_skipped"))
    return ConversationHandler.END


def feedback_form() -> ConversationHandler[Any]:
    return conversation(
        "ticketrate",
        entry_points=[CallbackQueryHandler(rate, pattern=RateTicket.match)],
        states={
            Rating.FEEDBACK: [
                CallbackQueryHandler(feedback_skipped, pattern=SkipFeedback.match),
                MessageHandler(TEXT, feedback_typed),
                MessageHandler(ANYTHING_ELSE, reprompt(Rating.FEEDBACK, "tickets.need_feedback")),
            ]
        },
        draft=FEEDBACK,
    )


# ----- a message outside any form -----


async def customer_wrote(update: Update, context: FieldContext) -> None:
    """Keep what a customer typed outside a form and ask which ticket it belongs to.

    Called by the general fallback for customers. Further messages join the kept one (an
    album's photos silently); only text and photos can reach the service team.
    """
    message = update.effective_message
    if message is None:
        return
    lang = context.lang
    if not (message.text or message.photo):
        await reply(update, t(lang, "tickets.only_text_photos"))
        return
    pending: dict[str, Any] = context.drafts.setdefault(INBOX, {"text": "", "photos": []})
    words = message.text or message.caption or ""
    pending["text"] = "\n".join(p for p in (pending.get("text", ""), words) if p)[:MESSAGE_MAX]
    pending["photos"] = (list(pending.get("photos", [])) + list(photo_of(update)))[:PHOTOS_MAX]
    if not first_of_album(update, pending):
        return
    choices = await tickets.open_choices(context.require_actor())
    await reply(update, *views.inbox(lang, choices))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        writing_form(),
        feedback_form(),
        CommandHandler("mytickets", my_tickets, filters.ChatType.PRIVATE),
        CallbackQueryHandler(my_tickets_page, pattern=MyTicketsPage.match),
        CallbackQueryHandler(open_ticket, pattern=OpenTicket.match),
        CallbackQueryHandler(ticket_photos, pattern=TicketPhotos.match),
    ]
