"""Reminders before planned entries: sent once at the lead time — through repeated ticks,
restarts and two instances — and never for cancelled, done or long-past entries."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from bot.callbacks.calendar import PlanDay
from bot.callbacks.checkin import CheckInVisit
from scheduler.calendar import send_reminders
from storage.calendar_time import day_code
from storage.models import CalendarEntry, CalendarKind, CalendarStatus, TeamRules, User
from tests.support.sim import Person, Sim
from tests.test_calendar_plan import utc
from tests.test_calendar_support import button_data, owned, planned, press, rep, team

TUE = date(2026, 3, 3)


def reminders(person: Person) -> list[str]:
    return [m.text or "" for m in person.messages() if (m.text or "").startswith("⏰")]


async def test_a_planned_visit_is_reminded_once_at_the_lead_time_even_after_restarts(
    sim: Sim,
) -> None:
    rob = await rep(sim, "Rob")
    acme = await owned(sim, rob, "Acme", address="88 Century Ave, Pudong")
    await rob.send(f"/customer {acme.id}")
    await rob.tap("Plan visit")
    await rob.tap("Visit")
    await press(rob, PlanDay(day_code(TUE)))
    await rob.tap("10:00")
    await rob.tap("1 h")
    await rob.send("Bring the contract")
    await rob.tap("Save")
    entry = await CalendarEntry.get(customer_id=acme.id)

    await sim.restart()  # the reminder lives in the database, not in a timer
    sim.clock.set(utc(TUE, 9, 29))
    await sim.run_job(send_reminders)
    assert reminders(rob) == []

    sim.clock.set(utc(TUE, 9, 30))
    await sim.run_job(send_reminders)
    await sim.run_job(send_reminders)
    [text] = reminders(rob)
    assert "In 30 min: 🚗 Visit · Acme" in text
    assert "Tue 3 Mar, 10:00–11:00" in text and "88 Century Ave, Pudong" in text
    assert "Bring the contract" in text
    message = rob.last_message()
    assert CheckInVisit(entry.id, 0).pack() in button_data(message)
    assert "🔎 Open" in rob.buttons()

    await sim.restart()
    sim.clock.advance(timedelta(minutes=5))
    await sim.run_job(send_reminders)
    assert len(reminders(rob)) == 1
    assert (await CalendarEntry.get(id=entry.id)).reminded_at == utc(TUE, 9, 30)

    tap = await rob.tap("Open")
    assert "Visit · Acme" in (tap.changed[-1].text or "")


async def test_two_instances_ticking_at_once_send_one_reminder(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    amy = await rep(sim, "Amy")
    for person in (rob, amy):
        for minute in (0, 20):
            customer = await owned(sim, person, f"{person.user.first_name} {minute}")
            await planned(person, customer, utc(TUE, 10, minute))
    sim.clock.set(utc(TUE, 9, 55))
    await asyncio.gather(*(sim.run_job(send_reminders) for _ in range(3)))
    assert len(reminders(rob)) == 2 and len(reminders(amy)) == 2
    assert await CalendarEntry.filter(reminded_at=None).count() == 0


async def test_cancelled_done_and_stale_entries_are_not_reminded(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    acme = await owned(sim, rob, "Acme")
    cancelled = await planned(rob, acme, utc(TUE, 10))
    done = await planned(rob, acme, utc(TUE, 11))
    await CalendarEntry.filter(id=cancelled.id).update(status=CalendarStatus.CANCELLED)
    await CalendarEntry.filter(id=done.id).update(status=CalendarStatus.DONE)
    missed = await planned(rob, acme, utc(TUE, 12))
    late = await planned(rob, acme, utc(TUE, 13, 30), kind=CalendarKind.FOLLOW_UP)

    # The bot was down from Monday until Tuesday 13:40: the 12:00 visit's reminder would be
    # stale (its start is long past); the 13:30 call started 10 minutes ago and still is.
    sim.clock.set(utc(TUE, 13, 40))
    await sim.run_job(send_reminders)
    [text] = reminders(rob)
    assert "Started 10 min ago: 📞 Follow-up · Acme" in text
    assert "Check in" not in " ".join(rob.buttons())  # a call is not checked in on site
    assert (await CalendarEntry.get(id=missed.id)).reminded_at == utc(TUE, 13, 40)
    assert (await CalendarEntry.get(id=late.id)).reminded_at == utc(TUE, 13, 40)
    for entry in (cancelled, done):
        assert (await CalendarEntry.get(id=entry.id)).reminded_at is None


async def test_a_moved_entry_is_reminded_again_at_its_new_time(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    entry = await planned(rob, await owned(sim, rob, "Acme"), utc(TUE, 10))
    sim.clock.set(utc(TUE, 9, 30))
    await sim.run_job(send_reminders)
    assert len(reminders(rob)) == 1
    tap = await rob.tap("Open")
    assert tap.changed
    await rob.tap("Reschedule")
    await press(rob, PlanDay(day_code(TUE)))
    await rob.tap("15:00")
    moved = await CalendarEntry.get(id=entry.id)
    assert moved.reminded_at is None and moved.remind_at == utc(TUE, 14, 30)
    sim.clock.set(utc(TUE, 14, 29))
    await sim.run_job(send_reminders)
    assert len(reminders(rob)) == 1
    sim.clock.set(utc(TUE, 14, 31))
    await sim.run_job(send_reminders)
    await sim.run_job(send_reminders)
    assert len(reminders(rob)) == 2 and "15:00–16:00" in reminders(rob)[-1]


async def test_no_reminder_without_a_lead_time_or_for_a_rep_who_left(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    amy = await rep(sim, "Amy")
    north = await team()
    left = await planned(amy, await owned(sim, amy, "Beta"), utc(TUE, 10))
    await User.filter(telegram_id=amy.id).update(is_active=False)
    await TeamRules.filter(team_id=north.id).update(reminder_lead_minutes=0)
    silent = await planned(rob, await owned(sim, rob, "Acme"), utc(TUE, 10))
    assert silent.remind_at is None
    sim.clock.set(datetime(2026, 3, 3, 2, 0, tzinfo=UTC))  # Tuesday 10:00 local
    await sim.run_job(send_reminders)
    assert reminders(rob) == [] and reminders(amy) == []
    assert (await CalendarEntry.get(id=left.id)).reminded_at is not None
