"""What a check-in refuses: each case answered clearly, asked again, and nothing half-stored."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks.checkin import CheckInAt, CheckInSkip, CheckInVisit, SkipStep
from storage.models import CalendarEntry, CalendarStatus, CheckIn, Customer, FollowUp, Role
from tests.support.sim import Person, Sim
from tests.test_checkin_support import (
    NEAR,
    SITE,
    open_checkin,
    own,
    photo_bytes,
    plan,
    rep_and_customer,
)


async def _nothing_stored(customer: Customer) -> None:
    assert await CheckIn.all().count() == 0
    assert await FollowUp.all().count() == 0
    assert (await Customer.get(id=customer.id)).last_followup_at is None


async def test_a_forwarded_location_a_venue_or_text_are_refused_and_asked_again(
    sim: Sim,
) -> None:
    rob, acme = await rep_and_customer(sim)
    colleague = sim.person("Mia")
    await open_checkin(rob, acme)

    [refused] = await rob.share_location(
        *NEAR, horizontal_accuracy=5, forward_origin=colleague.user
    )
    assert "forwarded" in (refused.text or "")
    assert (refused.reply_markup or {}).get("keyboard")  # the location button again

    update = sim.emu.send_venue(rob.user, *SITE, "Acme HQ", "1 People's Square")
    [venue] = await rob._act(rob.chat_id, update)
    assert "a place picked on the map, not where you are" in (venue.text or "")

    [text] = await rob.send("I'm at Acme, promise")
    assert "send your current location with the 📍 button" in (text.text or "")
    [photo] = await rob.send_photo(photo_bytes())
    assert "send your current location" in (photo.text or "")
    await _nothing_stored(acme)

    received, _ = await rob.share_location(*NEAR, horizontal_accuracy=5)
    assert "Location received" in (received.text or "")
    assert (received.reply_markup or {}).get("remove_keyboard") is True


async def test_the_photo_step_refuses_a_location_a_file_and_a_forwarded_photo(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    await open_checkin(rob, acme)
    await rob.share_location(*NEAR, horizontal_accuracy=5)

    [again] = await rob.share_location(*NEAR, horizontal_accuracy=5)
    assert "location is already in" in (again.text or "") and "photo of the site" in (
        again.text or ""
    )
    [file] = await rob.send_document(photo_bytes(), "site.png", "image/png")
    assert "as a photo, not as a file" in (file.text or "")
    [text] = await rob.send("no camera, sorry")
    assert "Please send a photo" in (text.text or "")
    [forwarded] = await rob.send_photo(photo_bytes(), forward_origin=sim.person("Mia").user)
    assert "That photo was forwarded" in (forwarded.text or "")

    # a Skip button, even forged, does not skip a required photo
    tap = await rob.tap_data(rob.last_message(), CheckInSkip(SkipStep.PHOTO).pack(), forged=True)
    assert "another step" in tap.toast
    await _nothing_stored(acme)

    [note] = await rob.send_photo(photo_bytes())
    assert "note about the visit" in (note.text or "")
    [too_long] = await rob.send("x" * 1001)
    assert "at most 1000 characters" in (too_long.text or "")
    [located] = await rob.share_location(*NEAR)
    assert "type the note as text" in (located.text or "")
    await _nothing_stored(acme)
    [done] = await rob.send("ok")
    assert "Checked in at Acme" in (done.text or "")


async def test_a_photo_after_the_window_ends_the_check_in_unsaved(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    await open_checkin(rob, acme)
    await rob.share_location(*NEAR, horizontal_accuracy=5)
    sim.clock.advance(timedelta(minutes=10, seconds=1))
    [late] = await rob.send_photo(photo_bytes())
    assert "more than 10 minutes after your location" in (late.text or "")
    assert "Nothing was saved — start again with /checkin" in (late.text or "")
    await _nothing_stored(acme)
    [after] = await rob.send("a note nobody asked for")
    assert "Use the menu or /help" in (after.text or "")


async def test_cancel_from_the_location_keyboard_or_a_command_stores_nothing(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    await open_checkin(rob, acme)
    [cancelled] = await rob.send("✖ Cancel")
    assert "Nothing was saved" in (cancelled.text or "")
    assert (cancelled.reply_markup or {}).get("remove_keyboard") is True

    await open_checkin(rob, acme)
    [cancelled] = await rob.send("/cancel")
    assert (cancelled.reply_markup or {}).get("remove_keyboard") is True

    await open_checkin(rob, acme)
    await rob.share_location(*NEAR, horizontal_accuracy=5)
    tap = await rob.tap("Cancel")
    assert "Nothing was saved" in (tap.changed[-1].text or "")
    await _nothing_stored(acme)


async def test_someone_elses_customer_is_not_found(sim: Sim) -> None:
    rob, _ = await rep_and_customer(sim)
    mia = await sim.member(Role.REP, "North", name="Mia")
    theirs = await own(sim, mia, "Theirs")
    pool = await Customer.create(team_id=theirs.team_id, name="Pooled", name_key="pooled")
    await rob.send("/help")
    for customer in (theirs, pool):
        tap = await rob.tap_data(rob.last_message(), CheckInAt(customer.id).pack(), forged=True)
        assert "Not found" in tap.toast
    manager = await sim.member(Role.MANAGER, "North", name="Max")
    await manager.send("/help")
    tap = await manager.tap_data(manager.last_message(), CheckInAt(theirs.id).pack(), forged=True)
    assert "not available for your role" in tap.toast
    [refused] = await manager.send("/checkin")
    assert "not available for your role" in (refused.text or "")
    assert await CheckIn.all().count() == 0


async def _entry_button(rep: Person, entry: CalendarEntry, revision: int) -> str:
    """Tap a calendar entry's Check in button (the calendar area draws it)."""
    await rep.send("/help")
    tap = await rep.tap_data(
        rep.last_message(), CheckInVisit(entry.id, revision).pack(), forged=True
    )
    return tap.toast or (tap.changed[-1].text or "" if tap.changed else "")


async def test_a_calendar_button_of_a_moved_entry_is_stale(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    entry = await plan(sim, rob, acme, sim.clock.now() + timedelta(hours=1))
    await CalendarEntry.filter(id=entry.id).update(revision=1)  # rescheduled meanwhile

    answer = await _entry_button(rob, entry, revision=0)
    assert "This calendar entry has moved" in answer
    assert (await CalendarEntry.get(id=entry.id)).status is CalendarStatus.PLANNED
    await _nothing_stored(acme)

    # the current button works and closes exactly that entry
    answer = await _entry_button(rob, entry, revision=1)
    assert "Check-in at Acme" in answer
    await rob.share_location(*NEAR, horizontal_accuracy=5)
    await rob.send_photo(photo_bytes())
    [done] = await rob.send("done")
    assert "marked done" in (done.text or "")
    assert (await CheckIn.get()).calendar_entry_id == entry.id
    assert (await CalendarEntry.get(id=entry.id)).status is CalendarStatus.DONE

    answer = await _entry_button(rob, entry, revision=1)
    assert "already done or cancelled" in answer


async def test_an_entry_moved_during_the_form_stores_nothing(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    entry = await plan(sim, rob, acme, sim.clock.now() + timedelta(hours=1))
    await _entry_button(rob, entry, revision=0)
    await rob.share_location(*NEAR, horizontal_accuracy=5)
    await rob.send_photo(photo_bytes())
    await CalendarEntry.filter(id=entry.id).update(revision=1)
    [ended] = await rob.send("note")
    assert "This calendar entry has moved" in (ended.text or "")
    assert "Nothing was saved" in (ended.text or "")
    await _nothing_stored(acme)


async def test_another_reps_entry_is_not_found(sim: Sim) -> None:
    rob, _ = await rep_and_customer(sim)
    mia = await sim.member(Role.REP, "North", name="Mia")
    theirs = await own(sim, mia, "Theirs")
    entry = await plan(sim, mia, theirs, sim.clock.now() + timedelta(hours=1))
    assert "Not found" in await _entry_button(rob, entry, revision=0)
