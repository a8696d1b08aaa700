"""The /plan form's date and time pickers, and moving an entry (its Reschedule button).

Past days and times are refused where they are picked, with the picker left in place; a
reschedule saves as soon as the time is picked, unless the new time clashes.
"""

from __future__ import annotations

from datetime import date

from telegram import Update
from telegram.ext import ConversationHandler

from bot.access import requires
from bot.callbacks.calendar import (
    PlanDay,
    PlanMonth,
    PlanOtherDay,
    PlanTime,
    PlanTimes,
    RescheduleEntry,
)
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply, text_of
from bot.views import calendar as views
from bot.views import calendar_plan as plan_views
from handlers import calendar_form as form
from handlers.calendar_notify import tell_rep
from handlers.calendar_view import edit
from handlers.flow import alert, pressed, tapped, then_clear
from storage import calendar_entries
from storage.access import Invalid
from storage.calendar_entries import Outcome
from storage.calendar_time import (
    from_day_code,
    month_code,
    open_slots,
    parse_day,
    parse_time,
    slot_pages,
    to_utc,
)
from storage.models import Role


async def turn_month(update: Update, context: FieldContext) -> int:
    """‹ › in the date picker: the same message shows another month."""
    query, payload = update.callback_query, pressed(update, PlanMonth)
    if query is None or payload is None:
        return form.State.DAY
    await query.answer()
    text, markup = plan_views.month_view(
        context.lang, payload.month, form.today(context), form.question(context)
    )
    await edit(query, text, markup)
    return form.State.DAY


async def pick_day(update: Update, context: FieldContext) -> int:
    """A day tapped; a day that has passed since the picker was drawn is refused."""
    payload = pressed(update, PlanDay)
    day = from_day_code(payload.day) if payload else None
    if day is None or day < form.today(context):
        await alert(update, t(context.lang, "calendar.past_day"))
        return form.State.DAY
    await tapped(update, PlanDay)
    return await _ask_time(update, context, day, 0)


async def not_a_day(update: Update, context: FieldContext) -> int:
    """Neither a tapped nor a readable day: say how to give one, with an example still ahead."""
    example = plan_views.day_example(form.today(context))
    await reply(update, t(context.lang, "calendar.plan.need_day", example=example))
    return form.State.DAY


async def typed_day(update: Update, context: FieldContext) -> int:
    """A day typed as 2026-03-05 or 3/5."""
    today = form.today(context)
    day = parse_day(text_of(update), today)
    if day is None:
        return await not_a_day(update, context)
    if day < today:
        await reply(update, t(context.lang, "calendar.past_day"))
        return form.State.DAY
    return await _ask_time(update, context, day, 0)


def _pages(context: FieldContext, day: date) -> list[list[int]]:
    """The pages of start times still ahead on ``day``."""
    zone = form.draft(context)["zone"]
    return slot_pages(open_slots(day, zone, context.services.clock.now()))


async def _ask_time(update: Update, context: FieldContext, day: date, page: int) -> int:
    """Keep the day and offer its times."""
    draft = form.draft(context)
    draft["day"] = day.isoformat()
    pages = _pages(context, day)
    await reply(update, *plan_views.times_view(context.lang, day, pages, page, draft["zone"]))
    return form.State.TIME


async def turn_times(update: Update, context: FieldContext) -> int:
    """Earlier / Later: the same message shows other times."""
    query, payload = update.callback_query, pressed(update, PlanTimes)
    if query is None or payload is None:
        return form.State.TIME
    day, zone = date.fromisoformat(form.draft(context)["day"]), form.draft(context)["zone"]
    await query.answer()
    await edit(
        query, *plan_views.times_view(context.lang, day, _pages(context, day), payload.page, zone)
    )
    return form.State.TIME


async def other_day(update: Update, context: FieldContext) -> int:
    """Back to the date picker, at the month of the day chosen so far."""
    if await tapped(update, PlanOtherDay) is None:
        return form.State.TIME
    chosen = form.draft(context).get("day")
    return await form.ask_day(
        update, context, month_code(date.fromisoformat(chosen)) if chosen else None
    )


async def pick_time(update: Update, context: FieldContext) -> int:
    """A time tapped; one that has passed since the buttons were drawn is refused."""
    payload = pressed(update, PlanTime)
    if payload is None or not _time_ahead(context, payload.minute):
        await alert(update, t(context.lang, "calendar.past_time"))
        return form.State.TIME
    return await then_clear(update, _chose_time(update, context, payload.minute))


async def typed_time(update: Update, context: FieldContext) -> int:
    """A time typed as 14:20 (or 1420, 14.20, full-width digits)."""
    minute = parse_time(text_of(update))
    if minute is None:
        await reply(update, t(context.lang, "calendar.plan.need_time"))
        return form.State.TIME
    if not _time_ahead(context, minute):
        await reply(update, t(context.lang, "calendar.past_time"))
        return form.State.TIME
    return await _chose_time(update, context, minute)


def _time_ahead(context: FieldContext, minute: int) -> bool:
    """Whether ``minute`` on the chosen day is still in the future."""
    draft = form.draft(context)
    if not 0 <= minute < 24 * 60 or "day" not in draft:
        return False
    starts_at = to_utc(date.fromisoformat(draft["day"]), minute, draft["zone"])
    return starts_at > context.services.clock.now()


async def _chose_time(update: Update, context: FieldContext, minute: int) -> int:
    """A move is saved now; a new plan asks for the duration (or, changing the time from the
    summary, shows the summary again)."""
    draft = form.draft(context)
    draft["minute"] = minute
    if draft["mode"] == "move":
        return await move(update, context, keep=False)
    if "note" in draft:
        return await form.summary(update, context)
    await reply(update, *plan_views.duration_view(context.lang))
    return form.State.DURATION


@requires(Role.REP, Role.MANAGER)
async def start_move(update: Update, context: FieldContext) -> int:
    """An entry's Reschedule button: pick a new day and time (a moved entry's is stale)."""
    payload = pressed(update, RescheduleEntry)
    if update.callback_query is None or payload is None:
        return ConversationHandler.END
    actor = context.require_actor()
    change = await calendar_entries.entry_for_change(actor, payload.entry_id, payload.revision)
    if change.outcome is not Outcome.CHANGED:
        await alert(update, views.stale_answer(context.lang, change))
        return ConversationHandler.END
    entry = change.entry
    await update.callback_query.answer()
    context.drafts[form.DRAFT] = {
        "mode": "move",
        "zone": entry.timezone,
        "entry_id": entry.id,
        "revision": entry.revision,
        "kind": entry.kind.value,
        "customer": entry.customer,
        "when": views.when_text(context.lang, entry.starts_at, entry.ends_at, entry.timezone),
    }
    return await form.ask_day(update, context, None)


async def move(update: Update, context: FieldContext, *, keep: bool) -> int:
    """Move the entry to the picked time; a clash asks first; the rep hears of a manager's move."""
    draft, lang = form.draft(context), context.lang
    day = date.fromisoformat(draft["day"])
    try:
        change = await calendar_entries.reschedule(
            context.require_actor(),
            int(draft["entry_id"]),
            int(draft["revision"]),
            day,
            int(draft["minute"]),
            context.services.clock.now(),
            keep=keep,
        )
    except Invalid as refused:
        return await form.passed(update, context, refused)
    if change.outcome is Outcome.CLASH:
        new_start = to_utc(day, int(draft["minute"]), draft["zone"])
        await reply(update, *plan_views.move_clash_view(lang, change, new_start))
        return form.State.SUMMARY
    context.drafts.pop(form.DRAFT, None)
    if change.outcome is not Outcome.CHANGED:
        await reply(update, views.stale_answer(lang, change))
        return ConversationHandler.END
    await reply(update, *plan_views.saved_view(lang, change.entry, "calendar.move.saved"))
    await tell_rep(context.bot, change, "moved")
    return ConversationHandler.END
