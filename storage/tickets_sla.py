"""The SLA sweep: reminders before a deadline, breaches and escalation after it, waiting
tickets offered again, and resolved tickets closed when their reopen window ends.

Each kind of due work is found by one query on the stored deadline and claimed in the same
transaction: the due rows are locked (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so a second
instance skips them; SQLite serialises writers) and stamped by one conditional update
(``…_reminded_at`` / ``…_escalated_at`` still NULL). A stamped ticket is never due again for
that deadline, so a repeated tick, a restart or a second instance sends nothing twice. The
number of statements depends on the number of distinct team settings, never on the number
of tickets; a tick handles at most ``BATCH`` tickets per kind and the next tick the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from storage.models import (
    ActorKind,
    TeamRules,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from storage.pool_rules import team_audiences
from storage.tickets_assign import assign_waiting
from storage.tickets_common import (
    RELATED,
    Audience,
    Deadline,
    Notice,
    NoticeKind,
    agent_of,
    brief,
    customer_of,
    event,
    notice,
)
from storage.tickets_rules import OPEN

BATCH = 200


@dataclass(frozen=True)
class Stamps:
    """The columns one deadline is tracked by."""

    due: str
    reminded: str
    escalated: str
    breached: str
    pending: dict[str, Any]
    """What still being due means (not answered yet / not resolved yet)."""


STAMPS = {
    Deadline.FIRST_RESPONSE: Stamps(
        "first_response_due_at",
        "response_reminded_at",
        "response_escalated_at",
        "response_breached",
        {"first_responded_at": None},
    ),
    Deadline.RESOLUTION: Stamps(
        "resolution_due_at",
        "resolution_reminded_at",
        "resolution_escalated_at",
        "resolution_breached",
        {"resolved_at": None},
    ),
}


@dataclass
class SlaSweep:
    reminded: int = 0
    escalated: int = 0
    assigned: int = 0
    closed: int = 0
    notices: list[Notice] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "reminded": self.reminded,
            "escalated": self.escalated,
            "assigned": self.assigned,
            "closed": self.closed,
        }


async def sla_sweep(*, now: datetime) -> SlaSweep:
    """Everything the SLA job does in one tick, and the notices to send."""
    sweep = SlaSweep()
    assigned = await assign_waiting(now=now)
    sweep.assigned = sum(1 for n in assigned if n.kind is NoticeKind.NEW)
    sweep.notices += assigned
    for deadline in Deadline:
        for ticket in await _remind(deadline, now):
            sweep.reminded += 1
            sweep.notices += notice(
                NoticeKind.REMINDER, Audience.AGENT, agent_of(ticket), ticket, deadline=deadline
            )
    for deadline in Deadline:
        escalated = await _escalate(deadline, now)
        sweep.escalated += len(escalated)
        sweep.notices += await _escalation_notices(escalated, deadline)
    for ticket in await _close_expired(now):
        sweep.closed += 1
        sweep.notices += notice(NoticeKind.CLOSED, Audience.CUSTOMER, customer_of(ticket), ticket)
    return sweep


class _Raced(Exception):
    """Another instance stamped some of the rows meanwhile: roll back, the next tick retries."""


async def _claim(
    due: QuerySet[Ticket], stamp: str, changes: dict[str, Any], history: Any = None
) -> list[int]:
    """Lock up to BATCH due tickets, stamp them while still unstamped, write their history.

    All or nothing: if any of them was stamped by someone else meanwhile (SQLite, where rows
    are not locked), nothing is written and the next tick finds only the rest.
    """
    try:
        async with in_transaction():
            rows = (
                await due.select_for_update(skip_locked=True).order_by("id").limit(BATCH).only("id")
            )
            ids = [row.id for row in rows]
            if not ids:
                return []
            stamped = await Ticket.filter(id__in=ids, **{stamp: None}).update(**changes)
            if stamped != len(ids):
                raise _Raced()
            if history is not None:
                await TicketEvent.bulk_create(history(ids))
    except _Raced:
        return []
    return ids


async def _loaded(ids: Iterable[int]) -> list[Ticket]:
    wanted = list(ids)
    if not wanted:
        return []
    return await Ticket.filter(id__in=wanted).select_related(*RELATED).order_by("id")


async def _remind(deadline: Deadline, now: datetime) -> list[Ticket]:
    """Assigned tickets within the team's reminder minutes of ``deadline``, not yet reminded
    (``tickets_rules.reminder_window`` in SQL: one statement per distinct setting)."""
    s = STAMPS[deadline]
    values = (
        await TeamRules.filter(sla_reminder_minutes__gt=0)
        .distinct()
        .values_list("sla_reminder_minutes", flat=True)
    )
    claimed: list[int] = []
    for minutes in sorted({int(v) for v in values}):  # type: ignore[call-overload]
        teams = TeamRules.filter(sla_reminder_minutes=minutes).values("team_id")
        due = Ticket.filter(
            status__in=OPEN,
            agent_id__not_isnull=True,
            team_id__in=Subquery(teams),
            **s.pending,
            **{
                s.reminded: None,
                f"{s.due}__gt": now,
                f"{s.due}__lte": now + timedelta(minutes=minutes),
            },
        )
        claimed += await _claim(due, s.reminded, {s.reminded: now})
    return await _loaded(claimed)


async def _escalate(deadline: Deadline, now: datetime) -> list[Ticket]:
    """Open tickets past ``deadline``, not yet escalated: record the breach and escalate."""
    s = STAMPS[deadline]
    due = Ticket.filter(status__in=OPEN, **s.pending, **{s.escalated: None, f"{s.due}__lte": now})

    def history(ids: list[int]) -> list[TicketEvent]:
        return [
            event(
                ticket_id,
                kind,
                now,
                text=deadline.value,
                internal=True,
                actor_kind=ActorKind.SCHEDULER,
            )
            for ticket_id in ids
            for kind in (TicketEventKind.BREACHED, TicketEventKind.ESCALATED)
        ]

    ids = await _claim(due, s.escalated, {s.escalated: now, s.breached: True}, history)
    return await _loaded(ids)


async def _escalation_notices(tickets: list[Ticket], deadline: Deadline) -> list[Notice]:
    """The agent hears of their breach; the team's group (or managers) of every breach."""
    if not tickets:
        return []
    audiences = await team_audiences(list({t.team_id: t.team for t in tickets}.values()))
    notices: list[Notice] = []
    for ticket in tickets:
        notices += notice(
            NoticeKind.BREACH, Audience.AGENT, agent_of(ticket), ticket, deadline=deadline
        )
        notices += [
            Notice(NoticeKind.ESCALATION, Audience.MANAGERS, to, brief(ticket), deadline=deadline)
            for to in audiences.get(ticket.team_id, [])
        ]
    return notices


async def _close_expired(now: datetime) -> list[Ticket]:
    """Resolved tickets whose reopen window has ended are closed (set-based per window)."""
    values = await TeamRules.all().distinct().values_list("ticket_reopen_days", flat=True)
    closed: list[int] = []
    for days in sorted({int(v) for v in values}):  # type: ignore[call-overload]
        teams = TeamRules.filter(ticket_reopen_days=days).values("team_id")
        due = Ticket.filter(
            status=TicketStatus.RESOLVED,
            team_id__in=Subquery(teams),
            resolved_at__lte=now - timedelta(days=days),
        )

        def history(ids: list[int]) -> list[TicketEvent]:
            return [
                event(
                    ticket_id,
                    TicketEventKind.STATUS,
                    now,
                    from_status=TicketStatus.RESOLVED,
                    to_status=TicketStatus.CLOSED,
                    actor_kind=ActorKind.SCHEDULER,
                )
                for ticket_id in ids
            ]

        closed += await _claim(
            due, "closed_at", {"status": TicketStatus.CLOSED, "closed_at": now}, history
        )
    return await _loaded(closed)
