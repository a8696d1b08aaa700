"""Managers assign and reassign customers; the rep's cap holds unless the manager insists."""

from __future__ import annotations

from bot.callbacks.pool import AssignCustomer, AssignTo
from storage.models import Customer, PoolEvent, PoolEventKind, Role, Team, TeamRules, User
from tests.support.sim import Sim


async def test_a_manager_assigns_a_pool_customer_and_the_rep_hears_of_it(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, "North", name="Mia")
    rob = await sim.member(Role.REP, "North", name="Rob")
    await sim.member(Role.REP, "North", name="Sue")
    await rob.send("/start")
    north = await Team.get(name="North")
    acme = await Customer.create(team=north, name="Acme", name_key="acme")

    await mia.send("/pool")
    tap = await mia.tap("Assign 1")
    assert "Assign Acme (now: the pool) to which rep?" in (tap.changed[-1].text or "")
    assert mia.buttons() == ["Rob · 0/150", "Sue · 0/150"]
    tap = await mia.tap("Rob · 0/150")
    assert "Acme now belongs to Rob" in (tap.changed[-1].text or "")
    notice = rob.last_message()
    assert "Mia assigned Acme to you" in (notice.text or "")
    assert rob.buttons() == ["📇 Open card"]

    rep = await User.get(telegram_id=rob.id)
    row = await Customer.get(id=acme.id)
    assert row.owner_id == rep.id and row.owned_since == sim.clock.now()
    [event] = await PoolEvent.all()
    assert event.kind is PoolEventKind.ASSIGN and event.rep_id == rep.id


async def test_reassigning_past_the_cap_needs_confirmation_and_tells_both_reps(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, "North", name="Mia")
    rob = await sim.member(Role.REP, "North", name="Rob")
    sue = await sim.member(Role.REP, "North", name="Sue")
    for rep in (rob, sue):
        await rep.send("/start")
    north = await Team.get(name="North")
    await TeamRules.filter(team_id=north.id).update(owned_cap=1)
    rob_user, sue_user = await User.get(telegram_id=rob.id), await User.get(telegram_id=sue.id)
    await Customer.create(team=north, name="Sue's", name_key="sues", owner=sue_user)
    acme = await Customer.create(team=north, name="Acme", name_key="acme", owner=rob_user)

    await mia.send("/start")
    tap = await mia.tap_data(mia.last_message(), AssignCustomer(acme.id).pack(), forged=True)
    assert "(now: Rob)" in (tap.changed[-1].text or "")
    assert mia.buttons() == ["⚠ Sue · 1/1 (full)"]
    tap = await mia.tap("Sue")
    assert "Sue already owns 1 customer (cap 1)" in (tap.changed[-1].text or "")
    assert (await Customer.get(id=acme.id)).owner_id == rob_user.id

    tap = await mia.tap("Assign anyway")
    assert "Acme now belongs to Sue" in (tap.changed[-1].text or "")
    assert "Mia assigned Acme to you" in (sue.last_message().text or "")
    assert "Mia moved Acme to Sue" in (rob.last_message().text or "")
    row = await Customer.get(id=acme.id)
    assert row.owner_id == sue_user.id and row.last_owner_id == rob_user.id
    events = await PoolEvent.all().order_by("id")
    assert [(e.kind, e.rep_id, e.reason) for e in events] == [
        (PoolEventKind.RELEASE, rob_user.id, "reassigned"),
        (PoolEventKind.ASSIGN, sue_user.id, "over_cap"),
    ]


async def test_only_managers_assign_and_only_within_their_team(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, "North", name="Mia")
    rob = await sim.member(Role.REP, "North", name="Rob")
    await sim.member(Role.REP, "South", name="Sol")
    north = await Team.get(name="North")
    acme = await Customer.create(team=north, name="Acme", name_key="acme")
    sol = await User.get(full_name="Sol")
    rob_user = await User.get(telegram_id=rob.id)

    await rob.send("/start")
    tap = await rob.tap_data(
        rob.last_message(), AssignTo(acme.id, rob_user.id, True).pack(), forged=True
    )
    assert "not available for your role" in tap.toast
    await mia.send("/start")
    tap = await mia.tap_data(
        mia.last_message(), AssignTo(acme.id, sol.id, True).pack(), forged=True
    )
    assert "Not found" in tap.toast
    assert (await Customer.get(id=acme.id)).owner_id is None
    assert await PoolEvent.all().count() == 0
