"""Working with planned entries: the day and week views, and moving, closing or cancelling one.

Every button of an entry carries its ``revision``. A reschedule bumps it with one conditional
update (``revision`` and ``status`` as they were read), so a button drawn before the move — or
a second tap racing the first — changes nothing and is told the entry moved. Closing and
cancelling check the same pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, NotFound
from storage.activity import close_calendar_entry
from storage.calendar import (
    Clash,
    EntryView,
    check_start,
    entry_view,
    find_clashes,
    get_entry,
    visible_entries,
)
from storage.calendar_time import day_bounds, local_day, remind_at, to_utc, week_bounds, week_start
from storage.models import CalendarEntry, CalendarStatus, Role, Team, TeamRules, User

VIEW_LIMIT = 200
TEAM_SCOPE = 0
"""The ``scope`` of a manager's whole-team calendar; any other scope is a rep's user id."""


class Outcome(StrEnum):
    CHANGED = "changed"
    MOVED = "moved"
    """The button is older than the entry's last reschedule."""
    CLOSED = "closed"
    """The entry is no longer planned (done, cancelled or missed)."""
    CLASH = "clash"
    """Not moved: the new time clashes and the move was not confirmed."""


@dataclass(frozen=True)
class Notice:
    """Someone else to tell about a change: the rep, when a manager changed their entry."""

    chat_id: int
    language: str | None


@dataclass(frozen=True)
class Change:
    outcome: Outcome
    entry: EntryView
    clashes: list[Clash] = field(default_factory=list)
    notify: Notice | None = None


def _stale(entry: EntryView, revision: int) -> Outcome | None:
    if entry.status is not CalendarStatus.PLANNED:
        return Outcome.CLOSED
    if entry.revision != revision:
        return Outcome.MOVED
    return None


async def _notice(actor: Actor, entry: EntryView) -> Notice | None:
    if entry.rep_id == actor.user_id:
        return None
    rep = await User.get_or_none(id=entry.rep_id)
    if rep is None:
        return None
    return Notice(rep.telegram_id, rep.language or rep.telegram_language)


async def entry_for_change(actor: Actor, entry_id: int, revision: int) -> Change:
    """The entry a button wants to change, with ``CHANGED`` when that is still possible."""
    entry = await get_entry(actor, entry_id)
    return Change(_stale(entry, revision) or Outcome.CHANGED, entry)


async def reschedule(
    actor: Actor,
    entry_id: int,
    revision: int,
    day: date,
    minute: int,
    now: datetime,
    *,
    keep: bool,
) -> Change:
    """Move a planned entry to ``day`` at ``minute`` (team zone), keeping its duration.

    The reminder is recomputed from the team's lead time and ``reminded_at`` cleared, so the
    new time is reminded once more; the revision goes up by one.
    """
    entry = await get_entry(actor, entry_id)
    stale = _stale(entry, revision)
    if stale is not None:
        return Change(stale, entry)
    starts_at = to_utc(day, minute, entry.timezone)
    check_start(starts_at, now)
    ends_at = starts_at + (entry.ends_at - entry.starts_at)
    clashes = await find_clashes(entry.rep_id, entry.team_id, starts_at, ends_at, exclude=entry_id)
    if clashes and not keep:
        return Change(Outcome.CLASH, entry, clashes)
    rules = await TeamRules.get(team_id=entry.team_id)
    async with in_transaction():
        moved = await CalendarEntry.filter(
            id=entry_id, revision=revision, status=CalendarStatus.PLANNED
        ).update(
            starts_at=starts_at,
            ends_at=ends_at,
            remind_at=remind_at(starts_at, rules.reminder_lead_minutes),
            reminded_at=None,
            revision=revision + 1,
        )
        if moved == 1:
            await audit.record(
                "calendar.reschedule",
                "calendar_entry",
                entry_id,
                now=now,
                actor=actor,
                team_id=entry.team_id,
                data={"from": entry.starts_at.isoformat(), "to": starts_at.isoformat()},
            )
    current = await get_entry(actor, entry_id)
    if moved != 1:
        return Change(_stale(current, revision) or Outcome.MOVED, current)
    return Change(Outcome.CHANGED, current, clashes, await _notice(actor, current))


async def mark_done(actor: Actor, entry_id: int, revision: int, now: datetime) -> Change:
    """Close a planned entry as done (a visit or call that happened)."""
    entry = await get_entry(actor, entry_id)
    stale = _stale(entry, revision)
    if stale is not None:
        return Change(stale, entry)
    async with in_transaction():
        closed = await close_calendar_entry(entry_id, entry.rep_id, now)
        if closed:
            await audit.record(
                "calendar.done",
                "calendar_entry",
                entry_id,
                now=now,
                actor=actor,
                team_id=entry.team_id,
            )
    current = await get_entry(actor, entry_id)
    if not closed:
        return Change(_stale(current, revision) or Outcome.MOVED, current)
    return Change(Outcome.CHANGED, current, notify=await _notice(actor, current))


async def cancel_entry(actor: Actor, entry_id: int, revision: int, now: datetime) -> Change:
    """Cancel a planned entry: it leaves the calendar and is never reminded."""
    entry = await get_entry(actor, entry_id)
    stale = _stale(entry, revision)
    if stale is not None:
        return Change(stale, entry)
    async with in_transaction():
        cancelled = await CalendarEntry.filter(
            id=entry_id, revision=revision, status=CalendarStatus.PLANNED
        ).update(status=CalendarStatus.CANCELLED)
        if cancelled == 1:
            await audit.record(
                "calendar.cancel",
                "calendar_entry",
                entry_id,
                now=now,
                actor=actor,
                team_id=entry.team_id,
            )
    current = await get_entry(actor, entry_id)
    if cancelled != 1:
        return Change(_stale(current, revision) or Outcome.MOVED, current)
    return Change(Outcome.CHANGED, current, notify=await _notice(actor, current))


# ----- the day and week views ------------------------------------------------------------


@dataclass(frozen=True)
class RepChoice:
    id: int
    name: str


@dataclass(frozen=True)
class CalendarPage:
    """A day or a week of one rep's (or, for a manager, the whole team's) entries."""

    scope: int
    title: str
    first_day: date
    week: bool
    today: date
    timezone: str
    entries: list[EntryView]
    more: bool
    team_view: bool
    """Whether the viewer may switch to the team and to other reps (a manager)."""

    @property
    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range(7 if self.week else 1)]


async def _scope(actor: Actor, scope: int) -> tuple[int, str]:
    """The team and title of the calendar ``scope``, or NotFound outside the actor's reach."""
    if actor.role is Role.REP:
        if scope != actor.user_id or actor.team_id is None:
            raise NotFound()
        return actor.team_id, actor.full_name
    if actor.role is not Role.MANAGER or actor.team_id is None:
        raise NotFound()
    if scope == TEAM_SCOPE:
        team = await Team.get(id=actor.team_id)
        return team.id, team.name
    rep = await User.get_or_none(id=scope, team_id=actor.team_id, role=Role.REP)
    if rep is None:
        raise NotFound()
    return actor.team_id, str(rep)


def own_scope(actor: Actor) -> int:
    """Where /calendar opens: a rep's own calendar, a manager's team."""
    return actor.user_id if actor.role is Role.REP else TEAM_SCOPE


async def calendar_page(
    actor: Actor, scope: int, day: date | None, *, week: bool, now: datetime
) -> CalendarPage:
    """The entries of ``day`` (or its week) in the team's zone; ``day`` None means today."""
    team_id, title = await _scope(actor, scope)
    team = await Team.get(id=team_id)
    zone = team.timezone
    today = local_day(now, zone)
    first = week_start(day or today) if week else (day or today)
    start, end = week_bounds(first, zone) if week else day_bounds(first, zone)
    query = visible_entries(actor).filter(team_id=team_id, starts_at__gte=start, starts_at__lt=end)
    if scope != TEAM_SCOPE:
        query = query.filter(rep_id=scope)
    rows = (
        await query.exclude(status=CalendarStatus.CANCELLED)
        .select_related("customer", "rep")
        .order_by("starts_at", "id")
        .limit(VIEW_LIMIT + 1)
    )
    entries = [entry_view(e, zone) for e in rows[:VIEW_LIMIT]]
    return CalendarPage(
        scope,
        title,
        first,
        week,
        today,
        zone,
        entries,
        len(rows) > VIEW_LIMIT,
        actor.role is Role.MANAGER,
    )


async def team_reps(actor: Actor) -> list[RepChoice]:
    """The manager's reps, to open one's calendar."""
    actor.require(Role.MANAGER)
    if actor.team_id is None:
        raise NotFound()
    reps = await User.filter(team_id=actor.team_id, role=Role.REP, is_active=True).order_by(
        "full_name", "id"
    )
    return [RepChoice(r.id, str(r)) for r in reps]
