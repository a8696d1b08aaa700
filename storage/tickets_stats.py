"""/servicestats: how the team's after-sales service performs over a period.

For the tickets opened in the period: volume, how many are still open, breach rate, and the
median time to first response and to resolution; for the ratings given in the period: the
average, against the period before (the trend). The same figures per agent and per category.

Three grouped statements (the team, per agent, per category) plus one for the ratings per
dimension, whatever the number of tickets. Medians are computed in SQL with ``ROW_NUMBER()``
and ``COUNT(*) OVER`` (the middle row, or the mean of the two middle ones) — both SQLite and
PostgreSQL have window functions, neither has the same median function.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from tortoise import connections

from storage.access import Actor, Invalid, NotFound
from storage.models import Role, Team, User
from storage.pool_sql import Sql, literals
from storage.tickets_rules import OPEN

PERIODS = (7, 30, 90)
ALL = "all"


@dataclass(frozen=True)
class StatsRow:
    key: str
    """An agent's name, a category's code, or ``all``."""
    tickets: int = 0
    open: int = 0
    breached: int = 0
    first_response_median: float | None = None
    """Seconds."""
    resolution_median: float | None = None
    rating_avg: float | None = None
    ratings: int = 0

    @property
    def breach_rate(self) -> float | None:
        return self.breached / self.tickets if self.tickets else None


@dataclass(frozen=True)
class ServiceStats:
    days: int
    since: datetime
    timezone: str
    team: StatsRow
    previous_rating: float | None
    """The average rating of the period before, for the trend."""
    agents: tuple[StatsRow, ...]
    categories: tuple[StatsRow, ...]

    @property
    def trend(self) -> float | None:
        if self.team.rating_avg is None or self.previous_rating is None:
            return None
        return self.team.rating_avg - self.previous_rating


class _Dialect:
    """The two expressions that differ between SQLite and PostgreSQL."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def seconds(self, start: str, end: str) -> str:
        if self.sql.postgres:
            return f"EXTRACT(EPOCH FROM ({end} - {start}))"
        return f"((julianday({end}) - julianday({start})) * 86400.0)"

    def since(self, column: str, moment: datetime) -> str:
        if self.sql.postgres:
            return f"{column} >= {self.sql.timestamp(moment)}"
        return f"julianday({column}) >= julianday({self.sql.param(moment)})"

    def before(self, column: str, moment: datetime) -> str:
        if self.sql.postgres:
            return f"{column} < {self.sql.timestamp(moment)}"
        return f"julianday({column}) < julianday({self.sql.param(moment)})"


_KEYS = {"all": f"'{ALL}'", "agent": "COALESCE(t.agent_id, 0)", "category": "t.category"}


async def _tickets(team_id: int, dimension: str, since: datetime, until: datetime) -> list[Any]:
    sql = Sql(connections.get("default"))
    d = _Dialect(sql)
    key = _KEYS[dimension]
    team = sql.param(team_id)
    window = f"{d.since('t.created_at', since)} AND {d.before('t.created_at', until)}"
    first = d.seconds("t.created_at", "t.first_responded_at")
    resolved = d.seconds("t.created_at", "t.resolved_at")

    def middle(name: str) -> str:
        return (
            f"(SELECT AVG(m.v) FROM {name} m WHERE m.k = b.k"
            " AND m.i IN ((m.n + 1) / 2, (m.n + 2) / 2))"
        )

    def ranked(column: str) -> str:
        return (
            f"SELECT k, {column} AS v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY {column}) AS i,"
            f" COUNT(*) OVER (PARTITION BY k) AS n FROM base WHERE {column} IS NOT NULL"
        )

    return await sql.rows(
        f"WITH base AS (SELECT {key} AS k, t.status, t.response_breached, t.resolution_breached,"
        f" {first} AS fr, {resolved} AS rs FROM ticket t WHERE t.team_id = {team} AND {window}),"
        f" fr AS ({ranked('fr')}), rs AS ({ranked('rs')})"
        " SELECT b.k AS k, COUNT(*) AS tickets,"
        f" SUM(CASE WHEN b.status IN {literals(OPEN)} THEN 1 ELSE 0 END) AS open,"
        " SUM(CASE WHEN b.response_breached OR b.resolution_breached THEN 1 ELSE 0 END)"
        f" AS breached, {middle('fr')} AS fr_median, {middle('rs')} AS rs_median"
        " FROM base b GROUP BY b.k"
    )


async def _ratings(team_id: int, dimension: str, since: datetime, until: datetime) -> list[Any]:
    sql = Sql(connections.get("default"))
    d = _Dialect(sql)
    key = _KEYS[dimension]
    return await sql.rows(
        f"WITH base AS (SELECT {key} AS k, r.score FROM ticketrating r"
        f" JOIN ticket t ON t.id = r.ticket_id WHERE t.team_id = {sql.param(team_id)}"
        f" AND {d.since('r.created_at', since)} AND {d.before('r.created_at', until)})"
        " SELECT k, AVG(score) AS avg, COUNT(*) AS n FROM base GROUP BY k"
    )


def _number(value: object) -> float | None:
    return None if value is None else float(str(value))


def _seconds(value: object) -> float | None:
    """Whole seconds: SQLite's julianday arithmetic carries float noise."""
    number = _number(value)
    return None if number is None else float(round(number))


async def _rows(team_id: int, dimension: str, since: datetime, until: datetime) -> list[StatsRow]:
    rated = {str(r["k"]): r for r in await _ratings(team_id, dimension, since, until)}
    rows = []
    for r in await _tickets(team_id, dimension, since, until):
        key = str(r["k"])
        rating = rated.pop(key, None)
        rows.append(
            StatsRow(
                key,
                int(r["tickets"]),
                int(r["open"] or 0),
                int(r["breached"] or 0),
                _seconds(r["fr_median"]),
                _seconds(r["rs_median"]),
                _number(rating["avg"]) if rating else None,
                int(rating["n"]) if rating else 0,
            )
        )
    # Ratings in the period of tickets opened before it still count for their agent/category.
    rows += [
        StatsRow(key, rating_avg=_number(r["avg"]), ratings=int(r["n"])) for key, r in rated.items()
    ]
    return rows


async def service_stats(actor: Actor, days: int, *, now: datetime) -> ServiceStats:
    """The manager's team over the last ``days`` days (7, 30 or 90)."""
    actor.require(Role.MANAGER)
    if days not in PERIODS:
        raise Invalid("tickets.stats_bad_period")
    team = await Team.get_or_none(id=actor.team_id or 0)
    if team is None:
        raise NotFound()
    since = now - timedelta(days=days)
    [overall] = await _rows(team.id, "all", since, now) or [StatsRow(ALL)]
    previous = {
        str(r["k"]): r for r in await _ratings(team.id, "all", since - (now - since), since)
    }
    agents = await _rows(team.id, "agent", since, now)
    names = {
        str(u.id): str(u)
        for u in await User.filter(id__in=[int(a.key) for a in agents if a.key != "0"])
    }
    named = [replace(a, key=names.get(a.key, "—") if a.key != "0" else "") for a in agents]
    categories = await _rows(team.id, "category", since, now)
    return ServiceStats(
        days,
        since,
        team.timezone,
        overall,
        _number(previous[ALL]["avg"]) if ALL in previous else None,
        tuple(sorted(named, key=lambda r: (-r.tickets, r.key))),
        tuple(sorted(categories, key=lambda r: (-r.tickets, r.key))),
    )
