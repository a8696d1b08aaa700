"""Bad input from customers: each case answered clearly, nothing lost, nothing half-written."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks.tickets import FilePending, RateTicket, WriteOnTicket
from storage.models import (
    PortalAccount,
    Role,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketRating,
    TicketStatus,
    User,
)
from tests.support.sim import Sim
from tests.test_ticket_factories import (
    customer_record,
    join_as_customer,
    open_ticket,
    photo,
    staff,
    texts,
)


async def test_empty_and_too_long_descriptions_are_asked_again(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    bea = await join_as_customer(sim, mia, await customer_record(sim))
    await bea.send("/newticket")
    await bea.tap("Billing")
    for empty in ("\u200b", "...", "  ?!  "):
        [reply] = await bea.send(empty)
        assert "The description can't be empty" in (reply.text or ""), repr(empty)
    [reply] = await bea.send("x" * 3001)
    assert "That is 3001 characters; the limit is 3000" in (reply.text or "")
    [reply] = await bea.share_location(31.2, 121.4)
    assert "Please describe the problem as text" in (reply.text or "")
    assert await Ticket.all().count() == 0
    [ask] = await bea.send("Invoice 2026-02 charged twice. " + "Details. " * 300)
    assert "Photos help" in (ask.text or "")
    await bea.tap("Skip")
    await bea.tap("No preference")
    ticket = await Ticket.get()
    assert ticket.description.startswith("Invoice 2026-02") and len(ticket.description) <= 3000


async def test_a_twenty_photo_album_keeps_ten_and_says_so(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    bea = await join_as_customer(sim, mia, await customer_record(sim))
    await bea.send("/newticket")
    await bea.tap("Installation")
    await bea.send("The shelf came with the wrong screws.")
    answers = []
    # A client sends a 20-photo selection as two albums of ten.
    for n in range(20):
        answers += await bea.send_photo(photo(n), media_group_id="a" if n < 10 else "b")
    assert [m.text for m in answers] == [
        "📷 Adding your photos (at most 10)… tap Done once they are all in.",
        "⚠️ A ticket takes at most 10 photos: the first 10 are kept, further ones are not added."
        " Tap Done to go on.",
    ]
    [document] = await bea.send_document(b"%PDF-1.4 scan", "receipt.pdf", "application/pdf")
    assert "That is a file, not a photo" in (document.text or "")
    [typed] = await bea.send("and here is another")
    assert "Send photos, or tap Done" in (typed.text or "")
    tap = await bea.tap("Done")
    summary = texts(tap.changed)
    assert "10 photos attached" in summary and "10 more photos were not added" in summary
    alice_before = len(alice.messages())
    await bea.tap("No preference")
    created = await TicketEvent.get(kind=TicketEventKind.CREATED)
    assert len(created.photo_file_ids) == 10
    new = alice.messages()[alice_before:]
    assert sum(1 for m in new if m.photo) == 10  # the agent gets all ten, as one album


async def test_a_document_where_a_photo_was_asked_is_refused_and_nothing_saved(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    bea = await join_as_customer(sim, mia, await customer_record(sim), lang="zh-hant")
    await bea.send("/newticket")
    await bea.tap("配送")
    await bea.send("貨到了但是少一箱")
    [refused] = await bea.send_document(b"\x89PNG\r\n\x1a\n....", "box.png", "image/png")
    assert "這是檔案，不是照片" in (refused.text or "")
    await bea.tap("略過")
    await bea.tap("都可以")
    created = await TicketEvent.get(kind=TicketEventKind.CREATED)
    assert created.photo_file_ids == []
    # Outside any form too, only text and photos reach the service team.
    [refused] = await bea.send_document(b"%PDF-1.4", "x.pdf", "application/pdf")
    assert "只有文字和照片能轉給客服" in (refused.text or "")


async def test_a_photo_first_is_kept_and_its_caption_is_the_description(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    bea = await join_as_customer(sim, mia, await customer_record(sim))
    await bea.send("/newticket")
    await bea.tap("Product problem")
    [ask] = await bea.send_photo(photo(1))
    assert "Photo kept. Now please describe the problem" in (ask.text or "")
    [more] = await bea.send_photo(photo(2), caption="Cracked housing, see photos")
    assert "2 photos so far" in (more.text or "")
    await bea.tap("Done")
    await bea.tap("A phone call")
    ticket = await Ticket.get()
    assert ticket.description == "Cracked housing, see photos"
    assert len((await TicketEvent.get(kind=TicketEventKind.CREATED)).photo_file_ids) == 2


async def test_messages_on_resolved_and_closed_tickets_are_refused(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    acme = await customer_record(sim)
    bea = await join_as_customer(sim, mia, acme)
    await open_ticket(bea)
    ticket = await Ticket.get()
    await bea.send("/mytickets")
    await bea.tap(f"#{ticket.id}")
    await bea.tap("Write to the service team")  # writing…
    await alice.tap("Resolve")
    await alice.tap("Yes, resolve")  # …while the agent resolves it
    events = await TicketEvent.all().count()
    [refused] = await bea.send("one more thing")
    assert f"Ticket #{ticket.id} is resolved" in (refused.text or "")
    assert "tap Reopen" in (refused.text or "")
    await bea.send("/cancel")
    await bea.tap("3⭐")
    await bea.tap("Skip")
    assert (await Ticket.get(id=ticket.id)).status is TicketStatus.CLOSED
    message = bea.last_message()
    tap = await bea.tap_data(message, WriteOnTicket(ticket.id).pack(), forged=True)
    assert f"Ticket #{ticket.id} is closed" in tap.toast
    tap = await bea.tap_data(message, RateTicket(ticket.id, 5).pack(), forged=True)
    assert "already rated (3/5)" in tap.toast
    assert await TicketEvent.all().count() == events + 2  # rated, closed — nothing else
    assert (await TicketRating.get()).score == 3


async def test_a_customer_link_used_twice(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    acme = await customer_record(sim)
    [link] = await mia.send(f"/invite customer {acme.id}")
    code = (link.text or "").split("start=")[1].split()[0]
    bea, eve = sim.person("Bea"), sim.person("Eve")
    [welcome] = await bea.send(f"/start {code}")
    assert "on behalf of Acme" in (welcome.text or "")
    [again] = await bea.send(f"/start {code}")
    assert "already connected on behalf of Acme" in (again.text or "")
    [refused] = await eve.send(f"/start {code}")
    assert "already been used" in (refused.text or "")
    assert (await User.get(telegram_id=eve.id)).role is None
    assert await PortalAccount.all().count() == 1
    [none] = await eve.send("/newticket")
    assert "not part of a FieldCRM team" in (none.text or "")
    assert await Ticket.all().count() == 0


async def test_free_text_is_kept_and_filed_where_the_customer_says(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    bea = await join_as_customer(sim, mia, await customer_record(sim))
    [offer] = await bea.send("Hello, my scanner is broken")
    assert "You have no open ticket" in (offer.text or "")
    await bea.tap("New ticket with this message")
    [ask] = (await bea.tap("Product problem")).changed[-1:]
    assert "Photos help" in (ask.text or "")  # the description came with the message
    await bea.tap("Skip")
    await bea.tap("No preference")
    ticket = await Ticket.get()
    assert ticket.description == "Hello, my scanner is broken"

    alice_before = len(alice.messages())
    [ask] = await bea.send("It also smells burnt")
    assert "Which ticket is this about?" in (ask.text or "")
    await bea.send_photo(photo(7), caption="the smell comes from here")
    tap = await bea.tap(f"#{ticket.id}")
    assert f"Added to ticket #{ticket.id}" in texts(tap.changed)
    message = await TicketEvent.get(ticket_id=ticket.id, kind=TicketEventKind.MESSAGE)
    assert message.text == "It also smells burnt\nthe smell comes from here"
    assert len(message.photo_file_ids) == 1
    relayed = alice.messages()[alice_before:]
    assert "It also smells burnt" in texts(relayed) and any(m.photo for m in relayed)
    # The first "which ticket?" prompt still has its buttons: the message is filed already.
    tap = await bea.tap_data(ask, FilePending(ticket.id).pack())
    assert tap.toast == "That message is no longer waiting to be sent. Please send it again."
    assert await TicketEvent.filter(kind=TicketEventKind.MESSAGE).count() == 1


async def test_late_reopen_is_refused_with_the_window(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    bea = await join_as_customer(sim, mia, await customer_record(sim))
    await open_ticket(bea)
    await alice.tap("Resolve")
    await alice.tap("Yes, resolve")
    sim.clock.advance(timedelta(days=7, minutes=1))
    tap = await bea.tap("Not solved")
    assert "can only be reopened within 7 days" in tap.toast
    assert (await Ticket.get()).status is TicketStatus.RESOLVED


async def test_a_restart_in_the_middle_of_the_form_loses_nothing(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    await staff(sim, Role.AGENT, "Alice")
    bea = await join_as_customer(sim, mia, await customer_record(sim))
    await bea.send("/newticket")
    await bea.tap("Delivery")
    await bea.send("Two boxes missing from order 88.")
    await bea.send_photo(photo(1))
    await sim.restart()
    await bea.send_photo(photo(2))
    await bea.tap("Done")
    await bea.tap("on-site visit")
    ticket = await Ticket.get()
    assert ticket.description == "Two boxes missing from order 88."
    assert ticket.contact_preference == "onsite"
    assert len((await TicketEvent.get(kind=TicketEventKind.CREATED)).photo_file_ids) == 2
