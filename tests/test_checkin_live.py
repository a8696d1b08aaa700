"""A live location (team setting) records how long the rep stayed inside the radius."""

from __future__ import annotations

from datetime import timedelta

from storage.models import CheckIn
from tests.support.sim import Person, Sim
from tests.test_checkin_support import (
    FAR,
    NEAR,
    SITE,
    last_location_message,
    move_live,
    open_checkin,
    photo_bytes,
    rep_and_customer,
    set_rules,
)


async def _live_check_in(sim: Sim, rep: Person, customer: object, live_period: int) -> str:
    await open_checkin(rep, customer)  # type: ignore[arg-type]
    await rep.share_location(*NEAR, horizontal_accuracy=10, live_period=live_period)
    await rep.send_photo(photo_bytes())
    [done] = await rep.send("demo")
    return done.text or ""


async def test_dwell_counts_the_time_inside_until_check_out(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    await set_rules(checkin_live_location=True)
    await open_checkin(rob, acme)
    assert "live location" in (rob.last_message().text or "")
    await rob.share_location(*NEAR, horizontal_accuracy=10, live_period=3600)
    live = last_location_message(sim, rob)
    sim.clock.advance(timedelta(minutes=2))
    await move_live(sim, rob, live, SITE)  # mid-form: ignored, no answer
    await rob.send_photo(photo_bytes())
    [done] = await rob.send("demo")
    assert "Live location" in (done.text or "") and "until you tap Leave" in (done.text or "")
    assert (await CheckIn.get()).dwell_seconds == 0

    sim.clock.advance(timedelta(minutes=8))  # 10 min inside
    assert await move_live(sim, rob, live, FAR) == []  # walked out: no message to the rep
    assert (await CheckIn.get()).dwell_seconds == 600
    sim.clock.advance(timedelta(minutes=5))  # 5 min outside
    await move_live(sim, rob, live, SITE)
    assert (await CheckIn.get()).dwell_seconds == 600
    sim.clock.advance(timedelta(minutes=7))  # 7 min inside, then Leave
    tap = await rob.tap("Leave")
    text = tap.changed[-1].text or ""
    assert "lasted 22 min" in text and "Time within the radius: 17 min" in text
    row = await CheckIn.get()
    assert row.dwell_seconds == 17 * 60
    assert (row.latitude, row.longitude) == NEAR  # the later positions were never stored

    sim.clock.advance(timedelta(minutes=5))  # still sharing after Leave: nothing counts
    assert await move_live(sim, rob, live, SITE) == []
    assert (await CheckIn.get()).dwell_seconds == 17 * 60


async def test_dwell_stops_when_the_live_period_ends_or_sharing_stops(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    await set_rules(checkin_live_location=True)
    await _live_check_in(sim, rob, acme, live_period=900)
    live = last_location_message(sim, rob)
    sim.clock.advance(timedelta(minutes=30))  # the 15-minute live period ran out inside
    await move_live(sim, rob, live, SITE)
    assert (await CheckIn.get()).dwell_seconds == 900
    sim.clock.advance(timedelta(minutes=5))
    tap = await rob.tap("Leave")
    assert "Time within the radius: 15 min" in (tap.changed[-1].text or "")

    await _live_check_in(sim, rob, acme, live_period=3600)
    live = last_location_message(sim, rob)
    sim.clock.advance(timedelta(minutes=4))
    await move_live(sim, rob, live, SITE, live_period=None)  # the rep stopped sharing
    sim.clock.advance(timedelta(minutes=20))
    await move_live(sim, rob, live, SITE)
    second = await CheckIn.all().order_by("-id").first()
    assert second is not None and second.dwell_seconds == 240


async def test_without_the_team_setting_a_live_location_is_a_plain_location(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    text = await _live_check_in(sim, rob, acme, live_period=3600)
    assert "Live location" not in text
    live = last_location_message(sim, rob)
    sim.clock.advance(timedelta(minutes=10))
    assert await move_live(sim, rob, live, FAR) == []  # never read, never answered
    row = await CheckIn.get()
    assert row.dwell_seconds is None and (row.latitude, row.longitude) == NEAR
