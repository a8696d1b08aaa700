"""Effects every kind of customer contact shares: the reclaim clock and the visit it closes.

A logged follow-up, a check-in on site and (later) other effective contacts all move the
customer's ``last_followup_at`` — the reclaim clock — and may close the planned calendar entry
they fulfil. Both are single conditional updates, so two contacts recorded at once never move
the clock backwards and an entry is closed once.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q

from storage.models import CalendarEntry, CalendarStatus, Customer


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
