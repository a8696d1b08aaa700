"""/tickets (an agent's queue by deadline, a manager's with breaches first) and /servicestats
(volume, medians, breach rate, ratings and their trend, per agent and per category)."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.models import (
    Customer,
    Role,
    Team,
    Ticket,
    TicketCategory,
    TicketRating,
    TicketStatus,
    Tier,
    User,
)
from storage.tickets_stats import service_stats
from storage.users import to_actor
from tests.support.sim import Sim
from tests.test_ticket_factories import customer_record, join_as_customer, open_ticket, staff

H = timedelta(hours=1)
D = timedelta(days=1)


async def test_agent_and_manager_queues(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    regular = await join_as_customer(sim, mia, await customer_record(sim, "Regular Co"), name="R")
    key = await join_as_customer(
        sim, mia, await customer_record(sim, "Key Co", tier=Tier.KEY), name="K"
    )
    maybe = await join_as_customer(
        sim, mia, await customer_record(sim, "Maybe Co", tier=Tier.POTENTIAL), name="M"
    )
    await open_ticket(regular)  # first response due in 4 h
    await open_ticket(key)  # in 1 h
    await User.filter(telegram_id=alice.id).update(away=True)
    await open_ticket(maybe)  # waits; due in 8 h
    await User.filter(telegram_id=alice.id).update(away=False)
    bob = await staff(sim, Role.AGENT, "Bob")
    await open_ticket(regular, "Bob's one")
    by_name = {t.description: t for t in await Ticket.all().select_related("customer")}
    bobs = by_name["Bob's one"]
    assert bobs.agent_id == (await User.get(telegram_id=bob.id)).id

    [queue] = await alice.send("/tickets")
    text = queue.text or ""
    assert "Your queue — 3 open" in text
    order = [text.index(name) for name in ("Key Co", "Regular Co", "Maybe Co")]
    assert order == sorted(order) and "🆕" in text and "Bob's one" not in text
    assert text.count("Regular Co") == 1  # Bob's ticket is not in Alice's queue

    await Ticket.filter(customer__name="Maybe Co").update(resolution_breached=True)
    [queue] = await mia.send("/tickets")
    text = queue.text or ""
    assert "Team queue — 4 open" in text
    assert text.index("⚠️") < text.index("Key Co")  # the breached one comes first
    assert text.splitlines()[1].startswith("⚠️") and "Maybe Co" in text.splitlines()[1]

    # Once answered, a ticket works against its resolution deadline instead.
    await alice.tap(f"#{by_name['The printer jams on every page.'].id}")
    tickets = await Ticket.filter(customer__name="Key Co")
    await Ticket.filter(id=tickets[0].id).update(first_responded_at=sim.clock.now())
    [queue] = await alice.send("/tickets")
    text = queue.text or ""
    assert text.index("Regular Co") < text.index("Maybe Co") < text.index("Key Co")


async def _ticket(
    team: Team,
    customer: Customer,
    agent: User | None,
    category: TicketCategory,
    created: datetime,
    *,
    first: timedelta | None = None,
    resolved: timedelta | None = None,
    breached: bool = False,
    rating: tuple[int, datetime] | None = None,
) -> Ticket:
    status = TicketStatus.CLOSED if resolved else TicketStatus.IN_PROGRESS
    ticket = await Ticket.create(
        team=team,
        customer=customer,
        agent=agent,
        category=category,
        description="x",
        status=status if agent else TicketStatus.NEW,
        first_response_due_at=created + H,
        resolution_due_at=created + D,
        first_responded_at=created + first if first else None,
        resolved_at=created + resolved if resolved else None,
        response_breached=breached,
        created_at=created,
    )
    if rating is not None:
        await TicketRating.create(
            ticket=ticket, customer=customer, score=rating[0], created_at=rating[1]
        )
    return ticket


async def test_service_stats(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    ann = await staff(sim, Role.AGENT, "Ann")
    ben = await staff(sim, Role.AGENT, "Ben")
    now = sim.clock.now()
    team = await Team.get(name="North")
    acme = await customer_record(sim, "Acme")
    a, b = await User.get(telegram_id=ann.id), await User.get(telegram_id=ben.id)
    product, billing = TicketCategory.PRODUCT, TicketCategory.BILLING
    await _ticket(
        team, acme, a, product, now - 10 * D, first=H, resolved=10 * H, rating=(5, now - 9 * D)
    )
    await _ticket(
        team,
        acme,
        a,
        product,
        now - 5 * D,
        first=3 * H,
        resolved=20 * H,
        breached=True,
        rating=(2, now - 4 * D),
    )
    await _ticket(team, acme, b, billing, now - 2 * D, first=timedelta(minutes=30))
    await _ticket(team, acme, None, billing, now - 1 * D, breached=True)
    await _ticket(
        team, acme, a, product, now - 40 * D, first=H, resolved=H, rating=(4, now - 35 * D)
    )
    south = await Team.create(name="South")
    other = await Customer.create(team=south, name="Elsewhere", name_key="elsewhere")
    await _ticket(south, other, None, product, now - D, breached=True, rating=(1, now - D))

    stats = await service_stats(to_actor(await User.get(telegram_id=mia.id)), 30, now=now)
    team_row = stats.team
    assert (team_row.tickets, team_row.open, team_row.breached) == (4, 2, 2)
    assert team_row.first_response_median == 3600  # of 30 min, 1 h, 3 h
    assert team_row.resolution_median == 15 * 3600  # of 10 h and 20 h
    assert (team_row.rating_avg, team_row.ratings, stats.previous_rating) == (3.5, 2, 4.0)
    assert stats.trend == -0.5
    agents = {r.key: r for r in stats.agents}
    assert (agents["Ann"].tickets, agents["Ann"].breached, agents["Ann"].ratings) == (2, 1, 2)
    assert agents["Ann"].first_response_median == 2 * 3600
    assert agents["Ben"].first_response_median == 1800 and agents["Ben"].rating_avg is None
    assert (agents[""].tickets, agents[""].open) == (1, 1)  # unassigned
    categories = {r.key: r.tickets for r in stats.categories}
    assert categories == {"product": 2, "billing": 2}

    [message] = await mia.send("/servicestats")
    text = message.text or ""
    assert "Service, last 30 days" in text
    assert "The team: tickets 4 · open 2 · missed deadlines 50%" in text
    assert "first response 1 h · resolution 15 h (medians) · ⭐ 3.5 (2)" in text
    assert "▼ 0.5 against the 30 days before (4.0)" in text
    assert "Ann: tickets 2" in text and "no agent yet: tickets 1" in text
    assert "Billing: tickets 2" in text
    tap = await mia.tap("7 days")
    week = tap.changed[-1].text or ""
    assert "last 7 days" in week and "The team: tickets 3" in week
    assert "▼ 3.0 against the 7 days before (5.0)" in week

    [refused] = await ann.send("/servicestats")
    assert "not available for your role" in (refused.text or "")
