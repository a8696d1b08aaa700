"""Buttons of the calendar plan (B5).

``PlanVisit`` starts planning a visit or follow-up for a customer; the card shows it. The
``Plan…`` payloads move the /plan form (and a reschedule) along; ``CalendarView`` draws a day
or week; the entry buttons carry the entry's ``revision``, so a button drawn before the entry
was moved is answered "this entry has moved" and changes nothing. Every prefix starts with
``cal`` (``plan`` predates the rule). Days travel as ``YYYYMMDD`` integers, months as
``YYYYMM``, times as minutes after midnight in the team's zone.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback
from storage.models import CalendarKind


@callback("plan")
@dataclass(frozen=True)
class PlanVisit(CallbackData):
    customer_id: int


# ----- the /plan form (and the date/time picker of a reschedule) -----


@callback("calc")
@dataclass(frozen=True)
class PlanCustomer(CallbackData):
    customer_id: int


@callback("calcp")
@dataclass(frozen=True)
class PlanCustomers(CallbackData):
    """Page ``page`` of the rep's customers (or of the search kept in the draft)."""

    page: int


@callback("calk")
@dataclass(frozen=True)
class PlanKind(CallbackData):
    kind: CalendarKind


@callback("calm")
@dataclass(frozen=True)
class PlanMonth(CallbackData):
    """Show month ``YYYYMM`` in the date picker."""

    month: int


@callback("cald")
@dataclass(frozen=True)
class PlanDay(CallbackData):
    day: int


@callback("calod")
@dataclass(frozen=True)
class PlanOtherDay(CallbackData):
    """Back to the date picker (another day, or another time from the summary)."""


@callback("caltp")
@dataclass(frozen=True)
class PlanTimes(CallbackData):
    """Page ``page`` of the time buttons."""

    page: int


@callback("calt")
@dataclass(frozen=True)
class PlanTime(CallbackData):
    minute: int


@callback("calu")
@dataclass(frozen=True)
class PlanDuration(CallbackData):
    minutes: int


@callback("caln")
@dataclass(frozen=True)
class PlanNoNote(CallbackData):
    """Save without a note."""


@callback("cals")
@dataclass(frozen=True)
class PlanSave(CallbackData):
    """Save the plan (or the move); ``keep``: even though it clashes."""

    keep: bool


# ----- /calendar and its entries -----


@callback("calv")
@dataclass(frozen=True)
class CalendarView(CallbackData):
    """The day ``day`` (or its week) of ``scope``: a rep's user id, or 0 for the team."""

    scope: int
    day: int
    week: bool


@callback("calr")
@dataclass(frozen=True)
class CalendarReps(CallbackData):
    """A manager picks whose calendar to see (``day`` is kept for the way back)."""

    day: int


@callback("cale")
@dataclass(frozen=True)
class OpenEntry(CallbackData):
    """An entry's details: a new message, or (``here``) redrawn in the tapped message."""

    entry_id: int
    revision: int
    here: bool = False


@callback("calmv")
@dataclass(frozen=True)
class RescheduleEntry(CallbackData):
    entry_id: int
    revision: int


@callback("caldn")
@dataclass(frozen=True)
class EntryDone(CallbackData):
    entry_id: int
    revision: int


@callback("calx")
@dataclass(frozen=True)
class CancelEntry(CallbackData):
    """Cancel the entry; the first tap asks to confirm (``confirmed`` False)."""

    entry_id: int
    revision: int
    confirmed: bool
