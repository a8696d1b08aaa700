"""The calendar plan (B5): who sees which entries, planning one, and the clash rule.

A rep plans for their own customers and sees only their own entries; a manager sees (and may
change) the entries of their team; an admin everyone's. Anything outside that is ``NotFound``,
the same answer as a wrong id. Times arrive as a local day and minute in the team's zone and
are stored in UTC (``storage.calendar_time`` holds the conversion rules).

A clash is another planned entry of the same rep closer than the team's
``calendar_clash_buffer_minutes``. Planning never refuses one: it reports it, and saves only
when the rep says to keep it (``keep=True``), so the check is also repeated at the moment of
saving for entries that appeared meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from tortoise.expressions import F, Q
from tortoise.functions import Coalesce
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.activity import schedule_entry
from storage.calendar_time import (
    DURATIONS,
    PLAN_AHEAD_DAYS,
    local_day,
    remind_at,
    to_utc,
)
from storage.models import (
    CalendarEntry,
    CalendarKind,
    CalendarStatus,
    Customer,
    Role,
    Team,
    TeamRules,
)
from storage.normalize import name_key
from storage.paging import Page, paginate

PLANNABLE = (CalendarKind.VISIT, CalendarKind.FOLLOW_UP, CalendarKind.MEETING)
NOTE_MAX = 1000
SEARCH_MAX = 100
CLASHES_SHOWN = 3


@dataclass(frozen=True)
class EntryView:
    """One calendar entry as every screen shows it, times in UTC with the zone to show them."""

    id: int
    team_id: int
    revision: int
    kind: CalendarKind
    status: CalendarStatus
    starts_at: datetime
    ends_at: datetime
    remind_at: datetime | None
    customer_id: int | None
    customer: str
    address: str | None
    note: str
    rep_id: int
    rep_name: str
    timezone: str

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


def entry_view(entry: CalendarEntry, timezone: str) -> EntryView:
    """Needs ``customer`` and ``rep`` fetched (``select_related``)."""
    customer = entry.customer
    return EntryView(
        id=entry.id,
        team_id=entry.team_id,
        revision=entry.revision,
        kind=entry.kind,
        status=entry.status,
        starts_at=entry.starts_at,
        ends_at=entry.ends_at,
        remind_at=entry.remind_at,
        customer_id=entry.customer_id,
        customer=customer.name if customer is not None else entry.title,
        address=customer.address if customer is not None else None,
        note=entry.note,
        rep_id=entry.rep_id,
        rep_name=str(entry.rep),
        timezone=timezone,
    )


def visible_entries(actor: Actor) -> QuerySet[CalendarEntry]:
    """The calendar entries ``actor`` may see (and change), as a query to narrow further."""
    if actor.role is Role.ADMIN:
        return CalendarEntry.all()
    if actor.role is Role.REP:
        return CalendarEntry.filter(rep_id=actor.user_id)
    if actor.role is Role.MANAGER and actor.team_id is not None:
        return CalendarEntry.filter(team_id=actor.team_id)
    return CalendarEntry.filter(id__in=[])


async def get_entry(actor: Actor, entry_id: int) -> EntryView:
    """The entry with its customer and rep, or NotFound when it is not the actor's to see."""
    entry = (
        await visible_entries(actor)
        .filter(id=entry_id)
        .select_related("customer", "rep", "team")
        .first()
    )
    if entry is None:
        raise NotFound()
    return entry_view(entry, entry.team.timezone)


# ----- planning --------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSetup:
    """What the /plan form needs to draw its pickers: the zone and today in it."""

    timezone: str
    today: date
    lead_minutes: int


@dataclass(frozen=True)
class CustomerChoice:
    id: int
    name: str
    address: str | None


def _rep_team(actor: Actor) -> int:
    actor.require(Role.REP)
    if actor.team_id is None:
        raise NotFound()
    return actor.team_id


async def plan_setup(actor: Actor, now: datetime) -> PlanSetup:
    team_id = _rep_team(actor)
    team = await Team.get(id=team_id)
    rules = await TeamRules.get(team_id=team_id)
    return PlanSetup(team.timezone, local_day(now, team.timezone), rules.reminder_lead_minutes)


def _own_customers(actor: Actor) -> QuerySet[Customer]:
    return Customer.filter(team_id=_rep_team(actor), owner_id=actor.user_id)


async def plan_customers(actor: Actor, page: int, text: str = "") -> Page[CustomerChoice]:
    """The rep's customers for /plan: the most recently worked first, or those matching
    ``text`` (name or phone digits) by name."""
    query = _own_customers(actor)
    text = " ".join(text.split())[:SEARCH_MAX]
    if text:
        conditions = Q(name__icontains=text)
        key = name_key(text)
        if key:
            conditions |= Q(name_key__contains=key)
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= 4:
            conditions |= Q(phone__contains=digits)
        query = query.filter(conditions).order_by("name", "id")
    else:
        query = query.annotate(
            recent=Coalesce("last_followup_at", F("owned_since"), F("created_at"))
        ).order_by("-recent", "-id")
    found = await paginate(query, page)
    items = [CustomerChoice(c.id, c.name, c.address) for c in found.items]
    return Page(items, found.number, found.total, found.size)


async def plan_customer(actor: Actor, customer_id: int) -> CustomerChoice:
    """One of the rep's own customers, or NotFound (pool and others' customers included)."""
    customer = await _own_customers(actor).get_or_none(id=customer_id)
    if customer is None:
        raise NotFound()
    return CustomerChoice(customer.id, customer.name, customer.address)


def check_start(starts_at: datetime, now: datetime) -> None:
    """Refuse a start that has passed or lies beyond the planning horizon."""
    if starts_at <= now:
        raise Invalid("calendar.past")
    if starts_at > now + timedelta(days=PLAN_AHEAD_DAYS):
        raise Invalid("calendar.too_far", days=PLAN_AHEAD_DAYS)


def clean_note(text: str) -> str:
    note = text.strip()
    if len(note) > NOTE_MAX:
        raise Invalid("calendar.note_too_long", limit=NOTE_MAX)
    return note


@dataclass(frozen=True)
class Clash:
    """Another planned entry of the rep too close to the one being planned."""

    entry_id: int
    kind: CalendarKind
    customer: str
    starts_at: datetime
    ends_at: datetime


async def find_clashes(
    rep_id: int, team_id: int, starts_at: datetime, ends_at: datetime, exclude: int | None = None
) -> list[Clash]:
    """The rep's planned entries within the team's clash buffer of [starts_at, ends_at)."""
    rules = await TeamRules.get(team_id=team_id)
    buffer = timedelta(minutes=rules.calendar_clash_buffer_minutes)
    query = CalendarEntry.filter(
        rep_id=rep_id,
        status=CalendarStatus.PLANNED,
        starts_at__lt=ends_at + buffer,
        ends_at__gt=starts_at - buffer,
    )
    if exclude is not None:
        query = query.exclude(id=exclude)
    found = await query.select_related("customer").order_by("starts_at").limit(CLASHES_SHOWN)
    return [
        Clash(
            e.id,
            e.kind,
            e.customer.name if e.customer is not None else e.title,
            e.starts_at,
            e.ends_at,
        )
        for e in found
    ]


@dataclass(frozen=True)
class PlanDraft:
    """A plan as the form collected it: the local day and minute in the team's zone."""

    customer_id: int
    kind: CalendarKind
    day: date
    minute: int
    duration_minutes: int
    note: str = ""


@dataclass(frozen=True)
class PlanPreview:
    """What saving would do: the instants, the reminder, and any clash."""

    customer: CustomerChoice
    kind: CalendarKind
    starts_at: datetime
    ends_at: datetime
    remind_at: datetime | None
    note: str
    timezone: str
    clashes: list[Clash] = field(default_factory=list)


@dataclass(frozen=True)
class PlanResult:
    """The saved entry, or (``entry`` None) the clashes that stopped an unconfirmed save."""

    entry: EntryView | None
    clashes: list[Clash]


async def preview_plan(actor: Actor, draft: PlanDraft, now: datetime) -> PlanPreview:
    """Check a draft completely and say what saving it would do."""
    team_id = _rep_team(actor)
    if draft.kind not in PLANNABLE or draft.duration_minutes not in DURATIONS:
        raise Invalid("calendar.bad_choice")
    customer = await plan_customer(actor, draft.customer_id)
    setup = await plan_setup(actor, now)
    starts_at = to_utc(draft.day, draft.minute, setup.timezone)
    check_start(starts_at, now)
    ends_at = starts_at + timedelta(minutes=draft.duration_minutes)
    clashes = await find_clashes(actor.user_id, team_id, starts_at, ends_at)
    return PlanPreview(
        customer,
        draft.kind,
        starts_at,
        ends_at,
        remind_at(starts_at, setup.lead_minutes),
        clean_note(draft.note),
        setup.timezone,
        clashes,
    )


async def plan_entry(actor: Actor, draft: PlanDraft, now: datetime, *, keep: bool) -> PlanResult:
    """Save the rep's plan; without ``keep``, a clash found now is returned instead."""
    preview = await preview_plan(actor, draft, now)
    if preview.clashes and not keep:
        return PlanResult(None, preview.clashes)
    team_id = _rep_team(actor)
    async with in_transaction():
        entry = await schedule_entry(
            team_id=team_id,
            rep_id=actor.user_id,
            customer_id=preview.customer.id,
            kind=preview.kind,
            starts_at=preview.starts_at,
            duration=preview.ends_at - preview.starts_at,
            title=preview.customer.name,
            note=preview.note,
        )
        await audit.record(
            "calendar.plan",
            "calendar_entry",
            entry.id,
            now=now,
            actor=actor,
            team_id=team_id,
            data={"starts_at": entry.starts_at.isoformat(), "clashes": len(preview.clashes)},
        )
    return PlanResult(await get_entry(actor, entry.id), preview.clashes)
