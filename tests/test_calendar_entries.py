"""An entry opened from /calendar: reschedule (old buttons then say it moved and change
nothing), mark done, cancel; a manager changes a rep's entry and the rep is told."""

from __future__ import annotations

from datetime import date, timedelta

from bot.callbacks.calendar import CancelEntry, EntryDone, OpenEntry, PlanDay, RescheduleEntry
from bot.callbacks.checkin import CheckInVisit
from storage.calendar_time import day_code
from storage.models import AuditLog, CalendarEntry, CalendarKind, CalendarStatus
from tests.support.sim import Sim
from tests.test_calendar_plan import utc
from tests.test_calendar_support import (
    button_data,
    manager,
    owned,
    planned,
    press,
    rep,
    texts,
)

MON, TUE, WED = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)


async def test_reschedule_makes_the_old_buttons_stale(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    acme = await owned(sim, rob, "Acme", address="88 Century Ave")
    entry = await planned(rob, acme, utc(MON, 14))
    await CalendarEntry.filter(id=entry.id).update(reminded_at=utc(MON, 13, 30))

    await rob.send("/calendar")
    listing = rob.last_message()
    tap = await rob.tap("14:00 Acme")
    details = tap.changed[-1]
    assert "Visit · Acme" in (details.text or "") and "88 Century Ave" in (details.text or "")
    assert CheckInVisit(entry.id, 0).pack() in button_data(details)
    assert {"🕑 Reschedule", "✅ Mark done", "✖ Cancel entry"} <= set(rob.buttons())

    tap = await rob.tap("Reschedule")
    assert "Move 🚗 Visit · Acme (now Mon 2 Mar, 14:00–15:00)" in texts(tap.changed)
    await press(rob, PlanDay(day_code(TUE)))
    await rob.tap("Later")
    tap = await rob.tap("16:30")
    assert "✅ Moved: 🚗 Visit · Acme, now Tue 3 Mar, 16:30–17:30" in texts(tap.changed)
    moved = await CalendarEntry.get(id=entry.id)
    assert moved.revision == 1 and moved.starts_at == utc(TUE, 16, 30)
    assert moved.ends_at == utc(TUE, 17, 30) and moved.remind_at == utc(TUE, 16)
    assert moved.reminded_at is None and moved.status is CalendarStatus.PLANNED
    assert await AuditLog.filter(action="calendar.reschedule").count() == 1

    # Every button drawn before the move answers that it moved and changes nothing.
    for payload in (EntryDone(entry.id, 0), CancelEntry(entry.id, 0, False)):
        tap = await rob.tap_data(details, payload.pack())
        assert "This entry has moved — it is now Tue 3 Mar, 16:30–17:30" in tap.toast
    tap = await rob.tap_data(details, CancelEntry(entry.id, 0, True).pack(), forged=True)
    assert "This entry has moved" in tap.toast
    tap = await rob.tap_data(details, RescheduleEntry(entry.id, 0).pack())
    assert "This entry has moved" in tap.toast
    after = await CalendarEntry.get(id=entry.id)
    assert (after.status, after.revision, after.starts_at) == (
        CalendarStatus.PLANNED,
        1,
        utc(TUE, 16, 30),
    )
    # Open on the old calendar message says so, and shows the entry as it is now.
    tap = await rob.tap_data(listing, OpenEntry(entry.id, 0).pack())
    assert "This entry has moved" in tap.toast
    assert "Tue 3 Mar, 16:30–17:30" in texts(tap.changed)
    assert CheckInVisit(entry.id, 1).pack() in button_data(rob.last_message())


async def test_mark_done_and_cancel(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    acme = await owned(sim, rob, "Acme")
    visit = await planned(rob, acme, utc(MON, 14))
    call = await planned(rob, acme, utc(MON, 17), kind=CalendarKind.FOLLOW_UP)
    await rob.send("/calendar")
    await rob.tap("14:00 Acme")
    sim.clock.advance(timedelta(hours=6))
    tap = await rob.tap("Mark done")
    assert "Marked done" in tap.toast and "✅ Marked done." in texts(tap.changed)
    assert "📝 Log a follow-up" in rob.buttons()
    done = await CalendarEntry.get(id=visit.id)
    assert done.status is CalendarStatus.DONE and done.done_at == sim.clock.now()
    tap = await rob.tap_data(rob.last_message(), EntryDone(visit.id, 0).pack(), forged=True)
    assert "This entry is done already" in tap.toast

    await rob.send("/calendar")
    tap = await rob.tap("17:00 Acme")
    assert "Check in" not in " ".join(rob.buttons())  # a call is not checked in on site
    tap = await rob.tap("Cancel entry")
    assert "Cancel this entry?" in texts(tap.changed)
    tap = await rob.tap("Keep it")
    assert "Cancel entry" in " ".join(rob.buttons())
    await rob.tap("Cancel entry")
    tap = await rob.tap("Yes, cancel it")
    assert "✖ Entry cancelled." in texts(tap.changed)
    assert (await CalendarEntry.get(id=call.id)).status is CalendarStatus.CANCELLED
    [day] = await rob.send("/calendar")
    assert "✅ 14:00–15:00 🚗 Visit · Acme" in (day.text or "") and "17:00" not in (day.text or "")


async def test_a_manager_moves_a_reps_entry_and_the_rep_is_told(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    acme = await owned(sim, rob, "Acme")
    beta = await owned(sim, rob, "Beta")
    entry = await planned(rob, acme, utc(TUE, 10))
    await planned(rob, beta, utc(WED, 10), kind=CalendarKind.MEETING)
    mia = await manager(sim, "Mia")
    await mia.send("/calendar week")
    tap = await mia.tap("Tue 10:00 Rob: Acme")
    details = tap.changed[-1]
    assert "👤 Rob" in (details.text or "")
    assert not any(d.startswith("1civ|") for d in button_data(details))  # only Rob checks in
    await mia.tap("Reschedule")
    await press(mia, PlanDay(day_code(WED)))
    tap = await mia.tap("10:30")
    assert "clashes with" in texts(tap.changed) and "Meeting · Beta" in texts(tap.changed)
    assert (await CalendarEntry.get(id=entry.id)).revision == 0
    tap = await mia.tap("Keep anyway and save")
    assert "✅ Moved" in texts(tap.changed)
    moved = await CalendarEntry.get(id=entry.id)
    assert moved.starts_at == utc(WED, 10, 30) and moved.revision == 1
    notice = rob.last_message()
    assert "Your manager moved 🚗 Visit · Acme — now Wed 4 Mar, 10:30–11:30" in (notice.text or "")


async def test_foreign_and_forged_entry_buttons_change_nothing(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    amy = await rep(sim, "Amy")
    amys = await planned(amy, await owned(sim, amy, "Amy's Client"), utc(TUE, 10))
    [message] = await rob.send("/calendar")
    for payload in (
        OpenEntry(amys.id, 0),
        EntryDone(amys.id, 0),
        CancelEntry(amys.id, 0, True),
        RescheduleEntry(amys.id, 0),
        OpenEntry(987_654, 0),
    ):
        tap = await rob.tap_data(message, payload.pack(), forged=True)
        assert "Not found" in tap.toast, payload
    tap = await rob.tap_data(message, "1caldn|x|0", forged=True)
    assert tap.toast == "This button is no longer active."
    unchanged = await CalendarEntry.get(id=amys.id)
    assert unchanged.status is CalendarStatus.PLANNED and unchanged.revision == 0
