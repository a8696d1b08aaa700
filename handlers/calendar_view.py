"""/calendar: a day or week of the rep's entries (a manager's: the team's or one rep's), and
what an entry's buttons do — open, mark done, cancel. (Reschedule is the /plan form's.)

Navigation redraws the calendar message in place; an entry opens as a new message whose
buttons then act on it. A button older than the entry's last move changes nothing and says
where the entry is now.
"""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.access import requires
from bot.callbacks.calendar import CalendarReps, CalendarView, CancelEntry, EntryDone, OpenEntry
from bot.callbacks.followups import LogFollowUp
from bot.context import FieldContext
from bot.i18n import t
from bot.keyboards import button
from bot.render import plain_text
from bot.replies import reply
from bot.views import calendar as views
from handlers.calendar_notify import tell_rep
from storage import calendar, calendar_entries
from storage.calendar_entries import Change, Outcome
from storage.calendar_time import from_day_code
from storage.models import Role


async def edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Redraw the message a button belongs to; an identical redraw is not an error."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


async def _stale(query: CallbackQuery, context: FieldContext, change: Change) -> None:
    await query.answer(plain_text(views.stale_answer(context.lang, change)), show_alert=True)


@requires(Role.REP, Role.MANAGER)
async def calendar_command(update: Update, context: FieldContext) -> None:
    """/calendar (or /calendar week): today, or this week — a manager's opens on the team."""
    actor = context.require_actor()
    week = bool(context.args) and (context.args or [""])[0].lower() in ("week", "w", "周", "週")
    page = await calendar_entries.calendar_page(
        actor, calendar_entries.own_scope(actor), None, week=week, now=context.services.clock.now()
    )
    await reply(update, *views.calendar_view(context.lang, page))


@requires(Role.REP, Role.MANAGER)
async def navigate(update: Update, context: FieldContext) -> None:
    """‹ › « » Today, Day/Week, Team or a rep: redraw the calendar message."""
    query = update.callback_query
    payload = CalendarView.parse(query.data if query else None)
    day = from_day_code(payload.day) if payload else None
    if query is None or payload is None or day is None:
        return
    page = await calendar_entries.calendar_page(
        context.require_actor(),
        payload.scope,
        day,
        week=payload.week,
        now=context.services.clock.now(),
    )
    await query.answer()
    await edit(query, *views.calendar_view(context.lang, page))


@requires(Role.MANAGER)
async def pick_rep(update: Update, context: FieldContext) -> None:
    """A manager's "Pick a rep": the reps as buttons, each opening their calendar."""
    query = update.callback_query
    payload = CalendarReps.parse(query.data if query else None)
    if query is None or payload is None:
        return
    reps = await calendar_entries.team_reps(context.require_actor())
    await query.answer()
    await edit(query, *views.reps_view(context.lang, reps, payload.day))


@requires(Role.REP, Role.MANAGER)
async def open_entry(update: Update, context: FieldContext) -> None:
    """An entry tapped: its details and actions, as they are now (a moved entry says so)."""
    query = update.callback_query
    payload = OpenEntry.parse(query.data if query else None)
    if query is None or payload is None:
        return
    actor = context.require_actor()
    entry = await calendar.get_entry(actor, payload.entry_id)
    if entry.revision != payload.revision:
        change = Change(Outcome.MOVED, entry)
        await query.answer(plain_text(views.stale_answer(context.lang, change)), show_alert=True)
    else:
        await query.answer()
    shown = views.entry_card(context.lang, entry, actor.user_id)
    if payload.here:
        await edit(query, *shown)
    else:
        await reply(update, *shown)


@requires(Role.REP, Role.MANAGER)
async def mark_done(update: Update, context: FieldContext) -> None:
    """Mark done: the entry closes; its rep is offered to log what happened."""
    query = update.callback_query
    payload = EntryDone.parse(query.data if query else None)
    if query is None or payload is None:
        return
    actor, lang = context.require_actor(), context.lang
    change = await calendar_entries.mark_done(
        actor, payload.entry_id, payload.revision, context.services.clock.now()
    )
    if change.outcome is not Outcome.CHANGED:
        await _stale(query, context, change)
        return
    entry = change.entry
    await query.answer(plain_text(t(lang, "calendar.done")))
    text = t(lang, "calendar.done") + "\n\n" + views.entry_text(lang, entry, show_rep=False)
    markup = None
    if entry.customer_id is not None and entry.rep_id == actor.user_id:
        follow_up = button(t(lang, "calendar.btn.log_followup"), LogFollowUp(entry.customer_id))
        markup = InlineKeyboardMarkup([[follow_up]])
    await edit(query, text, markup)
    await tell_rep(context.bot, change, "done")


@requires(Role.REP, Role.MANAGER)
async def cancel_entry(update: Update, context: FieldContext) -> None:
    """Cancel entry: the first tap asks to confirm, the second cancels."""
    query = update.callback_query
    payload = CancelEntry.parse(query.data if query else None)
    if query is None or payload is None:
        return
    actor, lang = context.require_actor(), context.lang
    if not payload.confirmed:
        change = await calendar_entries.entry_for_change(actor, payload.entry_id, payload.revision)
        if change.outcome is not Outcome.CHANGED:
            await _stale(query, context, change)
            return
        await query.answer()
        await edit(query, *views.cancel_confirm_view(lang, change.entry))
        return
    change = await calendar_entries.cancel_entry(
        actor, payload.entry_id, payload.revision, context.services.clock.now()
    )
    if change.outcome is not Outcome.CHANGED:
        await _stale(query, context, change)
        return
    await query.answer(plain_text(t(lang, "calendar.cancelled")))
    text = (
        t(lang, "calendar.cancelled")
        + "\n\n"
        + views.entry_text(lang, change.entry, show_rep=False)
    )
    await edit(query, text, None)
    await tell_rep(context.bot, change, "cancelled")


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        CommandHandler("calendar", calendar_command, filters.ChatType.PRIVATE),
        CallbackQueryHandler(navigate, pattern=CalendarView.match),
        CallbackQueryHandler(pick_rep, pattern=CalendarReps.match),
        CallbackQueryHandler(open_entry, pattern=OpenEntry.match),
        CallbackQueryHandler(mark_done, pattern=EntryDone.match),
        CallbackQueryHandler(cancel_entry, pattern=CancelEntry.match),
    ]
