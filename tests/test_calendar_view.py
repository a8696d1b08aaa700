"""/calendar: a rep's day and week with navigation, a manager's team view and any rep's
calendar; nobody sees or reaches entries outside their role."""

from __future__ import annotations

from datetime import date

from bot.callbacks.calendar import CalendarReps, CalendarView, OpenEntry
from storage.calendar_time import day_code
from storage.models import CalendarKind, CalendarStatus
from tests.support.sim import Sim
from tests.test_calendar_plan import utc
from tests.test_calendar_support import manager, owned, planned, press, rep, texts, user_of

MON, TUE, NEXT_WED = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 11)


async def test_a_rep_pages_through_days_and_weeks(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    amy = await rep(sim, "Amy")
    acme = await owned(sim, rob, "Acme")
    beta = await owned(sim, rob, "Beta")
    gamma = await owned(sim, rob, "Gamma")
    await planned(rob, acme, utc(MON, 14))
    await planned(rob, beta, utc(TUE, 10), kind=CalendarKind.FOLLOW_UP, minutes=30)
    await planned(rob, gamma, utc(NEXT_WED, 9), kind=CalendarKind.MEETING)
    gone = await planned(rob, beta, utc(MON, 16))
    gone.status = CalendarStatus.CANCELLED
    await gone.save()
    await planned(amy, await owned(sim, amy, "Amy's Client"), utc(MON, 11))

    [today] = await rob.send("/calendar")
    text = today.text or ""
    assert "Rob" in text and "Mon 2 Mar · today" in text
    assert "14:00–15:00 🚗 Visit · Acme" in text
    assert "Beta" not in text and "Amy" not in text and "16:00" not in text
    assert "14:00 Acme" in rob.buttons()

    tap = await rob.tap("›")
    assert "Tue 3 Mar" in texts(tap.changed) and "10:00–10:30 📞 Follow-up · Beta" in texts(
        tap.changed
    )
    tap = await rob.tap("Week view")
    week = texts(tap.changed)
    assert "Mon 2 Mar · today" in week and "Sun 8 Mar" in week
    assert "Acme" in week and "Beta" in week and "Gamma" not in week
    assert {"Mon 14:00 Acme", "Tue 10:00 Beta"} <= set(rob.buttons())
    tap = await rob.tap("»")
    assert "Gamma" in texts(tap.changed) and "Acme" not in texts(tap.changed)
    tap = await rob.tap("Today")
    assert "Acme" in texts(tap.changed) and "Gamma" not in texts(tap.changed)
    tap = await rob.tap("Day view")
    assert "Mon 2 Mar · today" in texts(tap.changed) and "Beta" not in texts(tap.changed)
    assert "A rep's calendar" not in rob.buttons()

    # A rep cannot open another rep's calendar, nor the team's, by forging the button.
    message = rob.last_message()
    amy_id = (await user_of(amy)).id
    for forged in (
        CalendarView(amy_id, day_code(MON), False),
        CalendarView(0, day_code(MON), True),
    ):
        tap = await rob.tap_data(message, forged.pack(), forged=True)
        assert "Not found" in tap.toast and tap.changed == []
    tap = await rob.tap_data(message, CalendarReps(day_code(MON)).pack(), forged=True)
    assert "not available for your role" in tap.toast


async def test_a_manager_sees_the_team_and_any_reps_calendar(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    amy = await rep(sim, "Amy")
    acme_entry = await planned(rob, await owned(sim, rob, "Acme"), utc(MON, 14))
    await planned(amy, await owned(sim, amy, "Zeta"), utc(MON, 11))
    await planned(amy, await owned(sim, amy, "Omega"), utc(TUE, 9))
    mia = await manager(sim, "Mia")

    [team] = await mia.send("/calendar")
    text = team.text or ""
    assert "Team North" in text
    assert text.index("Amy") < text.index("Zeta") < text.index("Rob") < text.index("Acme")
    assert "Omega" not in text
    assert {"11:00 Amy: Zeta", "14:00 Rob: Acme"} <= set(mia.buttons())
    tap = await mia.tap("Week view")
    assert "Omega" in texts(tap.changed)
    tap = await mia.tap("A rep's calendar")
    assert "Whose calendar?" in texts(tap.changed) and {"Amy", "Rob"} <= set(mia.buttons())
    tap = await mia.tap("Rob")
    rob_day = texts(tap.changed)
    assert "Rob" in rob_day and "Acme" in rob_day and "Zeta" not in rob_day
    tap = await mia.tap("Team")
    assert "Team North" in texts(tap.changed)

    # A manager of another team reaches neither North's reps nor its entries.
    sam = await manager(sim, "Sam", team="South")
    [south] = await sam.send("/calendar")
    assert "Team South" in (south.text or "") and "Acme" not in (south.text or "")
    rob_id = (await user_of(rob)).id
    tap = await sam.tap_data(south, CalendarView(rob_id, day_code(MON), False).pack(), forged=True)
    assert "Not found" in tap.toast
    tap = await sam.tap_data(south, OpenEntry(acme_entry.id, 0).pack(), forged=True)
    assert "Not found" in tap.toast


async def test_navigation_needs_no_form_and_survives_a_restart(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    await planned(rob, await owned(sim, rob, "Acme"), utc(TUE, 9))
    await rob.send("/calendar week")
    assert "Acme" in (rob.last_message().text or "")
    await sim.restart()
    tap = await rob.tap("»")
    assert "Mon 9 Mar" in texts(tap.changed) and "Acme" not in texts(tap.changed)
    tap = await press(rob, CalendarView((await user_of(rob)).id, day_code(date(2026, 3, 2)), True))
    assert "Tue 3 Mar" in texts(tap.changed) and "Acme" in texts(tap.changed)
