"""The digest's aggregate queries: a fixed number of statements for any number of teams and reps.

Every team of a batch has its own local day (its zone), so the day bounds are computed in
Python (``digest_time``) and handed to the database as a small table of parameters::

    WITH b(team_id, bucket, lo, hi) AS (VALUES (7, 0, ?1, ?2), (7, 1, ?3, ?1), …)

Bucket 0 is the digest's day, 1…7 the days before it. Each table is joined to that table on
``team_id`` and the time range (the ``(team_id, <time>)`` indexes serve the join), and grouped
``BY team, CASE bucket 0 THEN rep END, bucket``: today's counts come back per rep, the
history only per team — a few thousand rows for a hundred teams of twenty reps.

The lists of items that need a decision (customers about to be reclaimed, overdue tasks,
flagged visits, waiting leads) are one window query each: ``ROW_NUMBER()`` keeps the first
few per team and ``COUNT(*) OVER`` says how many there are in all.

Values are always parameters; only our own integers and enum constants are spliced in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from tortoise import connections

from storage.digest_time import DayBounds
from storage.models import LeadStatus, PoolEventKind, TaskStatus
from storage.pool_rules import TeamPool
from storage.pool_sql import Sql
from storage.reclaim import per_team, per_tier, reclaimable

Row = dict[str, Any]
Bounds = dict[int, list[DayBounds]]
"""Per team id: its digest day first, then the days before it."""

POOL_KINDS = (PoolEventKind.CLAIM, PoolEventKind.RELEASE, PoolEventKind.RECLAIM)


def _sql() -> Sql:
    return Sql(connections.get("default"))


def _ids(team_ids: Sequence[int]) -> str:
    return "(" + ",".join(str(int(i)) for i in team_ids) + ")"


def bounds_table(sql: Sql, bounds: Bounds, *, days: int | None = None) -> str:
    """``WITH b(team_id, bucket, lo, hi) AS (VALUES …)``; a shared edge is one parameter."""
    rows = []
    for team_id, history in bounds.items():
        kept = history if days is None else history[:days]
        edges = [sql.timestamp(kept[0].end)] + [sql.timestamp(d.start) for d in kept]
        for bucket in range(len(kept)):
            rows.append(f"({int(team_id)}, {bucket}, {edges[bucket + 1]}, {edges[bucket]})")
    return f"WITH b(team_id, bucket, lo, hi) AS (VALUES {', '.join(rows)})"


def _arm(metric: str, table: str, at: str, rep: str, where: str = "") -> str:
    """One metric's counts: per rep for bucket 0, per team for the other buckets."""
    who = f"CASE WHEN b.bucket = 0 THEN x.{rep} END"
    label = f"'{metric}'" if metric else "x.kind"
    group = ("x.kind, " if not metric else "") + f"x.team_id, {who}, b.bucket"
    return (
        f"SELECT {label} AS metric, x.team_id AS team_id, {who} AS rep_id,"
        f" b.bucket AS bucket, COUNT(*) AS n FROM {table} x JOIN b ON x.team_id = b.team_id"
        f" AND x.{at} >= b.lo AND x.{at} < b.hi {'WHERE ' + where if where else ''}"
        f" GROUP BY {group}"
    )


async def activity(bounds: Bounds) -> list[Row]:
    """Counts per (metric, team, rep on the day / bucket): one ``UNION ALL`` statement.

    Follow-ups written for a check-in are the visit itself, counted once, as a visit.
    """
    sql = _sql()
    kinds = ",".join(f"'{k.value}'" for k in POOL_KINDS)
    arms = (
        _arm("followups", "followup", "occurred_at", "rep_id", "x.checkin_id IS NULL"),
        _arm("visits", "checkin", "checked_in_at", "rep_id"),
        _arm("flagged", "checkin", "checked_in_at", "rep_id", "x.flagged"),
        _arm("", "poolevent", "created_at", "rep_id", f"x.kind IN ({kinds})"),
        _arm(
            "tasks_done",
            "task",
            "completed_at",
            "assignee_id",
            f"x.status = '{TaskStatus.DONE.value}'",
        ),
        _arm("new_leads", '"lead"', "assigned_at", "assignee_id", "x.assignee_id IS NOT NULL"),
    )
    return await sql.rows(f"{bounds_table(sql, bounds)} {' UNION ALL '.join(arms)}")


async def overdue_tasks(team_ids: Sequence[int], now: datetime, listed: int) -> list[Row]:
    """Open tasks past due: the first ``listed`` per team, and one row per rep with its count."""
    sql = _sql()
    return await sql.rows(
        "SELECT s.team_id, s.assignee_id, s.id, s.title, s.due_at, s.rn, s.per_rep,"
        " s.per_team, c.name AS customer_name FROM (SELECT t.team_id, t.assignee_id, t.id,"
        " t.title, t.due_at, t.customer_id,"
        " ROW_NUMBER() OVER (PARTITION BY t.team_id ORDER BY t.due_at, t.id) AS rn,"
        " ROW_NUMBER() OVER (PARTITION BY t.team_id, t.assignee_id ORDER BY t.id) AS rep_rn,"
        " COUNT(*) OVER (PARTITION BY t.team_id, t.assignee_id) AS per_rep,"
        " COUNT(*) OVER (PARTITION BY t.team_id) AS per_team"
        f" FROM task t WHERE t.team_id IN {_ids(team_ids)}"
        f" AND t.status = '{TaskStatus.OPEN.value}' AND t.due_at < {sql.timestamp(now)}) s"
        f" LEFT JOIN customer c ON c.id = s.customer_id WHERE s.rn <= {int(listed)}"
        " OR s.rep_rn = 1 ORDER BY s.team_id, s.rn"
    )


async def flagged_visits(bounds: Bounds, listed: int) -> list[Row]:
    """The day's flagged check-ins: the first ``listed`` per team, and how many in all."""
    sql = _sql()
    return await sql.rows(
        f"{bounds_table(sql, bounds, days=1)} SELECT s.id, s.team_id, s.rep_id,"
        " s.checked_in_at, s.flags, s.distance_m, s.total, c.name AS customer_name"
        " FROM (SELECT x.id, x.team_id, x.rep_id, x.customer_id, x.checked_in_at, x.flags,"
        " x.distance_m,"
        " ROW_NUMBER() OVER (PARTITION BY x.team_id ORDER BY x.checked_in_at, x.id) AS rn,"
        " COUNT(*) OVER (PARTITION BY x.team_id) AS total FROM checkin x JOIN b"
        " ON x.team_id = b.team_id AND x.checked_in_at >= b.lo AND x.checked_in_at < b.hi"
        f" WHERE x.flagged) s JOIN customer c ON c.id = s.customer_id WHERE s.rn <= {int(listed)}"
        " ORDER BY s.team_id, s.rn"
    )


async def waiting_leads(team_ids: Sequence[int], listed: int) -> list[Row]:
    """Leads no rep could take: the oldest ``listed`` per team, and how many in all."""
    sql = _sql()
    return await sql.rows(
        "SELECT s.id, s.team_id, s.name, s.company, s.waiting_reason, s.total FROM"
        " (SELECT l.id, l.team_id, l.name, l.company, l.waiting_reason,"
        " ROW_NUMBER() OVER (PARTITION BY l.team_id ORDER BY l.id) AS rn,"
        " COUNT(*) OVER (PARTITION BY l.team_id) AS total"
        f' FROM "lead" l WHERE l.team_id IN {_ids(team_ids)}'
        f" AND l.status = '{LeadStatus.NEW.value}' AND l.assignee_id IS NULL"
        f" AND l.waiting_reason IS NOT NULL) s WHERE s.rn <= {int(listed)}"
        " ORDER BY s.team_id, s.rn"
    )


def _days(sql: Sql, timestamp: str) -> str:
    """A timestamp as a number of days (only for ordering)."""
    if sql.postgres:
        return f"(EXTRACT(EPOCH FROM {timestamp}) / 86400.0)"
    return f"julianday({timestamp})"


def _greatest(sql: Sql, *values: str) -> str:
    return f"{'GREATEST' if sql.postgres else 'MAX'}({', '.join(values)})"


def _least(sql: Sql, *values: str) -> str:
    return f"{'LEAST' if sql.postgres else 'MIN'}({', '.join(values)})"


def deadline_order(sql: Sql, pools: Sequence[TeamPool]) -> str:
    """SQL ordering customers by their reclaim deadline (``reclaim_rules``), extension included.

    The same rule as ``reclaim_rules.reclaim_deadline``: the earlier of the follow-up clock
    (tier window) and the deal clock, both starting no earlier than the claim; an extension
    holds the customer until ``extended_until`` at the earliest.
    """
    tier_days = per_team(sql, pools, lambda p: per_tier(sql, p, lambda _t, days: str(int(days))))
    deal_days = per_team(sql, pools, lambda p: str(int(p.rules.reclaim_days_no_deal)))
    followup = _greatest(sql, "owned_since", "COALESCE(last_followup_at, owned_since)")
    deal = _greatest(sql, "owned_since", "COALESCE(last_deal_at, owned_since)")
    clocks = _least(
        sql, f"{_days(sql, followup)} + {tier_days}", f"{_days(sql, deal)} + {deal_days}"
    )
    return _greatest(sql, clocks, f"COALESCE({_days(sql, 'extended_until')}, 0)")


async def about_to_be_reclaimed(pools: Sequence[TeamPool], now: datetime, listed: int) -> list[Row]:
    """Customers the sweep would take within each team's warning days: the ``listed`` nearest
    deadlines per team, and how many in all — the reclaim sweep's own condition."""
    sql = _sql()

    def horizon(pool: TeamPool) -> datetime:
        return now + timedelta(days=pool.rules.reclaim_warning_days)

    due = reclaimable(sql, pools, now, horizon)
    order = deadline_order(sql, pools)
    team_ids = _ids([p.team.id for p in pools])
    return await sql.rows(
        "SELECT s.* FROM (SELECT id, team_id, name, owner_id, tier, owned_since,"
        " last_followup_at, last_deal_at, extended_until, extension_used,"
        f" ROW_NUMBER() OVER (PARTITION BY team_id ORDER BY {order}, id) AS rn,"
        " COUNT(*) OVER (PARTITION BY team_id) AS total FROM customer"
        f" WHERE team_id IN {team_ids} AND {due}) s WHERE s.rn <= {int(listed)}"
        " ORDER BY s.team_id, s.rn"
    )
