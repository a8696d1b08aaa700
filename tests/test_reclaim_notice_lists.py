"""What a rep's reclaim and warning notices list: the count, and up to LISTED_MAX names.

The names are the rep's longest-known customers among this run's (lowest ids); a reclaim
notice shows them by name, a warning by deadline. Other teams, other reps and other runs stay
out of a rep's list.
"""

from __future__ import annotations

from datetime import timedelta

from storage import reclaim
from storage.models import Customer, PoolEvent, PoolEventKind, Role
from storage.reclaim import LISTED_MAX
from tests.test_pool_factories import NOW, customer, person, team

DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)
EXTRA = 3


async def test_a_reclaim_notice_counts_every_customer_and_names_the_first_few(db: str) -> None:
    north, south = await team("North"), await team("South")
    rob = await person(north, Role.REP, "Rob")
    sue = await person(south, Role.REP, "Sue")
    # Reclaimed by an earlier run (and the lowest id): not in this run's notices.
    await customer(north, "Old", owner=rob, owned_since=NOW - 80 * DAY)
    assert (await reclaim.reclaim_overdue(now=NOW - 30 * DAY)).total == 1
    # Names run against ids, so "by name" and "lowest ids" differ.
    robs = [
        await customer(
            north, f"R{LISTED_MAX + EXTRA - n:02}", owner=rob, owned_since=NOW - 40 * DAY
        )
        for n in range(LISTED_MAX + EXTRA)
    ]
    sues = [await customer(south, f"S{n}", owner=sue, owned_since=NOW - 40 * DAY) for n in range(2)]

    result = await reclaim.reclaim_overdue(now=NOW)

    by_rep = {n.rep_name: n for n in result.reps}
    assert by_rep["Rob"].total == LISTED_MAX + EXTRA
    listed = sorted(robs, key=lambda c: c.id)[:LISTED_MAX]
    assert [c.name for c in by_rep["Rob"].customers] == sorted(c.name for c in listed)
    assert [c.customer_id for c in by_rep["Sue"].customers] == [c.id for c in sues]
    assert by_rep["Sue"].total == 2 and by_rep["Sue"].team_id == south.id
    assert [n.rep_name for n in result.reps] == ["Rob", "Sue"]
    assert {t.team_name: t.total for t in result.teams} == {"North": LISTED_MAX + EXTRA, "South": 2}
    assert await Customer.filter(owner_id=None).count() == LISTED_MAX + EXTRA + 3
    assert await PoolEvent.filter(kind=PoolEventKind.RECLAIM).count() == LISTED_MAX + EXTRA + 3


async def test_a_warning_names_the_first_few_by_deadline(db: str) -> None:
    north = await team()
    rob = await person(north, Role.REP, "Rob")
    # Potential tier, 30 days; warned 3 days ahead. Later ids fall due sooner.
    rows = [
        await customer(north, f"W{n:02}", owner=rob, owned_since=NOW - 27 * DAY - n * MINUTE)
        for n in range(LISTED_MAX + EXTRA)
    ]
    result = await reclaim.warn_owners(now=NOW)
    [notice] = result.reps
    assert notice.total == LISTED_MAX + EXTRA
    first = rows[:LISTED_MAX]
    assert [c.name for c in notice.customers] == [c.name for c in reversed(first)]
    assert [c.deadline for c in notice.customers] == sorted(c.deadline for c in notice.customers)
