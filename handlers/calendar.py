"""The calendar plan (B5): the /plan form, which also moves an entry; ``handlers()`` lists
every calendar handler. This module holds the form's state table and its customer, kind,
duration, note and save steps; the date and time pickers and the move are in
``calendar_pick``, the pieces both share in ``calendar_form``; /calendar and an entry's
buttons in ``calendar_view``, /ics in ``calendar_ics``.

A new plan asks for everything; a reschedule (an entry's button) asks only for the day and
time, keeps the duration and saves at once unless the new time clashes. Past days and times
are refused where they are picked; storage checks again when saving.

```mermaid
stateDiagram-v2
    [*] --> CUSTOMER: /plan [search]
    [*] --> KIND: the card's Plan button
    [*] --> DAY: an entry's Reschedule button
    CUSTOMER --> CUSTOMER: typed search, ‹ ›
    CUSTOMER --> KIND: a customer
    KIND --> DAY: visit / follow-up / meeting
    DAY --> DAY: ‹ › months
    DAY --> TIME: a day (button or typed 2026-03-05)
    TIME --> DAY: Other day
    TIME --> DURATION: a time (button or typed 14:20)
    DURATION --> NOTE
    NOTE --> SUMMARY: text or No note
    SUMMARY --> [*]: Save / Keep anyway
    SUMMARY --> DAY: Pick another time
    TIME --> [*]: (reschedule) moved
    TIME --> SUMMARY: (reschedule) clash: keep or pick again
```
"""

from __future__ import annotations

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
from bot.callbacks.calendar import (
    PlanCustomer,
    PlanCustomers,
    PlanDay,
    PlanDuration,
    PlanKind,
    PlanMonth,
    PlanNoNote,
    PlanOtherDay,
    PlanSave,
    PlanTime,
    PlanTimes,
    PlanVisit,
    RescheduleEntry,
)
from bot.context import FieldContext
from bot.replies import reply, text_of
from bot.views import calendar_plan as plan_views
from handlers import calendar_form as form
from handlers import calendar_pick as pick
from handlers.calendar_ics import handlers as ics_handlers
from handlers.calendar_view import edit
from handlers.calendar_view import handlers as view_handlers
from handlers.flow import ANYTHING_ELSE, TEXT, conversation, pressed, reprompt, tapped, then_clear
from storage import calendar
from storage.access import Invalid
from storage.calendar_time import DURATIONS
from storage.models import Role


@requires(Role.REP)
async def start(update: Update, context: FieldContext) -> int:
    """/plan [words]: the rep's customers, most recent first (or matching the words)."""
    setup = await calendar.plan_setup(context.require_actor(), context.services.clock.now())
    search = " ".join(context.args or [])
    context.drafts[form.DRAFT] = {"mode": "new", "zone": setup.timezone, "search": search}
    return await _ask_customer(update, context, 0)


async def _ask_customer(update: Update, context: FieldContext, page: int) -> int:
    """A page of the rep's customers (or of the search); none at all ends the form."""
    draft = form.draft(context)
    found = await calendar.plan_customers(context.require_actor(), page, draft.get("search", ""))
    await reply(update, *plan_views.customers_view(context.lang, found, draft.get("search", "")))
    if found.total == 0 and not draft.get("search"):
        context.drafts.pop(form.DRAFT, None)
        return ConversationHandler.END
    return form.State.CUSTOMER


async def search_customer(update: Update, context: FieldContext) -> int:
    """Typed words while choosing the customer: search the rep's customers."""
    form.draft(context)["search"] = text_of(update)[:100]
    return await _ask_customer(update, context, 0)


async def turn_customers(update: Update, context: FieldContext) -> int:
    """‹ › on the customer list: redraw it in place."""
    query, payload = update.callback_query, pressed(update, PlanCustomers)
    if query is None or payload is None:
        return form.State.CUSTOMER
    search = form.draft(context).get("search", "")
    found = await calendar.plan_customers(context.require_actor(), payload.page, search)
    await query.answer()
    await edit(query, *plan_views.customers_view(context.lang, found, search))
    return form.State.CUSTOMER


async def pick_customer(update: Update, context: FieldContext) -> int:
    """A customer tapped: ask what kind of entry it is."""
    picked = pressed(update, PlanCustomer)
    if picked is None:
        return form.State.CUSTOMER
    return await then_clear(update, _chose_customer(update, context, picked.customer_id))


@requires(Role.REP)
async def start_for_customer(update: Update, context: FieldContext) -> int:
    """The card's Plan button: the customer is chosen already."""
    payload = pressed(update, PlanVisit)
    if update.callback_query is None or payload is None:
        return ConversationHandler.END
    setup = await calendar.plan_setup(context.require_actor(), context.services.clock.now())
    context.drafts[form.DRAFT] = {"mode": "new", "zone": setup.timezone}
    state = await _chose_customer(update, context, payload.customer_id)
    await update.callback_query.answer()  # after: a refusal (not theirs) answers it instead
    return state


async def _chose_customer(update: Update, context: FieldContext, customer_id: int) -> int:
    """Keep the customer if it is the rep's own (else NotFound) and ask for the kind."""
    customer = await calendar.plan_customer(context.require_actor(), customer_id)
    draft = form.draft(context)
    draft["customer_id"], draft["customer"] = customer.id, customer.name
    await reply(update, *plan_views.kind_view(context.lang, customer.name))
    return form.State.KIND


async def pick_kind(update: Update, context: FieldContext) -> int:
    """Visit, follow-up or meeting: on to the date picker."""
    picked = await tapped(update, PlanKind)
    if picked is None:
        return form.State.KIND
    form.draft(context)["kind"] = picked.kind.value
    return await form.ask_day(update, context, None)


async def pick_duration(update: Update, context: FieldContext) -> int:
    """30 min, 1 h or 2 h: ask for a note."""
    picked = await tapped(update, PlanDuration)
    if picked is None or picked.minutes not in DURATIONS:
        return form.State.DURATION
    form.draft(context)["duration"] = picked.minutes
    await reply(update, *plan_views.note_view(context.lang))
    return form.State.NOTE


async def typed_note(update: Update, context: FieldContext) -> int:
    """The note (too long: refused, asked again): on to the summary."""
    form.draft(context)["note"] = calendar.clean_note(text_of(update))
    return await form.summary(update, context)


async def no_note(update: Update, context: FieldContext) -> int:
    """No note: on to the summary."""
    if pressed(update, PlanNoNote) is None:
        return form.State.NOTE
    form.draft(context)["note"] = ""
    return await then_clear(update, form.summary(update, context))


async def save(update: Update, context: FieldContext) -> int:
    """Save (or, for a reschedule, move); a clash that appeared meanwhile is shown first."""
    picked = pressed(update, PlanSave)
    if picked is None:
        return form.State.SUMMARY
    if form.draft(context)["mode"] == "move":
        return await then_clear(update, pick.move(update, context, keep=picked.keep))
    return await then_clear(update, _save(update, context, keep=picked.keep))


async def _save(update: Update, context: FieldContext, *, keep: bool) -> int:
    """Save the plan; a clash found now (and not confirmed) shows the summary again."""
    try:
        result = await calendar.plan_entry(
            context.require_actor(),
            form.plan_draft(form.draft(context)),
            context.services.clock.now(),
            keep=keep,
        )
    except Invalid as refused:
        return await form.passed(update, context, refused)
    if result.entry is None:
        return await form.summary(update, context)
    context.drafts.pop(form.DRAFT, None)
    await reply(update, *plan_views.saved_view(context.lang, result.entry))
    return ConversationHandler.END


def _need(state: form.State, key: str) -> MessageHandler[Any, Any]:
    """Anything but what ``state`` expects: say so (``key``) and stay."""
    return MessageHandler(ANYTHING_ELSE, reprompt(state, key))


def plan_form() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    return conversation(
        "plan",
        entry_points=[
            CommandHandler("plan", start, filters.ChatType.PRIVATE),
            CallbackQueryHandler(start_for_customer, pattern=PlanVisit.match),
            CallbackQueryHandler(pick.start_move, pattern=RescheduleEntry.match),
        ],
        states={
            form.State.CUSTOMER: [
                CallbackQueryHandler(pick_customer, pattern=PlanCustomer.match),
                CallbackQueryHandler(turn_customers, pattern=PlanCustomers.match),
                MessageHandler(TEXT, search_customer),
                _need(form.State.CUSTOMER, "calendar.plan.need_customer"),
            ],
            form.State.KIND: [
                CallbackQueryHandler(pick_kind, pattern=PlanKind.match),
                _need(form.State.KIND, "calendar.plan.need_kind"),
            ],
            form.State.DAY: [
                CallbackQueryHandler(pick.pick_day, pattern=PlanDay.match),
                CallbackQueryHandler(pick.turn_month, pattern=PlanMonth.match),
                MessageHandler(TEXT, pick.typed_day),
                MessageHandler(ANYTHING_ELSE, pick.not_a_day),
            ],
            form.State.TIME: [
                CallbackQueryHandler(pick.pick_time, pattern=PlanTime.match),
                CallbackQueryHandler(pick.turn_times, pattern=PlanTimes.match),
                CallbackQueryHandler(pick.other_day, pattern=PlanOtherDay.match),
                MessageHandler(TEXT, pick.typed_time),
                _need(form.State.TIME, "calendar.plan.need_time"),
            ],
            form.State.DURATION: [
                CallbackQueryHandler(pick_duration, pattern=PlanDuration.match),
                _need(form.State.DURATION, "calendar.plan.need_duration"),
            ],
            form.State.NOTE: [
                CallbackQueryHandler(no_note, pattern=PlanNoNote.match),
                MessageHandler(TEXT, typed_note),
                _need(form.State.NOTE, "calendar.plan.need_note"),
            ],
            form.State.SUMMARY: [
                CallbackQueryHandler(save, pattern=PlanSave.match),
                CallbackQueryHandler(pick.other_day, pattern=PlanOtherDay.match),
                _need(form.State.SUMMARY, "calendar.plan.need_summary"),
            ],
        },
        draft=form.DRAFT,
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [plan_form(), *view_handlers(), *ics_handlers()]
