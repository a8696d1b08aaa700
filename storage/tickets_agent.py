"""The service side of a ticket: writing to the customer, resolving, and the /tickets queue.

Only the ticket's agent — or a manager of the team — acts on an assigned ticket; a waiting
ticket is first taken (an agent) or assigned (a manager, ``tickets_assign``). The first
message to the customer is the first response; breaches are recorded the moment a deadline
is missed, so the statistics are exact whatever the timing of the SLA sweep.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Case, F, Q, When
from tortoise.transactions import in_transaction

from storage.access import Actor, Invalid, NotAllowed
from storage.models import Role, TeamRules, Ticket, TicketEvent, TicketEventKind, TicketStatus
from storage.paging import Page, paginate
from storage.tickets_common import (
    RELATED,
    STAFF,
    Audience,
    NoticeKind,
    Outcome,
    TicketBrief,
    brief,
    customer_of,
    event,
    notice,
    reload,
    staff_ticket,
    status_event,
    visible_tickets,
)
from storage.tickets_customer import clean_message
from storage.tickets_rules import OPEN, reopen_until


async def _acting(actor: Actor, ticket_id: int) -> Ticket:
    """The ticket if ``actor`` may work it now: its agent, or a manager; open and assigned."""
    ticket = await staff_ticket(actor, ticket_id)
    if ticket.status not in OPEN:
        raise Invalid("tickets.is_done", id=ticket.id)
    if ticket.agent_id is None:
        raise Invalid("tickets.unassigned", id=ticket.id)
    if actor.role is Role.AGENT and ticket.agent_id != actor.user_id:
        raise Invalid("tickets.not_yours", id=ticket.id, agent=brief(ticket).agent_name)
    return ticket


def _first_response(ticket: Ticket, now: datetime) -> dict[str, object]:
    """The first answer stops the first-response clock; late, it is a breach on record."""
    return {
        "first_responded_at": now,
        "response_breached": ticket.response_breached or now > ticket.first_response_due_at,
    }


async def agent_message(
    actor: Actor,
    ticket_id: int,
    text: str | None,
    photos: tuple[str, ...],
    *,
    ask: bool,
    now: datetime,
) -> Outcome:
    """Write to the customer; ``ask`` requests information and waits for their answer."""
    ticket = await _acting(actor, ticket_id)
    body = clean_message(text, photos)
    if ask:
        status = TicketStatus.WAITING_CUSTOMER
    elif ticket.status is TicketStatus.ASSIGNED:
        status = TicketStatus.IN_PROGRESS
    else:
        status = ticket.status
    changes: dict[str, object] = {"status": status}
    if ticket.first_responded_at is None:
        changes.update(_first_response(ticket, now))
    async with in_transaction():
        kept = await Ticket.filter(
            id=ticket.id, status=ticket.status, agent_id=ticket.agent_id
        ).update(**changes)
        if kept != 1:
            raise Invalid("tickets.changed_meanwhile", id=ticket.id)
        history = [
            event(
                ticket.id,
                TicketEventKind.MESSAGE,
                now,
                actor,
                text=body,
                photo_file_ids=list(photos),
            )
        ]
        if status is not ticket.status:
            history.append(status_event(ticket, status, now, actor))
        await TicketEvent.bulk_create(history)
    fresh = await reload(ticket.id)
    kind = NoticeKind.QUESTION if ask else NoticeKind.REPLY
    notices = notice(kind, Audience.CUSTOMER, customer_of(fresh), fresh, text=body, photos=photos)
    return Outcome(brief(fresh), tuple(notices))


async def resolve_ticket(actor: Actor, ticket_id: int, *, now: datetime) -> Outcome:
    """Mark the ticket resolved; the customer is asked to rate it (and may reopen it)."""
    ticket = await _acting(actor, ticket_id)
    changes: dict[str, object] = {
        "status": TicketStatus.RESOLVED,
        "resolved_at": now,
        "rating_requested_at": now,
        "resolution_breached": ticket.resolution_breached or now > ticket.resolution_due_at,
    }
    if ticket.first_responded_at is None:  # the resolution is the customer's first answer
        changes.update(_first_response(ticket, now))
    async with in_transaction():
        done = await Ticket.filter(
            id=ticket.id, status=ticket.status, agent_id=ticket.agent_id
        ).update(**changes)
        if done != 1:
            raise Invalid("tickets.changed_meanwhile", id=ticket.id)
        await status_event(ticket, TicketStatus.RESOLVED, now, actor).save()
    fresh = await reload(ticket.id)
    days = (await TeamRules.get(team_id=ticket.team_id)).ticket_reopen_days
    until = reopen_until(now, days)
    notices = notice(NoticeKind.RESOLVED, Audience.CUSTOMER, customer_of(fresh), fresh, until=until)
    return Outcome(brief(fresh), tuple(notices))


async def check_acting(actor: Actor, ticket_id: int) -> TicketBrief:
    """The ticket if ``actor`` may write to its customer or resolve it now."""
    return brief(await _acting(actor, ticket_id))


def _next_due() -> Case:
    """SQL for the deadline an open ticket works against now (``tickets_rules.next_deadline``)."""
    return Case(
        When(first_responded_at__isnull=True, then=F("first_response_due_at")),
        default=F("resolution_due_at"),
    )


async def ticket_queue(actor: Actor, page: int = 0) -> Page[TicketBrief]:
    """Open tickets to work on, most urgent first.

    An agent: theirs and the team's waiting ones, by deadline. A manager: the team's, the
    breached ones first, then by deadline.
    """
    if actor.role not in STAFF:
        raise NotAllowed()
    query = visible_tickets(actor).filter(status__in=OPEN).annotate(next_due=_next_due())
    if actor.role is Role.AGENT:
        query = query.filter(
            Q(agent_id=actor.user_id) | Q(agent_id=None, status=TicketStatus.NEW)
        ).order_by("next_due", "id")
    else:
        query = query.order_by("-response_breached", "-resolution_breached", "next_due", "id")
    found = await paginate(query.select_related(*RELATED), page)
    return Page([brief(t) for t in found.items], found.number, found.total, found.size)
