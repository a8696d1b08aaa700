"""What a digest holds, and how the aggregate queries' rows become one.

Storage's view of a digest is plain frozen dataclasses (``Digest`` and its parts); the
functions below turn the rows of ``digest_sql`` — already grouped by team — into them. The
reclaim deadline shown for a customer is ``reclaim_rules.reclaim_deadline``, the one rule the
card, /my and the sweep share (an extension holds the customer at least until it ends).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from storage.digest_time import HISTORY_DAYS
from storage.models import CheckIn, Customer, Role, Team, Tier, User
from storage.pool_rules import Recipient, TeamPool, recipient
from storage.reclaim_rules import ReclaimClock, reclaim_deadline

LISTED = 5
"""Items shown (each with its buttons) per kind of decision; the rest are counted."""
METRICS = (
    "followups",
    "visits",
    "flagged",
    "claimed",
    "released",
    "reclaimed",
    "tasks_done",
    "new_leads",
)
"""What is counted per rep and compared with the past days."""
POOL_METRIC = {"claim": "claimed", "release": "released", "reclaim": "reclaimed"}

T = TypeVar("T")
Row = dict[str, Any]


@dataclass(frozen=True)
class RepDay:
    """One rep's day; ``counts`` holds every metric of ``METRICS``."""

    rep_id: int
    name: str
    counts: dict[str, int]
    overdue: int
    """Open tasks past due, as of the digest."""

    def __getitem__(self, metric: str) -> int:
        return self.counts.get(metric, 0)


@dataclass(frozen=True)
class Trend:
    """A team total: the day, the day before, and the average of the seven days before."""

    metric: str
    today: int
    yesterday: int
    week_average: float


@dataclass(frozen=True)
class Listed(Generic[T]):
    """The first few items needing a decision, and how many there are in all."""

    items: list[T] = field(default_factory=list)
    total: int = 0


@dataclass(frozen=True)
class AtRisk:
    customer_id: int
    name: str
    rep_name: str
    deadline: datetime | None
    can_extend: bool
    """False once the customer's one extension is used."""


@dataclass(frozen=True)
class OverdueTask:
    task_id: int
    title: str
    rep_name: str
    due_at: datetime
    customer: str | None


@dataclass(frozen=True)
class FlaggedVisit:
    checkin_id: int
    rep_name: str
    customer: str
    at: datetime
    flags: list[str]
    distance_m: float | None


@dataclass(frozen=True)
class WaitingLead:
    lead_id: int
    name: str
    company: str
    reason: str | None


@dataclass(frozen=True)
class Digest:
    team_id: int
    team_name: str
    timezone: str
    day: date
    as_of: datetime
    reps: list[RepDay]
    totals: list[Trend]
    overdue_now: int
    at_risk: Listed[AtRisk]
    overdue: Listed[OverdueTask]
    flagged: Listed[FlaggedVisit]
    waiting: Listed[WaitingLead]
    audience: list[Recipient]
    """The bound group, else each manager privately."""

    def total(self, metric: str) -> int:
        return sum(rep[metric] for rep in self.reps)


@dataclass
class TeamRows:
    """One team's rows of every aggregate query."""

    activity: list[Row] = field(default_factory=list)
    overdue: list[Row] = field(default_factory=list)
    flagged: list[Row] = field(default_factory=list)
    waiting: list[Row] = field(default_factory=list)
    at_risk: list[Row] = field(default_factory=list)


def _name(users: dict[int, User], user_id: object) -> str:
    user = users.get(int(user_id)) if user_id is not None else None  # type: ignore[call-overload]
    return str(user) if user is not None else "?"


def assemble(
    pool: TeamPool,
    day: date,
    now: datetime,
    members: list[User],
    users: dict[int, User],
    rows: TeamRows,
) -> Digest:
    """One team's digest from its rows; ``members`` are its reps and managers, ``users`` every
    fetched user by id (for names)."""
    team = pool.team
    today: dict[int, dict[str, int]] = defaultdict(dict)
    buckets: dict[str, list[int]] = {m: [0] * (HISTORY_DAYS + 1) for m in METRICS}
    for row in rows.activity:
        metric = POOL_METRIC.get(str(row["metric"]), str(row["metric"]))
        count, bucket = int(row["n"]), int(row["bucket"])
        buckets[metric][bucket] += count
        if bucket == 0 and row["rep_id"] is not None:
            today[int(row["rep_id"])][metric] = count
    overdue_per_rep = {
        int(r["assignee_id"]): int(r["per_rep"]) for r in rows.overdue if r["assignee_id"]
    }
    rep_ids = {u.id for u in members if u.role is Role.REP and u.is_active}
    rep_ids |= set(today) | set(overdue_per_rep)
    reps = sorted(
        (
            RepDay(
                rep_id, _name(users, rep_id), today.get(rep_id, {}), overdue_per_rep.get(rep_id, 0)
            )
            for rep_id in rep_ids
        ),
        key=lambda r: (r.name.casefold(), r.rep_id),
    )
    totals = [
        Trend(m, counts[0], counts[1], sum(counts[1:]) / HISTORY_DAYS)
        for m, counts in buckets.items()
    ]
    return Digest(
        team.id,
        team.name,
        team.timezone,
        day,
        now,
        reps,
        totals,
        int(rows.overdue[0]["per_team"]) if rows.overdue else 0,
        _at_risk(pool, users, rows.at_risk),
        _overdue(users, rows.overdue),
        _flagged(users, rows.flagged),
        _waiting(rows.waiting),
        _audience(team, (u for u in members if u.role is Role.MANAGER and u.is_active)),
    )


def _audience(team: Team, managers: Iterable[User]) -> list[Recipient]:
    """The same rule as ``pool_rules.team_audience``: the group, else each manager."""
    ordered = sorted(managers, key=lambda u: u.id)
    if team.group_chat_id is not None:
        language = recipient(ordered[0]).language if ordered else None
        return [Recipient(team.group_chat_id, language)]
    return [recipient(m) for m in ordered]


_convert = Customer._meta.fields_map["owned_since"].to_python_value
_flags = CheckIn._meta.fields_map["flags"].to_python_value


def _when(value: object) -> datetime | None:
    """A raw timestamp (SQLite returns text) as a tz-aware datetime."""
    moment: datetime | None = _convert(value)
    return moment


def _at(value: object) -> datetime:
    moment = _when(value)
    if moment is None:
        raise ValueError("a NOT NULL timestamp came back NULL")
    return moment


def _at_risk(pool: TeamPool, users: dict[int, User], rows: list[Row]) -> Listed[AtRisk]:
    items = []
    for row in rows:
        owned_since = _when(row["owned_since"])
        deadline = None
        if owned_since is not None:
            clock = ReclaimClock(
                owned_since, _when(row["last_followup_at"]), _when(row["last_deal_at"])
            )
            deadline = reclaim_deadline(
                clock,
                reclaim_days=pool.reclaim_days[Tier(row["tier"])],
                no_deal_days=pool.rules.reclaim_days_no_deal,
            )
            extended = _when(row["extended_until"])
            if extended is not None and extended > deadline:
                deadline = extended
        items.append(
            AtRisk(
                int(row["id"]),
                str(row["name"]),
                _name(users, row["owner_id"]),
                deadline,
                not bool(row["extension_used"]),
            )
        )
    return Listed(items, int(rows[0]["total"]) if rows else 0)


def _overdue(users: dict[int, User], rows: list[Row]) -> Listed[OverdueTask]:
    items = [
        OverdueTask(
            int(r["id"]),
            str(r["title"]),
            _name(users, r["assignee_id"]),
            _at(r["due_at"]),
            str(r["customer_name"]) if r["customer_name"] is not None else None,
        )
        for r in rows
        if int(r["rn"]) <= LISTED
    ]
    return Listed(items, int(rows[0]["per_team"]) if rows else 0)


def _flagged(users: dict[int, User], rows: list[Row]) -> Listed[FlaggedVisit]:
    items = [
        FlaggedVisit(
            int(r["id"]),
            _name(users, r["rep_id"]),
            str(r["customer_name"]),
            _at(r["checked_in_at"]),
            [str(f) for f in (_flags(r["flags"]) or [])],
            float(r["distance_m"]) if r["distance_m"] is not None else None,
        )
        for r in rows
    ]
    return Listed(items, int(rows[0]["total"]) if rows else 0)


def _waiting(rows: list[Row]) -> Listed[WaitingLead]:
    items = [
        WaitingLead(int(r["id"]), str(r["name"]), str(r["company"] or ""), r["waiting_reason"])
        for r in rows
    ]
    return Listed(items, int(rows[0]["total"]) if rows else 0)
