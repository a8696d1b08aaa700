"""A customer's history: the last and next contact, check-ins, and the timeline of
everything that happened to it, newest first, a page at a time.

Seven sources — pool events, follow-ups, check-ins, stage changes, contracts, payments and
tickets — are each read with one query limited to what the requested page needs, then merged.
Page *n* therefore costs seven queries whatever the customer's history; pages are capped at
``MAX_PAGE`` so a forged button cannot ask for an unbounded read. The follow-up a check-in
records (``FollowUp.checkin_id``) is shown once, as that check-in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from storage.access import Actor, NotFound
from storage.customers import get_visible
from storage.models import (
    CalendarEntry,
    CalendarStatus,
    CheckIn,
    Contract,
    FollowUp,
    OpportunityStageChange,
    Payment,
    PoolEvent,
    Role,
    Team,
    Ticket,
)
from storage.stages import guide

PAGE_SIZE = 6
MAX_PAGE = 40


@dataclass(frozen=True)
class TimelineEntry:
    """One event. ``kind`` picks the wording (``customers.tl.<kind>``); ``data`` fills it."""

    at: datetime
    kind: str
    who: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    date_only: bool = False


@dataclass(frozen=True)
class TimelinePage:
    customer_id: int
    customer_name: str
    timezone: str
    entries: list[TimelineEntry]
    page: int
    has_more: bool


def _name(user: Any) -> str | None:
    return str(user) if user is not None else None


def _noon(day: date, zone: str) -> datetime:
    """A date-only event placed at local noon, so it sorts sensibly among timed ones."""
    return datetime.combine(day, time(12), tzinfo=ZoneInfo(zone))


async def entries(customer_id: int, zone: str, page: int, size: int = PAGE_SIZE) -> TimelinePage:
    """Page ``page`` of the timeline (no visibility check: callers have done it)."""
    page = min(max(page, 0), MAX_PAGE)
    need = (page + 1) * size + 1
    found: list[TimelineEntry] = []
    for event in (
        await PoolEvent.filter(customer_id=customer_id)
        .select_related("rep")
        .order_by("-created_at", "-id")
        .limit(need)
    ):
        found.append(
            TimelineEntry(
                event.created_at,
                f"pool_{event.kind.value}",
                _name(event.rep),
                {"reason": event.reason or ""},
            )
        )
    for followup in (
        await FollowUp.filter(customer_id=customer_id, checkin_id=None)  # not a check-in's own
        .select_related("rep")
        .order_by("-occurred_at", "-id")
        .limit(need)
    ):
        found.append(
            TimelineEntry(
                followup.occurred_at,
                "followup",
                _name(followup.rep),
                {"kind": followup.kind.value, "note": followup.note},
            )
        )
    for checkin in (
        await CheckIn.filter(customer_id=customer_id)
        .select_related("rep")
        .order_by("-checked_in_at", "-id")
        .limit(need)
    ):
        found.append(
            TimelineEntry(
                checkin.checked_in_at,
                "checkin_flagged" if checkin.flagged else "checkin",
                _name(checkin.rep),
                {"distance": round(checkin.distance_m) if checkin.distance_m is not None else "?"},
            )
        )
    for change in (
        await OpportunityStageChange.filter(opportunity__customer_id=customer_id)
        .select_related("opportunity", "to_stage", "actor")
        .order_by("-changed_at", "-id")
        .limit(need)
    ):
        found.append(
            TimelineEntry(
                change.changed_at,
                "stage",
                _name(change.actor),
                {"deal": change.opportunity.title, "stage": guide(change.to_stage)},
            )
        )
    for contract in (
        await Contract.filter(customer_id=customer_id).order_by("-created_at", "-id").limit(need)
    ):
        found.append(
            TimelineEntry(
                contract.created_at,
                "contract",
                None,
                {
                    "number": contract.number,
                    "status": contract.status.value,
                    "amount_cents": contract.amount_cents,
                    "currency": contract.currency,
                },
            )
        )
    for payment in (
        await Payment.filter(customer_id=customer_id).order_by("-received_on", "-id").limit(need)
    ):
        found.append(
            TimelineEntry(
                _noon(payment.received_on, zone),
                "payment",
                None,
                {
                    "status": payment.status.value,
                    "amount_cents": payment.amount_cents,
                    "currency": payment.currency,
                },
                date_only=True,
            )
        )
    for ticket in (
        await Ticket.filter(customer_id=customer_id).order_by("-created_at", "-id").limit(need)
    ):
        found.append(
            TimelineEntry(
                ticket.created_at,
                "ticket",
                None,
                {"id": ticket.id, "category": ticket.category.value, "status": ticket.status.value},
            )
        )
    found.sort(key=lambda entry: entry.at, reverse=True)
    start = page * size
    return TimelinePage(
        customer_id, "", zone, found[start : start + size], page, len(found) > start + size
    )


async def customer_timeline(actor: Actor, customer_id: int, page: int) -> TimelinePage:
    """The timeline as ``actor`` may see it: a rep sees a pool customer's history only once
    they own it, so for them it answers "not found" like any invisible record."""
    customer = await get_visible(actor, customer_id)
    if actor.role is Role.REP and customer.owner_id != actor.user_id:
        raise NotFound()
    team = await Team.get(id=customer.team_id)
    return replace(await entries(customer.id, team.timezone, page), customer_name=customer.name)


@dataclass(frozen=True)
class FollowUpLine:
    at: datetime
    kind: str
    rep: str
    note: str


@dataclass(frozen=True)
class NextStep:
    at: datetime
    text: str
    planned: bool
    """True for a calendar entry, False for a follow-up's next step."""


@dataclass(frozen=True)
class CheckInLine:
    at: datetime
    rep: str
    distance_m: float | None
    flagged: bool


@dataclass(frozen=True)
class Activity:
    """The card's contact section: last follow-up, what is next, the latest check-ins."""

    last_followup: FollowUpLine | None
    next_step: NextStep | None
    checkins: list[CheckInLine]
    checkins_total: int


async def recent_activity(customer_id: int, now: datetime, checkins: int = 3) -> Activity:
    """Five queries: the last follow-up, the next step and visit, recent check-ins, a count.

    The next step is the earliest of the next planned calendar entry and the next
    ``FollowUp.next_step_at`` still in the future.
    """
    last = (
        await FollowUp.filter(customer_id=customer_id)
        .select_related("rep")
        .order_by("-occurred_at", "-id")
        .first()
    )
    step = (
        await FollowUp.filter(customer_id=customer_id, next_step_at__gt=now)
        .order_by("next_step_at", "id")
        .first()
    )
    visit = (
        await CalendarEntry.filter(
            customer_id=customer_id, status=CalendarStatus.PLANNED, starts_at__gt=now
        )
        .order_by("starts_at", "id")
        .first()
    )
    recent = (
        await CheckIn.filter(customer_id=customer_id)
        .select_related("rep")
        .order_by("-checked_in_at", "-id")
        .limit(checkins)
    )
    options: list[NextStep] = []
    if step is not None and step.next_step_at is not None:
        options.append(NextStep(step.next_step_at, step.next_step or "", planned=False))
    if visit is not None:
        options.append(NextStep(visit.starts_at, visit.title or visit.kind.value, planned=True))
    return Activity(
        FollowUpLine(last.occurred_at, last.kind.value, str(last.rep), last.note) if last else None,
        min(options, key=lambda s: s.at) if options else None,
        [CheckInLine(c.checked_in_at, str(c.rep), c.distance_m, c.flagged) for c in recent],
        await CheckIn.filter(customer_id=customer_id).count(),
    )
