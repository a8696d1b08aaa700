"""After-sales tickets: the rules as pure functions — limits, deadlines, assignment, reopening.

Everything here takes plain values (and ``now``) and is tested with tables of cases; the
storage modules apply it to the database.

- **Deadlines** come from the customer's tier (``TierPolicy``): first response and resolution,
  counted from the moment the ticket is opened (the resolution clock restarts on a reopen).
- **Assignment**: among the team's active agents who are not away, the least open load wins;
  ties go round-robin — the first tied agent after the last one assigned (a cursor, by user
  id), so an agent back from leave takes their normal turn and is never "owed" tickets.
- **Reopening** is possible while a ticket is resolved (not yet rated or closed) and within
  ``ticket_reopen_days`` of its resolution.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.access import Invalid
from storage.models import TicketStatus

OPEN = (
    TicketStatus.NEW,
    TicketStatus.ASSIGNED,
    TicketStatus.IN_PROGRESS,
    TicketStatus.WAITING_CUSTOMER,
)
"""Not resolved yet: the SLA clocks run, messages are relayed."""
WORKING = (TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS, TicketStatus.WAITING_CUSTOMER)
"""What counts in an agent's load."""
DONE = (TicketStatus.RESOLVED, TicketStatus.CLOSED)

DESCRIPTION_MAX = 3000
"""Characters of a description or a message: the service card must stay one Telegram message."""
MESSAGE_MAX = 3000
FEEDBACK_MAX = 1000
CONTACT_MAX = 64
PHOTOS_MAX = 10
"""Photos per new ticket (an album holds 10 at most, too)."""
CONTACT_CHOICES = ("chat", "phone", "onsite")
SCORES = (1, 2, 3, 4, 5)

_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")


def clean_text(raw: str, *, limit: int, empty: str, too_long: str) -> str:
    """Typed text as stored: invisible characters dropped, trimmed, at least one letter or
    digit (``empty`` otherwise), at most ``limit`` characters (``too_long`` otherwise)."""
    text = _INVISIBLE.sub("", raw).strip()
    if not any(ch.isalnum() for ch in text):
        raise Invalid(empty)
    if len(text) > limit:
        raise Invalid(too_long, limit=limit, length=len(text))
    return text


def clean_contact(raw: str) -> str:
    """A contact preference: a choice's code, or the customer's own short words."""
    return clean_text(
        " ".join(raw.split()),
        limit=CONTACT_MAX,
        empty="tickets.contact_empty",
        too_long="tickets.contact_too_long",
    )


def deadlines(
    opened_at: datetime, first_response_minutes: int, resolution_minutes: int
) -> tuple[datetime, datetime]:
    """(first response due, resolution due) for a ticket opened at ``opened_at``."""
    return (
        opened_at + timedelta(minutes=first_response_minutes),
        opened_at + timedelta(minutes=resolution_minutes),
    )


def next_deadline(
    first_responded_at: datetime | None, first_response_due: datetime, resolution_due: datetime
) -> datetime:
    """The deadline an open ticket is working against now."""
    return first_response_due if first_responded_at is None else resolution_due


def is_away(away: bool, away_until: datetime | None, now: datetime) -> bool:
    return away or (away_until is not None and away_until > now)


@dataclass(frozen=True)
class AgentLoad:
    """One agent as the assignment rule sees them."""

    user_id: int
    open_tickets: int
    away: bool = False


def choose_agent(agents: Sequence[AgentLoad], cursor: int) -> int | None:
    """The agent for a new ticket: least open load, round-robin after ``cursor`` on ties.

    None when every agent is away (or there is none): the ticket waits.
    """
    available = [a for a in agents if not a.away]
    if not available:
        return None
    least = min(a.open_tickets for a in available)
    tied = sorted(a.user_id for a in available if a.open_tickets == least)
    return next((user_id for user_id in tied if user_id > cursor), tied[0])


def reopen_until(resolved_at: datetime | None, days: int) -> datetime | None:
    """Until when a resolved ticket may be reopened; None when it may not be."""
    if resolved_at is None or days <= 0:
        return None
    return resolved_at + timedelta(days=days)


def can_reopen(
    status: TicketStatus, resolved_at: datetime | None, days: int, now: datetime
) -> bool:
    until = reopen_until(resolved_at, days)
    return status is TicketStatus.RESOLVED and until is not None and now < until


def reminder_window(due: datetime, minutes: int, now: datetime) -> bool:
    """Is ``now`` inside the last ``minutes`` before ``due`` (0 minutes: never)?"""
    return minutes > 0 and due - timedelta(minutes=minutes) <= now < due
