"""Wall-clock time in a team's zone and the instants it stands for: pure functions (B5).

People plan "Tuesday 14:00" in their team's zone; the calendar stores UTC instants. Two
local times need a rule, both decided here and tested with tables:

- a time that does not exist (the hour skipped when clocks spring forward) is read with the
  offset in force before the change, i.e. it lands as far after the gap as it was inside it
  (02:30 on a skipped 02:00–03:00 hour becomes 03:30);
- a time that exists twice (the hour repeated when clocks fall back) is the first of the two.

A local day runs from its midnight to the next one, so a DST day lasts 23 or 25 hours.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
SLOT_FIRST = 8 * 60
SLOT_LAST = 19 * 60 + 30
SLOT_STEP = 30
SLOTS_PER_PAGE = 12
DURATIONS = (30, 60, 120)
PLAN_AHEAD_DAYS = 366
"""How far ahead a plan may be made: a year of months to page through, no further."""
REMINDER_GRACE = timedelta(minutes=15)
"""A reminder is still sent until this long after the entry's start (a late process start);
after that it would only be noise and is skipped."""

_TIME = re.compile(r"^(\d{1,2})(?:[:.hH](\d{2}))?$|^(\d{2})(\d{2})$")
_DAY = re.compile(r"^(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2})$")


def to_utc(day: date, minute: int, zone: str) -> datetime:
    """The UTC instant of wall-clock ``minute`` (after midnight) on ``day`` in ``zone``."""
    if not 0 <= minute < MINUTES_PER_DAY:
        raise ValueError(f"minute of day out of range: {minute}")
    wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ZoneInfo(zone))
    return wall.astimezone(UTC)


def local(moment: datetime, zone: str) -> datetime:
    """``moment`` as wall-clock time in ``zone``."""
    return moment.astimezone(ZoneInfo(zone))


def local_day(moment: datetime, zone: str) -> date:
    return local(moment, zone).date()


def minute_of_day(moment: datetime, zone: str) -> int:
    wall = local(moment, zone)
    return wall.hour * 60 + wall.minute


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC instants at which local ``day`` begins and the next one begins."""
    return to_utc(day, 0, zone), to_utc(day + timedelta(days=1), 0, zone)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def week_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """From the start of the Monday of ``day``'s week to the start of the next Monday."""
    monday = week_start(day)
    return day_bounds(monday, zone)[0], day_bounds(monday + timedelta(days=7), zone)[0]


def day_code(day: date) -> int:
    """A date as the integer ``YYYYMMDD`` (how buttons carry it)."""
    return day.year * 10000 + day.month * 100 + day.day


def from_day_code(code: int) -> date | None:
    """The date behind ``YYYYMMDD``, or None for anything that is not one."""
    try:
        return date(code // 10000, code // 100 % 100, code % 100)
    except ValueError:
        return None


def month_code(day: date) -> int:
    return day.year * 100 + day.month


def shift_month(code: int, months: int) -> int:
    """``YYYYMM`` moved by ``months`` (negative: back)."""
    index = (code // 100) * 12 + (code % 100 - 1) + months
    return (index // 12) * 100 + index % 12 + 1


def month_grid(code: int) -> list[list[date | None]]:
    """The weeks of month ``YYYYMM``, Monday first; days of other months are None."""
    year, month = code // 100, code % 100
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[d if d.month == month else None for d in week] for week in weeks]


def slots(first: int = SLOT_FIRST, last: int = SLOT_LAST, step: int = SLOT_STEP) -> list[int]:
    """The offered start times, as minutes after midnight."""
    return list(range(first, last + 1, step))


def slot_pages(available: list[int], size: int = SLOTS_PER_PAGE) -> list[list[int]]:
    """``available`` cut into pages of ``size``; one empty page when nothing is left."""
    return [available[i : i + size] for i in range(0, len(available), size)] or [[]]


def open_slots(day: date, zone: str, now: datetime) -> list[int]:
    """The offered start times of ``day`` that are still ahead of ``now``."""
    return [m for m in slots() if to_utc(day, m, zone) > now]


def parse_time(text: str) -> int | None:
    """``14:20``, ``9:05``, ``14.20``, ``1420``, ``14`` or full-width ``１４：２０`` → minute of
    day; None for anything else."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace("：", ":")
    match = _TIME.match(cleaned)
    if match is None:
        return None
    hour_text, minute_text = (match[1], match[2]) if match[1] else (match[3], match[4])
    hour, minute = int(hour_text), int(minute_text or 0)
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def parse_day(text: str, today: date) -> date | None:
    """``2026-03-05``, ``2026/3/5``, ``3-5`` or ``3/5`` (this year) → a date; None otherwise."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = _DAY.match(cleaned)
    if match is None:
        return None
    year = int(match[1]) if match[1] else today.year
    try:
        return date(year, int(match[2]), int(match[3]))
    except ValueError:
        return None


def clock_text(minute: int) -> str:
    """A minute of day as ``HH:MM``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def overlaps(
    start: datetime, end: datetime, other_start: datetime, other_end: datetime, buffer: timedelta
) -> bool:
    """Whether two entries come closer than ``buffer`` (touching counts only with a buffer)."""
    return other_start < end + buffer and other_end > start - buffer


def remind_at(starts_at: datetime, lead_minutes: int) -> datetime | None:
    """When an entry's reminder is due (None: the team sends no reminders)."""
    return starts_at - timedelta(minutes=lead_minutes) if lead_minutes > 0 else None


def agenda_day(now: datetime, zone: str, hour: int) -> date | None:
    """The local day whose morning agenda is due at ``now``: today from ``hour`` on, else None.

    A process that starts late still finds today's agenda due; yesterday's never is.
    """
    wall = local(now, zone)
    return wall.date() if wall.hour >= hour else None
