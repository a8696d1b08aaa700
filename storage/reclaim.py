"""The reclaim sweep: overdue customers go back to the pool; owners are warned days before.

Both halves are set-based and their statement count is fixed — it grows neither with the
number of customers nor with the number of teams:

1. the cutoffs of every (team, tier) are computed in Python (``reclaim_rules.cutoffs``);
2. one UPDATE changes every overdue customer of every team, reading its cutoffs from a
   ``CASE team_id … CASE tier …`` of parameters — ``max(a, b) <= c`` written as
   ``a <= c AND b <= c``, the pauses as ``NOT EXISTS`` — and stamps this run's instant in
   ``released_at``;
3. one ``INSERT … SELECT`` writes their RECLAIM pool events, in the same transaction (on
   SQLite after one index lookup saying whether it needs its guard, see ``_instant_taken``);
4. one query with window functions reads back what the notices list (a few names per rep
   and a count), then one query each for the reps and the teams' managers.

Running twice does nothing twice: a reclaimed customer has no owner any more, a warned one
carries ``reclaim_warned_at`` — and a warning counts for one deadline only: it is due again
only once the customer's deadline has moved past what it was when the warning went out.

The job reclaims first and warns second, so a customer that is already overdue is simply
reclaimed (and listed once, in the reclaim notice) instead of being warned and taken at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from storage.models import (
    ActorKind,
    Customer,
    PoolEvent,
    PoolEventKind,
    TeamRules,
    Tier,
    TierPolicy,
    User,
)
from storage.pool_rules import (
    Recipient,
    TeamPool,
    local_day,
    recipient,
    team_audiences,
    tier_windows,
)
from storage.pool_sql import Sql, not_paused
from storage.reclaim_rules import ReclaimClock, cutoffs, reclaim_deadline

LISTED_MAX = 15
"""Customers named per rep in a notice; the rest are counted."""
EVENT_COLUMNS = "(team_id, customer_id, kind, rep_id, actor_id, actor_kind, reason, created_at)"


@dataclass(frozen=True)
class Listed:
    customer_id: int
    name: str
    deadline: datetime | None


@dataclass(frozen=True)
class RepNotice:
    """One message to one rep: the customers reclaimed from them, or at risk."""

    team_id: int
    rep_id: int
    rep_name: str
    recipient: Recipient | None
    total: int
    customers: list[Listed]
    timezone: str


@dataclass(frozen=True)
class TeamNotice:
    """What was reclaimed in one team, for its group (or its managers)."""

    team_id: int
    team_name: str
    timezone: str
    audience: list[Recipient]
    reps: list[RepNotice]

    @property
    def total(self) -> int:
        return sum(rep.total for rep in self.reps)


@dataclass(frozen=True)
class SweepResult:
    at: datetime
    reps: list[RepNotice]
    teams: list[TeamNotice]

    @property
    def total(self) -> int:
        return sum(rep.total for rep in self.reps)


async def active_teams() -> list[TeamPool]:
    """Every active team's pool settings, in two queries."""
    rules = await TeamRules.filter(team__archived_at=None).select_related("team")
    policies = await TierPolicy.filter(team_id__in=[r.team_id for r in rules])
    return [
        TeamPool(r.team, r, tier_windows(p for p in policies if p.team_id == r.team_id))
        for r in rules
    ]


# ----- the conditions, per team and tier -----


def per_team(sql: Sql, pools: Sequence[TeamPool], value: Callable[[TeamPool], str]) -> str:
    """``CASE team_id WHEN … THEN <value(team)> END`` (NULL for any other team)."""
    arms = " ".join(f"WHEN {int(p.team.id)} THEN {value(p)}" for p in pools)
    return f"(CASE team_id {arms} END)"


def per_tier(sql: Sql, pool: TeamPool, value: Callable[[Tier, int], str]) -> str:
    """``CASE tier WHEN … THEN <value(tier, reclaim days)> END`` for one team."""
    arms = " ".join(
        f"WHEN '{tier.value}' THEN {value(tier, days)}"
        for tier, days in sorted(pool.reclaim_days.items())
    )
    return f"CASE tier {arms} END"


Moment = Callable[[TeamPool], datetime]
"""The instant a team's customers are judged at: now (reclaim) or now + its warning days."""


def overdue_at(sql: Sql, pools: Sequence[TeamPool], moment: Moment) -> str:
    """SQL: the customer's reclaim deadline is at or before its team's ``moment``."""

    def followup_cutoff(pool: TeamPool) -> str:
        no_deal = pool.rules.reclaim_days_no_deal
        return per_tier(
            sql,
            pool,
            lambda _tier, days: sql.timestamp(
                cutoffs(moment(pool), reclaim_days=days, no_deal_days=no_deal)[0]
            ),
        )

    def deal_cutoff(pool: TeamPool) -> str:
        days = pool.rules.reclaim_days_no_deal
        return sql.timestamp(cutoffs(moment(pool), reclaim_days=days, no_deal_days=days)[1])

    followup = per_team(sql, pools, followup_cutoff)
    deal = per_team(sql, pools, deal_cutoff)
    return (
        f"((owned_since <= {followup}"
        f" AND (last_followup_at IS NULL OR last_followup_at <= {followup}))"
        f" OR (owned_since <= {deal} AND (last_deal_at IS NULL OR last_deal_at <= {deal})))"
    )


def reclaimable(sql: Sql, pools: Sequence[TeamPool], now: datetime, moment: Moment) -> str:
    """Owned, not locked, not extended past ``moment``, not paused, overdue at ``moment``."""
    today = per_team(sql, pools, lambda p: sql.day(local_day(now, p.team.timezone)))
    until = per_team(sql, pools, lambda p: sql.timestamp(moment(p)))
    return " AND ".join(
        (
            "owner_id IS NOT NULL",
            "NOT locked",
            f"(extended_until IS NULL OR extended_until <= {until})",
            overdue_at(sql, pools, moment),
            *not_paused(today),
        )
    )


def not_warned_for_this_deadline(sql: Sql, pools: Sequence[TeamPool]) -> str:
    """No warning yet, or the deadline moved past the one that was warned about.

    A warning at ``w`` covered deadline ``d`` when ``d - W <= w``. The deadline is
    ``min(F, D)`` (follow-up and deal clocks), so a new warning is due only when both
    ``F - W > w`` and ``D - W > w``: each clock's base is later than ``w`` minus (that
    clock's window minus W).
    """

    def shift(pool: TeamPool, days: int) -> str:
        return str(int(days - pool.rules.reclaim_warning_days))

    followup_shift = per_team(sql, pools, lambda p: per_tier(sql, p, lambda _t, d: shift(p, d)))
    deal_shift = per_team(sql, pools, lambda p: shift(p, p.rules.reclaim_days_no_deal))

    def moved(base: str, days: str) -> str:
        return sql.later_than_shifted(base, "reclaim_warned_at", days)

    return (
        "(reclaim_warned_at IS NULL"
        f" OR (({moved('owned_since', followup_shift)}"
        f" OR {moved('last_followup_at', followup_shift)})"
        f" AND ({moved('owned_since', deal_shift)} OR {moved('last_deal_at', deal_shift)})))"
    )


def _team_ids(pools: Sequence[TeamPool]) -> str:
    return "(" + ",".join(str(int(p.team.id)) for p in pools) + ")"


# ----- the sweep -----


async def reclaim_overdue(*, now: datetime) -> SweepResult:
    """Return every team's overdue customers to the pool; the notices to send about them."""
    pools = await active_teams()
    if not pools:
        return SweepResult(now, [], [])
    async with in_transaction() as connection:
        update = Sql(connection)
        at = update.timestamp(now)
        changed = await update.execute(
            "UPDATE customer SET last_owner_id = owner_id, owner_id = NULL,"
            f" released_at = {at}, updated_at = {at}"
            f" WHERE {reclaimable(update, pools, now, lambda _pool: now)}"
        )
        if changed:
            # Only the sweep's teams; a release at this very instant has its own event.
            guard = await _instant_taken(connection, pools, now)
            await _scheduler_events(
                connection,
                now,
                PoolEventKind.RECLAIM,
                rep="last_owner_id",
                stamp="released_at",
                reason="overdue",
                where=lambda at: (
                    f"c.team_id IN {_team_ids(pools)}",
                    *([_no_event_at(at)] if guard else []),
                ),
            )
    if not changed:
        return SweepResult(now, [], [])
    reps = await _notices(pools, now, PoolEventKind.RECLAIM, with_deadline=False)
    audiences = await team_audiences([p.team for p in pools])
    teams = [
        TeamNotice(
            p.team.id,
            p.team.name,
            p.team.timezone,
            audiences.get(p.team.id, []),
            [r for r in reps if r.team_id == p.team.id],
        )
        for p in pools
        if any(r.team_id == p.team.id for r in reps)
    ]
    return SweepResult(now, reps, teams)


async def warn_owners(*, now: datetime) -> SweepResult:
    """Warn each rep once, in one message, about their customers due within the window."""
    pools = await active_teams()
    if not pools:
        return SweepResult(now, [], [])
    async with in_transaction() as connection:
        update = Sql(connection)
        at = update.timestamp(now)

        due = reclaimable(update, pools, now, lambda p: _horizon(p, now))
        warned = await update.execute(
            f"UPDATE customer SET reclaim_warned_at = {at}"
            f" WHERE {due} AND {not_warned_for_this_deadline(update, pools)}"
        )
        if warned:
            await _scheduler_events(
                connection, now, PoolEventKind.WARN, rep="owner_id", stamp="reclaim_warned_at"
            )
    if not warned:
        return SweepResult(now, [], [])
    return SweepResult(now, await _notices(pools, now, PoolEventKind.WARN, with_deadline=True), [])


async def _scheduler_events(
    connection: BaseDBAsyncClient,
    now: datetime,
    kind: PoolEventKind,
    *,
    rep: str,
    stamp: str,
    reason: str | None = None,
    where: Callable[[str], Sequence[str]] = lambda at: (),
) -> None:
    """This run's ``kind`` events by the scheduler, in one ``INSERT … SELECT``: one for each
    customer whose column ``stamp`` holds this run's instant and whose column ``rep`` is set.

    ``where`` adds conditions, given the SQL for this run's instant.
    """
    sql = Sql(connection)
    at = sql.timestamp(now)
    said = f"'{reason}'" if reason else "NULL"  # our own constant, never user input
    conditions = [f"c.{stamp} = {at}", f"c.{rep} IS NOT NULL", *where(at)]
    await sql.execute(
        f"INSERT INTO poolevent {EVENT_COLUMNS}"
        f" SELECT c.team_id, c.id, '{kind.value}', c.{rep}, NULL,"
        f" '{ActorKind.SCHEDULER.value}', {said}, c.{stamp}"
        f" FROM customer c WHERE {' AND '.join(conditions)}"
    )


async def _instant_taken(
    connection: BaseDBAsyncClient, pools: Sequence[TeamPool], now: datetime
) -> bool:
    """Whether the reclaim events need the guard against an event already at ``now``.

    Customers released or assigned at this very instant carry the same ``released_at`` and
    have their own event; the ``NOT EXISTS`` guard leaves them out. On SQLite the guard is
    costly even when nothing matches: an ``INSERT … SELECT`` that reads its own table is
    first copied into a temporary table (56,000 rows for 1,000,000 customers). So SQLite
    asks first, with one index lookup: this transaction holds the only write lock since
    its UPDATE, so no event can appear between the question and the INSERT. PostgreSQL,
    where a release may commit in between, always keeps the guard (an anti-join there).
    """
    if connection.capabilities.dialect == "postgres":
        return True
    return await (
        PoolEvent.filter(team_id__in=[p.team.id for p in pools], created_at=now)
        .using_db(connection)
        .exists()
    )


def _no_event_at(at: str) -> str:
    """SQL: customer ``c`` has no pool event at this run's instant yet."""
    return (
        f"NOT EXISTS (SELECT 1 FROM poolevent e WHERE e.customer_id = c.id AND e.created_at = {at})"
    )


def _horizon(pool: TeamPool, now: datetime) -> datetime:
    return now + timedelta(days=pool.rules.reclaim_warning_days)


# ----- what the notices say -----


async def _notices(
    pools: Sequence[TeamPool], now: datetime, kind: PoolEventKind, *, with_deadline: bool
) -> list[RepNotice]:
    """Per rep: up to LISTED_MAX of this run's customers of ``kind`` (by name), and the count.

    The names shown are the rep's longest-known customers (lowest ids) among them.
    """
    sql = Sql(connections.get("default"))
    # Number and cut the events first (integers only), then fetch the few rows shown.
    rows = await sql.rows(
        "SELECT r.team_id, r.rep_id, r.total, c.id, c.name, c.tier, c.owned_since,"
        " c.last_followup_at, c.last_deal_at FROM (SELECT team_id, rep_id, customer_id,"
        " ROW_NUMBER() OVER (PARTITION BY team_id, rep_id ORDER BY customer_id) AS rn,"
        " COUNT(*) OVER (PARTITION BY team_id, rep_id) AS total FROM poolevent"
        f" WHERE team_id IN {_team_ids(pools)} AND created_at = {sql.timestamp(now)}"
        f" AND kind = '{kind.value}' AND rep_id IS NOT NULL) r"
        f" JOIN customer c ON c.id = r.customer_id WHERE r.rn <= {LISTED_MAX}"
        " ORDER BY r.team_id, r.rep_id, c.name, c.id"
    )
    by_team = {p.team.id: p for p in pools}
    grouped: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault((int(row["team_id"]), int(row["rep_id"])), []).append(row)
    users = {u.id: u for u in await User.filter(id__in=list({rep for _, rep in grouped}))}
    notices = []
    for (team_id, rep_id), listed in grouped.items():
        pool, user = by_team[team_id], users.get(rep_id)
        customers = [
            Listed(int(r["id"]), str(r["name"]), _deadline(pool, r) if with_deadline else None)
            for r in listed
        ]
        if with_deadline:
            customers.sort(key=lambda c: (c.deadline or now, c.name))
        notices.append(
            RepNotice(
                team_id,
                rep_id,
                str(user) if user else "?",
                recipient(user) if user else None,
                int(listed[0]["total"]),
                customers,
                pool.team.timezone,
            )
        )
    return sorted(notices, key=lambda n: (n.team_id, -n.total, n.rep_name))


def _deadline(pool: TeamPool, row: dict[str, Any]) -> datetime | None:
    """The deadline of one listed row (raw values: SQLite returns datetimes as text)."""
    convert = Customer._meta.fields_map["owned_since"].to_python_value
    owned_since = convert(row["owned_since"])
    if owned_since is None:
        return None
    clock = ReclaimClock(
        owned_since, convert(row["last_followup_at"]), convert(row["last_deal_at"])
    )
    return reclaim_deadline(
        clock,
        reclaim_days=pool.reclaim_days[Tier(row["tier"])],
        no_deal_days=pool.rules.reclaim_days_no_deal,
    )
