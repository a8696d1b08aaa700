"""/visits: a manager sees the team's check-ins of a day, flagged first, with location and photo."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks.checkin import OpenCheckIn
from storage.models import CheckIn, Role
from tests.support.sim import Person, Sim
from tests.test_checkin_support import FAR, NEAR, check_in, own, rep_and_customer


async def _day_of_visits(sim: Sim) -> Person:
    """Yesterday Rob at Acme; today Rob at Beta (fine), Mia far away, Rob with poor accuracy."""
    rob, acme = await rep_and_customer(sim, name="Rob")
    beta = await own(sim, rob, "Beta")
    mia, mias = await rep_and_customer(sim, name="Mia", customer="Gamma")
    await check_in(rob, acme)
    sim.clock.advance(timedelta(days=1))
    await check_in(rob, beta, note="Demo went well")  # 09:00
    sim.clock.advance(timedelta(minutes=30))
    await check_in(mia, mias, at=FAR)  # 09:30, outside the radius
    sim.clock.advance(timedelta(minutes=30))
    await check_in(rob, acme, at=NEAR, accuracy=500)  # 10:00, poor accuracy
    return rob


async def test_a_manager_sees_the_day_flagged_first_and_moves_between_days(sim: Sim) -> None:
    await _day_of_visits(sim)
    max_ = await sim.member(Role.MANAGER, "North", name="Max")
    [listing] = await max_.send("/visits")
    text = listing.text or ""
    assert "Team visits — 2026-03-03, today" in text
    assert "3 check-ins · 2 flagged" in text
    lines = [line for line in text.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert lines == [
        "1. ⚠️ 09:30 · Mia → Gamma · 2.2 km · outside radius",
        "2. ⚠️ 10:00 · Rob → Acme · 72 m · poor accuracy",
        "3. 09:00 · Rob → Beta · 72 m",
    ]
    assert max_.buttons()[:3] == ["⚠️ 1", "⚠️ 2", "3"]
    assert "2026-03-02 ›" not in max_.buttons() and "Today" not in max_.buttons()

    tap = await max_.tap("‹ 2026-03-02")
    yesterday = tap.changed[-1].text or ""
    assert "Team visits — 2026-03-02" in yesterday and "today" not in yesterday
    assert "1. 09:00 · Rob → Acme · 72 m" in yesterday and "0 flagged" in yesterday
    assert "2026-03-03 ›" in max_.buttons() and "Today" in max_.buttons()
    tap = await max_.tap("‹ 2026-03-01")
    assert "No check-ins on this day." in (tap.changed[-1].text or "")
    tap = await max_.tap("Today")
    assert "3 check-ins · 2 flagged" in (tap.changed[-1].text or "")


async def test_tapping_a_visit_sends_its_details_location_and_photo(sim: Sim) -> None:
    await _day_of_visits(sim)
    max_ = await sim.member(Role.MANAGER, "North", name="Max")
    await max_.send("/visits")
    far = await CheckIn.get(customer__name="Gamma")
    tap = await max_.tap("⚠️ 1")
    details, pin, photo = tap.changed
    text = details.text or ""
    assert "Gamma" in text and "Mia" in text and "2026-03-03 09:30" in text
    assert "2.2 km from the customer · accuracy 12 m" in text
    assert "Flagged: outside radius" in text and "not checked out" in text
    assert pin.location == {
        "latitude": far.latitude,
        "longitude": far.longitude,
        "horizontal_accuracy": 12,
    }
    [sent] = [r for r in sim.emu.requests_for("sendPhoto") if r.ok][-1:]
    assert sent.params["photo"] == far.photo_file_id
    assert photo.photo and "Gamma — Mia" in (photo.caption or "")


async def test_a_rep_sees_only_their_own_visits(sim: Sim) -> None:
    rob = await _day_of_visits(sim)
    [listing] = await rob.send("/visits")
    text = listing.text or ""
    assert "Your visits — 2026-03-03, today" in text and "2 check-ins · 1 flagged" in text
    assert "Mia" not in text and "Gamma" not in text
    assert "1. ⚠️ 10:00 → Acme · 72 m · poor accuracy" in text

    mias = await CheckIn.get(customer__name="Gamma")
    tap = await rob.tap_data(rob.last_message(), OpenCheckIn(mias.id).pack(), forged=True)
    assert "Not found" in tap.toast

    other = await sim.member(Role.MANAGER, "South", name="Sam")
    [empty] = await other.send("/visits")
    assert "No check-ins on this day." in (empty.text or "")
    tap = await other.tap_data(other.last_message(), OpenCheckIn(mias.id).pack(), forged=True)
    assert "Not found" in tap.toast
    agent = await sim.member(Role.AGENT, "North", name="Ann")
    [refused] = await agent.send("/visits")
    assert "not available for your role" in (refused.text or "")


async def test_a_photo_telegram_no_longer_holds_is_said_to_be_unavailable(sim: Sim) -> None:
    await _day_of_visits(sim)
    await CheckIn.filter(customer__name="Gamma").update(photo_file_id="gone-from-telegram")
    max_ = await sim.member(Role.MANAGER, "North", name="Max")
    await max_.send("/visits")
    tap = await max_.tap("⚠️ 1")
    details, pin, missing = tap.changed
    assert "Gamma" in (details.text or "") and pin.location is not None
    assert "Gamma — Mia" in (missing.text or "")
    assert "The photo is no longer available (1)." in (missing.text or "")
    [next_day] = await max_.send("/visits")  # the chat goes on
    assert "3 check-ins · 2 flagged" in (next_day.text or "")
