"""Buttons of the on-site check-in (B4).

``CheckInAt`` starts a check-in at a customer; the card shows it. ``CheckInVisit`` starts one
for a planned calendar entry; the calendar shows it. The rest belong to the check-in form,
the check-out and /visits. Every prefix starts with ``ci`` (check-in) or ``vis`` (/visits).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.callbacks.codec import CallbackData, callback


@callback("ci")
@dataclass(frozen=True)
class CheckInAt(CallbackData):
    customer_id: int


@callback("civ")
@dataclass(frozen=True)
class CheckInVisit(CallbackData):
    """Check in for a planned calendar entry (``revision`` makes a moved entry's button stale)."""

    entry_id: int
    revision: int


@callback("cipick")
@dataclass(frozen=True)
class CheckInPick(CallbackData):
    """A customer picked from the /checkin list."""

    customer_id: int


@callback("cipage")
@dataclass(frozen=True)
class CheckInPage(CallbackData):
    """Another page of the /checkin list (the typed search, if any, is in the form's draft)."""

    page: int


class SkipStep(StrEnum):
    PHOTO = "photo"
    NOTE = "note"


@callback("ciskip")
@dataclass(frozen=True)
class CheckInSkip(CallbackData):
    """Skip an optional step; the step is named so an old Skip cannot skip another one."""

    step: SkipStep


@callback("ciout")
@dataclass(frozen=True)
class CheckOut(CallbackData):
    """Leave the site: record the check-out of this check-in."""

    checkin_id: int


@callback("visday")
@dataclass(frozen=True)
class VisitsDay(CallbackData):
    """/visits of another day (``day`` as YYYYMMDD in the team's zone) or page."""

    day: int
    page: int


@callback("visopen")
@dataclass(frozen=True)
class OpenCheckIn(CallbackData):
    """One visit of /visits: its details, location and photo."""

    checkin_id: int
