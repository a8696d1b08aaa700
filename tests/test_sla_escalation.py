"""The SLA job with a controllable clock: a reminder before the first-response deadline, then
the breach recorded and escalated to the team's group (or its managers) — once per ticket and
deadline, however often the job runs, across a restart and with two runs at once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from scheduler.tickets import ticket_sla
from storage.models import (
    Role,
    Team,
    TeamRules,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
    Tier,
)
from tests.support.sim import Sim
from tests.test_ticket_factories import (
    customer_record,
    join_as_customer,
    open_ticket,
    staff,
    texts,
)

MINUTE = timedelta(minutes=1)


async def test_reminder_then_breach_then_escalation_once(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    group = sim.group("North service", mia, alice)
    await group.add_bot(by=mia)
    await mia.send("/bindgroup", chat=group.chat)
    acme = await customer_record(sim, "Acme", tier=Tier.KEY)  # key: answer within 1 h
    bea = await join_as_customer(sim, mia, acme)
    await open_ticket(bea)
    ticket = await Ticket.get(customer_id=acme.id)
    assert ticket.first_response_due_at == sim.clock.now() + timedelta(hours=1)
    alice_before, group_before = len(alice.messages()), len(sim.emu.bot_messages(group.id))

    sim.clock.advance(25 * MINUTE)  # 35 minutes left: too early for the 30-minute reminder
    await sim.run_job(ticket_sla)
    assert len(alice.messages()) == alice_before

    sim.clock.advance(10 * MINUTE)  # 25 minutes left
    await sim.run_job(ticket_sla)
    await sim.run_job(ticket_sla)  # twice: one reminder
    [reminder] = alice.messages()[alice_before:]
    assert f"Ticket #{ticket.id} (Acme)" in (reminder.text or "")
    assert "first-response deadline is 2026-03-02 10:00 — 25 min left" in (reminder.text or "")
    assert "💬 Reply" in alice.buttons()
    await sim.restart()
    await sim.run_job(ticket_sla)
    assert len(alice.messages()) == alice_before + 1
    assert len(sim.emu.bot_messages(group.id)) == group_before  # nothing for the managers yet

    sim.clock.advance(26 * MINUTE)  # one minute past the deadline
    await asyncio.gather(sim.run_job(ticket_sla), sim.run_job(ticket_sla))  # two at once
    await sim.run_job(ticket_sla)
    [breach] = alice.messages()[alice_before + 1 :]
    assert "missed its first-response deadline (2026-03-02 10:00)" in (breach.text or "")
    [escalation] = sim.emu.bot_messages(group.id)[group_before:]
    assert "Service deadlines missed (1)" in (escalation.text or "")
    assert f"#{ticket.id} Acme" in (escalation.text or "") and "Alice" in (escalation.text or "")
    assert "The printer jams" not in (escalation.text or "")  # a group sees no ticket details

    await sim.restart()
    await sim.run_job(ticket_sla)
    assert len(sim.emu.bot_messages(group.id)) == group_before + 1
    ticket = await Ticket.get(id=ticket.id)
    assert ticket.response_breached and ticket.response_escalated_at == sim.clock.now()
    assert ticket.response_reminded_at is not None and not ticket.resolution_breached
    kinds = await TicketEvent.filter(ticket_id=ticket.id, internal=True).values_list("kind", "text")
    assert sorted(kinds) == [
        (TicketEventKind.BREACHED, "first_response"),
        (TicketEventKind.ESCALATED, "first_response"),
    ]

    # Tapping the ticket in the group sends its details privately, never into the group.
    tap = await mia.tap(f"#{ticket.id}", chat=group.chat)
    assert tap.toast == "Sent to your private chat."
    assert "The printer jams" in (mia.last_message().text or "")

    # The late first answer ends the first-response clock; the resolution clock runs on.
    await alice.tap("Reply")
    await alice.send("On it.")
    sim.clock.advance(timedelta(hours=22, minutes=35))  # 25 minutes before resolution due
    await sim.run_job(ticket_sla)
    assert "resolution deadline is 2026-03-03 09:00" in (alice.last_message().text or "")
    sim.clock.advance(30 * MINUTE)
    await sim.run_job(ticket_sla)
    [second] = sim.emu.bot_messages(group.id)[group_before + 1 :]
    assert "resolution due" in (second.text or "")
    ticket = await Ticket.get(id=ticket.id)
    assert ticket.resolution_breached and ticket.resolution_escalated_at is not None


async def test_without_a_group_each_manager_hears_privately(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    max_ = await staff(sim, Role.MANAGER, "Max")
    await staff(sim, Role.AGENT, "Alice")
    acme = await customer_record(sim, "Acme")
    bea = await join_as_customer(sim, mia, acme)
    await open_ticket(bea)
    sim.clock.advance(timedelta(hours=4, minutes=1))  # regular tier: 4 h
    await sim.run_job(ticket_sla)
    for manager in (mia, max_):
        assert "Service deadlines missed (1)" in (manager.last_message().text or "")


async def test_answered_in_time_is_never_escalated_and_zero_minutes_never_reminds(
    sim: Sim,
) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    team = await Team.get(name="North")
    await TeamRules.filter(team_id=team.id).update(sla_reminder_minutes=0)
    acme = await customer_record(sim, "Acme")
    bea = await join_as_customer(sim, mia, acme)
    await open_ticket(bea)
    await alice.tap("Reply")
    await alice.send("Looking into it.")
    await alice.tap("Done")
    before = len(alice.messages()), len(mia.messages())
    sim.clock.advance(timedelta(hours=3, minutes=50))
    await sim.run_job(ticket_sla)
    sim.clock.advance(timedelta(hours=1))
    await sim.run_job(ticket_sla)
    assert (len(alice.messages()), len(mia.messages())) == before
    ticket = await Ticket.get(customer_id=acme.id)
    assert ticket.response_reminded_at is None and not ticket.response_breached


async def test_a_waiting_ticket_is_assigned_when_an_agent_is_back(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    await Team.get(name="North")
    from storage.models import User

    await User.filter(telegram_id=alice.id).update(away_until=sim.clock.now() + 10 * MINUTE)
    acme = await customer_record(sim, "Acme")
    bea = await join_as_customer(sim, mia, acme)
    confirmation = texts(await open_ticket(bea))
    assert "All our agents are busy right now" in confirmation
    ticket = await Ticket.get(customer_id=acme.id)
    assert ticket.status is TicketStatus.NEW and ticket.agent_id is None
    assert f"Ticket #{ticket.id} (Acme, Product problem) is waiting" in (
        mia.last_message().text or ""
    )

    await sim.run_job(ticket_sla)  # still away: it keeps waiting, nobody is told again
    assert (await Ticket.get(id=ticket.id)).agent_id is None
    sim.clock.advance(11 * MINUTE)
    bea_before = len(bea.messages())
    await sim.run_job(ticket_sla)
    await sim.run_job(ticket_sla)
    ticket = await Ticket.get(id=ticket.id)
    assert ticket.status is TicketStatus.ASSIGNED and ticket.agent_id is not None
    assert f"New ticket #{ticket.id}" in (alice.last_message().text or "")
    [told] = bea.messages()[bea_before:]
    assert "an agent now has it" in (told.text or "")
    assert await TicketEvent.filter(ticket_id=ticket.id, kind=TicketEventKind.ASSIGNED).count() == 1
