"""Applying the assignment rule (``storage.assignment``) in storage.

Candidates come from the database (load, today's count, availability); ``Router`` applies the
rule to many leads in one transaction (loads are updated in memory between leads, the team's
rules row is locked so concurrent routings queue). ``route_waiting`` retries the leads that
wait; ``assign_by_hand`` is a manager's call.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.functions import Count
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.assignment import (
    OPEN_STATUSES,
    Candidate,
    Decision,
    LeadFacts,
    availability,
    choose_rep,
    day_start,
    followup_task,
    followup_title,
    smoothed_rate,
)
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

PERFORMANCE_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class Recipient:
    telegram_id: int
    language: str | None


@dataclass
class RepTally:
    """What one rep received in a routing: a count, and the first few leads for a message."""

    rep_id: int
    name: str
    recipient: Recipient
    count: int = 0
    lead_ids: list[int] = field(default_factory=list)


@dataclass
class RoutingOutcome:
    """Who got how many leads, and how many wait (and why) — for the messages that follow."""

    team_id: int
    reps: dict[int, RepTally] = field(default_factory=dict)
    waiting: int = 0
    waiting_reason: str | None = None
    blocked: dict[str, int] = field(default_factory=dict)
    managers: tuple[Recipient, ...] = ()

    SAMPLE = 5

    def add(self, rep: RepTally, lead_id: int) -> None:
        tally = self.reps.setdefault(rep.rep_id, RepTally(rep.rep_id, rep.name, rep.recipient))
        tally.count += 1
        if len(tally.lead_ids) < self.SAMPLE:
            tally.lead_ids.append(lead_id)

    def wait(self, decision: Decision) -> None:
        self.waiting += 1
        self.waiting_reason = decision.waiting_reason
        self.blocked = decision.blocked

    @property
    def assigned(self) -> int:
        return sum(t.count for t in self.reps.values())


async def managers_of(team_id: int) -> tuple[Recipient, ...]:
    rows = await User.filter(team_id=team_id, role=Role.MANAGER, is_active=True).values_list(
        "telegram_id", "language", "telegram_language"
    )
    return tuple(Recipient(tg, lang or tg_lang) for tg, lang, tg_lang in rows)


async def _counts(query: Any) -> dict[int, int]:
    rows = await query.annotate(n=Count("id")).group_by("assignee_id").values("assignee_id", "n")
    return {row["assignee_id"]: row["n"] for row in rows}


async def load_candidates(
    team_id: int, *, now: datetime, zone: ZoneInfo, with_performance: bool
) -> tuple[list[Candidate], dict[int, Recipient]]:
    """Every active rep of the team with their load, today's count and availability."""
    reps = await User.filter(team_id=team_id, role=Role.REP, is_active=True).order_by("id")
    ids = [r.id for r in reps]
    if not ids:
        return [], {}
    leads = Lead.filter(assignee_id__in=ids)
    open_now = await _counts(leads.filter(status__in=OPEN_STATUSES))
    today = await _counts(leads.filter(assigned_at__gte=day_start(now, zone)))
    assigned = converted = {}
    if with_performance:
        recent = leads.filter(assigned_at__gte=now - PERFORMANCE_WINDOW)
        assigned = await _counts(recent)
        converted = await _counts(recent.filter(status=LeadStatus.CONVERTED))
    candidates = [
        Candidate(
            user_id=r.id,
            name=str(r),
            regions=tuple(r.regions or ()),
            industries=tuple(r.industries or ()),
            open_leads=open_now.get(r.id, 0),
            capacity=r.lead_capacity,
            assigned_today=today.get(r.id, 0),
            daily_quota=r.lead_daily_quota,
            performance=smoothed_rate(converted.get(r.id, 0), assigned.get(r.id, 0)),
            unavailable=availability(
                away=r.away,
                away_until=r.away_until,
                work_start=r.work_start_hour,
                work_end=r.work_end_hour,
                now=now,
                zone=zone,
            ),
        )
        for r in reps
    ]
    recipients = {r.id: Recipient(r.telegram_id, r.language or r.telegram_language) for r in reps}
    return candidates, recipients


class Router:
    """The team's routing state for one transaction: call ``open`` inside ``in_transaction``."""

    def __init__(
        self,
        team_id: int,
        rules: TeamRules,
        candidates: list[Candidate],
        recipients: dict[int, Recipient],
        rng: random.Random,
        now: datetime,
    ) -> None:
        self.rules = rules
        self.team_id = team_id
        self.candidates = {c.user_id: c for c in candidates}
        self.recipients = recipients
        self.rng = rng
        self.now = now
        self.cursor = rules.lead_round_robin_cursor

    @classmethod
    async def open(cls, team_id: int, *, now: datetime, rng: random.Random) -> Router:
        """Lock the team's rules row (PostgreSQL; SQLite serialises writers) and load reps."""
        rules = await TeamRules.filter(team_id=team_id).select_for_update().get()
        team = await Team.get(id=team_id)
        weighted = rules.lead_routing is LeadRouting.WEIGHTED
        candidates, recipients = await load_candidates(
            team_id, now=now, zone=ZoneInfo(team.timezone), with_performance=weighted
        )
        return cls(team_id, rules, candidates, recipients, rng, now)

    async def relock(self) -> None:
        """In a later transaction: lock the rules row again and take up its current cursor,
        keeping the loads counted so far (an import refreshes them every few batches)."""
        self.rules = await TeamRules.filter(team_id=self.team_id).select_for_update().get()
        self.cursor = self.rules.lead_round_robin_cursor

    def decide(self, lead: LeadFacts) -> Decision:
        """Choose for one lead and count it against the chosen rep at once."""
        decision = choose_rep(
            list(self.candidates.values()),
            lead,
            self.rules.lead_routing,
            self.rng,
            cursor=self.cursor,
        )
        if decision.rep_id is not None:
            self.take(decision.rep_id)
        return decision

    def take(self, rep_id: int) -> None:
        chosen = self.candidates.get(rep_id)
        if chosen is not None:
            self.candidates[rep_id] = replace(
                chosen, open_leads=chosen.open_leads + 1, assigned_today=chosen.assigned_today + 1
            )
        if self.rules.lead_routing is LeadRouting.ROUND_ROBIN:
            self.cursor = rep_id

    def free_slots(self) -> int:
        """How many more leads the eligible reps can take right now."""
        return sum(
            max(0, min(c.capacity - c.open_leads, c.daily_quota - c.assigned_today))
            for c in self.candidates.values()
            if c.unavailable is None
        )

    def tally(self, rep_id: int) -> RepTally:
        c = self.candidates[rep_id]
        return RepTally(rep_id, c.name, self.recipients[rep_id])

    def lead_fields(self, decision: Decision) -> dict[str, Any]:
        """The Lead columns that record a decision (assigned, or waiting with its reason)."""
        reason = decision.as_json(self.now)
        if decision.rep_id is None:
            return {
                "status": LeadStatus.NEW,
                "assignee_id": None,
                "assigned_at": None,
                "assignment_reason": reason,
                "waiting_reason": decision.waiting_reason,
            }
        return {
            "status": LeadStatus.ASSIGNED,
            "assignee_id": decision.rep_id,
            "assigned_at": self.now,
            "assignment_reason": reason,
            "waiting_reason": None,
        }

    def followup(self, lead_id: int, rep_id: int, title: str, by: int | None) -> Task:
        hours = self.rules.lead_followup_hours
        return followup_task(self.team_id, lead_id, rep_id, title, self.now, hours, by)

    def release(self, rep_id: int) -> None:
        """Undo ``take`` when the lead was taken by someone else meanwhile."""
        chosen = self.candidates.get(rep_id)
        if chosen is not None:
            self.candidates[rep_id] = replace(
                chosen, open_leads=chosen.open_leads - 1, assigned_today=chosen.assigned_today - 1
            )

    def why_waiting(self) -> Decision | None:
        """The decision for a lead nobody can take now, or None if someone could."""
        decision = choose_rep(
            list(self.candidates.values()), LeadFacts(), self.rules.lead_routing, self.rng
        )
        return decision if decision.rep_id is None else None

    async def save(self) -> None:
        """Persist the round-robin cursor (the only routing state besides the leads)."""
        if self.cursor != self.rules.lead_round_robin_cursor:
            await TeamRules.filter(id=self.rules.id).update(lead_round_robin_cursor=self.cursor)


# ----- retrying waiting leads, and a manager's hand ----------------------------------------


async def route_waiting(
    *, now: datetime, rng: random.Random, per_team: int = 2000
) -> list[RoutingOutcome]:
    """Offer waiting leads to reps again: as many as reps can take now, oldest first.

    Leads are loaded only up to the reps' free slots, so the work is bounded by capacity,
    not by how many leads wait; each is taken with a conditional update (never twice).
    Leads that keep waiting get the current reason, set-based; those waiting for the first
    time are counted so the managers hear about them once.
    """
    rows = await Lead.filter(status=LeadStatus.NEW, assignee_id=None).distinct().values("team_id")
    team_ids = sorted({int(row["team_id"]) for row in rows})
    return [await _route_team(team_id, now, rng, per_team) for team_id in team_ids]


async def _route_team(
    team_id: int, now: datetime, rng: random.Random, limit: int
) -> RoutingOutcome:
    outcome = RoutingOutcome(team_id)
    waiting = Lead.filter(team_id=team_id, status=LeadStatus.NEW, assignee_id=None)
    async with in_transaction():
        router = await Router.open(team_id, now=now, rng=rng)
        slots = min(router.free_slots(), limit)
        leads = await waiting.order_by("id").limit(slots) if slots else []
        tasks = []
        for lead in leads:
            decision = router.decide(LeadFacts(lead.region, lead.industry))
            if decision.rep_id is None:
                break
            taken = await Lead.filter(id=lead.id, status=LeadStatus.NEW, assignee_id=None).update(
                **router.lead_fields(decision)
            )
            if taken != 1:
                router.release(decision.rep_id)
                continue
            title = followup_title(lead.name, lead.company)
            tasks.append(router.followup(lead.id, decision.rep_id, title, None))
            outcome.add(router.tally(decision.rep_id), lead.id)
        if tasks:
            await Task.bulk_create(tasks)
        await router.save()
        still = router.why_waiting()
        if still is not None:
            reason = still.as_json(now)
            fresh = await waiting.filter(waiting_reason=None).update(
                waiting_reason=still.waiting_reason, assignment_reason=reason
            )
            await waiting.exclude(waiting_reason=still.waiting_reason).update(
                waiting_reason=still.waiting_reason, assignment_reason=reason
            )
            if fresh:
                outcome.waiting, outcome.waiting_reason = fresh, still.waiting_reason
                outcome.blocked = still.blocked
                outcome.managers = await managers_of(team_id)
    return outcome


@dataclass(frozen=True)
class RepChoice:
    user_id: int
    name: str
    open_leads: int
    capacity: int
    blocked: str | None


async def _managed_lead(actor: Actor, lead_id: int) -> Lead:
    actor.require(Role.MANAGER, Role.ADMIN)
    lead = await Lead.get_or_none(id=lead_id)
    if lead is None or (not actor.is_admin and lead.team_id != actor.team_id):
        raise NotFound()
    if lead.status not in (LeadStatus.NEW, *OPEN_STATUSES):
        raise Invalid(f"leads.already_{lead.status.value}")
    return lead


async def rep_choices(actor: Actor, lead_id: int, *, now: datetime) -> list[RepChoice]:
    """The team's reps a manager may hand a lead to, with their load and availability."""
    lead = await _managed_lead(actor, lead_id)
    team = await Team.get(id=lead.team_id)
    candidates, _ = await load_candidates(
        team.id, now=now, zone=ZoneInfo(team.timezone), with_performance=False
    )
    return [
        RepChoice(c.user_id, c.name, c.open_leads, c.capacity, c.blocked())
        for c in candidates
        if c.user_id != lead.assignee_id
    ]


async def assign_by_hand(
    actor: Actor, lead_id: int, rep_id: int, *, now: datetime
) -> RoutingOutcome:
    """A manager gives a lead (waiting or not) to a rep of the team — their call, over caps."""
    lead = await _managed_lead(actor, lead_id)
    rep = await User.get_or_none(id=rep_id, team_id=lead.team_id, role=Role.REP, is_active=True)
    if rep is None or rep.id == lead.assignee_id:
        raise NotFound()
    reason = {
        "strategy": "manual",
        "rep_id": rep.id,
        "rep": str(rep),
        "by": actor.full_name,
        "previous": lead.assignee_id,
        "at": now.isoformat(),
    }
    status = LeadStatus.ASSIGNED if lead.status is LeadStatus.NEW else lead.status
    async with in_transaction():
        moved = await Lead.filter(
            id=lead.id, status=lead.status, assignee_id=lead.assignee_id
        ).update(
            assignee_id=rep.id,
            assigned_at=now,
            status=status,
            assignment_reason=reason,
            waiting_reason=None,
        )
        if moved != 1:
            raise Invalid("leads.changed_meanwhile")
        await Task.filter(lead_id=lead.id, status=TaskStatus.OPEN).update(
            status=TaskStatus.CANCELLED, completed_at=now
        )
        hours = (await TeamRules.get(team_id=lead.team_id)).lead_followup_hours
        title = followup_title(lead.name, lead.company)
        await followup_task(lead.team_id, lead.id, rep.id, title, now, hours, actor.user_id).save()
        await audit.record(
            "lead.assign", "lead", lead.id, now=now, actor=actor, team_id=lead.team_id, data=reason
        )
    outcome = RoutingOutcome(lead.team_id)
    recipient = Recipient(rep.telegram_id, rep.language or rep.telegram_language)
    outcome.add(RepTally(rep.id, str(rep), recipient), lead.id)
    return outcome
