"""A customer reaches their own tickets and nothing else of the CRM.

Another customer's ticket id in a forged button answers exactly like an id that does not
exist, and changes nothing; staff commands and buttons reveal nothing and change nothing;
agents of another team do not see the ticket either."""

from __future__ import annotations

from bot.callbacks.customers import OpenCustomer
from bot.callbacks.pool import ClaimCustomer
from bot.callbacks.tickets import (
    FilePending,
    OpenTicket,
    QueuePage,
    RateTicket,
    ReopenTicket,
    ReplyToTicket,
    ResolveTicket,
    StatsPeriod,
    TakeTicket,
    TicketPhotos,
    TransferTo,
    WriteOnTicket,
)
from storage.models import Customer, Role, Ticket, TicketEvent, TicketRating, TicketStatus, User
from tests.support.sim import Person, Sim
from tests.test_ticket_factories import customer_record, join_as_customer, open_ticket, staff

NOT_FOUND = "Not found — it may have been removed, or it is not visible to you."
STAFF_COMMANDS = (
    "/tickets",
    "/servicestats",
    "/pool",
    "/my",
    "/find Acme",
    "/customer 1",
    "/leads",
    "/lead",
    "/newcustomer",
    "/team",
    "/invite",
    "/settings",
    "/import",
    "/poolflow",
    "/away off",
    "/newteam",
    "/teams",
)


async def _two_customers(sim: Sim) -> tuple[Person, Person, Person, Ticket, Ticket]:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    acme, beta = await customer_record(sim, "Acme"), await customer_record(sim, "Beta Co")
    bea = await join_as_customer(sim, mia, acme, name="Bea")
    carl = await join_as_customer(sim, mia, beta, name="Carl")
    await open_ticket(bea, "Acme's secret problem", photos=1)
    await open_ticket(carl, "Carl's own problem")
    mine = await Ticket.get(customer_id=beta.id)
    theirs = await Ticket.get(customer_id=acme.id)
    assert alice  # the agent both tickets went to
    return bea, carl, mia, theirs, mine


async def _state() -> tuple[int, int, list[tuple[int, str]]]:
    statuses = await Ticket.all().order_by("id").values_list("id", "status")
    return await TicketEvent.all().count(), await TicketRating.all().count(), statuses


async def test_another_customers_ticket_answers_like_a_missing_one(sim: Sim) -> None:
    bea, carl, _, theirs, mine = await _two_customers(sim)
    # Make Bea's ticket rateable and reopenable: forged taps must still not reach it.
    await Ticket.filter(id=theirs.id).update(
        status=TicketStatus.RESOLVED, resolved_at=sim.clock.now()
    )
    [ask] = await carl.send("Is this about my other order?")  # kept, waiting for a ticket
    assert "Which ticket is this about?" in (ask.text or "")
    before = await _state()
    message = carl.last_message()
    forged = [
        OpenTicket,
        WriteOnTicket,
        ReopenTicket,
        TicketPhotos,
        lambda i: RateTicket(i, 1),
        lambda i: FilePending(i),
    ]
    for make in forged:
        missing = await carl.tap_data(message, make(99_999).pack(), forged=True)  # type: ignore[operator]
        other = await carl.tap_data(message, make(theirs.id).pack(), forged=True)  # type: ignore[operator]
        assert other.toast == missing.toast, make
        assert other.toast == NOT_FOUND, make
        assert "Acme" not in " ".join(m.text or "" for m in other.changed)
    assert await _state() == before

    # Their own ticket opens, with their own history only.
    tap = await carl.tap_data(message, OpenTicket(mine.id).pack(), forged=True)
    view = tap.changed[-1].text or ""
    assert "Carl's own problem" in view and "secret" not in view
    # /mytickets lists only their own.
    [listing] = await carl.send("/mytickets")
    assert f"#{mine.id}" in (listing.text or "") and f"#{theirs.id}" not in (listing.text or "")
    assert bea  # Bea's own view is tested in the story


async def test_staff_commands_and_buttons_reveal_and_change_nothing(sim: Sim) -> None:
    _, carl, _, theirs, mine = await _two_customers(sim)
    acme = await Customer.get(name="Acme")
    before = await _state()
    for command in STAFF_COMMANDS:
        replies = await carl.send(command.replace("/customer 1", f"/customer {acme.id}"))
        text = " ".join(m.text or "" for m in replies)
        assert "Acme" not in text and "secret" not in text, command
        assert not any(m.reply_markup for m in replies), command
    message = carl.last_message()
    agent = await User.get(role=Role.AGENT)
    for data in (
        TakeTicket(mine.id),
        ReplyToTicket(mine.id, ask=False),
        ResolveTicket(mine.id, confirmed=True),
        TransferTo(theirs.id, agent.id),
        QueuePage(0),
        StatsPeriod(30),
        OpenCustomer(acme.id),
        ClaimCustomer(acme.id),
    ):
        tap = await carl.tap_data(message, data.pack(), forged=True)
        assert tap.toast, data
        assert not any("Acme" in (m.text or "") for m in tap.changed), data
    assert await _state() == before
    assert (await Ticket.get(id=mine.id)).status is TicketStatus.ASSIGNED


async def test_staff_commands_answer_a_customer_as_if_they_did_not_exist(sim: Sim) -> None:
    _, carl, _, _, mine = await _two_customers(sim)
    for command in STAFF_COMMANDS:
        name = command.split()[0]
        [reply] = await carl.send(command)
        assert reply.text == f"I don't know {name}. /help lists what you can do.", command
    message = carl.last_message()
    tap = await carl.tap_data(message, TakeTicket(mine.id).pack(), forged=True)
    assert tap.toast == "This button is no longer active."


async def test_agents_of_another_team_and_reps_do_not_see_the_ticket(sim: Sim) -> None:
    _, _, _, theirs, _ = await _two_customers(sim)
    south_agent = await staff(sim, Role.AGENT, "Sam", team="South")
    rep = await staff(sim, Role.REP, "Rob")
    for person in (south_agent, rep):
        message = person.last_message()
        for data in (OpenTicket(theirs.id), TakeTicket(theirs.id), TicketPhotos(theirs.id)):
            tap = await person.tap_data(message, data.pack(), forged=True)
            assert "secret" not in " ".join(m.text or "" for m in tap.changed)
            assert tap.toast, data
    [queue] = await south_agent.send("/tickets")
    assert "No open tickets" in (queue.text or "")
    assert (await Ticket.get(id=theirs.id)).agent_id != (
        await User.get(telegram_id=south_agent.id)
    ).id
