"""The hourly reclaim job end to end: one warning per rep, then the reclaim and its notices."""

from __future__ import annotations

from datetime import timedelta

from scheduler.reclaim import reclaim_pool
from storage.models import Customer, JobRun, PoolEvent, PoolEventKind, Role, Team, User
from tests.support.sim import Person, Sim
from tests.test_pool_factories import open_deal

DAY = timedelta(days=1)


async def _owned(sim: Sim, owner: Person, name: str, **fields: object) -> Customer:
    north = await Team.get(name="North")
    user = await User.get(telegram_id=owner.id)
    return await Customer.create(
        team=north,
        name=name,
        name_key=name.lower(),
        owner=user,
        owned_since=sim.clock.now(),
        **fields,
    )


async def test_warning_then_reclaim_with_rep_and_group_notices(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, "North", name="Mia")
    rob = await sim.member(Role.REP, "North", name="Rob")
    group = sim.group("North sales", mia, rob)
    await group.add_bot(by=mia)
    await mia.send("/bindgroup", chat=group.chat)
    await rob.send("/start")
    acme = await _owned(sim, rob, "Acme")
    beta = await _owned(sim, rob, "Beta")
    locked = await _owned(sim, rob, "Locked Co", locked=True)
    paused = await _owned(sim, rob, "Deal Co")
    await open_deal(paused, await User.get(telegram_id=rob.id), sim.clock.now())
    extended = await _owned(sim, rob, "Ext Co", extended_until=sim.clock.now() + 40 * DAY)
    before = len(rob.messages())

    sim.clock.advance(27 * DAY + timedelta(hours=1))  # 2 days 23 hours before the deadline
    await sim.run_job(reclaim_pool)
    [warning] = rob.messages()[before:]
    text = warning.text or ""
    assert "2 of your customers go back to the pool soon" in text
    assert "Acme — by 2026-04-01 09:00" in text and "Beta — by 2026-04-01 09:00" in text
    assert "Locked Co" not in text and "Deal Co" not in text and "Ext Co" not in text

    await sim.run_job(reclaim_pool)  # the same hour again: nothing
    sim.clock.advance(timedelta(hours=1))
    await sim.run_job(reclaim_pool)  # a new hour: already warned for this deadline
    assert len(rob.messages()) == before + 1

    group_before = len(sim.emu.bot_messages(group.id))
    sim.clock.advance(3 * DAY)
    await sim.run_job(reclaim_pool)
    reclaimed = rob.last_message().text or ""
    assert "2 of your customers went back to the pool" in reclaimed
    assert "• Acme" in reclaimed and "• Beta" in reclaimed
    [notice] = sim.emu.bot_messages(group.id)[group_before:]
    assert "North: 2 customers went back to the pool" in (notice.text or "")
    assert "Rob: 2 — Acme, Beta" in (notice.text or "")

    for row in await Customer.filter(id__in=[acme.id, beta.id]):
        assert row.owner_id is None and row.last_owner_id is not None
    for row in await Customer.filter(id__in=[locked.id, paused.id, extended.id]):
        assert row.owner_id is not None
    assert await PoolEvent.filter(kind=PoolEventKind.RECLAIM).count() == 2
    assert await PoolEvent.filter(kind=PoolEventKind.WARN).count() == 2

    await sim.run_job(reclaim_pool)  # twice in one hour: acts once
    assert await PoolEvent.filter(kind=PoolEventKind.RECLAIM).count() == 2
    assert len(sim.emu.bot_messages(group.id)) == group_before + 1
    assert await JobRun.filter(job="pool_reclaim").count() == 3  # three distinct hours


async def test_without_a_group_the_managers_hear_of_the_reclaim(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, "North", name="Mia")
    rob = await sim.member(Role.REP, "North", name="Rob")
    await mia.send("/start")
    await _owned(sim, rob, "Acme")  # Rob never opened the bot: his notice cannot be delivered
    sim.clock.advance(31 * DAY)
    await sim.run_job(reclaim_pool)
    assert "North: 1 customer went back to the pool" in (mia.last_message().text or "")
    assert "Rob: 1 — Acme" in (mia.last_message().text or "")
    assert await Customer.filter(owner_id=None).count() == 1
