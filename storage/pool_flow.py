"""/poolflow: how customers moved through the pool in a period, for the team's managers.

Everything comes from the append-only ``PoolEvent`` log with aggregate queries (GROUP BY in the
database, a handful of rows back): the flow per rep, the customers that bounce between owners
and the pool, and the reps at their owned cap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from storage.access import Actor, Invalid, NotFound
from storage.models import Customer, PoolEvent, PoolEventKind, Role, User
from storage.pool_assign import RepLoad, rep_loads
from storage.pool_rules import day_start, team_pool

PERIODS = (1, 7, 30)
"""Today (since the team's midnight), the last 7 and the last 30 days (today included)."""
BOUNCE_MIN = 2
SHOWN_MAX = 10
TAKES = (PoolEventKind.CLAIM, PoolEventKind.ASSIGN)
EXITS = (PoolEventKind.RELEASE, PoolEventKind.RECLAIM)


@dataclass(frozen=True)
class RepFlow:
    rep_id: int
    name: str
    claims: int = 0
    assigns: int = 0
    releases: int = 0
    reclaims: int = 0


@dataclass(frozen=True)
class Bounce:
    customer_id: int
    name: str
    takes: int
    """Claims and assignments in the period."""
    exits: int
    """Releases and reclaims in the period."""


@dataclass(frozen=True)
class PoolFlow:
    days: int
    since: datetime
    timezone: str
    reps: list[RepFlow]
    bounced: list[Bounce]
    at_cap: list[RepLoad]
    in_pool: int


async def pool_flow(actor: Actor, days: int, *, now: datetime) -> PoolFlow:
    """Claims, releases, reclaims and assignments per rep since the period began."""
    actor.require(Role.MANAGER)
    if days not in PERIODS:
        raise Invalid("pool.flow_bad_period")
    if actor.team_id is None:
        raise NotFound()
    pool = await team_pool(actor.team_id)
    zone = pool.team.timezone
    since = day_start(now, zone) - timedelta(days=days - 1)
    events = PoolEvent.filter(team_id=pool.team.id, created_at__gte=since)
    reps = await _per_rep(events.filter(kind__in=(*TAKES, *EXITS)))
    bounced = await _bounced(events)
    loads = await rep_loads(pool.team.id, pool.rules.owned_cap)
    in_pool = await Customer.filter(team_id=pool.team.id, owner_id=None).count()
    at_cap = [load for load in loads if load.at_cap]
    return PoolFlow(days, since, zone, reps, bounced, at_cap, in_pool)


async def _per_rep(events: QuerySet[PoolEvent]) -> list[RepFlow]:
    rows = (
        await events.filter(rep_id__not_isnull=True)
        .annotate(n=Count("id"))
        .group_by("rep_id", "kind")
        .values("rep_id", "kind", "n")
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[int(row["rep_id"])][str(PoolEventKind(row["kind"]).value)] = int(row["n"])
    names = {u.id: str(u) for u in await User.filter(id__in=list(counts))}
    flows = [
        RepFlow(
            rep_id,
            names.get(rep_id, "?"),
            claims=kinds.get(PoolEventKind.CLAIM.value, 0),
            assigns=kinds.get(PoolEventKind.ASSIGN.value, 0),
            releases=kinds.get(PoolEventKind.RELEASE.value, 0),
            reclaims=kinds.get(PoolEventKind.RECLAIM.value, 0),
        )
        for rep_id, kinds in counts.items()
    ]
    return sorted(flows, key=lambda f: (-(f.claims + f.assigns + f.releases + f.reclaims), f.name))


async def _bounced(events: QuerySet[PoolEvent]) -> list[Bounce]:
    """Customers taken or given back at least twice in the period, busiest first."""
    rows = (
        await events.annotate(
            takes=Count("id", _filter=Q(kind__in=TAKES)),
            exits=Count("id", _filter=Q(kind__in=EXITS)),
        )
        .group_by("customer_id")
        .filter(Q(takes__gte=BOUNCE_MIN) | Q(exits__gte=BOUNCE_MIN))
        .order_by("-exits", "-takes", "customer_id")
        .limit(SHOWN_MAX)
        .values("customer_id", "takes", "exits")
    )
    ids = [int(row["customer_id"]) for row in rows]
    names = {c.id: c.name for c in await Customer.filter(id__in=ids)}
    return [
        Bounce(int(r["customer_id"]), names.get(int(r["customer_id"]), "?"), r["takes"], r["exits"])
        for r in rows
    ]
