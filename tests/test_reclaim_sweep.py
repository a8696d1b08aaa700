"""The reclaim sweep on a real database: who is taken back, who is kept, who is warned, once."""

from __future__ import annotations

from datetime import date, timedelta

from storage import reclaim
from storage.models import Customer, PoolEvent, PoolEventKind, Role, Tier, TierPolicy
from tests.test_pool_factories import (
    NOW,
    customer,
    open_deal,
    pending_installment,
    person,
    running_contract,
    team,
)

DAY = timedelta(days=1)


async def test_overdue_customers_go_back_with_one_event_each_and_the_rest_stay(db: str) -> None:
    north = await team()
    rob = await person(north, Role.REP, "Rob")
    sue = await person(north, Role.REP, "Sue")
    start = NOW - 40 * DAY
    stale = await customer(north, "Stale", owner=rob, owned_since=start)
    fresh = await customer(
        north, "Fresh", owner=rob, owned_since=start, last_followup_at=NOW - 5 * DAY
    )
    key = await customer(north, "Key", owner=sue, owned_since=start, tier=Tier.KEY)  # 60 days
    no_deal = await customer(
        north, "NoDeal", owner=sue, owned_since=NOW - 100 * DAY, last_followup_at=NOW - DAY
    )
    locked = await customer(north, "Locked", owner=rob, owned_since=start, locked=True)
    extended = await customer(north, "Ext", owner=rob, owned_since=start, extended_until=NOW + DAY)
    expired = await customer(
        north, "Expired", owner=rob, owned_since=start, extended_until=NOW - DAY
    )
    deal = await customer(north, "Deal", owner=rob, owned_since=start)
    await open_deal(deal, rob)
    contract = await customer(north, "Contract", owner=rob, owned_since=start)
    await running_contract(contract, rob, ends_on=date(2026, 3, 2))  # ends today: still running
    ended = await customer(north, "Ended", owner=rob, owned_since=start)
    await running_contract(ended, rob, ends_on=date(2026, 3, 1))
    money = await customer(north, "Money", owner=rob, owned_since=start)
    await pending_installment(money, rob)

    result = await reclaim.reclaim_overdue(now=NOW)

    taken = {stale.id, no_deal.id, expired.id, ended.id}
    kept = {fresh.id, key.id, locked.id, extended.id, deal.id, contract.id, money.id}
    for row in await Customer.filter(id__in=taken):
        assert row.owner_id is None and row.released_at == NOW, row.name
        assert row.last_owner_id in (rob.id, sue.id)
    for row in await Customer.filter(id__in=kept):
        assert row.owner_id is not None, row.name
    events = await PoolEvent.filter(kind=PoolEventKind.RECLAIM)
    assert sorted(e.customer_id for e in events) == sorted(taken)
    assert {e.created_at for e in events} == {NOW}
    assert result.total == 4
    by_rep = {n.rep_name: n for n in result.reps}
    assert by_rep["Rob"].total == 3 and by_rep["Sue"].total == 1
    assert [c.name for c in by_rep["Rob"].customers] == ["Ended", "Expired", "Stale"]
    [team_notice] = result.teams
    assert team_notice.total == 4

    again = await reclaim.reclaim_overdue(now=NOW)
    assert again.total == 0
    assert await PoolEvent.filter(kind=PoolEventKind.RECLAIM).count() == 4


async def test_tier_windows_come_from_the_team_policy(db: str) -> None:
    north = await team()
    await TierPolicy.filter(team_id=north.id, tier=Tier.KEY).update(reclaim_days=10)
    rob = await person(north, Role.REP, "Rob")
    key = await customer(north, "Key", owner=rob, owned_since=NOW - 11 * DAY, tier=Tier.KEY)
    regular = await customer(north, "Reg", owner=rob, owned_since=NOW - 11 * DAY, tier=Tier.REGULAR)
    await reclaim.reclaim_overdue(now=NOW)
    assert (await Customer.get(id=key.id)).owner_id is None
    assert (await Customer.get(id=regular.id)).owner_id == rob.id


async def test_a_warning_goes_out_once_per_deadline(db: str) -> None:
    north = await team()
    rob = await person(north, Role.REP, "Rob")
    # Potential tier: 30 days. Due in 2 days (warn: 3 days ahead), in 10 days (not yet).
    soon = await customer(north, "Soon", owner=rob, owned_since=NOW - 28 * DAY)
    later = await customer(north, "Later", owner=rob, owned_since=NOW - 20 * DAY)
    first = await reclaim.warn_owners(now=NOW)
    [notice] = first.reps
    assert notice.total == 1 and notice.customers[0].name == "Soon"
    assert notice.customers[0].deadline == NOW + 2 * DAY
    assert (await Customer.get(id=soon.id)).reclaim_warned_at == NOW
    assert (await Customer.get(id=later.id)).reclaim_warned_at is None

    assert (await reclaim.warn_owners(now=NOW + timedelta(hours=1))).total == 0

    # A follow-up moves the deadline: warned again only when the new one comes close.
    await Customer.filter(id=soon.id).update(last_followup_at=NOW + DAY)
    assert (await reclaim.warn_owners(now=NOW + 2 * DAY)).total == 0
    again = await reclaim.warn_owners(now=NOW + 29 * DAY)
    assert {c.name for r in again.reps for c in r.customers} == {"Soon", "Later"}
    assert await PoolEvent.filter(kind=PoolEventKind.WARN).count() == 3


async def test_a_follow_up_does_not_rewarn_when_the_no_deal_clock_decides(db: str) -> None:
    north = await team()
    rob = await person(north, Role.REP, "Rob")
    # 89 days without a deal (90-day rule) but followed up recently: due tomorrow by no-deal.
    row = await customer(
        north, "Deal-less", owner=rob, owned_since=NOW - 89 * DAY, last_followup_at=NOW - DAY
    )
    assert (await reclaim.warn_owners(now=NOW)).total == 1
    await Customer.filter(id=row.id).update(last_followup_at=NOW + timedelta(hours=2))
    assert (await reclaim.warn_owners(now=NOW + timedelta(hours=3))).total == 0
    await Customer.filter(id=row.id).update(last_deal_at=NOW + timedelta(hours=4))
    assert (await reclaim.warn_owners(now=NOW + timedelta(hours=5))).total == 0
    assert (await reclaim.warn_owners(now=NOW + 28 * DAY)).total == 1


async def test_paused_locked_and_extended_customers_are_not_warned(db: str) -> None:
    north = await team()
    rob = await person(north, Role.REP, "Rob")
    start = NOW - 29 * DAY
    await customer(north, "Locked", owner=rob, owned_since=start, locked=True)
    await customer(north, "Ext", owner=rob, owned_since=start, extended_until=NOW + 10 * DAY)
    deal = await customer(north, "Deal", owner=rob, owned_since=start)
    await open_deal(deal, rob)
    await customer(north, "Ending", owner=rob, owned_since=start, extended_until=NOW + DAY)
    result = await reclaim.warn_owners(now=NOW)
    assert [c.name for r in result.reps for c in r.customers] == ["Ending"]


async def test_a_manual_release_at_the_same_instant_is_not_logged_as_a_reclaim(db: str) -> None:
    north = await team()
    rob = await person(north, Role.REP, "Rob")
    row = await customer(north, "Gone", last_owner=rob, released_at=NOW)
    await PoolEvent.create(
        team=north, customer=row, kind=PoolEventKind.RELEASE, rep=rob, created_at=NOW
    )
    await customer(north, "Stale", owner=rob, owned_since=NOW - 40 * DAY)
    result = await reclaim.reclaim_overdue(now=NOW)
    assert [c.name for r in result.reps for c in r.customers] == ["Stale"]
    assert await PoolEvent.filter(kind=PoolEventKind.RECLAIM).count() == 1
