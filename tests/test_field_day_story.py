"""A rep's field day end to end: plan a visit, get reminded at the lead time (once, across a
restart), check in on site from the reminder, see the visit done in the calendar, and find it
in the team's evening digest with its chart."""

from __future__ import annotations

from datetime import date, timedelta

from bot.callbacks.calendar import PlanDay
from scheduler.calendar import send_reminders
from scheduler.digest import post_digests
from storage.calendar_time import day_code
from storage.models import (
    CalendarEntry,
    CalendarStatus,
    CheckIn,
    FollowUp,
    FollowUpKind,
    JobRun,
    Role,
    Team,
    User,
)
from tests.support.sim import Sim
from tests.test_calendar_plan import utc
from tests.test_calendar_support import press, rep, texts
from tests.test_checkin_support import NEAR, own, photo_bytes
from tests.test_digest_factories import PNG, digest_messages
from tests.test_reminders_job import reminders

MON = date(2026, 3, 2)  # the sim starts on this Monday at 09:00 in Shanghai


async def test_a_planned_visit_is_reminded_checked_in_closed_and_in_the_digest(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, "North", name="Mia")
    await mia.send("/start")
    rob = await rep(sim, "Rob")
    group = sim.group("North sales", mia, rob)
    await group.add_bot(by=mia)
    await mia.send("/bindgroup", chat=group.chat)
    acme = await own(sim, rob, "Acme")

    # 09:00 — Rob plans an 11:00 visit at Acme for today.
    await rob.send("/plan")
    await rob.tap("Acme")
    await rob.tap("Visit")
    await press(rob, PlanDay(day_code(MON)))
    await rob.tap("11:00")
    await rob.tap("1 h")
    tap = await rob.tap("No note")
    assert "Reminder at 10:30" in texts(tap.changed)
    tap = await rob.tap("Save")
    assert "✅ Planned: 🚗 Visit · Acme, Mon 2 Mar, 11:00–12:00" in texts(tap.changed)
    entry = await CalendarEntry.get(customer_id=acme.id)
    assert entry.status is CalendarStatus.PLANNED and entry.remind_at == utc(MON, 10, 30)

    # The bot restarts before the reminder is due; it is still sent, once, at 10:30.
    await sim.restart()
    sim.clock.set(utc(MON, 10, 29))
    await sim.run_job(send_reminders)
    assert reminders(rob) == []
    sim.clock.set(utc(MON, 10, 30))
    await sim.run_job(send_reminders)
    await sim.run_job(send_reminders)
    [reminder] = reminders(rob)
    assert "In 30 min: 🚗 Visit · Acme" in reminder and "11:00–12:00" in reminder
    assert "📍 Check in" in rob.buttons()

    # 10:55 — on site, Rob checks in from the reminder: location inside the radius, photo, note.
    sim.clock.set(utc(MON, 10, 55))
    tap = await rob.tap("📍 Check in")
    assert "Check-in at Acme" in texts(tap.changed)
    received, ask_photo = await rob.share_location(*NEAR, horizontal_accuracy=10)
    assert "Location received" in (received.text or "")
    assert "photo of the site" in (ask_photo.text or "")
    await rob.send_photo(photo_bytes())
    [done] = await rob.send("Signed the spring order")
    confirmation = done.text or ""
    assert "Checked in at Acme" in confirmation and "Not flagged" in confirmation
    assert "planned visit at 11:00 is marked done" in confirmation

    closed = await CalendarEntry.get(id=entry.id)
    assert closed.status is CalendarStatus.DONE and closed.done_at == utc(MON, 10, 55)
    [checkin] = await CheckIn.all()
    assert checkin.calendar_entry_id == entry.id and checkin.flagged is False
    assert checkin.photo_file_id is not None
    [followup] = await FollowUp.all()
    assert followup.kind is FollowUpKind.VISIT and followup.checkin_id == checkin.id

    # The calendar shows the visit done.
    [day] = await rob.send("/calendar")
    assert "✅ 11:00–12:00 🚗 Visit · Acme" in (day.text or "")

    # Nothing more is reminded, even after another restart.
    await sim.restart()
    sim.clock.set(utc(MON, 11, 5))
    await sim.run_job(send_reminders)
    assert len(reminders(rob)) == 1

    # 18:00 — the team's group gets the digest with its chart, Rob's visit counted.
    before = len(sim.emu.bot_messages(group.id))
    sim.clock.set(utc(MON, 17, 59))
    await sim.run_job(post_digests)
    assert len(sim.emu.bot_messages(group.id)) == before
    sim.clock.set(utc(MON, 18))
    await sim.run_job(post_digests)
    await sim.run_job(post_digests)
    [(chart, caption), (no_photo, text)] = digest_messages(sim, group.id, before)
    assert chart is not None and chart.startswith(PNG) and no_photo is None
    assert "North — daily digest, Mon 2026-03-02" in caption
    assert "📞 0 follow-ups · 📍 1 visit" in caption  # the visit counts once, as a visit
    assert "• Rob — 📞 0 · 📍 1 · 📥 0" in text
    assert "📍 Visits: 1 · 0 (+1)" in text
    assert "Flagged visits today" not in text and "🚩 Flagged visits: 0 ·" in text
    north = await Team.get(name="North")
    run = await JobRun.get(job="digest")
    assert run.period == f"{north.id}:2026-03-02" and run.result["sent"] == 1
    assert (await User.get(telegram_id=rob.id)).team_id == north.id


async def test_a_far_away_check_in_from_the_calendar_is_flagged_and_the_manager_sees_it(
    sim: Sim,
) -> None:
    """Without a group, the manager's private digest names the flagged visit."""
    mia = await sim.member(Role.MANAGER, "North", name="Mia")
    await mia.send("/start")
    rob = await rep(sim, "Rob")
    acme = await own(sim, rob, "Acme")
    await rob.send("/plan")
    await rob.tap("Acme")
    await rob.tap("Visit")
    await press(rob, PlanDay(day_code(MON)))
    await rob.tap("14:00")
    await rob.tap("1 h")
    await rob.tap("No note")
    await rob.tap("Save")

    sim.clock.set(utc(MON, 13, 55))
    [day] = await rob.send("/calendar")
    assert "14:00–15:00 🚗 Visit · Acme" in (day.text or "")
    await rob.tap("14:00 Acme")
    tap = await rob.tap("📍 Check in")
    assert "Check-in at Acme" in texts(tap.changed)
    await rob.share_location(31.2504, 121.4737, horizontal_accuracy=10)  # ~2.2 km away
    await rob.send_photo(photo_bytes())
    [done] = await rob.send("Customer moved to a new office")
    text = done.text or ""
    assert "Flagged" in text and "farther than the allowed 300 m" in text
    assert "planned visit at 14:00 is marked done" in text
    [checkin] = await CheckIn.all()
    assert checkin.flags == ["outside_radius"] and checkin.flagged is True
    assert (await CalendarEntry.get(customer_id=acme.id)).status is CalendarStatus.DONE

    before = len(sim.emu.bot_messages(mia.chat_id))
    sim.clock.set(utc(MON, 18) + timedelta(minutes=1))
    await sim.run_job(post_digests)
    [(chart, _), (_, digest)] = digest_messages(sim, mia.chat_id, before)
    assert chart is not None and chart.startswith(PNG)
    assert "• Rob — 📞 0 · 📍 1 (🚩 1)" in digest
    assert "• Rob at Acme, 13:55 — outside the radius (2.2 km)" in digest
