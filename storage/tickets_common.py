"""What every ticket module shares: who may see which ticket, the notices an action produces,
and the small readers and writers around a ticket.

Visibility is one rule: a customer sees the tickets of the customer they joined for; agents
and managers see their team's tickets; an admin sees all; anyone else sees none. Outside it,
a ticket is "not found", exactly like an id that does not exist.

Actions return ``Notice``s — who must hear about what — and the handlers render and send
them. The customer and the agent never learn each other's Telegram identity: notices carry
the ticket, the text and the photos' file ids, and the bot sends them as its own messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise.queryset import QuerySet

from storage.access import Actor, NotFound
from storage.defaults import TIER_LEVELS
from storage.models import (
    ActorKind,
    Role,
    Team,
    Ticket,
    TicketCategory,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
    Tier,
    TierPolicy,
    User,
)
from storage.pool_rules import Recipient, recipient, team_audience

STAFF = (Role.AGENT, Role.MANAGER, Role.ADMIN)


class Audience(StrEnum):
    """Whom a notice is for: decides its wording and its buttons."""

    CUSTOMER = "customer"
    AGENT = "agent"
    MANAGERS = "managers"


class NoticeKind(StrEnum):
    NEW = "new"  # agent: a ticket was assigned to you
    WAITING = "waiting"  # managers: no agent could take it
    ASSIGNED = "assigned"  # customer: a waiting ticket found its agent
    TAKEN = "taken"  # customer: someone is working on it
    REPLY = "reply"  # customer: the service team wrote
    QUESTION = "question"  # customer: the service team needs information
    RESOLVED = "resolved"  # customer: rate it, or reopen it
    CLOSED = "closed"  # customer: the reopen window passed
    MESSAGE = "message"  # agent: the customer wrote
    REOPENED = "reopened"  # agent: the customer reopened it
    RATED = "rated"  # agent: the customer's rating
    LOW_RATING = "low_rating"  # managers: a rating below the team's alert line
    FEEDBACK = "feedback"  # managers (low ratings) and agent: the customer's words
    REMINDER = "reminder"  # agent: a deadline is near
    BREACH = "breach"  # agent: a deadline passed
    ESCALATION = "escalation"  # managers: a deadline passed


class Deadline(StrEnum):
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


@dataclass(frozen=True)
class TicketBrief:
    """What a notice or a list line says about a ticket."""

    id: int
    category: TicketCategory
    status: TicketStatus
    customer_name: str
    timezone: str
    opened_at: datetime
    first_response_due_at: datetime
    resolution_due_at: datetime
    first_responded_at: datetime | None
    agent_name: str | None
    breached: bool
    description: str


@dataclass(frozen=True)
class Notice:
    """One message to send: ``kind`` for ``audience``, to ``to``."""

    kind: NoticeKind
    audience: Audience
    to: Recipient
    ticket: TicketBrief
    text: str = ""
    photos: tuple[str, ...] = ()
    score: int | None = None
    deadline: Deadline | None = None
    until: datetime | None = None
    """A resolved ticket: until when the customer may reopen it."""


@dataclass(frozen=True)
class Outcome:
    """An action's result: the ticket as it is now, and who must hear about it."""

    ticket: TicketBrief
    notices: tuple[Notice, ...] = ()


def brief(ticket: Ticket) -> TicketBrief:
    """The brief of a ticket loaded with ``RELATED``."""
    team: Team = ticket.team
    agent: User | None = ticket.agent
    return TicketBrief(
        id=ticket.id,
        category=ticket.category,
        status=ticket.status,
        customer_name=ticket.customer.name,
        timezone=team.timezone,
        opened_at=ticket.created_at,
        first_response_due_at=ticket.first_response_due_at,
        resolution_due_at=ticket.resolution_due_at,
        first_responded_at=ticket.first_responded_at,
        agent_name=str(agent) if agent is not None else None,
        breached=ticket.response_breached or ticket.resolution_breached,
        description=ticket.description,
    )


RELATED = ("team", "customer", "agent", "opened_by")


async def reload(ticket_id: int) -> Ticket:
    """The ticket with what a brief and its recipients need."""
    return await Ticket.get(id=ticket_id).select_related(*RELATED)


def visible_tickets(actor: Actor) -> QuerySet[Ticket]:
    """The tickets ``actor`` may see, as a query to narrow further."""
    if actor.role is Role.ADMIN:
        return Ticket.all()
    if actor.team_id is None:
        return Ticket.filter(id__in=[])
    if actor.role is Role.CUSTOMER and actor.customer_id is not None:
        return Ticket.filter(team_id=actor.team_id, customer_id=actor.customer_id)
    if actor.role in (Role.AGENT, Role.MANAGER):
        return Ticket.filter(team_id=actor.team_id)
    return Ticket.filter(id__in=[])


async def customer_ticket(actor: Actor, ticket_id: int) -> Ticket:
    """One of the customer's own tickets, or NotFound (for everyone else too)."""
    if actor.role is not Role.CUSTOMER:
        raise NotFound()
    ticket = await visible_tickets(actor).get_or_none(id=ticket_id).select_related(*RELATED)
    if ticket is None:
        raise NotFound()
    return ticket


async def staff_ticket(actor: Actor, ticket_id: int) -> Ticket:
    """A ticket of the agent's or manager's team, or NotFound (for everyone else too)."""
    if actor.role not in STAFF:
        raise NotFound()
    ticket = await visible_tickets(actor).get_or_none(id=ticket_id).select_related(*RELATED)
    if ticket is None:
        raise NotFound()
    return ticket


def customer_of(ticket: Ticket) -> Recipient | None:
    """Whoever opened the ticket, while they still speak for its customer."""
    opener: User | None = ticket.opened_by
    if opener is None or opener.role is not Role.CUSTOMER or not opener.is_active:
        return None
    return recipient(opener)


def agent_of(ticket: Ticket) -> Recipient | None:
    agent: User | None = ticket.agent
    return recipient(agent) if agent is not None and agent.is_active else None


async def managers_of(ticket: Ticket) -> list[Recipient]:
    """The team's group if bound, else each manager privately."""
    return await team_audience(ticket.team)


def notice(
    kind: NoticeKind, audience: Audience, to: Recipient | None, ticket: Ticket, **extra: Any
) -> list[Notice]:
    """A one-element list, or an empty one when there is nobody to tell."""
    return [] if to is None else [Notice(kind, audience, to, brief(ticket), **extra)]


def event(
    ticket_id: int,
    kind: TicketEventKind,
    now: datetime,
    actor: Actor | None = None,
    **fields: Any,
) -> TicketEvent:
    """An unsaved history entry; without an actor the scheduler or the system acted."""
    kind_of_actor = fields.pop("actor_kind", ActorKind.USER if actor else ActorKind.SYSTEM)
    return TicketEvent(
        ticket_id=ticket_id,
        kind=kind,
        actor_id=actor.user_id if actor else None,
        actor_kind=kind_of_actor,
        created_at=now,
        **fields,
    )


def status_event(
    ticket: Ticket, to: TicketStatus, now: datetime, actor: Actor | None = None, **fields: Any
) -> TicketEvent:
    return event(
        ticket.id,
        TicketEventKind.STATUS,
        now,
        actor,
        from_status=ticket.status,
        to_status=to,
        **fields,
    )


async def policy_minutes(team_id: int, tier: Tier) -> tuple[int, int]:
    """(first response, resolution) minutes of ``tier`` in the team (the defaults if the
    team has no policy row for it)."""
    policy = await TierPolicy.get_or_none(team_id=team_id, tier=tier)
    if policy is None:
        levels = TIER_LEVELS[tier]
        return levels.sla_first_response_minutes, levels.sla_resolution_minutes
    return policy.sla_first_response_minutes, policy.sla_resolution_minutes
