"""Automatic assignment on the database: least open load, round-robin on ties, away agents
skipped, concurrent openings counted one by one, and the tier's deadlines stamped."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta

from storage.access import Actor
from storage.models import (
    ActorKind,
    Customer,
    PortalAccount,
    Role,
    Team,
    TeamRules,
    Ticket,
    TicketCategory,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
    Tier,
    TierPolicy,
    User,
)
from storage.teams import create_team
from storage.tickets import TicketDraft, open_ticket, ticket_view
from storage.tickets_common import Audience
from storage.users import actor_for
from tests.support.sim import Sim
from tests.test_ticket_factories import customer_record, join_as_customer, staff
from tests.test_ticket_factories import open_ticket as open_ticket_in_chat

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
_ids = itertools.count(7_000_001)


async def _user(team: Team, role: Role, name: str, **fields: object) -> User:
    return await User.create(telegram_id=next(_ids), full_name=name, role=role, team=team, **fields)


async def _customer(team: Team, name: str, tier: Tier = Tier.REGULAR) -> Actor:
    customer = await Customer.create(team=team, name=name, name_key=name.lower(), tier=tier)
    user = await _user(team, Role.CUSTOMER, f"{name} contact")
    await PortalAccount.create(user=user, customer=customer, created_at=NOW)
    return await actor_for(user)


def _draft(text: str = "It broke.") -> TicketDraft:
    return TicketDraft(TicketCategory.PRODUCT, text)


async def test_least_load_then_round_robin_and_away_agents_skipped(db: str) -> None:
    team = await create_team(None, "North", "Asia/Shanghai", now=NOW)
    ann = await _user(team, Role.AGENT, "Ann")
    ben = await _user(team, Role.AGENT, "Ben")
    cat = await _user(team, Role.AGENT, "Cat", away=True)
    await _user(team, Role.AGENT, "Dan", is_active=False)
    customer = await _customer(team, "Acme")
    busy = await open_ticket(customer, _draft(), now=NOW)  # Ann (lowest id on a tie)
    assert busy.ticket.agent_name == "Ann"
    picks = [(await open_ticket(customer, _draft(), now=NOW)).ticket.agent_name for _ in range(3)]
    assert picks == ["Ben", "Ann", "Ben"]  # Ben had less load, then they alternate
    rules = await TeamRules.get(team_id=team.id)
    assert rules.ticket_round_robin_cursor == ben.id
    await User.filter(id=cat.id).update(away=False)
    assert (await open_ticket(customer, _draft(), now=NOW)).ticket.agent_name == "Cat"
    # Resolved tickets do not count as load.
    await Ticket.filter(agent_id=ann.id).update(status=TicketStatus.RESOLVED)
    assert (await open_ticket(customer, _draft(), now=NOW)).ticket.agent_name == "Ann"


async def test_no_available_agent_means_the_ticket_waits(db: str) -> None:
    team = await create_team(None, "North", "Asia/Shanghai", now=NOW)
    await _user(team, Role.AGENT, "Ann", away_until=NOW + timedelta(days=1))
    manager = await _user(team, Role.MANAGER, "Mia")
    customer = await _customer(team, "Acme")
    opened = await open_ticket(customer, _draft(), now=NOW)
    assert opened.waiting and opened.ticket.agent_name is None
    assert [n.to.chat_id for n in opened.notices] == [manager.telegram_id]


async def test_concurrent_openings_are_spread_evenly(db: str) -> None:
    team = await create_team(None, "North", "Asia/Shanghai", now=NOW)
    agents = [await _user(team, Role.AGENT, name) for name in ("Ann", "Ben")]
    customers = [await _customer(team, f"Customer {n}") for n in range(6)]
    await asyncio.gather(*(open_ticket(c, _draft(), now=NOW) for c in customers))
    loads = [await Ticket.filter(agent_id=a.id).count() for a in agents]
    assert loads == [3, 3]


async def test_deadlines_follow_the_customers_tier(db: str) -> None:
    team = await create_team(None, "North", "Asia/Shanghai", now=NOW)
    await _user(team, Role.AGENT, "Ann")
    await TierPolicy.filter(team_id=team.id, tier=Tier.KEY).update(
        sla_first_response_minutes=15, sla_resolution_minutes=120
    )
    key = await _customer(team, "Key Co", Tier.KEY)
    opened = await open_ticket(key, _draft(), now=NOW)
    assert opened.first_response_minutes == 15
    assert opened.ticket.first_response_due_at == NOW + timedelta(minutes=15)
    assert opened.ticket.resolution_due_at == NOW + timedelta(hours=2)
    potential = await _customer(team, "Maybe Co", Tier.POTENTIAL)
    opened = await open_ticket(potential, _draft(), now=NOW)
    assert opened.ticket.first_response_due_at == NOW + timedelta(hours=8)
    assert opened.ticket.resolution_due_at == NOW + timedelta(days=5)


async def test_an_agent_on_leave_gets_no_tickets_until_back(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    await staff(sim, Role.AGENT, "Ben")
    acme = await customer_record(sim, "Acme")
    bea = await join_as_customer(sim, mia, acme)

    [answer] = await alice.send("/away until 2026-03-10")
    assert "No new leads or tickets reach you" in (answer.text or "")
    await open_ticket_in_chat(bea)
    await open_ticket_in_chat(bea, "The scanner is dead too.")
    names = [
        t.agent.full_name
        for t in await Ticket.filter(customer_id=acme.id).prefetch_related("agent")
    ]
    assert names == ["Ben", "Ben"]

    [answer] = await alice.send("/away off")
    assert "Welcome back" in (answer.text or "")
    await open_ticket_in_chat(bea, "And the stapler.")
    latest = (
        await Ticket.filter(customer_id=acme.id).order_by("-id").first().prefetch_related("agent")
    )
    assert latest is not None and latest.agent.full_name == "Alice"


async def test_words_that_came_through_the_api_are_the_customers(db: str) -> None:
    team = await create_team(None, "North", "Asia/Shanghai", now=NOW)
    ann = await _user(team, Role.AGENT, "Ann")
    acme = await Customer.create(team=team, name="Acme", name_key="acme")
    ticket = await Ticket.create(
        team=team,
        customer=acme,
        agent=ann,
        description="The printer jams.",
        first_response_due_at=NOW + timedelta(hours=4),
        resolution_due_at=NOW + timedelta(days=3),
    )
    for kind in (TicketEventKind.CREATED, TicketEventKind.MESSAGE):
        await TicketEvent.create(
            ticket=ticket, kind=kind, actor_kind=ActorKind.API, text="jams", created_at=NOW
        )
    await TicketEvent.create(
        ticket=ticket, kind=TicketEventKind.BREACHED, actor_kind=ActorKind.SCHEDULER, created_at=NOW
    )
    view = await ticket_view(await actor_for(ann), ticket.id, now=NOW)
    sides = [line.side for line in view.history]
    assert sides == [Audience.CUSTOMER, Audience.CUSTOMER, Audience.MANAGERS]
