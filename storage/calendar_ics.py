"""/ics: the rep's upcoming plan as an iCalendar file (RFC 5545).

Each entry becomes one VEVENT whose UID (``entry-<id>@fieldcrm``) never changes and whose
SEQUENCE is the entry's revision, so importing a newer file moves an event in the phone's
calendar instead of adding a second one. Times are written in UTC (``…Z``); the phone shows
them in its own zone. A VALARM repeats the team's reminder lead time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from storage.access import Actor, NotFound
from storage.calendar import EntryView, entry_view
from storage.models import CalendarEntry, CalendarStatus, Role, Team, TeamRules

PRODID = "-//FieldCRM//Calendar plan//EN"
UPCOMING_DAYS = 30
UPCOMING_LIMIT = 500


def entry_uid(entry_id: int) -> str:
    return f"entry-{entry_id}@fieldcrm"


@dataclass(frozen=True)
class UpcomingPlan:
    entries: list[EntryView]
    lead_minutes: int
    timezone: str
    generated_at: datetime


async def upcoming_plan(actor: Actor, now: datetime, days: int = UPCOMING_DAYS) -> UpcomingPlan:
    """The rep's planned entries starting within ``days`` from ``now``."""
    actor.require(Role.REP)
    if actor.team_id is None:
        raise NotFound()
    team = await Team.get(id=actor.team_id)
    rules = await TeamRules.get(team_id=team.id)
    rows = (
        await CalendarEntry.filter(
            rep_id=actor.user_id,
            status=CalendarStatus.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=days),
        )
        .select_related("customer", "rep")
        .order_by("starts_at", "id")
        .limit(UPCOMING_LIMIT)
    )
    entries = [entry_view(row, team.timezone) for row in rows]
    return UpcomingPlan(entries, rules.reminder_lead_minutes, team.timezone, now)


@dataclass(frozen=True)
class IcsEvent:
    """One VEVENT, with its texts already in the reader's language."""

    entry_id: int
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str | None
    description: str
    alarm_minutes: int
    alarm_text: str


def build_ics(events: Sequence[IcsEvent], *, now: datetime, name: str) -> bytes:
    """A VCALENDAR with one VEVENT per event, ready to send as ``fieldcrm.ics``."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for item in events:
        event = Event()
        event.add("uid", entry_uid(item.entry_id))
        event.add("sequence", item.sequence)
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", item.starts_at.astimezone(UTC))
        event.add("dtend", item.ends_at.astimezone(UTC))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("status", "CONFIRMED")
        if item.alarm_minutes > 0:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(minutes=-item.alarm_minutes))
            alarm.add("description", item.alarm_text)
            event.add_component(alarm)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
