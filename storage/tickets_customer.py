"""What a customer does with their ticket: write to the service team, reopen it, rate it.

Each action is checked against the customer's own tickets (anything else is "not found")
and against the ticket's state, with a conditional update so a change that raced another
(the agent resolving while the customer writes) is refused rather than half-applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid
from storage.models import (
    TeamRules,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketRating,
    TicketStatus,
    User,
)
from storage.tickets_assign import Assigner, assigned_event
from storage.tickets_common import (
    Audience,
    Notice,
    NoticeKind,
    Outcome,
    TicketBrief,
    agent_of,
    brief,
    customer_ticket,
    event,
    managers_of,
    notice,
    policy_minutes,
    reload,
    status_event,
)
from storage.tickets_rules import (
    DONE,
    FEEDBACK_MAX,
    MESSAGE_MAX,
    OPEN,
    SCORES,
    can_reopen,
    clean_text,
    is_away,
)


def clean_message(text: str | None, photos: tuple[str, ...]) -> str:
    """A message's text: may be empty when photos carry it."""
    if not text or not text.strip():
        if photos:
            return ""
        raise Invalid("tickets.message_empty")
    return clean_text(
        text, limit=MESSAGE_MAX, empty="tickets.message_empty", too_long="tickets.message_too_long"
    )


def refuse_done(ticket: Ticket) -> None:
    """A resolved or closed ticket takes no more messages: say what to do instead."""
    if ticket.status is TicketStatus.RESOLVED:
        raise Invalid("tickets.resolved_no_message", id=ticket.id)
    if ticket.status is TicketStatus.CLOSED:
        raise Invalid("tickets.closed_no_message", id=ticket.id)


async def check_writable(actor: Actor, ticket_id: int) -> TicketBrief:
    """The customer's ticket if it still takes messages (else why not)."""
    ticket = await customer_ticket(actor, ticket_id)
    refuse_done(ticket)
    return brief(ticket)


async def customer_message(
    actor: Actor, ticket_id: int, text: str | None, photos: tuple[str, ...], *, now: datetime
) -> Outcome:
    """The customer writes on their open ticket; the agent gets it (a question is answered)."""
    ticket = await customer_ticket(actor, ticket_id)
    refuse_done(ticket)
    body = clean_message(text, photos)
    answered = ticket.status is TicketStatus.WAITING_CUSTOMER
    status = TicketStatus.IN_PROGRESS if answered else ticket.status
    async with in_transaction():
        kept = await Ticket.filter(id=ticket.id, status=ticket.status).update(status=status)
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
        if answered:
            history.append(status_event(ticket, status, now, actor))
        await TicketEvent.bulk_create(history)
    fresh = await reload(ticket.id)
    notices = notice(
        NoticeKind.MESSAGE, Audience.AGENT, agent_of(fresh), fresh, text=body, photos=photos
    )
    return Outcome(brief(fresh), tuple(notices))


async def reopen_ticket(actor: Actor, ticket_id: int, *, now: datetime) -> Outcome:
    """Back to work within the team's reopen window: the resolution clock starts again.

    The ticket returns to its agent; if they are away or gone, it is assigned afresh (or waits).
    """
    ticket = await customer_ticket(actor, ticket_id)
    rules = await TeamRules.get(team_id=ticket.team_id)
    if ticket.status in OPEN:
        raise Invalid("tickets.already_open", id=ticket.id)
    if ticket.status is TicketStatus.CLOSED:
        raise Invalid("tickets.reopen_closed", id=ticket.id)
    if not can_reopen(ticket.status, ticket.resolved_at, rules.ticket_reopen_days, now):
        raise Invalid("tickets.reopen_expired", id=ticket.id, days=rules.ticket_reopen_days)
    _, resolution_minutes = await policy_minutes(ticket.team_id, ticket.customer.tier)
    resolution_due = now + timedelta(minutes=resolution_minutes)
    agent: User | None = ticket.agent
    stays = agent is not None and agent.is_active and not is_away(agent.away, agent.away_until, now)
    async with in_transaction():
        assigner = None if stays else await Assigner.open(ticket.team_id, now=now)
        if assigner is not None:
            agent = assigner.choose()
        status = TicketStatus.IN_PROGRESS if stays else TicketStatus.ASSIGNED
        if agent is None:
            status = TicketStatus.NEW
        reopened = await Ticket.filter(id=ticket.id, status=TicketStatus.RESOLVED).update(
            status=status,
            agent_id=agent.id if agent else None,
            resolved_at=None,
            rating_requested_at=None,
            resolution_due_at=resolution_due,
            resolution_reminded_at=None,
            resolution_escalated_at=None,
            reopened_count=F("reopened_count") + 1,
        )
        if reopened != 1:
            raise Invalid("tickets.changed_meanwhile", id=ticket.id)
        history = [status_event(ticket, status, now, actor, text="reopened")]
        if assigner is not None and agent is not None:
            history.append(assigned_event(ticket.id, agent, now, internal=True))
            await assigner.save()
        await TicketEvent.bulk_create(history)
    fresh = await reload(ticket.id)
    if stays:
        notices = notice(NoticeKind.REOPENED, Audience.AGENT, agent_of(fresh), fresh)
    elif agent is not None:
        notices = notice(NoticeKind.NEW, Audience.AGENT, agent_of(fresh), fresh)
    else:
        notices = [
            Notice(NoticeKind.WAITING, Audience.MANAGERS, to, brief(fresh))
            for to in await managers_of(fresh)
        ]
    return Outcome(brief(fresh), tuple(notices))


@dataclass(frozen=True)
class Rated:
    outcome: Outcome
    score: int
    alerted: bool
    """The score is below the team's alert line: the managers were told."""


async def rate_ticket(actor: Actor, ticket_id: int, score: int, *, now: datetime) -> Rated:
    """The customer's 1–5 after resolution; it closes the ticket. Once per ticket."""
    ticket = await customer_ticket(actor, ticket_id)
    if score not in SCORES:
        raise Invalid("tickets.bad_score")
    if ticket.status not in DONE or ticket.resolved_at is None:
        raise Invalid("tickets.not_resolved", id=ticket.id)
    existing = await TicketRating.get_or_none(ticket_id=ticket.id)
    if existing is not None:
        raise Invalid("tickets.already_rated", id=ticket.id, score=existing.score)
    try:
        async with in_transaction():
            await TicketRating.create(
                ticket_id=ticket.id, customer_id=ticket.customer_id, score=score, created_at=now
            )
            history = [event(ticket.id, TicketEventKind.RATED, now, actor, text=f"{score}/5")]
            if ticket.status is TicketStatus.RESOLVED:
                await Ticket.filter(id=ticket.id, status=TicketStatus.RESOLVED).update(
                    status=TicketStatus.CLOSED, closed_at=now
                )
                history.append(status_event(ticket, TicketStatus.CLOSED, now, actor))
            await TicketEvent.bulk_create(history)
    except IntegrityError as exc:  # a second tap raced the first: one rating per ticket
        raise Invalid("tickets.already_rated", id=ticket.id, score=score) from exc
    rules = await TeamRules.get(team_id=ticket.team_id)
    fresh = await reload(ticket.id)
    notices = notice(NoticeKind.RATED, Audience.AGENT, agent_of(fresh), fresh, score=score)
    alerted = score < rules.low_rating_alert_below
    if alerted:
        notices += [
            Notice(NoticeKind.LOW_RATING, Audience.MANAGERS, to, brief(fresh), score=score)
            for to in await managers_of(fresh)
        ]
    return Rated(Outcome(brief(fresh), tuple(notices)), score, alerted)


async def add_feedback(actor: Actor, ticket_id: int, text: str, *, now: datetime) -> Rated:
    """The customer's words after their rating: to the agent, and to managers if it was low."""
    ticket = await customer_ticket(actor, ticket_id)
    rating = await TicketRating.get_or_none(ticket_id=ticket.id)
    if rating is None:
        raise Invalid("tickets.not_rated", id=ticket.id)
    body = clean_text(
        text,
        limit=FEEDBACK_MAX,
        empty="tickets.feedback_empty",
        too_long="tickets.feedback_too_long",
    )
    async with in_transaction():
        saved = await TicketRating.filter(id=rating.id, feedback="").update(feedback=body)
        if saved != 1:
            raise Invalid("tickets.feedback_given", id=ticket.id)
        await audit.record(
            "ticket.feedback", "ticket", ticket.id, now=now, actor=actor, team_id=ticket.team_id
        )
    rules = await TeamRules.get(team_id=ticket.team_id)
    low = rating.score < rules.low_rating_alert_below
    notices = notice(
        NoticeKind.FEEDBACK, Audience.AGENT, agent_of(ticket), ticket, text=body, score=rating.score
    )
    if low:
        notices += [
            Notice(
                NoticeKind.FEEDBACK,
                Audience.MANAGERS,
                to,
                brief(ticket),
                text=body,
                score=rating.score,
            )
            for to in await managers_of(ticket)
        ]
    return Rated(Outcome(brief(ticket), tuple(notices)), rating.score, low)
