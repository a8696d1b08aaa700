"""/checkin: the rep's own customers, today's planned visits first (nearest in time on top)."""

from __future__ import annotations

from datetime import timedelta

from storage.models import CalendarEntry, CalendarStatus, CheckIn, Role
from tests.support.sim import Sim
from tests.test_checkin_support import NEAR, own, photo_bytes, plan


async def test_todays_planned_visits_come_first_then_the_rest_by_name(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    mia = await sim.member(Role.REP, "North", name="Mia")
    now = sim.clock.now()  # 09:00 in Shanghai
    await own(sim, rob, "Acme")
    beta = await own(sim, rob, "Beta")
    zeta = await own(sim, rob, "Zeta")
    delta = await own(sim, rob, "Delta")
    await own(sim, mia, "Mia's")
    await plan(sim, rob, zeta, now + timedelta(hours=5))  # 14:00
    visit = await plan(sim, rob, beta, now + timedelta(minutes=30))  # 09:30
    await plan(sim, rob, delta, now + timedelta(days=1))  # tomorrow: not today's

    [listing] = await rob.send("/checkin")
    assert "which customer are you visiting" in (listing.text or "")
    assert rob.buttons() == [
        "🕘 09:30 · Beta",
        "🕘 14:00 · Zeta",
        "Acme",
        "Delta",
        "✖ Cancel",
    ]
    [found] = await rob.send("zet")
    assert "matching “zet”" in (found.text or "")
    assert rob.buttons() == ["🕘 14:00 · Zeta", "✖ Cancel"]
    [none] = await rob.send("Mia")
    assert "None of your customers matches" in (none.text or "")
    await rob.send("/checkin")

    tap = await rob.tap("Beta")
    assert "Check-in at Beta" in (tap.changed[-1].text or "")
    await rob.share_location(*NEAR, horizontal_accuracy=5)
    await rob.send_photo(photo_bytes())
    [done] = await rob.send("ok")
    assert "planned visit at 09:30 is marked done" in (done.text or "")
    row = await CheckIn.get()
    assert row.customer_id == beta.id and row.calendar_entry_id == visit.id
    assert (await CalendarEntry.get(id=visit.id)).status is CalendarStatus.DONE
    assert await CalendarEntry.filter(status=CalendarStatus.PLANNED).count() == 2


async def test_a_long_list_pages_and_an_empty_one_says_how_to_get_customers(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    [empty] = await rob.send("/checkin")
    assert "no customers to check in at yet" in (empty.text or "")
    [after] = await rob.send("Acme")
    assert "Use the menu or /help" in (after.text or "")  # no form was left open

    for number in range(11):
        await own(sim, rob, f"Customer {number:02d}")
    await rob.send("/checkin")
    assert rob.buttons()[0] == "Customer 00" and "1/2" in rob.buttons()
    tap = await rob.tap("›")
    assert tap.changed and rob.buttons()[:3] == ["Customer 08", "Customer 09", "Customer 10"]
    tap = await rob.tap("Customer 09")
    assert "Customer 09" in (tap.changed[-1].text or "")
