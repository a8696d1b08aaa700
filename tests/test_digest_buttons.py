"""Deciding from the digest: Extend, Reassign, Nudge, Open a flagged visit, Assign a lead — for
the team's managers only — and /digest on demand."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks.digest import ExtendCustomer, NudgeTask, OpenVisit
from scheduler.digest import post_digests
from storage.models import (
    AuditLog,
    CheckIn,
    Customer,
    JobRun,
    PoolEvent,
    PoolEventKind,
    Role,
    Team,
    User,
)
from tests.support.sim import Group, Person, Sim
from tests.test_digest_factories import (
    EVENING,
    HOUR,
    PNG,
    Day,
    checkin,
    customer,
    followup,
    task,
    team_with_a_day,
)


async def _digest_in_group(sim: Sim) -> tuple[Person, Person, Person, Group, Day]:
    """North with a day of activity; its group got the evening digest."""
    north = await team_with_a_day(sim)
    assert north.group is not None
    sim.clock.advance(EVENING)
    await sim.run_job(post_digests)
    return north.mia, north.rob, north.sue, north.group, north.day


async def test_extend_by_a_manager_keeps_the_customer_and_tells_the_rep(sim: Sim) -> None:
    mia, rob, _sue, group, day = await _digest_in_group(sim)

    tap = await rob.tap("Extend Acme", chat=group.chat)
    assert "not available for your role" in tap.toast
    assert (await Customer.get(id=day.acme.id)).extended_until is None

    tap = await mia.tap("Extend Acme", chat=group.chat)
    until = sim.clock.now() + timedelta(days=30)  # the potential tier's window
    assert "Mia extended Acme for Rob until 2026-04-01 18:00" in tap.toast
    assert "Mia extended Acme for Rob" in (group.last_message().text or "")
    told = rob.last_message().text or ""
    assert "Mia extended Acme: it stays yours until 2026-04-01 18:00" in told
    row = await Customer.get(id=day.acme.id)
    assert row.extension_used and row.extended_until == until and row.reclaim_warned_at is None
    event = await PoolEvent.get(kind=PoolEventKind.EXTEND)
    mia_id = (await User.get(telegram_id=mia.id)).id
    assert (event.customer_id, event.actor_id, event.reason) == (day.acme.id, mia_id, "approved")

    tap = await mia.tap("Extend Acme", chat=group.chat)  # once per ownership, like a request
    assert "Acme already had its extension (until 2026-04-01 18:00)" in tap.toast
    assert await PoolEvent.filter(kind=PoolEventKind.EXTEND).count() == 1


async def test_reassign_opens_the_pools_assign_flow(sim: Sim) -> None:
    mia, _rob, _sue, group, day = await _digest_in_group(sim)
    tap = await mia.tap("Reassign Acme", chat=group.chat)
    [choices] = tap.changed
    assert "Assign Acme (now: Rob) to which rep?" in (choices.text or "")
    tap = await mia.tap("Sue ·", chat=group.chat)
    assert "Acme now belongs to Sue" in (tap.changed[-1].text or "")
    sue_id = (await User.get(full_name="Sue")).id
    assert (await Customer.get(id=day.acme.id)).owner_id == sue_id


async def test_nudge_sends_the_rep_one_message_per_task_and_day(sim: Sim) -> None:
    mia, rob, _sue, group, _day = await _digest_in_group(sim)
    before = len(rob.messages())
    tap = await rob.tap("Nudge Rob", chat=group.chat)
    assert "not available for your role" in tap.toast and len(rob.messages()) == before

    tap = await mia.tap("Nudge Rob", chat=group.chat)
    assert "Rob was reminded of “Call back Acme”" in tap.toast
    [nudge] = rob.messages()[before:]
    assert "Mia reminds you of an overdue task: Call back Acme · Acme" in (nudge.text or "")
    tap = await mia.tap("Nudge Rob", chat=group.chat)
    assert "already reminded" in tap.toast
    assert len(rob.messages()) == before + 1
    assert await AuditLog.filter(action="task.nudge").count() == 1

    sim.clock.advance(timedelta(days=1))  # another day: one more reminder is fine
    await mia.tap("Nudge Rob", chat=group.chat)
    assert len(rob.messages()) == before + 2


async def test_open_shows_the_visits_location_and_photo(sim: Sim) -> None:
    mia, rob, _sue, group, day = await _digest_in_group(sim)
    photo = sim.emu.send_photo(rob.user, PNG + b"site photo")
    assert photo is not None
    await sim.deliver(photo)
    file_id = photo["message"]["photo"][-1]["file_id"]
    await CheckIn.filter(id=day.flagged.id).update(photo_file_id=file_id)

    tap = await mia.tap("Open Rob @ Acme", chat=group.chat)
    location, picture = tap.changed
    assert location.location is not None and location.location["latitude"] == 31.25
    assert picture.photo is not None
    assert sim.emu.file_bytes(picture.photo[-1]["file_id"]) == PNG + b"site photo"
    assert "Rob at Acme, 2026-03-02 12:00" in (picture.caption or "")
    assert "Distance: 2.4 km" in (picture.caption or "") and "outside the radius" in (
        picture.caption or ""
    )


async def test_forged_buttons_for_another_team_answer_not_found(sim: Sim) -> None:
    mia, _rob, _sue, group, _day = await _digest_in_group(sim)
    await sim.member(Role.REP, "South", name="Sam")
    south = await Team.get(name="South")
    sam = await User.get(full_name="Sam")
    zeta = await customer(south, "Zeta", sam, sim.clock.now() - timedelta(days=29))
    far_task = await task(sam, "South's task", sim.clock.now() - HOUR)
    far_visit = await checkin(sam, zeta, sim.clock.now(), flags=("far",))
    message = group.last_message()
    for payload in (ExtendCustomer(zeta.id), NudgeTask(far_task.id), OpenVisit(far_visit.id)):
        tap = await mia.tap_data(message, payload.pack(), forged=True)
        assert "Not found" in tap.toast
    assert not (await Customer.get(id=zeta.id)).extension_used
    assert await AuditLog.filter(action="task.nudge").count() == 0


async def test_digest_on_demand_in_private_and_in_the_teams_group_only(sim: Sim) -> None:
    north = await team_with_a_day(sim)
    mia, rob, group = north.mia, north.rob, north.group
    assert group is not None
    sim.clock.advance(2 * HOUR + timedelta(minutes=30))  # 11:30
    replies = await mia.send("/digest")
    chart, text = replies
    assert chart.photo is not None
    assert sim.emu.file_bytes(chart.photo[-1]["file_id"]).startswith(PNG)
    assert "North — today so far, Mon 2026-03-02 (as of 11:30)" in (text.text or "")
    assert "• Rob — 📞 2 · 📍 0" in (text.text or "")  # the visit at 12:00 is still to come
    rob_user = await User.get(telegram_id=rob.id)
    team = await Team.get(id=rob_user.team_id)
    called = await customer(team, "Just called", rob_user, sim.clock.now())
    await followup(rob_user, called, sim.clock.now())
    replies = await mia.send("/digest")  # what happened this very minute counts already
    assert "• Rob — 📞 3 · 📍 0" in (replies[1].text or "")
    assert await JobRun.filter(job="digest").count() == 0  # the evening run is not claimed

    replies = await mia.send("/digest", chat=group.chat)
    assert len(replies) == 2 and replies[0].photo is not None

    other = sim.group("Somewhere else", mia)
    await other.add_bot(by=mia)
    [refusal] = await mia.send("/digest", chat=other.chat)
    assert "This is not the group of team North" in (refusal.text or "")
    [refusal] = await rob.send("/digest")
    assert "not available for your role" in (refusal.text or "")

    sim.clock.advance(EVENING)
    await sim.run_job(post_digests)  # the daily run still happens
    assert await JobRun.filter(job="digest").count() == 1
