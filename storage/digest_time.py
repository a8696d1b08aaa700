"""The digest's time arithmetic: which local day a team is in, its bounds, when it is due.

Pure functions, datetime in and datetime out, so they are tested with tables of cases (DST
days of 23 and 25 hours, midnight, the last hour). A team's day runs from its local midnight
to the next one; the bounds are UTC instants, because that is how times are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

HISTORY_DAYS = 7
"""The average is taken over the seven days before the digest's day."""


@dataclass(frozen=True)
class DayBounds:
    """``[start, end)`` of one local day, as UTC instants."""

    day: date
    start: datetime
    end: datetime


def local_today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def midnight(day: date, zone: str) -> datetime:
    """The UTC instant the team's ``day`` begins (DST-safe: wall-clock midnight, then UTC)."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def day_bounds(day: date, zone: str) -> DayBounds:
    return DayBounds(day, midnight(day, zone), midnight(day + timedelta(days=1), zone))


def history(day: date, zone: str, days: int = HISTORY_DAYS) -> list[DayBounds]:
    """``day`` first, then the ``days`` days before it, newest first."""
    return [day_bounds(day - timedelta(days=back), zone) for back in range(days + 1)]


JUST_AFTER = timedelta(seconds=1)


def so_far(days: list[DayBounds], now: datetime) -> list[DayBounds]:
    """The same days with the first one ending just after ``now``: the digest counts what
    happened, including what was stamped at this very instant (bounds are half-open)."""
    end = now + JUST_AFTER
    if not days or days[0].end <= end:
        return days
    return [replace(days[0], end=max(days[0].start, end)), *days[1:]]


def due_period(team_id: int, zone: str, hour: int, now: datetime) -> str | None:
    """The run key of the team's digest if its hour has come today, else None.

    Only today's key is ever returned: a process that was down at the hour sends today's
    digest once it is back, never an older day's.
    """
    local = now.astimezone(ZoneInfo(zone))
    if local.hour < hour:
        return None
    return period_key(team_id, local.date())


def period_key(team_id: int, day: date) -> str:
    return f"{team_id}:{day.isoformat()}"
