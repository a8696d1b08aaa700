"""The daily digest of a team (chat-ops): what each rep did on the team's day, and what needs
a manager's decision.

``compute_digests`` builds the digests of any number of teams with a fixed number of
statements — three ORM queries (teams with their rules, tier windows, members) and the five
aggregate queries of ``digest_sql`` — whatever the number of teams and reps. The scheduler
asks ``due_teams`` which teams' hour has come and whose run is not claimed yet, computes them
in one batch, and claims each team's run (``scheduler.runs.run_once``) before sending.

A digest counts, per rep, over the team's local day: follow-ups, check-ins (and how many
were flagged), customers claimed, released and reclaimed (the pool's event log), tasks
completed, leads assigned; and, as of now, their overdue tasks. Team totals compare the day
with the day before and the average of the seven days before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from storage import digest_sql
from storage.access import Actor, Invalid, NotFound
from storage.digest_rows import (
    LISTED,
    METRICS,
    AtRisk,
    Digest,
    FlaggedVisit,
    Listed,
    OverdueTask,
    RepDay,
    TeamRows,
    Trend,
    WaitingLead,
    assemble,
)
from storage.digest_time import due_period, history, local_today, so_far
from storage.models import JobRun, Role, Team, TeamRules, TierPolicy, User
from storage.pool_rules import Recipient, TeamPool, recipient, tier_windows

JOB = "digest"

__all__ = [
    "JOB",
    "LISTED",
    "METRICS",
    "AtRisk",
    "Digest",
    "FlaggedVisit",
    "Listed",
    "OverdueTask",
    "RepDay",
    "Trend",
    "WaitingLead",
    "compute_digests",
    "due_teams",
    "team_digest",
]


# ----- which teams are due -----


async def due_teams(*, now: datetime) -> list[tuple[int, str]]:
    """(team id, run key) of each active team whose digest hour has come today, unclaimed.

    Two queries whatever the number of teams: the teams, then the runs already claimed.
    """
    teams = await Team.filter(archived_at=None).order_by("id")
    due = {}
    for team in teams:
        period = due_period(team.id, team.timezone, team.digest_hour, now)
        if period is not None:
            due[period] = team.id
    if not due:
        return []
    runs = await JobRun.filter(job=JOB, period__in=list(due)).values_list("period", flat=True)
    claimed = {str(period) for period in runs}
    return [(team_id, period) for period, team_id in due.items() if period not in claimed]


# ----- computing -----


async def compute_digests(team_ids: Sequence[int], *, now: datetime) -> list[Digest]:
    """Today's digest (in each team's zone) of every listed active team, in team id order."""
    pools = await _pools(team_ids)
    if not pools:
        return []
    ids = [p.team.id for p in pools]
    bounds = {
        p.team.id: so_far(history(local_today(now, p.team.timezone), p.team.timezone), now)
        for p in pools
    }
    users = {u.id: u for u in await User.filter(team_id__in=ids, role__in=(Role.REP, Role.MANAGER))}
    members: dict[int, list[User]] = defaultdict(list)
    for user in users.values():
        members[int(user.team_id or 0)].append(user)
    activity = await digest_sql.activity(bounds)
    overdue = await digest_sql.overdue_tasks(ids, now, LISTED)
    flagged = await digest_sql.flagged_visits(bounds, LISTED)
    waiting = await digest_sql.waiting_leads(ids, LISTED)
    at_risk = await digest_sql.about_to_be_reclaimed(pools, now, LISTED)

    per_team: dict[int, TeamRows] = defaultdict(TeamRows)
    for row in activity:
        per_team[int(row["team_id"])].activity.append(row)
    for name, rows in (("overdue", overdue), ("flagged", flagged), ("waiting", waiting)):
        for row in rows:
            getattr(per_team[int(row["team_id"])], name).append(row)
    for row in at_risk:
        per_team[int(row["team_id"])].at_risk.append(row)
    return [
        assemble(pool, day[0].day, now, members[pool.team.id], users, per_team[pool.team.id])
        for pool, day in ((p, bounds[p.team.id]) for p in pools)
    ]


async def team_digest(actor: Actor, *, now: datetime, group_chat_id: int | None) -> Digest:
    """/digest: the manager's team's day so far, shown where it was asked for.

    In a group, only the team's own bound group: the digest names customers and reps.
    """
    actor.require(Role.MANAGER)
    if actor.team_id is None:
        raise NotFound()
    team = await Team.get_or_none(id=actor.team_id, archived_at=None)
    if team is None:
        raise NotFound()
    if group_chat_id is not None and team.group_chat_id != group_chat_id:
        raise Invalid("digest.not_team_group", team=team.name)
    [digest] = await compute_digests([team.id], now=now)
    manager = await User.get(id=actor.user_id)
    where = Recipient(group_chat_id, None) if group_chat_id is not None else recipient(manager)
    return replace(digest, audience=[where])


async def _pools(team_ids: Sequence[int]) -> list[TeamPool]:
    rules = await TeamRules.filter(
        team_id__in=list(team_ids), team__archived_at=None
    ).select_related("team")
    policies = await TierPolicy.filter(team_id__in=[r.team_id for r in rules])
    pools = [
        TeamPool(r.team, r, tier_windows(p for p in policies if p.team_id == r.team_id))
        for r in rules
    ]
    return sorted(pools, key=lambda p: p.team.id)
