"""After-sales tickets (E3): opening one, the customer's list, and a ticket as each side sees it.

A customer opens a ticket from their chat; its deadlines come from their tier's service levels
and it goes at once to an agent (``storage.tickets_assign``) or waits, and the managers hear
of it. The other actions live beside this module: the customer's (``tickets_customer``), the
service side's (``tickets_agent``, ``tickets_assign``), the SLA sweep (``tickets_sla``) and
the statistics (``tickets_stats``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Case, When
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.models import (
    ActorKind,
    Customer,
    Role,
    TeamRules,
    Ticket,
    TicketCategory,
    TicketEvent,
    TicketEventKind,
    TicketRating,
    TicketStatus,
    Tier,
)
from storage.paging import Page, paginate
from storage.tickets_assign import Assigner, assigned_event
from storage.tickets_common import (
    RELATED,
    Audience,
    Notice,
    NoticeKind,
    TicketBrief,
    agent_of,
    brief,
    customer_ticket,
    event,
    managers_of,
    notice,
    policy_minutes,
    reload,
    staff_ticket,
    visible_tickets,
)
from storage.tickets_rules import (
    DESCRIPTION_MAX,
    DONE,
    OPEN,
    PHOTOS_MAX,
    can_reopen,
    clean_contact,
    clean_text,
    deadlines,
    reopen_until,
)

HISTORY_SHOWN = 8
PHOTOS_SENT = 30
HIDDEN_FROM_CUSTOMERS = (TicketEventKind.BREACHED, TicketEventKind.ESCALATED)


@dataclass(frozen=True)
class TicketDraft:
    """What the customer gave in /newticket, before cleaning."""

    category: TicketCategory
    description: str
    photos: tuple[str, ...] = ()
    contact: str | None = None


def clean_description(raw: str) -> str:
    return clean_text(
        raw,
        limit=DESCRIPTION_MAX,
        empty="tickets.description_empty",
        too_long="tickets.description_too_long",
    )


@dataclass(frozen=True)
class Opened:
    ticket: TicketBrief
    first_response_minutes: int
    notices: tuple[Notice, ...]

    @property
    def waiting(self) -> bool:
        return self.ticket.status is TicketStatus.NEW


async def open_ticket(actor: Actor, draft: TicketDraft, *, now: datetime) -> Opened:
    """Open the customer's ticket with its tier's deadlines and give it to an agent at once.

    All or nothing: the ticket, its history and the assignment are one transaction.
    """
    if actor.role is not Role.CUSTOMER or actor.customer_id is None or actor.team_id is None:
        raise NotFound()
    customer = await Customer.get_or_none(id=actor.customer_id, team_id=actor.team_id)
    if customer is None:
        raise NotFound()
    description = clean_description(draft.description)
    if len(draft.photos) > PHOTOS_MAX:
        raise Invalid("tickets.too_many_photos", limit=PHOTOS_MAX)
    contact = clean_contact(draft.contact) if draft.contact else None
    first, resolution = await policy_minutes(customer.team_id, customer.tier)
    response_due, resolution_due = deadlines(now, first, resolution)
    async with in_transaction():
        ticket = await Ticket.create(
            team_id=customer.team_id,
            customer_id=customer.id,
            opened_by_id=actor.user_id,
            category=draft.category,
            description=description,
            contact_preference=contact,
            first_response_due_at=response_due,
            resolution_due_at=resolution_due,
            created_at=now,
        )
        history = [
            event(
                ticket.id,
                TicketEventKind.CREATED,
                now,
                actor,
                text=description,
                photo_file_ids=list(draft.photos),
                to_status=TicketStatus.NEW,
            )
        ]
        assigner = await Assigner.open(customer.team_id, now=now)
        agent = assigner.choose()
        if agent is not None:
            await Ticket.filter(id=ticket.id).update(
                agent_id=agent.id, status=TicketStatus.ASSIGNED
            )
            history.append(
                assigned_event(
                    ticket.id,
                    agent,
                    now,
                    from_status=TicketStatus.NEW,
                    to_status=TicketStatus.ASSIGNED,
                )
            )
        await TicketEvent.bulk_create(history)
        await assigner.save()
        await audit.record(
            "ticket.open",
            "ticket",
            ticket.id,
            now=now,
            actor=actor,
            team_id=customer.team_id,
            data={"agent": agent.id if agent else None, "photos": len(draft.photos)},
        )
    fresh = await reload(ticket.id)
    if agent is not None:
        notices = notice(
            NoticeKind.NEW, Audience.AGENT, agent_of(fresh), fresh, photos=draft.photos
        )
    else:
        notices = [
            Notice(NoticeKind.WAITING, Audience.MANAGERS, to, brief(fresh))
            for to in await managers_of(fresh)
        ]
    return Opened(brief(fresh), first, tuple(notices))


async def my_tickets(actor: Actor, page: int = 0) -> Page[TicketBrief]:
    """The customer's tickets, open ones first, newest first."""
    if actor.role is not Role.CUSTOMER:
        raise NotFound()
    query = (
        visible_tickets(actor)
        .annotate(done=Case(When(status__in=DONE, then="1"), default="0"))
        .select_related(*RELATED)
        .order_by("done", "-created_at", "-id")
    )
    found = await paginate(query, page)
    return Page([brief(t) for t in found.items], found.number, found.total, found.size)


async def open_choices(actor: Actor, limit: int = 5) -> list[TicketBrief]:
    """The customer's open tickets, newest first: where a stray message could go."""
    if actor.role is not Role.CUSTOMER:
        return []
    rows = (
        await visible_tickets(actor)
        .filter(status__in=OPEN)
        .select_related(*RELATED)
        .order_by("-created_at", "-id")
        .limit(limit)
    )
    return [brief(t) for t in rows]


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    kind: TicketEventKind
    side: Audience
    """Who acted: the customer, the service team (AGENT) or the system (MANAGERS)."""
    name: str | None
    """The staff member's name — only in the service view."""
    text: str
    photos: int
    to_status: TicketStatus | None
    internal: bool


@dataclass(frozen=True)
class TicketView:
    """A ticket as ``viewer`` may see it, with what they may do with it."""

    ticket: TicketBrief
    viewer: Audience
    customer_id: int
    tier: Tier
    description: str
    contact: str | None
    photos: int
    history: tuple[HistoryLine, ...]
    earlier: int
    rating: int | None
    reopen_until: datetime | None
    can_take: bool = False
    can_act: bool = False
    can_assign: bool = False
    can_write: bool = False
    can_reopen: bool = False
    can_rate: bool = False


async def ticket_view(actor: Actor, ticket_id: int, *, now: datetime) -> TicketView:
    """The customer's view (their own tickets, public history) or the service view."""
    customer = actor.role is Role.CUSTOMER
    ticket = await (customer_ticket if customer else staff_ticket)(actor, ticket_id)
    events = TicketEvent.filter(ticket_id=ticket.id)
    if customer:
        events = events.filter(internal=False).exclude(kind__in=HIDDEN_FROM_CUSTOMERS)
    total = await events.count()
    shown = await events.select_related("actor").order_by("-created_at", "-id").limit(HISTORY_SHOWN)
    photo_lists = await events.values_list("photo_file_ids", flat=True)
    rating = await TicketRating.get_or_none(ticket_id=ticket.id)
    days = (await TeamRules.get(team_id=ticket.team_id)).ticket_reopen_days
    is_open = ticket.status in OPEN
    mine = ticket.agent_id == actor.user_id
    return TicketView(
        ticket=brief(ticket),
        viewer=Audience.CUSTOMER
        if customer
        else (Audience.AGENT if actor.role is Role.AGENT else Audience.MANAGERS),
        customer_id=ticket.customer_id,
        tier=ticket.customer.tier,
        description=ticket.description,
        contact=ticket.contact_preference,
        photos=sum(len(p) for p in photo_lists if isinstance(p, list)),
        history=tuple(_line(e, ticket, customer) for e in reversed(shown)),
        earlier=max(0, total - len(shown)),
        rating=rating.score if rating else None,
        reopen_until=reopen_until(ticket.resolved_at, days)
        if ticket.status is TicketStatus.RESOLVED
        else None,
        can_take=actor.role is Role.AGENT
        and is_open
        and (ticket.agent_id is None or (mine and ticket.status is TicketStatus.ASSIGNED)),
        can_act=not customer
        and is_open
        and ticket.agent_id is not None
        and (mine or actor.role in (Role.MANAGER, Role.ADMIN)),
        can_assign=actor.role in (Role.MANAGER, Role.ADMIN) and is_open,
        can_write=customer and is_open,
        can_reopen=customer and can_reopen(ticket.status, ticket.resolved_at, days, now),
        can_rate=customer and ticket.status in DONE and rating is None,
    )


def _line(e: TicketEvent, ticket: Ticket, for_customer: bool) -> HistoryLine:
    if e.actor_id is None:
        # a web form or an e-mail gateway writes the customer's own words through the API
        words = e.kind in (TicketEventKind.CREATED, TicketEventKind.MESSAGE)
        side = Audience.CUSTOMER if words and e.actor_kind is ActorKind.API else Audience.MANAGERS
    elif e.actor_id == ticket.opened_by_id or (e.actor and e.actor.role is Role.CUSTOMER):
        side = Audience.CUSTOMER
    else:
        side = Audience.AGENT
    name = None if for_customer or side is not Audience.AGENT or e.actor is None else str(e.actor)
    text = e.text
    if e.kind is TicketEventKind.ASSIGNED and for_customer:
        text = ""  # the agent's name stays inside the team
    return HistoryLine(
        e.created_at,
        e.kind,
        side,
        name,
        text,
        len(e.photo_file_ids or []),
        e.to_status,
        e.internal,
    )


async def ticket_photos(actor: Actor, ticket_id: int) -> list[str]:
    """File ids of the ticket's photos the actor may see, oldest first (at most 30)."""
    customer = actor.role is Role.CUSTOMER
    ticket = await (customer_ticket if customer else staff_ticket)(actor, ticket_id)
    events = TicketEvent.filter(ticket_id=ticket.id)
    if customer:
        events = events.filter(internal=False)
    lists = await events.order_by("created_at", "id").values_list("photo_file_ids", flat=True)
    photos = [str(p) for item in lists if isinstance(item, list) for p in item]
    if not photos:
        raise Invalid("tickets.no_photos", id=ticket.id)
    return photos[:PHOTOS_SENT]
