"""A lead's card and its one-tap actions, /leads, and a manager's hand-assignment.

Every button names a lead id; storage answers "not found" for a lead the tapper may not see
(another team's, another rep's), so a forged button changes nothing.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.access import requires
from bot.callbacks.leads import (
    AssignLead,
    AssignLeadTo,
    ConvertLead,
    DisqualifyLead,
    LeadContacted,
    LeadsPage,
    LeadTask,
    OpenLead,
)
from bot.context import FieldContext
from bot.i18n import Lang, t
from bot.replies import reply, text_of
from bot.views.leads import (
    DISQUALIFY_REASONS,
    card_buttons,
    card_text,
    conversion_buttons,
    conversion_text,
    disqualify_buttons,
    list_buttons,
    list_text,
    rep_buttons,
    task_text,
)
from handlers.flow import ANYTHING_ELSE, TEXT, conversation, reprompt
from handlers.leads_notify import announce
from storage import assignment_store, leads, teams
from storage.access import Actor
from storage.leads import LeadCard
from storage.models import Role

DRAFT = "lead_dq"


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Redraw the tapped message; the same content twice is not an error."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error):
            raise


async def _show(update: Update, context: FieldContext, card: LeadCard, *, edit: bool) -> None:
    """Draw the card: in place of the tapped message, or as a new one."""
    lang, query = context.lang, update.callback_query
    text, markup = card_text(lang, card), card_buttons(lang, card)
    if edit and query is not None and query.message is not None:
        await _edit(query, text, markup)
    else:
        await reply(update, text, markup)


async def _list(context: FieldContext, actor: Actor, view: str, page: int) -> tuple[str, Any]:
    lang = context.lang
    manager = actor.role in (Role.MANAGER, Role.ADMIN)
    if view == "mine" or not manager:
        found = await leads.my_open_leads(actor, page)
        view = "mine"
    elif view == "waiting":
        found = await leads.waiting_leads(actor, page)
    else:
        found = await leads.recent_assignments(actor, page)
        view = "recent"
    waiting = await leads.waiting_count(actor) if manager else 0
    zone = await teams.team_timezone(actor.team_id, context.services.settings.timezone)
    return (
        list_text(lang, view, found, zone, waiting),
        list_buttons(lang, view, found, manager, waiting),
    )


@requires(Role.REP, Role.MANAGER)
async def leads_command(update: Update, context: FieldContext) -> None:
    """/leads: a rep's open leads; a manager's recent assignments (and the waiting ones)."""
    actor = context.require_actor()
    text, markup = await _list(context, actor, "mine" if actor.role is Role.REP else "recent", 0)
    await reply(update, text, markup)


async def turn_page(update: Update, context: FieldContext) -> None:
    """A page (or the other view) of /leads, in place."""
    query = update.callback_query
    wanted = LeadsPage.parse(query.data if query else None)
    if query is None or wanted is None:
        return
    text, markup = await _list(context, context.require_actor(), wanted.view, wanted.page)
    await query.answer()
    await _edit(query, text, markup)


async def open_lead(update: Update, context: FieldContext) -> None:
    """The card of a lead, as a new message."""
    query = update.callback_query
    wanted = OpenLead.parse(query.data if query else None)
    if query is None or wanted is None:
        return
    card = await leads.lead_card(context.require_actor(), wanted.lead_id)
    await query.answer()
    await _show(update, context, card, edit=False)


async def contacted(update: Update, context: FieldContext) -> None:
    """Contacted: the lead moves on and its follow-up task is done."""
    query = update.callback_query
    wanted = LeadContacted.parse(query.data if query else None)
    if query is None or wanted is None:
        return
    actor = context.require_actor()
    card = await leads.mark_contacted(actor, wanted.lead_id, now=context.services.clock.now())
    await query.answer(t(context.lang, "leads.contacted_done"))
    await _show(update, context, card, edit=True)


async def convert(update: Update, context: FieldContext) -> None:
    """Convert: a customer owned by the rep (or the existing one, linked)."""
    query = update.callback_query
    wanted = ConvertLead.parse(query.data if query else None)
    if query is None or wanted is None:
        return
    actor, lang = context.require_actor(), context.lang
    done = await leads.convert_lead(actor, wanted.lead_id, now=context.services.clock.now())
    await query.answer()
    await _show(update, context, await leads.lead_card(actor, wanted.lead_id), edit=True)
    await reply(update, conversion_text(lang, done), conversion_buttons(lang, done))


async def disqualify(update: Update, context: FieldContext) -> None:
    """Disqualify: offer the reasons, or close the lead with the one tapped."""
    query = update.callback_query
    wanted = DisqualifyLead.parse(query.data if query else None)
    if query is None or wanted is None:
        return
    actor, lang = context.require_actor(), context.lang
    if wanted.reason is None:
        card = await leads.lead_card(actor, wanted.lead_id)
        await query.answer()
        await reply(
            update,
            t(lang, "leads.dq_ask", title=card.lead.name),
            disqualify_buttons(lang, card.lead.id),
        )
        return
    if wanted.reason not in DISQUALIFY_REASONS:
        await query.answer(t(lang, "general.stale_button"))
        return
    reason = t(lang, f"leads.dq.{wanted.reason}")
    card = await leads.disqualify(actor, wanted.lead_id, reason, now=context.services.clock.now())
    await query.answer(t(lang, "leads.dq_done"))
    await _show(update, context, card, edit=True)


class State(IntEnum):
    REASON = 1


def _is_other(data: object) -> bool:
    wanted = DisqualifyLead.parse(data)
    return wanted is not None and wanted.reason == "other"


async def ask_reason(update: Update, context: FieldContext) -> int | None:
    """Disqualify › Other: ask for the reason in words (the lead must be visible first)."""
    query = update.callback_query
    wanted = DisqualifyLead.parse(query.data if query else None)
    if query is None or wanted is None:
        return None
    await leads.lead_card(context.require_actor(), wanted.lead_id)
    await query.answer()
    context.drafts[DRAFT] = {"lead_id": wanted.lead_id}
    await reply(update, t(context.lang, "leads.dq_type"))
    return State.REASON


async def got_reason(update: Update, context: FieldContext) -> int:
    draft = context.drafts.get(DRAFT) or {}
    if "lead_id" not in draft:
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    actor = context.require_actor()
    card = await leads.disqualify(
        actor, draft["lead_id"], text_of(update), now=context.services.clock.now()
    )
    context.drafts.pop(DRAFT, None)
    await reply(update, t(context.lang, "leads.dq_done"))
    await _show(update, context, card, edit=False)
    return ConversationHandler.END


async def show_task(update: Update, context: FieldContext) -> None:
    """Open task: the lead's follow-up task and its deadline."""
    query = update.callback_query
    wanted = LeadTask.parse(query.data if query else None)
    if query is None or wanted is None:
        return
    card = await leads.lead_task(context.require_actor(), wanted.lead_id)
    await query.answer()
    await reply(update, task_text(context.lang, card))


async def offer_reps(update: Update, context: FieldContext) -> None:
    """Assign by hand: the team's reps with their load and availability."""
    query = update.callback_query
    wanted = AssignLead.parse(query.data if query else None)
    if query is None or wanted is None:
        return
    actor, lang = context.require_actor(), context.lang
    reps = await assignment_store.rep_choices(
        actor, wanted.lead_id, now=context.services.clock.now()
    )
    await query.answer()
    if not reps:
        await reply(update, t(lang, "leads.no_reps_to_pick"))
        return
    await reply(
        update,
        t(lang, "leads.pick_rep", id=wanted.lead_id),
        rep_buttons(lang, wanted.lead_id, reps),
    )


async def assign_to(update: Update, context: FieldContext) -> None:
    """The manager's pick: the lead is the rep's, who is told at once."""
    query = update.callback_query
    wanted = AssignLeadTo.parse(query.data if query else None)
    if query is None or wanted is None:
        return
    actor, lang = context.require_actor(), context.lang
    outcome = await assignment_store.assign_by_hand(
        actor, wanted.lead_id, wanted.rep_id, now=context.services.clock.now()
    )
    await query.answer()
    name = next(iter(outcome.reps.values())).name
    await _edit(query, _assigned(lang, wanted.lead_id, name), None)
    await announce(context.bot, outcome, skip=actor.telegram_id)


def _assigned(lang: Lang, lead_id: int, name: str) -> str:
    return t(lang, "leads.assigned_by_hand", id=lead_id, rep=name)


def disqualify_other() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    return conversation(
        "lead_disqualify",
        entry_points=[CallbackQueryHandler(ask_reason, pattern=_is_other)],
        states={
            State.REASON: [
                MessageHandler(TEXT, got_reason),
                MessageHandler(ANYTHING_ELSE, reprompt(State.REASON, "leads.dq_type")),
            ],
        },
        draft=DRAFT,
        clear_keyboard=False,  # a Cancel tapped on another message keeps its buttons
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        disqualify_other(),
        CommandHandler("leads", leads_command, filters.ChatType.PRIVATE),
        CallbackQueryHandler(turn_page, pattern=LeadsPage.match),
        CallbackQueryHandler(open_lead, pattern=OpenLead.match),
        CallbackQueryHandler(contacted, pattern=LeadContacted.match),
        CallbackQueryHandler(convert, pattern=ConvertLead.match),
        CallbackQueryHandler(disqualify, pattern=DisqualifyLead.match),
        CallbackQueryHandler(show_task, pattern=LeadTask.match),
        CallbackQueryHandler(offer_reps, pattern=AssignLead.match),
        CallbackQueryHandler(assign_to, pattern=AssignLeadTo.match),
    ]
