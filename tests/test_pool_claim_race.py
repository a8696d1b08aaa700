"""Claiming: exactly one winner under concurrency, and every cap and cooldown enforced."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.callbacks.pool import ClaimCustomer
from storage.access import Invalid, NotAllowed, NotFound
from storage.models import Customer, PoolEvent, PoolEventKind, Role, Team, TeamRules, User
from storage.pool_claims import ClaimResult, claim_customer, release_customer
from storage.pool_rules import ReleaseReason
from tests.support.sim import Sim
from tests.test_pool_factories import NOW, as_actor, customer, person, team


async def test_twenty_reps_claiming_at_once_make_exactly_one_owner(db: str) -> None:
    north = await team()
    reps = [await person(north, Role.REP, f"Rep{i:02d}") for i in range(20)]
    target = await customer(north, "Hot Lead Co")

    outcomes = await asyncio.gather(
        *(claim_customer(as_actor(rep), target.id, now=NOW) for rep in reps),
        return_exceptions=True,
    )

    wins = [o for o in outcomes if isinstance(o, ClaimResult)]
    losses = [o for o in outcomes if isinstance(o, Invalid)]
    assert len(wins) == 1 and len(losses) == 19, outcomes
    row = await Customer.get(id=target.id)
    winner = next(r for r in reps if r.id == row.owner_id)
    assert {loss.code for loss in losses} == {"pool.taken"}
    assert {loss.params["name"] for loss in losses} == {winner.full_name}
    events = await PoolEvent.filter(customer_id=target.id)
    assert [(e.kind, e.rep_id) for e in events] == [(PoolEventKind.CLAIM, winner.id)]


async def test_caps_and_cooldown_are_enforced_with_clear_reasons(db: str) -> None:
    north = await team()
    await TeamRules.filter(team_id=north.id).update(
        owned_cap=2, daily_claim_cap=3, reclaim_cooldown_days=30
    )
    rob = as_actor(await person(north, Role.REP, "Rob"))
    first, second, third, fourth = [await customer(north, f"Co {n}") for n in range(4)]
    await claim_customer(rob, first.id, now=NOW)
    await claim_customer(rob, second.id, now=NOW)
    with pytest.raises(Invalid) as capped:
        await claim_customer(rob, third.id, now=NOW)
    assert capped.value.code == "pool.owned_cap"

    await Customer.filter(id=first.id).update(won=True)  # won customers do not count
    await claim_customer(rob, third.id, now=NOW)
    await Customer.filter(id=second.id).update(won=True)
    with pytest.raises(Invalid) as daily:
        await claim_customer(rob, fourth.id, now=NOW)
    assert daily.value.code == "pool.daily_cap"

    await release_customer(rob, third.id, ReleaseReason.NOT_INTERESTED, now=NOW)
    later = NOW + timedelta(days=1)
    with pytest.raises(Invalid) as cooling:
        await claim_customer(rob, third.id, now=later)
    assert cooling.value.code == "pool.cooldown"
    assert cooling.value.params["until"] == "2026-04-01 09:00"  # Shanghai time
    await claim_customer(rob, third.id, now=NOW + timedelta(days=30))
    assert (await Customer.get(id=third.id)).owner_id == rob.user_id


async def test_other_teams_and_owned_customers_cannot_be_claimed(db: str) -> None:
    north, south = await team("North"), await team("South")
    rob = as_actor(await person(north, Role.REP, "Rob"))
    sue = await person(north, Role.REP, "Sue")
    foreign = await customer(south, "Foreign")
    owned = await customer(north, "Owned", owner=sue)
    with pytest.raises(NotFound):
        await claim_customer(rob, foreign.id, now=NOW)
    with pytest.raises(Invalid) as taken:
        await claim_customer(rob, owned.id, now=NOW)
    assert taken.value.code == "pool.taken" and taken.value.params == {"name": "Sue"}
    manager = as_actor(await person(north, Role.MANAGER, "Mia"))
    with pytest.raises(NotAllowed):
        await claim_customer(manager, owned.id, now=NOW)
    assert (await Customer.get(id=foreign.id)).owner_id is None
    assert await PoolEvent.all().count() == 0


async def test_reps_tapping_claim_at_the_same_moment(sim: Sim) -> None:
    reps = [await sim.member(Role.REP, "North", name=n) for n in ("Rob", "Sue", "Tom")]
    north = await Team.get(name="North")
    target = await Customer.create(team=north, name="Hot Lead Co", name_key="hot lead")
    for rep in reps:
        await rep.send("/pool")

    taps = await asyncio.gather(*(rep.tap("Claim 1") for rep in reps))

    row = await Customer.get(id=target.id)
    winner = await User.get(id=row.owner_id)
    by_name = dict(zip(("Rob", "Sue", "Tom"), taps, strict=True))
    assert "is yours" in by_name[winner.full_name].toast
    [confirmation] = by_name[winner.full_name].changed
    assert "Hot Lead Co is yours now" in (confirmation.text or "")
    winner_person = reps[["Rob", "Sue", "Tom"].index(winner.full_name)]
    assert "Open card" in " ".join(winner_person.buttons())
    for name, tap in by_name.items():
        if name != winner.full_name:
            assert f"{winner.full_name} was faster" in tap.toast
            assert tap.changed == []
    assert await PoolEvent.filter(kind=PoolEventKind.CLAIM).count() == 1


async def test_a_stale_claim_button_says_who_has_the_customer(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    sue = await sim.member(Role.REP, "North", name="Sue")
    north = await Team.get(name="North")
    target = await Customer.create(team=north, name="Acme", name_key="acme")
    await rob.send("/pool")
    await sue.send("/pool")
    await sue.tap("Claim 1")
    tap = await rob.tap("Claim 1")
    assert tap.toast == "⏱ Too late — Sue was faster and owns this customer now."
    tap = await sue.tap("Claim 1")
    assert "Acme is already yours" in tap.toast
    assert (await Customer.get(id=target.id)).owner_id == (await User.get(full_name="Sue")).id


async def test_a_forged_claim_of_another_teams_customer_changes_nothing(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    await sim.member(Role.REP, "South", name="Sol")
    south = await Team.get(name="South")
    foreign = await Customer.create(team=south, name="South Co", name_key="south co")
    await rob.send("/start")
    tap = await rob.tap_data(rob.last_message(), ClaimCustomer(foreign.id).pack(), forged=True)
    assert "Not found" in tap.toast
    assert (await Customer.get(id=foreign.id)).owner_id is None
    tap = await rob.tap_data(rob.last_message(), ClaimCustomer(999_999).pack(), forged=True)
    assert "Not found" in tap.toast
