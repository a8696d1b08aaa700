"""A ticket's life on the service side: take, ask for information, transfer, a manager's
assignment, a reopen within the window (the resolution clock restarts), and the close when
the window ends — with the customer told of every status change."""

from __future__ import annotations

from datetime import timedelta

from scheduler.tickets import ticket_sla
from storage.models import Role, Ticket, TicketEvent, TicketEventKind, TicketStatus, User
from tests.support.sim import Sim
from tests.test_ticket_factories import (
    customer_record,
    join_as_customer,
    open_ticket,
    photo,
    staff,
    texts,
)


async def test_take_ask_answer_and_transfer(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    bob = await staff(sim, Role.AGENT, "Bob")
    bea = await join_as_customer(sim, mia, await customer_record(sim))
    await open_ticket(bea)
    ticket = await Ticket.get()
    holder = alice if ticket.agent_id == (await User.get(telegram_id=alice.id)).id else bob
    other = bob if holder is alice else alice

    bea_before = len(bea.messages())
    tap = await holder.tap("Take")
    assert f"Ticket #{ticket.id} is yours" in tap.toast
    assert "Take" not in holder.buttons()  # the card is redrawn without it
    [told] = bea.messages()[bea_before:]
    assert "our service team is working on it" in (told.text or "")
    assert (await Ticket.get(id=ticket.id)).status is TicketStatus.IN_PROGRESS

    await holder.tap("Ask for information")
    bea_before = len(bea.messages())
    [ack] = await holder.send("Which model is it?")
    assert "Sent to the customer" in (ack.text or "")
    await holder.send_photo(photo(3), caption="The label looks like this")
    await holder.tap("Done")
    question, label, picture = bea.messages()[bea_before:]
    assert "we need a little more information" in (question.text or "")
    assert "Which model is it?" in (question.text or "")
    # The photo is sent again by the bot, not forwarded: no trace of who took it.
    assert "The label looks like this" in (label.text or "")
    assert picture.photo and picture.from_bot and picture.forward_origin is None
    assert (await Ticket.get(id=ticket.id)).status is TicketStatus.WAITING_CUSTOMER
    await bea.tap("Answer")
    await bea.send("LaserJet 400")
    await bea.send("/cancel")  # leaving the chat: what was sent stays sent
    assert "We will tell you here" in (bea.last_message().text or "")
    ticket = await Ticket.get(id=ticket.id)
    assert ticket.status is TicketStatus.IN_PROGRESS and ticket.first_responded_at is not None

    await holder.tap("Transfer")
    bea_before = len(bea.messages())
    other_name = "Bob" if other is bob else "Alice"
    other_before = len(other.messages())
    tap = await holder.tap(other_name)
    assert f"went to {other_name}" in texts(tap.changed)
    assert f"New ticket #{ticket.id}" in texts(other.messages()[other_before:])
    assert len(bea.messages()) == bea_before  # a transfer is not news for the customer
    transfer = (
        await TicketEvent.filter(ticket_id=ticket.id, kind=TicketEventKind.ASSIGNED)
        .order_by("-id")
        .first()
    )
    assert transfer is not None and transfer.internal and transfer.text == other_name
    # The previous agent may no longer act on it.
    tap = await holder.tap("Resolve")
    assert f"is {other_name}'s" in tap.toast


async def test_a_manager_assigns_a_waiting_ticket(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    await User.filter(telegram_id=alice.id).update(away=True)
    bea = await join_as_customer(sim, mia, await customer_record(sim))
    await open_ticket(bea)
    ticket = await Ticket.get()
    assert ticket.agent_id is None
    await User.filter(telegram_id=alice.id).update(away=False)
    [queue] = await mia.send("/tickets")
    assert "Team queue — 1 open" in (queue.text or "") and "no agent yet" in (queue.text or "")
    await mia.tap(f"#{ticket.id}")
    assert "👤 Assign" in mia.buttons() and "💬 Reply" not in mia.buttons()
    await mia.tap("Assign")
    bea_before = len(bea.messages())
    tap = await mia.tap("Alice")
    assert "went to Alice" in texts(tap.changed)
    assert f"New ticket #{ticket.id}" in (alice.last_message().text or "")
    [told] = bea.messages()[bea_before:]
    assert "an agent now has it" in (told.text or "")
    ticket = await Ticket.get(id=ticket.id)
    assert ticket.status is TicketStatus.ASSIGNED


async def test_reopen_restarts_resolution_and_the_window_closes_it(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    bea = await join_as_customer(sim, mia, await customer_record(sim))
    await open_ticket(bea)
    await alice.tap("Resolve")
    await alice.tap("Yes, resolve")
    assert "You can reopen it until 2026-03-09 09:00" in (bea.last_message().text or "")

    sim.clock.advance(timedelta(days=2))
    alice_before = len(alice.messages())
    tap = await bea.tap("Not solved")
    assert "open again" in texts(tap.changed)
    await bea.send("Still jams on page 2.")
    await bea.tap("Done")
    ticket = await Ticket.get()
    assert ticket.status is TicketStatus.IN_PROGRESS and ticket.reopened_count == 1
    assert ticket.resolved_at is None
    assert ticket.resolution_due_at == sim.clock.now() + timedelta(days=3)  # regular: 3 days
    assert ticket.resolution_escalated_at is None and ticket.resolution_reminded_at is None
    to_agent = texts(alice.messages()[alice_before:])
    assert f"Ticket #{ticket.id} (Acme) was reopened" in to_agent and "page 2" in to_agent

    await alice.tap("Resolve")
    await alice.tap("Yes, resolve")
    sim.clock.advance(timedelta(days=7))
    bea_before = len(bea.messages())
    await sim.run_job(ticket_sla)
    await sim.run_job(ticket_sla)
    [closed] = bea.messages()[bea_before:]
    assert f"Ticket #{ticket.id} is now closed" in (closed.text or "")
    ticket = await Ticket.get(id=ticket.id)
    assert ticket.status is TicketStatus.CLOSED and ticket.closed_at == sim.clock.now()
    # A rating is still welcome after the close (from the earlier message's buttons).
    tap = await bea.tap("5⭐")
    assert "Thank you for rating" in texts(tap.changed)
    assert (await Ticket.get(id=ticket.id)).status is TicketStatus.CLOSED
