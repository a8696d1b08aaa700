"""Effects every kind of customer contact shares: the reclaim clock and the visit it closes.

A logged follow-up, a check-in on site and (later) other effective contacts all move the
customer's ``last_followup_at`` — the reclaim clock — and may close the planned calendar entry
they fulfil. Both are single conditional updates, so two contacts recorded at once never move
the clock backwards and an entry is closed once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import Q

from storage.models import CalendarEntry, CalendarKind, CalendarStatus, Customer, TeamRules


async def record_contact(customer_id: int, at: datetime) -> bool:
    """Move the customer's reclaim clock forward to ``at``; False if it was already later."""
    moved = await Customer.filter(
        Q(last_followup_at=None) | Q(last_followup_at__lt=at), id=customer_id
    ).update(last_followup_at=at)
    return moved == 1


async def close_calendar_entry(entry_id: int, rep_id: int, at: datetime) -> bool:
    """Mark the rep's planned entry done; False if it was not planned (done, moved, not theirs)."""
    closed = await CalendarEntry.filter(
        id=entry_id, rep_id=rep_id, status=CalendarStatus.PLANNED
    ).update(status=CalendarStatus.DONE, done_at=at)
    return closed == 1


async def schedule_entry(
    *,
    team_id: int,
    rep_id: int,
    customer_id: int | None,
    kind: CalendarKind,
    starts_at: datetime,
    duration: timedelta,
    title: str = "",
    note: str = "",
) -> CalendarEntry:
    """Put an entry in the rep's calendar with its reminder time from the team's rules.

    The reminder is derived data (``remind_at``): the reminder job finds due entries by it, so
    a reminder survives restarts and is sent once (``reminded_at``). Clash checks belong to the
    caller that talks to the rep (``/plan`` warns and lets them keep or move the entry).
    """
    rules = await TeamRules.get(team_id=team_id)
    lead = timedelta(minutes=rules.reminder_lead_minutes)
    return await CalendarEntry.create(
        team_id=team_id,
        rep_id=rep_id,
        customer_id=customer_id,
        kind=kind,
        title=title[:200],
        note=note,
        starts_at=starts_at,
        ends_at=starts_at + duration,
        remind_at=starts_at - lead if rules.reminder_lead_minutes else None,
    )
