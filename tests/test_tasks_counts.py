"""Task time arithmetic and the team's counts: snooze targets in the team's zone, and one
grouped query for the whole team whatever its size."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from storage import tasks
from storage.access import NotAllowed, NotFound
from storage.models import Role, Task, TaskStatus, User
from storage.tasks import Snooze, day_end, snooze_until
from storage.users import to_actor
from tests.support.sim import ensure_team
from tests.test_tiering_recompute import counting_statements

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
_TELEGRAM_IDS = itertools.count(1000)


@pytest.mark.parametrize(
    ("option", "now", "zone", "expected"),
    [
        (Snooze.HOUR, NOW, "Asia/Shanghai", datetime(2026, 3, 2, 2, 0, tzinfo=UTC)),
        (Snooze.TOMORROW, NOW, "Asia/Shanghai", datetime(2026, 3, 3, 1, 0, tzinfo=UTC)),
        (Snooze.NEXT_WEEK, NOW, "Asia/Shanghai", datetime(2026, 3, 9, 1, 0, tzinfo=UTC)),
        # Sunday evening: next week is tomorrow, Monday
        (
            Snooze.NEXT_WEEK,
            datetime(2026, 3, 8, 12, 0, tzinfo=UTC),
            "Asia/Shanghai",
            datetime(2026, 3, 9, 1, 0, tzinfo=UTC),
        ),
        # 23:30 on 31 January in Shanghai: tomorrow is 1 February
        (
            Snooze.TOMORROW,
            datetime(2026, 1, 31, 15, 30, tzinfo=UTC),
            "Asia/Shanghai",
            datetime(2026, 2, 1, 1, 0, tzinfo=UTC),
        ),
        # New York's day, across the spring change: 09:00 local is 13:00 UTC afterwards
        (
            Snooze.TOMORROW,
            datetime(2026, 3, 7, 20, 0, tzinfo=UTC),
            "America/New_York",
            datetime(2026, 3, 8, 13, 0, tzinfo=UTC),
        ),
    ],
)
def test_snooze_targets(option: Snooze, now: datetime, zone: str, expected: datetime) -> None:
    assert snooze_until(option, now, zone) == expected


def test_the_teams_day_ends_at_local_midnight() -> None:
    assert day_end(NOW, "Asia/Shanghai") == datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    assert day_end(datetime(2026, 3, 2, 17, 0, tzinfo=UTC), "Asia/Shanghai") == datetime(
        2026, 3, 3, 16, 0, tzinfo=UTC
    )


async def _team_with(reps: int, name: str) -> User:
    team = await ensure_team(name, NOW)
    manager = await User.create(telegram_id=next(_TELEGRAM_IDS), role=Role.MANAGER, team=team)
    for _ in range(reps):
        rep = await User.create(telegram_id=next(_TELEGRAM_IDS), role=Role.REP, team=team)
        for due in (NOW - timedelta(hours=1), NOW + timedelta(hours=2), NOW + timedelta(days=3)):
            await Task.create(team=team, assignee=rep, title="t", due_at=due)
        await Task.create(team=team, assignee=rep, title="d", due_at=NOW, status=TaskStatus.DONE)
    return manager


@pytest.mark.parametrize("reps", [2, 12])
async def test_team_counts_take_a_fixed_number_of_statements(db: str, reps: int) -> None:
    manager = to_actor(await _team_with(reps, "North"))
    with counting_statements() as statements:
        result = await tasks.team_tasks(manager, now=NOW)
    assert len(statements) == 3, statements
    assert len(result.reps) == reps
    assert {(r.open, r.due_today, r.overdue) for r in result.reps} == {(3, 1, 1)}


async def test_only_managers_see_the_team_and_only_their_own(db: str) -> None:
    manager = to_actor(await _team_with(1, "North"))
    other = to_actor(await _team_with(1, "South"))
    rep = to_actor(await User.get(team_id=manager.team_id, role=Role.REP))
    with pytest.raises(NotAllowed):
        await tasks.team_tasks(rep, now=NOW)
    south_rep = await User.get(team_id=other.team_id, role=Role.REP)
    with pytest.raises(NotFound):
        await tasks.task_list(manager, south_rep.id, 0, now=NOW)
    south_task = await Task.filter(assignee_id=south_rep.id).first()
    assert south_task is not None
    with pytest.raises(NotFound):
        await tasks.complete_task(manager, south_task.id, now=NOW)
    with pytest.raises(NotFound):
        await tasks.reassign_task(manager, south_task.id, rep.user_id, now=NOW)
    north_task = await Task.filter(assignee_id=rep.user_id, status=TaskStatus.OPEN).first()
    assert north_task is not None
    with pytest.raises(NotFound):  # a rep of another team is not a candidate
        await tasks.reassign_task(manager, north_task.id, south_rep.id, now=NOW)


async def test_a_snooze_keeps_the_reminder_lead(db: str) -> None:
    manager = to_actor(await _team_with(0, "North"))
    rep = await User.create(telegram_id=5, role=Role.REP, team_id=manager.team_id)
    item = await Task.create(
        team_id=manager.team_id,
        assignee=rep,
        title="t",
        due_at=NOW,
        remind_at=NOW - timedelta(minutes=30),
        reminded_at=NOW - timedelta(minutes=30),
    )
    await tasks.snooze_task(to_actor(rep), item.id, Snooze.TOMORROW, now=NOW)
    snoozed = await Task.get(id=item.id)
    assert snoozed.due_at == datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    assert snoozed.remind_at == snoozed.due_at - timedelta(minutes=30)
    assert snoozed.reminded_at is None


async def test_day_ends_and_snoozes_compare_right_on_every_database(db: str) -> None:
    """Stored and compared in UTC: on SQLite, where datetimes are compared as text, a local
    offset once made a task due early tomorrow count as due today, and a snoozed task due
    hours late."""
    manager = to_actor(await _team_with(0, "North"))
    rep = await User.create(telegram_id=6, role=Role.REP, team_id=manager.team_id)
    early = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # Tuesday 02:00 in Shanghai
    await Task.create(team_id=manager.team_id, assignee=rep, title="early", due_at=early)
    [counts] = (await tasks.team_tasks(manager, now=NOW)).reps
    assert (counts.open, counts.due_today, counts.overdue) == (1, 0, 0)

    item = await Task.create(team_id=manager.team_id, assignee=rep, title="t", due_at=NOW)
    await tasks.snooze_task(to_actor(rep), item.id, Snooze.TOMORROW, now=NOW)
    tomorrow_nine = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    assert not await Task.filter(id=item.id, due_at__lt=tomorrow_nine).exists()
    assert await Task.filter(id=item.id, due_at__lte=tomorrow_nine).exists()
