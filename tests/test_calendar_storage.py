"""Calendar rules on the database: recent customers first, the clash buffer, who sees which
entry, and a reschedule race where exactly one of two moves wins."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from storage.access import Invalid, NotFound
from storage.calendar import PlanDraft, find_clashes, get_entry, plan_customers, plan_entry
from storage.calendar_entries import Outcome, calendar_page, reschedule
from storage.models import CalendarEntry, CalendarKind, CalendarStatus, Role, Team, User
from tests.test_pool_factories import as_actor, customer, person, team

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
TUE = date(2026, 3, 3)
H = timedelta(hours=1)


def local(hour: int, minute: int = 0, day: date = TUE) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 8, minute, tzinfo=UTC)


async def _entry(north: Team, rep: User, start: datetime, **fields: object) -> CalendarEntry:
    return await CalendarEntry.create(
        team=north, rep=rep, starts_at=start, ends_at=start + H, **fields
    )


async def test_the_reps_customers_come_most_recently_worked_first(db: str) -> None:
    north = await team()
    rob = await person(north, Role.REP, "Rob")
    amy = await person(north, Role.REP, "Amy")
    await customer(north, "Old", owner=rob, last_followup_at=NOW - timedelta(days=5))
    await customer(north, "Yesterday", owner=rob, last_followup_at=NOW - timedelta(days=1))
    await customer(north, "Just claimed", owner=rob, owned_since=NOW - 2 * H)
    await customer(north, "Amy's", owner=amy, last_followup_at=NOW)
    await customer(north, "Pool", last_followup_at=NOW)
    page = await plan_customers(as_actor(rob), 0)
    assert [c.name for c in page.items] == ["Just claimed", "Yesterday", "Old"]
    found = await plan_customers(as_actor(rob), 0, "old")
    assert [c.name for c in found.items] == ["Old"]


async def test_clashes_count_the_teams_buffer_and_only_the_reps_planned_entries(db: str) -> None:
    north = await team()
    rob = await person(north, Role.REP, "Rob")
    amy = await person(north, Role.REP, "Amy")
    near = await _entry(north, rob, local(11, 10))  # 10 min after a 10:00–11:00 plan
    await _entry(north, rob, local(11, 15))  # exactly the 15-minute buffer away
    await _entry(north, rob, local(10), status=CalendarStatus.CANCELLED)
    await _entry(north, rob, local(10), status=CalendarStatus.DONE)
    await _entry(north, amy, local(10))
    clashes = await find_clashes(rob.id, north.id, local(10), local(11))
    assert [c.entry_id for c in clashes] == [near.id]
    assert await find_clashes(rob.id, north.id, local(10), local(11), exclude=near.id) == []


async def test_an_unconfirmed_clash_saves_nothing_and_the_past_is_refused(db: str) -> None:
    north = await team()
    rob = await person(north, Role.REP, "Rob")
    acme = await customer(north, "Acme", owner=rob)
    await _entry(north, rob, local(10))
    draft = PlanDraft(acme.id, CalendarKind.VISIT, TUE, 10 * 60 + 30, 60)
    result = await plan_entry(as_actor(rob), draft, NOW, keep=False)
    assert result.entry is None and len(result.clashes) == 1
    assert await CalendarEntry.filter(customer_id=acme.id).count() == 0
    kept = await plan_entry(as_actor(rob), draft, NOW, keep=True)
    assert kept.entry is not None and kept.entry.starts_at == local(10, 30)
    with pytest.raises(Invalid) as refused:
        await plan_entry(
            as_actor(rob),
            PlanDraft(acme.id, CalendarKind.VISIT, TUE, 60, 60),
            NOW + 2 * 24 * H,
            keep=True,
        )
    assert refused.value.code == "calendar.past"
    with pytest.raises(Invalid) as far:
        await plan_entry(
            as_actor(rob),
            PlanDraft(acme.id, CalendarKind.VISIT, date(2027, 6, 1), 600, 60),
            NOW,
            keep=True,
        )
    assert far.value.code == "calendar.too_far"


async def test_who_sees_which_entry(db: str) -> None:
    north, south = await team(), await team("South")
    rob = await person(north, Role.REP, "Rob")
    amy = await person(north, Role.REP, "Amy")
    mia = await person(north, Role.MANAGER, "Mia")
    sam = await person(south, Role.MANAGER, "Sam")
    ada = await person(north, Role.AGENT, "Ada")
    entry = await _entry(north, rob, local(10))
    assert (await get_entry(as_actor(rob), entry.id)).rep_name == "Rob"
    assert (await get_entry(as_actor(mia), entry.id)).id == entry.id
    for outsider in (amy, sam, ada):
        with pytest.raises(NotFound):
            await get_entry(as_actor(outsider), entry.id)
    page = await calendar_page(as_actor(mia), rob.id, TUE, week=False, now=NOW)
    assert [e.id for e in page.entries] == [entry.id]
    with pytest.raises(NotFound):
        await calendar_page(as_actor(sam), rob.id, TUE, week=False, now=NOW)
    with pytest.raises(NotFound):
        await calendar_page(as_actor(amy), rob.id, TUE, week=False, now=NOW)


async def test_two_moves_of_the_same_revision_one_wins(db: str) -> None:
    north = await team()
    rob = await person(north, Role.REP, "Rob")
    mia = await person(north, Role.MANAGER, "Mia")
    entry = await _entry(north, rob, local(10))
    first, second = await asyncio.gather(
        reschedule(as_actor(rob), entry.id, 0, TUE, 14 * 60, NOW, keep=True),
        reschedule(as_actor(mia), entry.id, 0, TUE, 16 * 60, NOW, keep=True),
    )
    assert sorted([first.outcome, second.outcome]) == sorted([Outcome.CHANGED, Outcome.MOVED])
    row = await CalendarEntry.get(id=entry.id)
    winner = first if first.outcome is Outcome.CHANGED else second
    assert row.revision == 1 and row.starts_at == winner.entry.starts_at
    assert (winner is second) == (winner.notify is not None)  # the manager's move tells Rob
