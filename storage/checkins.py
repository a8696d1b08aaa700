"""On-site check-in (B4): where a check-in may start, and recording it with its effects.

A rep checks in only at a customer they own (anything else is "not found"), either straight
from the customer (``/checkin``, the card) or for a planned calendar entry — whose revision
must still be the one on the button, so a moved entry's old button cannot be used.

The form collects the location, the photo and the note; nothing is written until the end,
when ``record_checkin`` stores the check-in and its effects in one transaction: the
``CheckIn`` row with its distance and flags, an effective visit ``FollowUp``, the reclaim
clock (``record_contact``), the planned visit it fulfils (``close_calendar_entry``) and, for a
customer without coordinates, this visit's position when its accuracy is good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.activity import close_calendar_entry, record_contact
from storage.checkins_rules import (
    Flag,
    LiveSession,
    Point,
    assess,
    day_bounds,
    live_until,
    local_day,
    nearest_first,
    photo_in_time,
    radius_for,
)
from storage.models import (
    CalendarEntry,
    CalendarKind,
    CalendarStatus,
    CheckIn,
    Customer,
    FollowUp,
    FollowUpKind,
    Role,
    Team,
    TeamRules,
)

NOTE_MAX = 1000


@dataclass(frozen=True)
class CheckInTarget:
    """Where a check-in is going, and the team's rules the form follows."""

    customer_id: int
    customer_name: str
    entry_id: int | None
    revision: int | None
    photo_required: bool
    photo_minutes: int
    live_allowed: bool


class PhotoTooLate(Invalid):
    """The photo came after the team's window: the check-in has to start again."""

    def __init__(self, minutes: int) -> None:
        super().__init__("checkin.photo_late", minutes=minutes)


async def _owned_customer(actor: Actor, customer_id: int) -> Customer:
    """The rep's own customer; anyone else's, or none, is "not found"."""
    actor.require(Role.REP)
    if actor.team_id is None:
        raise NotFound()
    customer = await Customer.get_or_none(
        id=customer_id, team_id=actor.team_id, owner_id=actor.user_id
    )
    if customer is None:
        raise NotFound()
    return customer


async def _target(customer: Customer, entry: CalendarEntry | None) -> CheckInTarget:
    rules = await TeamRules.get(team_id=customer.team_id)
    return CheckInTarget(
        customer.id,
        customer.name,
        entry.id if entry else None,
        entry.revision if entry else None,
        rules.checkin_photo_required,
        rules.checkin_photo_minutes,
        rules.checkin_live_location,
    )


async def start_at_customer(actor: Actor, customer_id: int) -> CheckInTarget:
    """Begin a check-in at one of the rep's customers (``/checkin`` or the card)."""
    customer = await _owned_customer(actor, customer_id)
    return await _target(customer, None)


async def _planned_entry(actor: Actor, entry_id: int, revision: int) -> CalendarEntry:
    """The rep's entry, still planned and at the revision the button carries."""
    actor.require(Role.REP)
    entry = await CalendarEntry.get_or_none(id=entry_id, rep_id=actor.user_id)
    if entry is None:
        raise NotFound()
    if entry.revision != revision:
        raise Invalid("checkin.entry_moved")
    if entry.status is not CalendarStatus.PLANNED:
        raise Invalid("checkin.entry_closed")
    if entry.customer_id is None:
        raise Invalid("checkin.entry_no_customer")
    return entry


async def start_for_entry(actor: Actor, entry_id: int, revision: int) -> CheckInTarget:
    """Begin a check-in for a planned calendar entry (its ``CheckInVisit`` button)."""
    entry = await _planned_entry(actor, entry_id, revision)
    assert entry.customer_id is not None
    customer = await _owned_customer(actor, entry.customer_id)
    return await _target(customer, entry)


async def check_photo_time(actor: Actor, located_at: datetime, now: datetime) -> None:
    """Raise ``PhotoTooLate`` when the team's photo window after the location has passed."""
    if actor.team_id is None:
        raise NotFound()
    rules = await TeamRules.get(team_id=actor.team_id)
    if not photo_in_time(located_at, now, rules.checkin_photo_minutes):
        raise PhotoTooLate(rules.checkin_photo_minutes)


def clean_note(raw: str) -> str:
    """The visit note as stored: trimmed, at most ``NOTE_MAX`` characters."""
    note = raw.strip()
    if len(note) > NOTE_MAX:
        raise Invalid("checkin.note_too_long", limit=NOTE_MAX)
    return note


@dataclass(frozen=True)
class CheckInDraft:
    """What the form collected; checked again when it is recorded."""

    customer_id: int
    latitude: float
    longitude: float
    accuracy_m: float | None
    located_at: datetime
    entry_id: int | None = None
    revision: int | None = None
    photo_file_id: str | None = None
    photo_unique_id: str | None = None
    photo_at: datetime | None = None
    note: str = ""
    live_period: int | None = None
    """Seconds, when the rep shared a live location."""
    location_message_id: int | None = None


@dataclass(frozen=True)
class CheckInResult:
    checkin_id: int
    customer_name: str
    checked_in_at: datetime
    timezone: str
    distance_m: float | None
    radius_m: int
    accuracy_m: float | None
    max_accuracy_m: int
    flags: tuple[Flag, ...]
    learned_location: bool
    closed_visit_at: datetime | None
    """Start of the planned visit this check-in closed, if any."""
    live: LiveSession | None

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def _location_of(customer: Customer) -> Point | None:
    if customer.latitude is None or customer.longitude is None:
        return None
    return Point(customer.latitude, customer.longitude)


async def _visit_to_close(
    actor: Actor, draft: CheckInDraft, zone: str
) -> tuple[int | None, datetime | None]:
    """The planned entry this check-in fulfils: the button's, else today's visit nearest in time."""
    if draft.entry_id is not None:
        entry = await _planned_entry(actor, draft.entry_id, draft.revision or 0)
        if entry.customer_id != draft.customer_id:
            raise NotFound()
        return entry.id, entry.starts_at
    start, end = day_bounds(local_day(draft.located_at, zone), zone)
    planned = await CalendarEntry.filter(
        rep_id=actor.user_id,
        customer_id=draft.customer_id,
        kind=CalendarKind.VISIT,
        status=CalendarStatus.PLANNED,
        starts_at__gte=start,
        starts_at__lt=end,
    ).values_list("id", "starts_at")
    starts = {int(i): s for i, s in planned}
    ranked = nearest_first(list(starts.items()), draft.located_at)
    return (ranked[0], starts[ranked[0]]) if ranked else (None, None)


async def record_checkin(actor: Actor, draft: CheckInDraft, *, now: datetime) -> CheckInResult:
    """Store the check-in with its flags, follow-up, reclaim clock and closed visit, at once.

    The customer's row is locked for the transaction, so a release or reclaim running at the
    same moment cannot slip between the ownership check and the writes.
    """
    await _owned_customer(actor, draft.customer_id)
    position = Point(draft.latitude, draft.longitude)
    if not position.valid:
        raise Invalid("checkin.bad_location")
    note = clean_note(draft.note)
    team = await Team.get(id=actor.team_id)
    rules = await TeamRules.get(team_id=team.id)
    if draft.photo_unique_id is None and rules.checkin_photo_required:
        raise Invalid("checkin.photo_required")
    if draft.photo_at is not None and not photo_in_time(
        draft.located_at, draft.photo_at, rules.checkin_photo_minutes
    ):
        raise PhotoTooLate(rules.checkin_photo_minutes)
    async with in_transaction():
        customer = await (
            Customer.filter(id=draft.customer_id, owner_id=actor.user_id)
            .select_for_update()
            .first()
        )
        if customer is None:
            raise NotFound()
        radius = radius_for(rules.checkin_radius_m, customer.checkin_radius_m)
        entry_id, entry_at = await _visit_to_close(actor, draft, team.timezone)
        reused = draft.photo_unique_id is not None and (
            await CheckIn.filter(photo_unique_id=draft.photo_unique_id).exists()
        )
        known = _location_of(customer)
        verdict = assess(
            position=position,
            accuracy_m=draft.accuracy_m,
            customer=known,
            radius_m=radius,
            max_accuracy_m=rules.checkin_max_accuracy_m,
            photo_reused=reused,
        )
        learned = verdict.learn_location and (
            await Customer.filter(id=customer.id, latitude=None).update(
                latitude=position.latitude, longitude=position.longitude
            )
            == 1
        )
        # Dwell is counted only for a live location the team allows, near a known place.
        counting = (
            draft.live_period is not None
            and rules.checkin_live_location
            and (known is not None or learned)
        )
        checkin = await CheckIn.create(
            team_id=team.id,
            rep_id=actor.user_id,
            customer_id=customer.id,
            calendar_entry_id=entry_id,
            latitude=position.latitude,
            longitude=position.longitude,
            accuracy_m=draft.accuracy_m,
            distance_m=verdict.distance_m,
            photo_file_id=draft.photo_file_id,
            photo_unique_id=draft.photo_unique_id,
            note=note,
            flags=[flag.value for flag in verdict.flags],
            flagged=verdict.flagged,
            dwell_seconds=0 if counting else None,
            checked_in_at=draft.located_at,
        )
        closed = await _effects(actor, draft, checkin, entry_id, note)
        await audit.record(
            "checkin.create",
            "checkin",
            checkin.id,
            now=now,
            actor=actor,
            team_id=team.id,
            data={
                "customer_id": customer.id,
                "flags": checkin.flags,
                "calendar_entry_id": entry_id,
                "learned_location": learned,
            },
        )
    session = None
    if counting and draft.live_period is not None:
        session = LiveSession(
            checkin.id,
            draft.location_message_id or 0,
            live_until(draft.located_at, draft.live_period),
            draft.located_at,
            verdict.distance_m is None or verdict.distance_m <= radius,
        )
    return CheckInResult(
        checkin.id,
        customer.name,
        draft.located_at,
        team.timezone,
        verdict.distance_m,
        radius,
        draft.accuracy_m,
        rules.checkin_max_accuracy_m,
        verdict.flags,
        learned,
        entry_at if closed else None,
        session,
    )


async def _effects(
    actor: Actor, draft: CheckInDraft, checkin: CheckIn, entry_id: int | None, note: str
) -> bool:
    """What a visit means beyond itself: an effective follow-up, the reclaim clock, and the
    planned visit closed (True if it was)."""
    await FollowUp.create(
        team_id=checkin.team_id,
        customer_id=checkin.customer_id,
        rep_id=actor.user_id,
        kind=FollowUpKind.VISIT,
        note=note,
        effective=True,
        calendar_entry_id=entry_id,
        checkin_id=checkin.id,
        attachment_file_id=draft.photo_file_id,
        attachment_kind="photo" if draft.photo_file_id else None,
        attachment_unique_id=draft.photo_unique_id,
        occurred_at=draft.located_at,
    )
    await record_contact(checkin.customer_id, draft.located_at)
    if entry_id is None:
        return False
    return await close_calendar_entry(entry_id, actor.user_id, draft.located_at)
