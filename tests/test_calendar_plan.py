"""/plan: a rep plans a visit with the month calendar and the time buttons, is warned of a
clash and keeps or moves it; past days and times are refused; nothing is half-saved."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.callbacks.calendar import PlanCustomer, PlanDay, PlanMonth, PlanTime, PlanVisit
from storage.calendar_time import day_code
from storage.models import (
    AuditLog,
    CalendarEntry,
    CalendarKind,
    CalendarStatus,
    Customer,
    Role,
)
from tests.support.sim import Sim
from tests.test_calendar_support import owned, planned, press, rep, texts, user_of

# The sim starts on Monday 2 March 2026, 09:00 in Shanghai (01:00 UTC).
TUE = date(2026, 3, 3)


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    """A Shanghai wall-clock time (UTC+8, no DST) as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


async def test_plan_from_the_card_warns_of_a_clash_and_moves_to_a_free_time(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    acme = await owned(sim, rob, "Acme", address="88 Century Ave, Pudong")
    beta = await owned(sim, rob, "Beta")
    await planned(rob, beta, utc(TUE, 14, 30))

    await rob.send(f"/customer {acme.id}")
    tap = await rob.tap("Plan visit")
    assert "What is planned with Acme" in texts(tap.changed)
    tap = await rob.tap("Visit")
    picker = tap.changed[-1]
    assert "Which day?" in (picker.text or "")
    labels = rob.buttons()
    assert "March 2026" in labels and "(2)" in labels and "×" in labels  # today, and the 1st
    tap = await press(rob, PlanDay(day_code(TUE)))
    assert "What time on Tue 3 Mar" in texts(tap.changed)
    assert {"08:00", "13:30"} <= set(rob.buttons()) and "14:00" not in rob.buttons()
    tap = await rob.tap("Later")
    assert "19:30" in rob.buttons()
    tap = await rob.tap("14:00")
    assert "How long" in texts(tap.changed)
    tap = await rob.tap("1 h")
    assert "Add a note" in texts(tap.changed)
    [summary] = await rob.send("Bring the samples")
    text = summary.text or ""
    assert "Visit · Acme" in text and "Tue 3 Mar, 14:00–15:00" in text
    assert "88 Century Ave" in text and "Reminder at 13:30" in text
    assert "clashes with" in text and "Visit · Beta, Tue 3 Mar, 14:30–15:30" in text
    assert "✅ Keep anyway and save" in rob.buttons()
    assert await CalendarEntry.filter(customer_id=acme.id).count() == 0

    tap = await rob.tap("Pick another time")
    assert "Which day?" in texts(tap.changed)
    await press(rob, PlanDay(day_code(TUE)))
    await rob.tap("Later")
    tap = await rob.tap("16:00")
    summary = tap.changed[-1]
    assert "16:00–17:00" in (summary.text or "") and "clashes" not in (summary.text or "")
    tap = await rob.tap("Save")
    assert "✅ Planned: 🚗 Visit · Acme, Tue 3 Mar, 16:00–17:00" in texts(tap.changed)

    entry = await CalendarEntry.get(customer_id=acme.id)
    assert entry.rep_id == (await user_of(rob)).id
    assert entry.kind is CalendarKind.VISIT and entry.status is CalendarStatus.PLANNED
    assert entry.starts_at == utc(TUE, 16) and entry.ends_at == utc(TUE, 17)
    assert entry.remind_at == utc(TUE, 15, 30) and entry.reminded_at is None
    assert entry.note == "Bring the samples"
    assert await AuditLog.filter(action="calendar.plan", entity_id=str(entry.id)).count() == 1


async def test_plan_searches_the_reps_customers_and_keeps_a_clash_on_purpose(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    await owned(sim, rob, "Acme")
    gamma = await owned(sim, rob, "Gamma Trading", phone="+8613812345678")
    await planned(rob, gamma, utc(TUE, 10), kind=CalendarKind.MEETING)

    [listing] = await rob.send("/plan")
    assert "whom is it for" in (listing.text or "") and {"Acme", "Gamma Trading"} <= set(
        rob.buttons()
    )
    [found] = await rob.send("5678")
    assert "matching “5678”" in (found.text or "") and rob.buttons()[0] == "Gamma Trading"
    [none] = await rob.send("Nobody Ltd")
    assert "None of your customers matches" in (none.text or "")
    [found] = await rob.send("gamma")
    await rob.tap("Gamma Trading")
    await rob.tap("Follow-up")
    await sim.restart()  # the form and its draft survive a restart
    await press(rob, PlanDay(day_code(TUE)))
    [summary_ask] = await rob.send("10:20")  # typed instead of tapped
    assert "How long" in (summary_ask.text or "")
    await rob.tap("30 min")
    tap = await rob.tap("No note")
    assert "Meeting · Gamma Trading, Tue 3 Mar, 10:00–11:00" in texts(tap.changed)
    tap = await rob.tap("Keep anyway and save")
    assert "✅ Planned: 📞 Follow-up · Gamma Trading, Tue 3 Mar, 10:20–10:50" in texts(tap.changed)
    entries = await CalendarEntry.filter(customer_id=gamma.id).order_by("starts_at")
    assert [e.starts_at for e in entries] == [utc(TUE, 10), utc(TUE, 10, 20)]
    assert entries[1].kind is CalendarKind.FOLLOW_UP


async def test_past_days_and_times_are_refused_clearly(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    acme = await owned(sim, rob, "Acme")
    await rob.send("/plan")
    await rob.tap("Acme")
    await rob.tap("Visit")
    [refused] = await rob.send("2026-03-01")
    assert "That day has already passed" in (refused.text or "")
    [refused] = await rob.send("2026-02-30")
    assert "such as 2026-03-03" in (refused.text or "")  # tomorrow: an example still ahead
    picker = rob.last_message()
    tap = await rob.tap_data(picker, PlanDay(day_code(date(2026, 3, 1))).pack(), forged=True)
    assert "That day has already passed" in tap.toast
    tap = await press(rob, PlanMonth(202604))
    assert "April 2026" in str(tap.changed[-1].reply_markup)
    tap = await press(rob, PlanMonth(202603))
    assert "March 2026" in str(tap.changed[-1].reply_markup)

    tap = await press(rob, PlanDay(day_code(date(2026, 3, 2))))  # today
    assert "08:00" not in rob.buttons() and "09:30" in rob.buttons()
    times = rob.last_message()
    [refused] = await rob.send("08:15")
    assert "That time has already passed" in (refused.text or "")
    sim.clock.advance(timedelta(hours=1))  # 10:00 now: the 09:30 button has passed
    tap = await rob.tap_data(times, PlanTime(9 * 60 + 30).pack())
    assert "That time has already passed" in tap.toast
    [refused] = await rob.send("25:00")
    assert "type one such as 14:20" in (refused.text or "")
    [asked] = await rob.send("１６：４５")  # full-width digits from a Chinese keyboard
    assert "How long" in (asked.text or "")
    await rob.tap("2 h")
    await rob.send("Demo")
    sim.clock.advance(timedelta(hours=8))  # the rep waits on the summary until 18:00
    tap = await rob.tap("Save")
    assert "That time has already passed" in texts(tap.changed)
    assert "Which day?" in texts(tap.changed)  # offered the days again
    assert await CalendarEntry.filter(customer_id=acme.id).count() == 0


async def test_text_where_a_button_is_expected_reprompts(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    acme = await owned(sim, rob, "Acme")
    await rob.send(f"/customer {acme.id}")
    await rob.tap("Plan visit")
    [again] = await rob.send("a visit please")
    assert "Please tap Visit, Follow-up or Meeting" in (again.text or "")
    [again] = await rob.share_location(31.2, 121.5)
    assert "Please tap Visit, Follow-up or Meeting" in (again.text or "")
    await rob.tap("Meeting")
    [again] = await rob.share_location(31.2, 121.5)
    assert "Please tap a day" in (again.text or "")
    await press(rob, PlanDay(day_code(TUE)))
    await rob.tap("11:00")
    [again] = await rob.send("an hour")
    assert "Please tap how long it takes" in (again.text or "")
    await rob.tap("2 h")
    [again] = await rob.share_location(31.2, 121.5)
    assert "type the note as text" in (again.text or "")
    [too_long] = await rob.send("x" * 1001)
    assert "at most 1000 characters" in (too_long.text or "")
    await rob.tap("No note")
    [again] = await rob.send("yes save it")
    assert "Please tap Save" in (again.text or "")
    [cancelled] = await rob.send("/cancel")
    assert "Nothing was saved" in (cancelled.text or "")
    assert await CalendarEntry.all().count() == 0


async def test_only_the_reps_own_customers_can_be_planned(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    amy = await rep(sim, "Amy")
    amys = await owned(sim, amy, "Amy's Client")
    pool = await Customer.create(team_id=amys.team_id, name="Pool Co", name_key="pool co")
    [listing] = await rob.send("/plan")
    assert "no customers to plan for yet" in (listing.text or "")
    mine = await owned(sim, rob, "Rob's Client")
    await rob.send("/plan")
    await rob.send("Client")
    assert rob.buttons() == ["Rob's Client", "✖ Cancel"]
    message = rob.last_message()
    for foreign in (amys.id, pool.id, 999_999):
        tap = await rob.tap_data(message, PlanCustomer(foreign).pack(), forged=True)
        assert "Not found" in tap.toast
        tap = await rob.tap_data(message, PlanVisit(foreign).pack(), forged=True)
        assert "Not found" in tap.toast
    mia = await sim.member(Role.MANAGER, name="Mia")
    [refused] = await mia.send("/plan")
    assert "not available for your role" in (refused.text or "")
    assert await CalendarEntry.all().count() == 0
    assert mine.id
