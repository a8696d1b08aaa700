"""A rep checks in on site: location, photo, note — stored once, with its effects."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks.checkin import CheckOut
from storage.models import (
    AuditLog,
    CalendarEntry,
    CalendarStatus,
    CheckIn,
    Customer,
    FollowUp,
    FollowUpKind,
    User,
)
from tests.support.sim import Sim
from tests.test_checkin_support import (
    NEAR,
    SITE,
    check_in,
    open_checkin,
    photo_bytes,
    plan,
    rep_and_customer,
    set_rules,
)


async def test_a_check_in_inside_the_radius_is_stored_with_its_effects(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    entry = await plan(sim, rob, acme, sim.clock.now() + timedelta(minutes=20))

    [ask] = await open_checkin(rob, acme)
    assert "Check-in at Acme" in ask
    keyboard = rob.last_message().reply_markup or {}
    [[share], [cancel]] = keyboard["keyboard"]
    assert share == {"text": "📍 Share my location", "request_location": True}
    assert cancel == {"text": "✖ Cancel"} and keyboard["one_time_keyboard"] is True

    sim.clock.advance(timedelta(minutes=1))
    located_at = sim.clock.now()
    received, ask_photo = await rob.share_location(*NEAR, horizontal_accuracy=12)
    assert "Location received" in (received.text or "")
    assert "photo of the site" in (ask_photo.text or "") and "within 10 minutes" in (
        ask_photo.text or ""
    )
    assert "Skip ›" not in rob.buttons()  # the team requires a photo
    assert await CheckIn.all().count() == 0

    sim.clock.advance(timedelta(minutes=3))
    [ask_note] = await rob.send_photo(photo_bytes())
    assert "note about the visit" in (ask_note.text or "")
    assert await CheckIn.all().count() == 0
    [done] = await rob.send("Met the buyer, samples next week")
    text = done.text or ""
    assert "Checked in at Acme" in text and "09:01" in text
    assert "from the customer (allowed: 300 m)" in text and "Not flagged" in text
    assert "planned visit at 09:20 is marked done" in text
    assert rob.buttons() == ["🚪 Leave"]

    rep = await User.get(telegram_id=rob.id)
    [row] = await CheckIn.all()
    assert row.rep_id == rep.id and row.customer_id == acme.id
    assert row.checked_in_at == located_at and row.checked_out_at is None
    assert (row.latitude, row.longitude, row.accuracy_m) == (*NEAR, 12)
    assert row.distance_m is not None and 50 < row.distance_m < 100
    assert row.flags == [] and row.flagged is False
    assert row.photo_file_id and row.photo_unique_id
    assert row.note == "Met the buyer, samples next week"
    assert row.calendar_entry_id == entry.id and row.dwell_seconds is None

    [followup] = await FollowUp.all()
    assert followup.kind is FollowUpKind.VISIT and followup.effective is True
    assert followup.checkin_id == row.id and followup.calendar_entry_id == entry.id
    assert followup.note == row.note and followup.occurred_at == located_at
    assert followup.attachment_unique_id == row.photo_unique_id

    customer = await Customer.get(id=acme.id)
    assert customer.last_followup_at == located_at
    assert (customer.latitude, customer.longitude) == SITE
    planned = await CalendarEntry.get(id=entry.id)
    assert planned.status is CalendarStatus.DONE and planned.done_at == located_at
    assert await AuditLog.filter(action="checkin.create", entity_id=str(row.id)).exists()


async def test_the_note_and_an_optional_photo_can_be_skipped(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    await set_rules(checkin_photo_required=False)
    await open_checkin(rob, acme)
    [_, ask_photo] = await rob.share_location(*NEAR, horizontal_accuracy=8)
    assert "or tap Skip" in (ask_photo.text or "")
    tap = await rob.tap("Skip ›")
    assert "note about the visit" in (tap.changed[-1].text or "")
    tap = await rob.tap("Skip ›")
    assert "Checked in at Acme" in (tap.changed[-1].text or "")
    [row] = await CheckIn.all()
    assert row.photo_file_id is None and row.note == "" and row.flagged is False
    assert (await FollowUp.get(checkin_id=row.id)).attachment_file_id is None


async def test_check_out_records_the_duration_once(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    await check_in(rob, acme)
    sim.clock.advance(timedelta(minutes=42))
    tap = await rob.tap("Leave")
    left = tap.changed[-1].text or ""
    assert "Checked out of Acme at 09:42 — the visit lasted 42 min" in left
    row = await CheckIn.get()
    assert row.checked_out_at == sim.clock.now()
    assert row.checked_out_at - row.checked_in_at == timedelta(minutes=42)

    # the Leave button is gone; an old copy of it changes nothing
    confirmation = [m for m in rob.messages() if "Checked in at" in (m.text or "")][-1]
    assert confirmation.reply_markup is None
    sim.clock.advance(timedelta(minutes=30))
    again = await rob.tap_data(confirmation, CheckOut(row.id).pack(), forged=True)
    assert "already checked out" in (again.changed[-1].text or "")
    assert "lasted 42 min" in (again.changed[-1].text or "")
    assert (await CheckIn.get()).checked_out_at == row.checked_out_at
    assert await AuditLog.filter(action="checkin.check_out").count() == 1
