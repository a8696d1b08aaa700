"""Logging a follow-up (B2): whom it was with, how, what was said, and what comes next.

A follow-up is saved in one transaction with everything it causes: the ``FollowUp`` row; the
reclaim clock moved (``activity.record_contact``) when the team's rules count it as effective
— a kind the team counts and a note long enough; the planned follow-up it fulfils closed; its
next step put in the calendar (``activity.schedule_entry``), so the reminder job finds it; the
task it completes closed; an audit entry. Only the customer's owner, or a manager of the
team, may log one; anyone else is told "not found".

Next-step dates are typed in the chat and read by ``parse_when`` (``storage.followups_when``),
a pure function of the text, now and the team's zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tortoise.expressions import F, Q
from tortoise.functions import Coalesce
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.activity import close_calendar_entry, record_contact, schedule_entry
from storage.models import (
    CalendarEntry,
    CalendarKind,
    CalendarStatus,
    Customer,
    FollowUp,
    FollowUpKind,
    Role,
    Task,
    TaskStatus,
    Team,
    TeamRules,
)
from storage.normalize import name_key

NOTE_MAX = 2000
NEXT_STEP_MAX = 200
PICK_LIMIT = 8
SEARCH_MAX = 100
NEXT_STEP_DURATION = timedelta(minutes=30)
ATTACHMENT_KINDS = ("photo", "voice")

# ----- who may log for whom -----


def is_effective(kind: FollowUpKind, note: str, *, kinds: list[str], min_chars: int) -> bool:
    """The team's rule: a kind it counts, and a note of at least ``min_chars`` characters."""
    return kind.value in kinds and len(" ".join(note.split())) >= min_chars


def loggable_customers(actor: Actor) -> QuerySet[Customer]:
    """Customers ``actor`` may log follow-ups for: a rep's own; a manager's whole team."""
    if actor.team_id is None or actor.role not in (Role.REP, Role.MANAGER):
        return Customer.filter(id__in=[])
    query = Customer.filter(team_id=actor.team_id)
    if actor.role is Role.REP:
        query = query.filter(owner_id=actor.user_id)
    return query


@dataclass(frozen=True)
class CustomerChoice:
    id: int
    name: str
    region: str | None


def _choice(customer: Customer) -> CustomerChoice:
    return CustomerChoice(customer.id, customer.name, customer.region)


async def pick_customer(actor: Actor, customer_id: int) -> CustomerChoice:
    """The customer if ``actor`` may log for it, else NotFound (pool, foreign, missing)."""
    customer = await loggable_customers(actor).get_or_none(id=customer_id)
    if customer is None:
        raise NotFound()
    return _choice(customer)


async def recent_customers(actor: Actor, limit: int = PICK_LIMIT) -> list[CustomerChoice]:
    """The actor's customers with the most recent activity (follow-up, else claim) first."""
    rows = (
        await loggable_customers(actor)
        .annotate(active=Coalesce("last_followup_at", F("owned_since"), F("created_at")))
        .order_by("-active", "-id")
        .limit(limit)
    )
    return [_choice(c) for c in rows]


async def search_customers(
    actor: Actor, text: str, limit: int = PICK_LIMIT
) -> list[CustomerChoice]:
    """The actor's customers whose name (or phone's last digits) matches ``text``."""
    text = " ".join(text.split())[:SEARCH_MAX]
    if not text:
        return []
    conditions = Q(name__icontains=text)
    key = name_key(text)
    if key:
        conditions |= Q(name_key__contains=key)
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 4 and len(digits) == len(text.replace(" ", "")):
        conditions |= Q(phone__endswith=digits)
    rows = await loggable_customers(actor).filter(conditions).order_by("name", "id").limit(limit)
    return [_choice(c) for c in rows]


async def task_customer(actor: Actor, task_id: int) -> CustomerChoice:
    """The customer of an open task the actor may complete by logging a follow-up."""
    task = await Task.get_or_none(id=task_id, status=TaskStatus.OPEN, customer_id__not_isnull=True)
    if task is None or task.customer_id is None or task.team_id != actor.team_id:
        raise NotFound()
    if actor.role is not Role.MANAGER and task.assignee_id != actor.user_id:
        raise NotFound()
    return await pick_customer(actor, task.customer_id)


# ----- the draft and saving it -----


@dataclass(frozen=True)
class Attachment:
    file_id: str
    kind: str
    unique_id: str | None = None


@dataclass(frozen=True)
class FollowUpDraft:
    """What the rep entered, before it is saved."""

    customer_id: int
    kind: FollowUpKind
    note: str = ""
    attachment: Attachment | None = None
    next_step: str | None = None
    next_step_at: datetime | None = None
    task_id: int | None = None


def clean_note(raw: str) -> str:
    note = raw.strip()
    if len(note) > NOTE_MAX:
        raise Invalid("followups.note_too_long", limit=NOTE_MAX)
    return note


def clean_next_step(raw: str) -> str:
    text = " ".join(raw.split())
    if not text:
        raise Invalid("followups.next_empty")
    if len(text) > NEXT_STEP_MAX:
        raise Invalid("followups.next_too_long", limit=NEXT_STEP_MAX)
    return text


@dataclass(frozen=True)
class Preview:
    """How a draft will count, shown before the rep confirms."""

    customer_name: str
    effective: bool
    kind_counts: bool
    min_chars: int
    timezone: str


async def preview(actor: Actor, draft: FollowUpDraft) -> Preview:
    """Whether the draft would reset the reclaim clock, and why not."""
    customer = (
        await loggable_customers(actor).select_related("team").get_or_none(id=draft.customer_id)
    )
    if customer is None:
        raise NotFound()
    rules = await TeamRules.get(team_id=customer.team_id)
    kinds, min_chars = list(rules.effective_followup_kinds), rules.effective_followup_min_chars
    return Preview(
        customer.name,
        is_effective(draft.kind, draft.note, kinds=kinds, min_chars=min_chars),
        draft.kind.value in kinds,
        min_chars,
        customer.team.timezone,
    )


@dataclass(frozen=True)
class Logged:
    followup_id: int
    customer_id: int
    customer_name: str
    effective: bool
    clock_moved: bool
    next_step_at: datetime | None
    remind_at: datetime | None
    closed_entry_id: int | None
    task_done: bool
    timezone: str


def _check(draft: FollowUpDraft, now: datetime, zone: str) -> None:
    clean_note(draft.note)
    if draft.attachment is not None and draft.attachment.kind not in ATTACHMENT_KINDS:
        raise Invalid("followups.bad_attachment")
    if draft.next_step is not None:
        clean_next_step(draft.next_step)
    if draft.next_step_at is not None:
        if not draft.next_step:
            raise Invalid("followups.next_empty")
        if draft.next_step_at <= now:
            local = draft.next_step_at.astimezone(ZoneInfo(zone))
            raise Invalid("followups.when_past", at=local.strftime("%Y-%m-%d %H:%M"))


async def _fulfilled_entry(actor: Actor, customer_id: int, zone: str, now: datetime) -> int | None:
    """The actor's planned follow-up with this customer due by the end of today, if any."""
    local = now.astimezone(ZoneInfo(zone))
    end = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=local.tzinfo)
    entry = (
        await CalendarEntry.filter(
            rep_id=actor.user_id,
            customer_id=customer_id,
            kind=CalendarKind.FOLLOW_UP,
            status=CalendarStatus.PLANNED,
            starts_at__lt=end,
        )
        .order_by("starts_at", "id")
        .first()
    )
    return entry.id if entry is not None else None


async def log_followup(actor: Actor, draft: FollowUpDraft, *, now: datetime) -> Logged:
    """Save a confirmed follow-up with everything it causes, all or nothing."""
    actor.require(Role.REP, Role.MANAGER)
    async with in_transaction():
        customer = await loggable_customers(actor).get_or_none(id=draft.customer_id)
        if customer is None:
            raise NotFound()
        team = await Team.get(id=customer.team_id)
        _check(draft, now, team.timezone)
        rules = await TeamRules.get(team_id=customer.team_id)
        effective = is_effective(
            draft.kind,
            draft.note,
            kinds=list(rules.effective_followup_kinds),
            min_chars=rules.effective_followup_min_chars,
        )
        task_done = False
        if draft.task_id is not None:
            await task_customer(actor, draft.task_id)
            done = Task.filter(id=draft.task_id, status=TaskStatus.OPEN)
            task_done = await done.update(status=TaskStatus.DONE, completed_at=now) == 1
        closed = await _fulfilled_entry(actor, customer.id, team.timezone, now)
        if closed is not None and not await close_calendar_entry(closed, actor.user_id, now):
            closed = None
        attachment = draft.attachment
        followup = await FollowUp.create(
            team_id=customer.team_id,
            customer_id=customer.id,
            rep_id=actor.user_id,
            kind=draft.kind,
            note=draft.note,
            next_step=draft.next_step,
            next_step_at=draft.next_step_at,
            attachment_file_id=attachment.file_id if attachment else None,
            attachment_kind=attachment.kind if attachment else None,
            attachment_unique_id=attachment.unique_id if attachment else None,
            effective=effective,
            calendar_entry_id=closed,
            occurred_at=now,
        )
        moved = effective and await record_contact(customer.id, now)
        entry = None
        if draft.next_step_at is not None:
            entry = await schedule_entry(
                team_id=customer.team_id,
                rep_id=actor.user_id,
                customer_id=customer.id,
                kind=CalendarKind.FOLLOW_UP,
                starts_at=draft.next_step_at,
                duration=NEXT_STEP_DURATION,
                title=draft.next_step or "",
            )
        await audit.record(
            "followup.log",
            "followup",
            followup.id,
            now=now,
            actor=actor,
            team_id=customer.team_id,
            data={
                "customer_id": customer.id,
                "kind": draft.kind.value,
                "effective": effective,
                "next_step_at": draft.next_step_at.isoformat() if draft.next_step_at else None,
                "calendar_entry_id": entry.id if entry else None,
                "closed_entry_id": closed,
                "task_id": draft.task_id if task_done else None,
            },
        )
    return Logged(
        followup.id,
        customer.id,
        customer.name,
        effective,
        moved,
        draft.next_step_at,
        entry.remind_at if entry else None,
        closed,
        task_done,
        team.timezone,
    )
