"""Who works a ticket: automatic assignment, waiting tickets, taking and transferring.

``Assigner`` applies ``tickets_rules.choose_agent`` inside one transaction: it locks the
team's rules row (PostgreSQL; SQLite serialises writers), so concurrent assignments queue
and the round-robin cursor moves once per ticket. Loads are counted with one grouped query
and updated in memory between tickets. A waiting ticket is taken by a conditional update
(``agent_id`` still NULL), so it is never given twice — by the retry sweep, a manager or an
agent who takes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from tortoise.functions import Count
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotAllowed
from storage.models import Role, TeamRules, Ticket, TicketEvent, TicketEventKind, TicketStatus, User
from storage.tickets_common import (
    Audience,
    Notice,
    NoticeKind,
    Outcome,
    agent_of,
    brief,
    customer_of,
    event,
    notice,
    reload,
    staff_ticket,
    status_event,
)
from storage.tickets_rules import OPEN, WORKING, AgentLoad, choose_agent, is_away

WAITING_PER_TEAM = 50
"""Waiting tickets offered again per team and sweep; the rest follow on the next tick."""


class Assigner:
    """A team's agents, their loads and the round-robin cursor, for one transaction."""

    def __init__(self, rules: TeamRules, agents: list[User], loads: dict[int, AgentLoad]):
        self.rules = rules
        self.agents = {agent.id: agent for agent in agents}
        self.loads = loads
        self.cursor = int(rules.ticket_round_robin_cursor)

    @classmethod
    async def open(cls, team_id: int, *, now: datetime) -> Assigner:
        """Lock the team's rules row and load its agents; call inside ``in_transaction``."""
        rules = await TeamRules.filter(team_id=team_id).select_for_update().get()
        agents = await User.filter(team_id=team_id, role=Role.AGENT, is_active=True).order_by("id")
        counts = await (
            Ticket.filter(agent_id__in=[a.id for a in agents], status__in=WORKING)
            .annotate(n=Count("id"))
            .group_by("agent_id")
            .values("agent_id", "n")
        )
        load = {int(row["agent_id"]): int(row["n"]) for row in counts}
        loads = {
            a.id: AgentLoad(a.id, load.get(a.id, 0), is_away(a.away, a.away_until, now))
            for a in agents
        }
        return cls(rules, agents, loads)

    def choose(self) -> User | None:
        """The next ticket's agent, counted against them at once; None: nobody is available."""
        chosen = choose_agent(list(self.loads.values()), self.cursor)
        if chosen is None:
            return None
        self._count(chosen, +1)
        self.cursor = chosen
        return self.agents[chosen]

    def release(self, agent_id: int) -> None:
        """Undo ``choose`` when the ticket was taken by someone else meanwhile."""
        self._count(agent_id, -1)

    def _count(self, agent_id: int, delta: int) -> None:
        load = self.loads[agent_id]
        self.loads[agent_id] = replace(load, open_tickets=load.open_tickets + delta)

    async def save(self) -> None:
        if self.cursor != self.rules.ticket_round_robin_cursor:
            await TeamRules.filter(id=self.rules.id).update(ticket_round_robin_cursor=self.cursor)


def assigned_event(
    ticket_id: int, agent: User, now: datetime, actor: Actor | None = None, **fields: object
) -> TicketEvent:
    """The history entry naming the agent (internal when the customer need not know)."""
    return event(ticket_id, TicketEventKind.ASSIGNED, now, actor, text=str(agent), **fields)


async def assign_waiting(*, now: datetime) -> list[Notice]:
    """Offer waiting tickets again (agents come back from leave): oldest first, per team.

    Teams with nothing waiting cost nothing; a team whose agents are all away stops at its
    first ticket. Each ticket is taken with a conditional update.
    """
    rows = await Ticket.filter(status=TicketStatus.NEW, agent_id=None).distinct().values("team_id")
    assigned: list[int] = []
    for team_id in sorted({int(row["team_id"]) for row in rows}):
        assigned += await _assign_team(team_id, now)
    if not assigned:
        return []
    notices: list[Notice] = []
    for ticket in await Ticket.filter(id__in=assigned).select_related(
        "team", "customer", "agent", "opened_by"
    ):
        notices += notice(NoticeKind.NEW, Audience.AGENT, agent_of(ticket), ticket)
        notices += notice(NoticeKind.ASSIGNED, Audience.CUSTOMER, customer_of(ticket), ticket)
    return notices


async def _assign_team(team_id: int, now: datetime) -> list[int]:
    done: list[int] = []
    async with in_transaction():
        assigner = await Assigner.open(team_id, now=now)
        waiting = (
            await Ticket.filter(team_id=team_id, status=TicketStatus.NEW, agent_id=None)
            .order_by("id")
            .limit(WAITING_PER_TEAM)
        )
        events = []
        for ticket in waiting:
            agent = assigner.choose()
            if agent is None:
                break
            taken = await Ticket.filter(
                id=ticket.id, status=TicketStatus.NEW, agent_id=None
            ).update(agent_id=agent.id, status=TicketStatus.ASSIGNED)
            if taken != 1:
                assigner.release(agent.id)
                continue
            events.append(
                assigned_event(
                    ticket.id,
                    agent,
                    now,
                    from_status=TicketStatus.NEW,
                    to_status=TicketStatus.ASSIGNED,
                )
            )
            done.append(ticket.id)
        if events:
            await TicketEvent.bulk_create(events)
        await assigner.save()
    return done


# ----- an agent takes a ticket; an agent or a manager transfers it -------------------------


async def take_ticket(actor: Actor, ticket_id: int, *, now: datetime) -> Outcome:
    """An agent starts working a ticket: their own (acknowledged), or a waiting one (claimed)."""
    ticket = await staff_ticket(actor, ticket_id)
    actor.require(Role.AGENT)
    if ticket.status not in OPEN:
        raise Invalid("tickets.is_done", id=ticket.id)
    if ticket.agent_id not in (None, actor.user_id):
        raise Invalid("tickets.taken_by_other", id=ticket.id, agent=brief(ticket).agent_name)
    if ticket.agent_id == actor.user_id and ticket.status is not TicketStatus.ASSIGNED:
        raise Invalid("tickets.already_yours", id=ticket.id)
    async with in_transaction():
        taken = await Ticket.filter(
            id=ticket.id, status=ticket.status, agent_id=ticket.agent_id
        ).update(agent_id=actor.user_id, status=TicketStatus.IN_PROGRESS)
        if taken != 1:
            raise Invalid("tickets.changed_meanwhile", id=ticket.id)
        history = [status_event(ticket, TicketStatus.IN_PROGRESS, now, actor)]
        if ticket.agent_id is None:
            agent = await User.get(id=actor.user_id)
            history.insert(0, assigned_event(ticket.id, agent, now, actor))
        await TicketEvent.bulk_create(history)
    fresh = await reload(ticket.id)
    return Outcome(
        brief(fresh), tuple(notice(NoticeKind.TAKEN, Audience.CUSTOMER, customer_of(fresh), fresh))
    )


@dataclass(frozen=True)
class AgentChoice:
    user_id: int
    name: str
    open_tickets: int


async def transfer_choices(actor: Actor, ticket_id: int, *, now: datetime) -> list[AgentChoice]:
    """The team's available agents a ticket can go to (not its current one)."""
    ticket = await _transferable(actor, ticket_id)
    agents = await User.filter(team_id=ticket.team_id, role=Role.AGENT, is_active=True).order_by(
        "full_name", "id"
    )
    counts = await (
        Ticket.filter(agent_id__in=[a.id for a in agents], status__in=WORKING)
        .annotate(n=Count("id"))
        .group_by("agent_id")
        .values("agent_id", "n")
    )
    load = {int(row["agent_id"]): int(row["n"]) for row in counts}
    choices = [
        AgentChoice(a.id, str(a), load.get(a.id, 0))
        for a in agents
        if a.id != ticket.agent_id and not is_away(a.away, a.away_until, now)
    ]
    if not choices:
        raise Invalid("tickets.no_other_agent")
    return choices


async def _transferable(actor: Actor, ticket_id: int) -> Ticket:
    ticket = await staff_ticket(actor, ticket_id)
    if actor.role is Role.AGENT and ticket.agent_id != actor.user_id:
        raise NotAllowed()
    if ticket.status not in OPEN:
        raise Invalid("tickets.is_done", id=ticket.id)
    return ticket


async def transfer_ticket(actor: Actor, ticket_id: int, agent_id: int, *, now: datetime) -> Outcome:
    """Give the ticket to another available agent of the team (a manager: also a waiting one)."""
    choices = {c.user_id for c in await transfer_choices(actor, ticket_id, now=now)}
    ticket = await _transferable(actor, ticket_id)
    if agent_id not in choices:
        raise Invalid("tickets.agent_unavailable")
    agent = await User.get(id=agent_id)
    waiting = ticket.status is TicketStatus.NEW
    status = TicketStatus.ASSIGNED if waiting else ticket.status
    async with in_transaction():
        moved = await Ticket.filter(
            id=ticket.id, status=ticket.status, agent_id=ticket.agent_id
        ).update(agent_id=agent.id, status=status)
        if moved != 1:
            raise Invalid("tickets.changed_meanwhile", id=ticket.id)
        await assigned_event(
            ticket.id,
            agent,
            now,
            actor,
            from_status=ticket.status,
            to_status=status,
            internal=not waiting,
        ).save()
        await audit.record(
            "ticket.transfer",
            "ticket",
            ticket.id,
            now=now,
            actor=actor,
            team_id=ticket.team_id,
            data={"from": ticket.agent_id, "to": agent.id},
        )
    fresh = await reload(ticket.id)
    notices = notice(NoticeKind.NEW, Audience.AGENT, agent_of(fresh), fresh)
    if waiting:
        notices += notice(NoticeKind.ASSIGNED, Audience.CUSTOMER, customer_of(fresh), fresh)
    return Outcome(brief(fresh), tuple(notices))
