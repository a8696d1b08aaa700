"""Writing after-sales service: tickets, their event history, and ratings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from storage.demo import catalog as cat
from storage.demo.plan import CustomerPlan
from storage.demo.state import DAY, HOUR, MINUTE, TeamState, insert_rows
from storage.models import (
    ActorKind,
    Ticket,
    TicketCategory,
    TicketEvent,
    TicketEventKind,
    TicketRating,
    TicketStatus,
    User,
)


class TicketWriter(TeamState):
    """Writes tickets with their event history and ratings."""

    async def _write_tickets(self) -> None:
        """Resolved tickets carry the planned ratings (they fed the tier); open ones are live."""
        rng = self.rng
        plans: list[tuple[CustomerPlan, int | None, bool]] = [
            (c, score, True) for c in self.customers for score in c.ratings
        ]  # (customer, rating, resolved)
        after_sales = [
            c
            for c in self.customers
            if c.owner
            and c.won_deals
            and min(d.closed_at or self.now for d in c.won_deals) <= self.now - 20 * DAY
        ]
        for c in after_sales:
            if rng.random() < 0.08:
                plans.append((c, None, True))
        open_count = max(3, round(len(self.customers) / 40))
        for c in rng.sample(after_sales, k=min(open_count, len(after_sales))):
            plans.append((c, None, False))
        for c in self.customers:
            if c.portal and not any(p[0] is c and not p[2] for p in plans):
                plans.append((c, None, False))
        built = sorted((self._ticket(*plan) for plan in plans), key=lambda b: b[0].created_at)
        tickets = [ticket for ticket, _, _ in built]
        ids = await insert_rows(Ticket, tickets, team_id=self.team.id)
        events, ratings = [], []
        for pk, (_, history, rating) in zip(ids, built, strict=True):
            for event in history:
                event.ticket_id = pk
                events.append(event)
            if rating is not None:
                ratings.append(TicketRating(ticket_id=pk, **rating))
        await TicketEvent.bulk_create(events)
        await TicketRating.bulk_create(ratings)
        self.counts["tickets"] = len(tickets)
        self.counts["tickets_open"] = sum(
            1 for t in tickets if t.status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED)
        )
        self.counts["tickets_breached"] = sum(
            1 for t in tickets if t.response_breached or t.resolution_breached
        )

    def _ticket(
        self, c: CustomerPlan, score: int | None, resolved: bool
    ) -> tuple[Ticket, list[TicketEvent], dict[str, Any] | None]:
        """One ticket with an event history whose last status change is the ticket's status."""
        s, rng = self.s, self.rng
        policy = self.policies[c.tier]
        first_close = min((d.closed_at for d in c.won_deals if d.closed_at), default=c.created_at)
        if resolved:  # rated ones long enough ago for a slow resolution, a reopen and a rating
            newest = self.now - (14 if score is not None else 3) * DAY
            created = self._work(
                self._between(max(first_close + DAY, self.now - 150 * DAY), newest)
            )
        else:
            created = max(self.now - timedelta(days=self._u(0.05, 3) ** 1.5), first_close)
        opener = c.portal if c.portal and rng.random() < 0.8 else None
        if opener is None and c.owner and rng.random() < 0.55:
            opener = c.owner.user
        category = rng.choices(list(TicketCategory), (35, 20, 20, 15, 10))[0]
        description = rng.choice(cat.TICKET_TEXTS[category.value][s])
        response_due = created + policy.sla_first_response_minutes * MINUTE
        resolution_due = created + policy.sla_resolution_minutes * MINUTE
        events: list[TicketEvent] = []
        state = {"status": TicketStatus.NEW}

        def add(
            kind: TicketEventKind, at: datetime, actor: User | None = None, **extra: Any
        ) -> None:
            actor_kind = extra.pop("actor_kind", ActorKind.USER if actor else ActorKind.SYSTEM)
            to_status = extra.pop("to", None)
            if to_status is not None:
                extra["from_status"], extra["to_status"] = state["status"], to_status
                state["status"] = to_status
            events.append(
                TicketEvent(
                    kind=kind,
                    actor_id=actor.id if actor else None,
                    actor_kind=actor_kind,
                    created_at=at,
                    **extra,
                )
            )

        photos = [self._file_id("ticket")] if rng.random() < 0.3 else []
        opened_kind = ActorKind.USER if opener else ActorKind.API
        add(
            TicketEventKind.CREATED,
            created,
            opener,
            actor_kind=opened_kind,
            text=description,
            photo_file_ids=photos,
        )
        ticket = Ticket(
            team_id=self.team.id,
            customer_id=c.id,
            opened_by_id=opener.id if opener else None,
            category=category,
            description=description,
            contact_preference=rng.choice(("chat", "phone", "onsite")),
            first_response_due_at=response_due,
            resolution_due_at=resolution_due,
            created_at=created,
        )
        age = self.now - created
        stays_new = not resolved and (age < 2 * HOUR or rng.random() < 0.05)
        if not stays_new:
            ticket.agent_id = self.agent.id
            add(
                TicketEventKind.ASSIGNED,
                created + MINUTE,
                to=TicketStatus.ASSIGNED,
                text=self.agent.full_name,
            )
        responded = created + policy.sla_first_response_minutes * MINUTE * self._u(0.1, 1.1)
        replies = cat.AGENT_REPLIES[s]
        if not stays_new and responded <= self.now and (resolved or rng.random() < 0.8):
            ticket.first_responded_at = responded
            add(TicketEventKind.MESSAGE, responded, self.agent, text=replies[0])
            add(TicketEventKind.STATUS, responded, self.agent, to=TicketStatus.IN_PROGRESS)
        if (ticket.first_responded_at or self.now) > response_due and response_due <= self.now:
            ticket.response_breached = True
            ticket.response_escalated_at = response_due
            add(
                TicketEventKind.BREACHED,
                response_due,
                actor_kind=ActorKind.SCHEDULER,
                internal=True,
                text="first_response",
            )
            add(
                TicketEventKind.ESCALATED,
                response_due,
                actor_kind=ActorKind.SCHEDULER,
                internal=True,
                text="first_response",  # the deadline, as the SLA sweep writes it
            )
        if ticket.first_responded_at and rng.random() < 0.3:
            asked = self._between(responded, min(responded + 6 * HOUR, self.now))
            add(
                TicketEventKind.STATUS,
                asked,
                self.agent,
                to=TicketStatus.WAITING_CUSTOMER,
                text=cat.WAITING_TEXT[s],
            )
            answered = asked + self._u(0.5, 6) * HOUR
            if resolved or (answered <= self.now and rng.random() < 0.6):
                add(
                    TicketEventKind.MESSAGE,
                    answered,
                    opener,
                    actor_kind=ActorKind.USER if opener else ActorKind.API,
                    text=description,
                )
                add(TicketEventKind.STATUS, answered, self.agent, to=TicketStatus.IN_PROGRESS)
        if ticket.first_responded_at and rng.random() < 0.25:
            note_at = self._between(responded, min(responded + 12 * HOUR, self.now))
            add(
                TicketEventKind.MESSAGE,
                note_at,
                self.agent,
                internal=True,
                text=cat.INTERNAL_NOTES[s],
            )
        rating: dict[str, Any] | None = None
        if resolved:
            last = max(e.created_at for e in events)
            solved = max(
                created + policy.sla_resolution_minutes * MINUTE * self._u(0.15, 1.1),
                last + 10 * MINUTE,
            )
            if solved > self.now - 10 * MINUTE:  # a recent ticket: solved just now
                solved = self._between(last, self.now - 5 * MINUTE)
            if solved > resolution_due:
                ticket.resolution_breached = True
                ticket.resolution_escalated_at = resolution_due
                add(
                    TicketEventKind.BREACHED,
                    resolution_due,
                    actor_kind=ActorKind.SCHEDULER,
                    internal=True,
                    text="resolution",
                )
            add(
                TicketEventKind.STATUS,
                solved,
                self.agent,
                to=TicketStatus.RESOLVED,
                text=replies[2],
            )
            if score is not None and rng.random() < 0.05:  # it came back once
                reopened = solved + self._u(1, 48) * HOUR
                add(
                    TicketEventKind.STATUS,
                    reopened,
                    opener,
                    to=TicketStatus.IN_PROGRESS,
                    actor_kind=ActorKind.USER if opener else ActorKind.API,
                    text=description,
                )
                ticket.reopened_count = 1
                solved = reopened + self._u(2, 24) * HOUR
                add(
                    TicketEventKind.STATUS,
                    solved,
                    self.agent,
                    to=TicketStatus.RESOLVED,
                    text=replies[2],
                )
            ticket.resolved_at = solved
            if score is not None:
                rated = solved + self._u(1, 48) * HOUR
                feedback = cat.FEEDBACK[score][s]
                rating = {
                    "customer_id": c.id,
                    "score": score,
                    "feedback": feedback,
                    "created_at": rated,
                }
                add(TicketEventKind.RATED, rated, opener, text=f"{score}/5 {feedback}")
                add(TicketEventKind.STATUS, rated, None, to=TicketStatus.CLOSED)
                ticket.closed_at = rated
            elif solved + timedelta(days=self.rules.ticket_reopen_days) <= self.now:
                closed = solved + timedelta(days=self.rules.ticket_reopen_days)
                add(
                    TicketEventKind.STATUS,
                    closed,
                    None,
                    to=TicketStatus.CLOSED,
                    actor_kind=ActorKind.SCHEDULER,
                )
                ticket.closed_at = closed
        elif resolution_due <= self.now:
            ticket.resolution_breached = True
            ticket.resolution_escalated_at = resolution_due
            add(
                TicketEventKind.BREACHED,
                resolution_due,
                actor_kind=ActorKind.SCHEDULER,
                internal=True,
                text="resolution",
            )
        events.sort(key=lambda e: e.created_at)
        ticket.status = state["status"]
        return ticket, events, rating
