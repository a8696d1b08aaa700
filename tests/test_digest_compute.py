"""Computing digests in storage: per-rep counts over the team's local day, totals against the
day before and the 7-day average, the decisions to take, and who may see which team's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import digest, jobruns
from storage.access import Invalid, NotAllowed
from storage.models import Role, Team, User
from tests.test_digest_factories import DAY, HOUR, a_day_of_activity, customer, followup
from tests.test_pool_factories import as_actor, person, team

MORNING = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
EVENING = MORNING + 9 * HOUR  # 18:00, the default digest hour


async def _north() -> tuple[Team, dict[str, int]]:
    north = await team("North")
    rob = await person(north, Role.REP, "Rob")
    sue = await person(north, Role.REP, "Sue")
    await person(north, Role.REP, "Idle")
    mia = await person(north, Role.MANAGER, "Mia")
    day = await a_day_of_activity(north, rob, sue, MORNING)
    ids = {"rob": rob.id, "sue": sue.id, "mia": mia.id, "acme": day.acme.id}
    ids |= {"flagged": day.flagged.id, "overdue": day.overdue.id}
    return north, ids


async def test_per_rep_counts_totals_and_decisions(db: str) -> None:
    north, ids = await _north()
    south = await team("South")
    sam = await person(south, Role.REP, "Sam")
    await followup(sam, await customer(south, "Zeta", sam, MORNING), MORNING + HOUR)

    [result] = await digest.compute_digests([north.id], now=EVENING)

    assert result.team_name == "North" and result.day.isoformat() == "2026-03-02"
    reps = {rep.name: rep for rep in result.reps}
    assert list(reps) == ["Idle", "Rob", "Sue"]  # every active rep, by name; no manager
    rob, sue, idle = reps["Rob"], reps["Sue"], reps["Idle"]
    assert (rob["followups"], rob["visits"], rob["flagged"], rob["claimed"]) == (2, 1, 1, 1)
    assert (rob["tasks_done"], rob.overdue, rob["new_leads"]) == (1, 1, 0)
    assert (sue["followups"], sue["released"], sue["new_leads"], sue.overdue) == (1, 1, 1, 0)
    assert all(idle[m] == 0 for m in digest.METRICS) and idle.overdue == 0

    totals = {trend.metric: trend for trend in result.totals}
    assert (totals["followups"].today, totals["followups"].yesterday) == (3, 1)
    assert totals["followups"].week_average == pytest.approx(1.0)  # (1 + 6) / 7
    assert (totals["visits"].today, totals["flagged"].today, totals["claimed"].today) == (1, 1, 1)
    assert result.overdue_now == 1

    [at_risk] = result.at_risk.items
    assert (at_risk.customer_id, at_risk.rep_name, at_risk.can_extend) == (ids["acme"], "Rob", True)
    assert at_risk.deadline == MORNING + 2 * DAY
    [task] = result.overdue.items
    assert (task.task_id, task.title, task.customer) == (ids["overdue"], "Call back Acme", "Acme")
    [visit] = result.flagged.items
    assert (visit.checkin_id, visit.flags, visit.distance_m) == (ids["flagged"], ["far"], 2400.0)
    [waiting] = result.waiting.items
    assert (waiting.name, waiting.reason, result.waiting.total) == (
        "Han Meimei",
        "all_unavailable",
        1,
    )
    assert [r.chat_id for r in result.audience] == [await _telegram_id(ids["mia"])]


async def _telegram_id(user_id: int) -> int:
    return int((await User.get(id=user_id)).telegram_id)


async def test_the_day_is_the_teams_local_day(db: str) -> None:
    north = await team("North")
    rob = await person(north, Role.REP, "Rob")
    acme = await customer(north, "Acme", rob, MORNING)
    local_midnight = datetime(2026, 3, 1, 16, 0, tzinfo=UTC)  # 2026-03-02 00:00 in Shanghai
    await followup(rob, acme, local_midnight)  # today
    await followup(rob, acme, local_midnight - timedelta(seconds=1))  # yesterday, 23:59:59
    await followup(rob, acme, local_midnight - 8 * DAY)  # eight days ago: outside the average

    [result] = await digest.compute_digests([north.id], now=EVENING)
    totals = {trend.metric: trend for trend in result.totals}
    assert (totals["followups"].today, totals["followups"].yesterday) == (1, 1)
    assert totals["followups"].week_average == pytest.approx(1 / 7)


async def test_many_teams_in_one_batch_each_get_their_own(db: str) -> None:
    north, _ = await _north()
    south = await team("South")
    sam = await person(south, Role.REP, "Sam")
    await followup(sam, await customer(south, "Zeta", sam, MORNING), MORNING + HOUR)
    await Team.filter(id=south.id).update(timezone="Europe/Berlin")

    results = await digest.compute_digests([north.id, south.id], now=EVENING)
    by_name = {r.team_name: r for r in results}
    assert by_name["North"].total("followups") == 3
    assert by_name["South"].total("followups") == 1
    assert [r.name for r in by_name["South"].reps] == ["Sam"]
    assert not by_name["South"].at_risk.items and not by_name["South"].waiting.items
    assert by_name["South"].day.isoformat() == "2026-03-02"  # 11:00 in Berlin


async def test_due_teams_after_the_hour_until_claimed(db: str) -> None:
    north = await team("North")
    assert await digest.due_teams(now=EVENING - timedelta(minutes=1)) == []
    [(team_id, period)] = await digest.due_teams(now=EVENING)
    assert (team_id, period) == (north.id, f"{north.id}:2026-03-02")
    await jobruns.claim_run(digest.JOB, period, instance="a", now=EVENING)
    assert await digest.due_teams(now=EVENING + HOUR) == []
    assert await digest.due_teams(now=EVENING + 7 * HOUR) == []  # 01:00 the next day: too early
    [(_, tomorrow)] = await digest.due_teams(now=EVENING + DAY)
    assert tomorrow == f"{north.id}:2026-03-03"
    await Team.filter(id=north.id).update(archived_at=EVENING)
    assert await digest.due_teams(now=EVENING + DAY) == []


async def test_on_demand_only_for_the_teams_managers_and_its_own_group(db: str) -> None:
    north, _ = await _north()
    await Team.filter(id=north.id).update(group_chat_id=-100123)
    rob = as_actor(await person(north, Role.REP, "Rex"))
    mia = as_actor(await person(north, Role.MANAGER, "Max"))
    with pytest.raises(NotAllowed):
        await digest.team_digest(rob, now=EVENING, group_chat_id=None)
    with pytest.raises(Invalid) as refused:
        await digest.team_digest(mia, now=EVENING, group_chat_id=-100999)
    assert refused.value.code == "digest.not_team_group"
    in_group = await digest.team_digest(mia, now=EVENING, group_chat_id=-100123)
    private = await digest.team_digest(mia, now=MORNING + 2 * HOUR, group_chat_id=None)
    assert in_group.total("followups") == 3
    assert private.total("followups") == 2  # what happened by 11:00, the 11:00 call included
