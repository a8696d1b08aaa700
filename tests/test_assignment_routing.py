"""Routing leads on a real database: rules, caps and quotas, waiting and retrying, by hand."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest

from storage import assignment_store, leads
from storage.access import Actor, Invalid, NotFound
from storage.lead_import_checks import LeadDraft
from storage.models import (
    Lead,
    LeadRouting,
    LeadStatus,
    Role,
    Task,
    TaskStatus,
    Team,
    TeamRules,
    User,
)
from storage.teams import create_team
from storage.users import to_actor

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
_ids = iter(range(7000, 8000))


async def person(team: Team | None, role: Role, name: str, **profile: object) -> User:
    return await User.create(
        telegram_id=next(_ids), full_name=name, role=role, team=team, **profile
    )


async def setup(routing: LeadRouting = LeadRouting.WEIGHTED) -> tuple[Team, Actor, list[User]]:
    team = await create_team(None, "North", "Asia/Shanghai", now=NOW)
    await TeamRules.filter(team_id=team.id).update(lead_routing=routing)
    manager = await person(team, Role.MANAGER, "Mia")
    reps = [await person(team, Role.REP, name) for name in ("Amy", "Bob", "Cal")]
    return team, to_actor(manager), reps


def draft(n: int, **extra: object) -> LeadDraft:
    fields: dict[str, object] = {"name": f"Person {n}", "company": f"Company {n}"}
    fields["phone"] = f"+86138{n:08d}"
    fields.update(extra)
    return LeadDraft(**fields)  # type: ignore[arg-type]


async def test_a_managers_lead_is_routed_with_a_reason_and_a_follow_up_task(db: str) -> None:
    _team, manager, reps = await setup()
    created = await leads.create_lead(manager, draft(1), now=NOW, rng=random.Random(1))
    lead = await Lead.get(id=created.lead_id)
    assert lead.status is LeadStatus.ASSIGNED and lead.assignee_id in {r.id for r in reps}
    assert lead.assigned_at == NOW and lead.source == "form"
    reason = lead.assignment_reason
    assert reason["strategy"] == "weighted" and reason["rep_id"] == lead.assignee_id
    assert len(reason["candidates"]) == 3 and reason["tied"] == 3  # all equal: a random pick
    task = await Task.get(lead_id=lead.id)
    assert task.assignee_id == lead.assignee_id and task.status is TaskStatus.OPEN
    assert task.due_at == NOW + timedelta(hours=24)
    assert created.outcome.assigned == 1 and created.outcome.waiting == 0


async def test_a_reps_own_lead_stays_with_the_rep_even_at_their_cap(db: str) -> None:
    _team, _, reps = await setup()
    await User.filter(id=reps[0].id).update(lead_capacity=0)
    rep = to_actor(await User.get(id=reps[0].id))
    created = await leads.create_lead(rep, draft(1), now=NOW, rng=random.Random(1))
    lead = await Lead.get(id=created.lead_id)
    assert lead.assignee_id == rep.user_id and lead.assignment_reason["strategy"] == "self"
    assert created.self_assigned and await Task.filter(assignee_id=rep.user_id).count() == 1


async def test_round_robin_takes_turns_by_id_and_keeps_its_cursor(db: str) -> None:
    team, manager, reps = await setup(LeadRouting.ROUND_ROBIN)
    got = []
    for n in range(4):
        created = await leads.create_lead(manager, draft(n), now=NOW, rng=random.Random(n))
        got.append(created.assignee_id)
    assert got == [reps[0].id, reps[1].id, reps[2].id, reps[0].id]
    rules = await TeamRules.get(team_id=team.id)
    assert rules.lead_round_robin_cursor == reps[0].id


async def test_territory_and_skill_with_their_fallback(db: str) -> None:
    _team, manager, reps = await setup(LeadRouting.TERRITORY)
    await User.filter(id=reps[1].id).update(regions=["Pudong"])
    created = await leads.create_lead(
        manager, draft(1, region="pudong"), now=NOW, rng=random.Random(1)
    )
    assert created.assignee_id == reps[1].id
    created = await leads.create_lead(
        manager, draft(2, region="Jing'an"), now=NOW, rng=random.Random(1)
    )
    assert created.reason["fallback"] == "no_region_rep"
    assert created.assignee_id != reps[1].id  # the others have fewer open leads


async def test_caps_quotas_away_and_hours_decide_who_is_eligible(db: str) -> None:
    team, manager, reps = await setup()
    amy, bob, cal = reps
    await User.filter(id=amy.id).update(lead_capacity=1)
    await Lead.create(team=team, name="old", assignee_id=amy.id, status=LeadStatus.CONTACTED)
    await User.filter(id=bob.id).update(lead_daily_quota=1)
    await Lead.create(
        team=team, name="today", assignee_id=bob.id, status=LeadStatus.CONVERTED, assigned_at=NOW
    )
    await User.filter(id=cal.id).update(away_until=NOW + timedelta(days=1))
    created = await leads.create_lead(manager, draft(1), now=NOW, rng=random.Random(1))
    assert created.assignee_id is None
    lead = await Lead.get(id=created.lead_id)
    assert lead.status is LeadStatus.NEW and lead.waiting_reason == "all_at_capacity"
    assert lead.assignment_reason["blocked"] == {
        "at_capacity": 1,
        "quota_reached": 1,
        "away": 1,
    }
    assert created.outcome.waiting == 1 and len(created.outcome.managers) == 1
    assert await Task.filter(lead_id=lead.id).count() == 0

    # Bob's quota counts today in Shanghai: yesterday's assignment would not count.
    await Lead.filter(name="today").update(assigned_at=NOW - timedelta(hours=10))
    [outcome] = await assignment_store.route_waiting(now=NOW, rng=random.Random(1))
    assert outcome.assigned == 1 and (await Lead.get(id=lead.id)).assignee_id == bob.id


async def test_waiting_leads_are_retried_once_someone_is_free_and_never_twice(db: str) -> None:
    team, manager, _reps = await setup()
    await User.filter(team_id=team.id, role=Role.REP).update(work_start_hour=10, work_end_hour=18)
    ids = [
        (await leads.create_lead(manager, draft(n), now=NOW, rng=random.Random(n))).lead_id
        for n in range(5)
    ]
    assert await Lead.filter(id__in=ids, waiting_reason="all_unavailable").count() == 5

    # Still before hours: nothing moves, and nobody is told again.
    [outcome] = await assignment_store.route_waiting(now=NOW, rng=random.Random(1))
    assert outcome.assigned == 0 and outcome.waiting == 0

    # 10:00 local: two retries race; every lead is taken exactly once.
    later = NOW + timedelta(hours=1)
    results = await asyncio.gather(
        assignment_store.route_waiting(now=later, rng=random.Random(1)),
        assignment_store.route_waiting(now=later, rng=random.Random(2)),
    )
    assert sum(o.assigned for run in results for o in run) == 5
    assert await Lead.filter(id__in=ids, status=LeadStatus.ASSIGNED).count() == 5
    assert await Task.filter(lead_id__in=ids).count() == 5
    assert await Lead.filter(id__in=ids, waiting_reason__not_isnull=True).count() == 0
    assert await assignment_store.route_waiting(now=later, rng=random.Random(3)) == []


async def test_a_lead_with_no_reason_yet_is_announced_once_when_it_starts_waiting(db: str) -> None:
    team, _, _reps = await setup()
    await User.filter(team_id=team.id, role=Role.REP).update(away=True)
    lead = await Lead.create(team=team, name="From the API", company="X")
    [first] = await assignment_store.route_waiting(now=NOW, rng=random.Random(1))
    assert first.waiting == 1 and first.waiting_reason == "all_unavailable"
    assert (await Lead.get(id=lead.id)).waiting_reason == "all_unavailable"
    [second] = await assignment_store.route_waiting(now=NOW, rng=random.Random(1))
    assert second.waiting == 0


async def test_a_manager_assigns_and_reassigns_by_hand(db: str) -> None:
    team, manager, reps = await setup()
    await User.filter(team_id=team.id, role=Role.REP).update(away=True)
    created = await leads.create_lead(manager, draft(1), now=NOW, rng=random.Random(1))
    choices = await assignment_store.rep_choices(manager, created.lead_id, now=NOW)
    assert [c.blocked for c in choices] == ["away"] * 3
    outcome = await assignment_store.assign_by_hand(manager, created.lead_id, reps[2].id, now=NOW)
    assert list(outcome.reps) == [reps[2].id]
    lead = await Lead.get(id=created.lead_id)
    assert lead.assignee_id == reps[2].id and lead.status is LeadStatus.ASSIGNED
    assert lead.assignment_reason["strategy"] == "manual" and lead.waiting_reason is None

    later = NOW + timedelta(hours=2)
    await assignment_store.assign_by_hand(manager, lead.id, reps[0].id, now=later)
    tasks = await Task.filter(lead_id=lead.id).order_by("id")
    assert [(t.assignee_id, t.status) for t in tasks] == [
        (reps[2].id, TaskStatus.CANCELLED),
        (reps[0].id, TaskStatus.OPEN),
    ]

    south = await create_team(None, "South", "Asia/Shanghai", now=NOW)
    stranger = await person(south, Role.REP, "Sam")
    with pytest.raises(NotFound):  # a rep of another team
        await assignment_store.assign_by_hand(manager, lead.id, stranger.id, now=later)
    other_manager = to_actor(await person(south, Role.MANAGER, "Max"))
    with pytest.raises(NotFound):  # a manager of another team
        await assignment_store.assign_by_hand(other_manager, lead.id, stranger.id, now=later)
    assert (await Lead.get(id=lead.id)).assignee_id == reps[0].id


async def test_storage_refuses_a_second_lead_for_what_the_team_knows(db: str) -> None:
    team, manager, _reps = await setup()
    await leads.create_lead(manager, draft(1), now=NOW, rng=random.Random(1))
    for again in (draft(2, phone="+86 138 0000 0001"), draft(3, company="COMPANY 1 Ltd.")):
        with pytest.raises(Invalid) as refused:
            await leads.create_lead(manager, again, now=NOW, rng=random.Random(1))
        assert refused.value.code == "leads.duplicate"
    assert await Lead.filter(team_id=team.id).count() == 1
