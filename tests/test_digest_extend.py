"""The manager's own extension (the digest's Extend) and nudges, in storage: the same rules as
an approved request, once per ownership; a nudge once per task and day."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import pool_locks
from storage.access import Invalid, NotAllowed, NotFound
from storage.digest_actions import nudge_task, visit
from storage.models import Customer, PoolEvent, PoolEventKind, Role, TaskStatus
from tests.test_digest_factories import checkin, task
from tests.test_pool_factories import NOW, as_actor, customer, person, team


async def test_grant_uses_the_one_extension_even_when_the_rep_asked(db: str) -> None:
    north = await team("North")
    rob = await person(north, Role.REP, "Rob")
    mia = as_actor(await person(north, Role.MANAGER, "Mia"))
    acme = await customer(north, "Acme", owner=rob, reclaim_warned_at=NOW)
    await pool_locks.request_extension(as_actor(rob), acme.id, now=NOW)

    decision = await pool_locks.grant_extension(mia, acme.id, now=NOW + timedelta(hours=1))
    assert decision.approved and decision.rep_name == "Rob" and decision.rep is not None
    assert decision.until == NOW + timedelta(hours=1, days=30)
    row = await Customer.get(id=acme.id)
    assert row.extension_used and row.extended_until == decision.until
    assert row.extension_requested_at == NOW and row.reclaim_warned_at is None

    with pytest.raises(Invalid) as again:
        await pool_locks.decide_extension(mia, acme.id, True, now=NOW + timedelta(hours=2))
    assert again.value.code == "pool.extension_used_approved"
    with pytest.raises(Invalid) as twice:
        await pool_locks.grant_extension(mia, acme.id, now=NOW + timedelta(hours=2))
    assert twice.value.code == "pool.extension_used_approved"
    [event] = await PoolEvent.filter(kind=PoolEventKind.EXTEND)
    assert (event.rep_id, event.actor_id, event.reason) == (rob.id, mia.user_id, "approved")


async def test_grant_refuses_what_an_extension_cannot_help(db: str) -> None:
    north = await team("North")
    rob = await person(north, Role.REP, "Rob")
    mia = as_actor(await person(north, Role.MANAGER, "Mia"))
    locked = await customer(north, "Locked", owner=rob, locked=True)
    pooled = await customer(north, "Pooled")
    declined = await customer(north, "Declined", owner=rob, extension_used=True)
    for row, code in (
        (locked, "pool.extension_locked"),
        (pooled, "pool.extension_not_owned"),
        (declined, "pool.extension_used_declined"),
    ):
        with pytest.raises(Invalid) as refused:
            await pool_locks.grant_extension(mia, row.id, now=NOW)
        assert refused.value.code == code
    with pytest.raises(NotAllowed):
        await pool_locks.grant_extension(as_actor(rob), locked.id, now=NOW)
    south = await team("South")
    sol = as_actor(await person(south, Role.MANAGER, "Sol"))
    with pytest.raises(NotFound):
        await pool_locks.grant_extension(sol, locked.id, now=NOW)
    assert await PoolEvent.filter(kind=PoolEventKind.EXTEND).count() == 0


async def test_nudge_once_a_day_only_open_tasks_of_the_team(db: str) -> None:
    north = await team("North")
    rob = await person(north, Role.REP, "Rob")
    mia = as_actor(await person(north, Role.MANAGER, "Mia"))
    late = await task(rob, "Call back", NOW - timedelta(days=1))
    first = await nudge_task(mia, late.id, now=NOW)
    second = await nudge_task(mia, late.id, now=NOW + timedelta(hours=5))  # 14:00, same day
    tomorrow = await nudge_task(mia, late.id, now=NOW + timedelta(hours=16))  # 01:00 next day
    assert (first.already, second.already, tomorrow.already) == (False, True, False)
    assert first.rep is not None and first.rep.chat_id == rob.telegram_id

    done = await task(rob, "Done already", NOW - timedelta(days=1), done_at=NOW)
    assert done.status is TaskStatus.DONE
    with pytest.raises(Invalid) as closed:
        await nudge_task(mia, done.id, now=NOW)
    assert closed.value.code == "digest.nudge_closed"
    sol = as_actor(await person(await team("South"), Role.MANAGER, "Sol"))
    with pytest.raises(NotFound):
        await nudge_task(sol, late.id, now=NOW)
    with pytest.raises(NotAllowed):
        await nudge_task(as_actor(rob), late.id, now=NOW)


async def test_a_visit_is_shown_to_the_teams_managers_only(db: str) -> None:
    north = await team("North")
    rob = await person(north, Role.REP, "Rob")
    mia = as_actor(await person(north, Role.MANAGER, "Mia"))
    acme = await customer(north, "Acme", owner=rob)
    seen = await checkin(rob, acme, NOW, flags=("far", "accuracy"), photo="photo-file-id")
    shown = await visit(mia, seen.id)
    assert (shown.customer, shown.rep_name, shown.photo_file_id) == ("Acme", "Rob", "photo-file-id")
    assert shown.flags == ["far", "accuracy"] and shown.distance_m == 2400.0
    sol = as_actor(await person(await team("South"), Role.MANAGER, "Sol"))
    with pytest.raises(NotFound):
        await visit(sol, seen.id)
