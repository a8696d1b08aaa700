"""The /plan form's shared pieces: its states and draft, and the steps several parts reach.

The draft (``context.drafts["plan"]``) holds JSON-able values only: ``mode`` ("new" or "move"),
the team's ``zone``, and what was picked so far — ``customer_id``, ``kind``, ``day`` (ISO),
``minute`` (after midnight, team zone), ``duration``, ``note``; a move also keeps the entry's
``entry_id`` and ``revision``.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

from telegram import Update

from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply
from bot.views import calendar as views
from bot.views import calendar_plan as plan_views
from storage import calendar
from storage.access import Invalid
from storage.calendar_time import local_day, month_code
from storage.models import CalendarKind

DRAFT = "plan"


class State(IntEnum):
    CUSTOMER = 1
    KIND = 2
    DAY = 3
    TIME = 4
    DURATION = 5
    NOTE = 6
    SUMMARY = 7


def draft(context: FieldContext) -> dict[str, Any]:
    """The form's draft (created empty if needed)."""
    found: dict[str, Any] = context.drafts.setdefault(DRAFT, {})
    return found


def today(context: FieldContext) -> date:
    """Today in the team's zone: the first day that may be picked."""
    return local_day(context.services.clock.now(), draft(context)["zone"])


def question(context: FieldContext) -> str:
    """What the pickers are for: the new entry, or the entry being moved and its time now."""
    values, lang = draft(context), context.lang
    what = views.entry_title(lang, CalendarKind(values["kind"]), values["customer"])
    if values["mode"] == "move":
        return t(lang, "calendar.move.ask", what=what, when=values["when"])
    return t(lang, "calendar.plan.for", what=what)


async def ask_day(update: Update, context: FieldContext, month: int | None) -> int:
    """The date picker, at ``month`` (YYYYMM) or the current one."""
    now = today(context)
    shown = month or month_code(now)
    await reply(update, *plan_views.month_view(context.lang, shown, now, question(context)))
    return State.DAY


def plan_draft(values: dict[str, Any]) -> calendar.PlanDraft:
    """The draft as storage takes it."""
    return calendar.PlanDraft(
        customer_id=int(values["customer_id"]),
        kind=CalendarKind(values["kind"]),
        day=date.fromisoformat(values["day"]),
        minute=int(values["minute"]),
        duration_minutes=int(values["duration"]),
        note=str(values.get("note", "")),
    )


async def summary(update: Update, context: FieldContext) -> int:
    """The whole plan with any clash, to save or change; a time passed meanwhile: pick again."""
    try:
        preview = await calendar.preview_plan(
            context.require_actor(), plan_draft(draft(context)), context.services.clock.now()
        )
    except Invalid as refused:
        return await passed(update, context, refused)
    await reply(update, *plan_views.summary_view(context.lang, preview))
    return State.SUMMARY


async def passed(update: Update, context: FieldContext, refused: Invalid) -> int:
    """The chosen time has passed while the form waited: say so and offer the days again."""
    if refused.code != "calendar.past":
        raise refused
    await reply(update, t(context.lang, "calendar.past"))
    return await ask_day(update, context, None)
