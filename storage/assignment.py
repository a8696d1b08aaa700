"""Who gets a new lead (B1): the decision as a pure function over plain candidate data.

``choose_rep`` decides, so every rule is tested with a table:

- **Eligible** reps are active, not away, inside their working hours (team zone), below their
  cap of open leads and below their daily quota of leads assigned today (team zone).
- **round_robin**: the next eligible rep after the last one, by user id (a cursor, not a count:
  a rep back from leave gets no catch-up burst).
- **territory** / **skill**: eligible reps whose regions / industries hold the lead's; the least
  loaded wins. No such rep → every eligible rep competes, and the reason says why.
- **weighted**: performance (lead conversion over 90 days, smoothed so a new rep starts at ½)
  divided by 1 + current open leads. Load is a state, not an IOU: nobody is ever "owed" leads.
- Ties break at random (an injected ``random.Random``), never by seniority or id.
- No eligible rep → the lead waits with a reason; ``route_waiting`` retries later.

Applying it to the database — loading candidates, routing many leads in one transaction,
retrying waiting leads, a manager's hand — is ``storage.assignment_store``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from storage.models import LeadRouting, LeadStatus, Task
from storage.tasks_reminders import default_remind_at

OPEN_STATUSES = (LeadStatus.ASSIGNED, LeadStatus.CONTACTED, LeadStatus.QUALIFIED)
REASON_CANDIDATES = 5
UNAVAILABLE = ("away", "off_hours")


@dataclass(frozen=True)
class Candidate:
    """One rep as the rule sees them."""

    user_id: int
    name: str
    regions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    open_leads: int = 0
    capacity: int = 50
    assigned_today: int = 0
    daily_quota: int = 15
    performance: float = 0.5
    unavailable: str | None = None
    """``away`` or ``off_hours`` (see ``availability``), else None."""

    def blocked(self) -> str | None:
        if self.unavailable:
            return self.unavailable
        if self.open_leads >= self.capacity:
            return "at_capacity"
        if self.assigned_today >= self.daily_quota:
            return "quota_reached"
        return None


@dataclass(frozen=True)
class LeadFacts:
    region: str | None = None
    industry: str | None = None


@dataclass(frozen=True)
class Decision:
    strategy: LeadRouting
    rep_id: int | None
    rep_name: str | None = None
    considered: tuple[dict[str, Any], ...] = ()
    blocked: dict[str, int] = field(default_factory=dict)
    fallback: str | None = None
    waiting_reason: str | None = None
    tied: int = 0

    def as_json(self, now: datetime) -> dict[str, Any]:
        """What ``Lead.assignment_reason`` keeps: enough to answer "why this rep?"."""
        return {
            "strategy": self.strategy.value,
            "rep_id": self.rep_id,
            "rep": self.rep_name,
            "fallback": self.fallback,
            "tied": self.tied,
            "candidates": list(self.considered[:REASON_CANDIDATES]),
            "blocked": self.blocked,
            "waiting": self.waiting_reason,
            "at": now.isoformat(),
        }


def _key(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _summary(c: Candidate, score: float | None, match: bool | None) -> dict[str, Any]:
    return {
        "id": c.user_id,
        "name": c.name,
        "load": c.open_leads,
        "today": c.assigned_today,
        "score": None if score is None else round(score, 4),
        "match": match,
    }


def choose_rep(
    candidates: list[Candidate],
    lead: LeadFacts,
    strategy: LeadRouting,
    rng: random.Random,
    *,
    cursor: int = 0,
) -> Decision:
    """Pick the rep for ``lead`` by ``strategy``; a Decision with ``rep_id`` None waits."""
    blocked: dict[str, int] = {}
    for c in candidates:
        reason = c.blocked()
        if reason:
            blocked[reason] = blocked.get(reason, 0) + 1
    eligible = sorted((c for c in candidates if c.blocked() is None), key=lambda c: c.user_id)
    if not eligible:
        if not candidates:
            waiting = "no_reps"
        elif all(c.blocked() in UNAVAILABLE for c in candidates):
            waiting = "all_unavailable"
        else:
            waiting = "all_at_capacity"
        return Decision(strategy, None, blocked=blocked, waiting_reason=waiting)

    fallback: str | None = None
    if strategy is LeadRouting.ROUND_ROBIN:
        pick = next((c for c in eligible if c.user_id > cursor), eligible[0])
        considered = [_summary(c, None, None) for c in eligible]
        return _decided(strategy, pick, considered, blocked, None, 1)

    if strategy in (LeadRouting.TERRITORY, LeadRouting.SKILL):
        territory = strategy is LeadRouting.TERRITORY
        wanted = _key(lead.region if territory else lead.industry)

        def covers(c: Candidate) -> bool:
            values = c.regions if territory else c.industries
            return bool(wanted) and wanted in {_key(v) for v in values}

        pool = [c for c in eligible if covers(c)]
        if not wanted:
            fallback = "region_missing" if territory else "industry_missing"
        elif not pool:
            nobody = not any(covers(c) for c in candidates)
            what = "region" if territory else "industry"
            fallback = f"no_{what}_rep" if nobody else f"{what}_reps_busy"
        pool = pool or eligible
        scores = {c.user_id: -float(c.open_leads) for c in pool}
        considered = [_summary(c, None, covers(c) if wanted else None) for c in eligible]
    else:
        pool = eligible
        scores = {c.user_id: c.performance / (1 + c.open_leads) for c in pool}
        considered = [_summary(c, scores[c.user_id], None) for c in eligible]

    best = max(scores.values())
    tied = [c for c in pool if abs(scores[c.user_id] - best) < 1e-9]
    pick = rng.choice(tied)
    considered.sort(key=lambda s: (s["id"] != pick.user_id, -scores.get(s["id"], -1e9)))
    return _decided(strategy, pick, considered, blocked, fallback, len(tied))


def _decided(
    strategy: LeadRouting,
    pick: Candidate,
    considered: list[dict[str, Any]],
    blocked: dict[str, int],
    fallback: str | None,
    tied: int,
) -> Decision:
    return Decision(
        strategy, pick.user_id, pick.name, tuple(considered), blocked, fallback, None, tied
    )


def within_hours(hour: int, start: int | None, end: int | None) -> bool:
    """Working hours: start inclusive, end exclusive; None = any time; 22→6 spans midnight."""
    if start is None or end is None or start == end:
        return True
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def availability(
    *,
    away: bool,
    away_until: datetime | None,
    work_start: int | None,
    work_end: int | None,
    now: datetime,
    zone: ZoneInfo,
) -> str | None:
    """``away``, ``off_hours`` or None (available)."""
    if away or (away_until is not None and away_until > now):
        return "away"
    if not within_hours(now.astimezone(zone).hour, work_start, work_end):
        return "off_hours"
    return None


def day_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """Midnight of ``moment``'s calendar day in ``zone``, as an aware datetime."""
    local = moment.astimezone(zone).date()
    return datetime.combine(local, time(0), tzinfo=zone)


def away_until_instant(last_day: date, zone: ZoneInfo) -> datetime:
    """Away through ``last_day`` (team zone): leads resume at the next local midnight."""
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)


def smoothed_rate(converted: int, assigned: int) -> float:
    """Lead conversion with a prior of one in two, so a new rep is neither 0 nor 1."""
    return (converted + 1) / (assigned + 2)


def followup_title(name: str, company: str) -> str:
    return f"Follow up lead: {name}" + (f" ({company})" if company else "")


def followup_task(
    team_id: int,
    lead_id: int,
    rep_id: int,
    title: str,
    now: datetime,
    hours: int,
    by: int | None,
) -> Task:
    """The assignee's follow-up task, due ``lead_followup_hours`` after assignment and
    reminded when it falls due."""
    due = now + timedelta(hours=hours)
    return Task(
        team_id=team_id,
        assignee_id=rep_id,
        created_by_id=by,
        lead_id=lead_id,
        title=title[:200],
        due_at=due,
        remind_at=default_remind_at(due),
    )
