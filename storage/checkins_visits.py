"""/visits: the check-ins of a day, flagged ones first, and one visit in detail (B4).

A manager sees the team's check-ins; a rep sees their own. Anything else — another team's
visit, a colleague's for a rep — is "not found", like a wrong id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tortoise.queryset import QuerySet

from storage.access import Actor, NotFound
from storage.checkins_rules import Flag, day_bounds, local_day
from storage.models import CheckIn, Role, Team
from storage.paging import Page, paginate

VISITS_PAGE = 10
DAYS_BACK = 366


@dataclass(frozen=True)
class VisitLine:
    checkin_id: int
    rep: str
    customer: str
    checked_in_at: datetime
    checked_out_at: datetime | None
    distance_m: float | None
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class VisitDay:
    day: date
    today: date
    timezone: str
    page: Page[VisitLine]
    flagged: int
    team_wide: bool
    """True for a manager's view of the team, False for a rep's own visits."""

    @property
    def earliest(self) -> date:
        return date.fromordinal(self.today.toordinal() - DAYS_BACK)


_KNOWN = frozenset(flag.value for flag in Flag)


def _flags(stored: object) -> tuple[Flag, ...]:
    """Stored flag codes as ``Flag``s; an unknown code (a newer version's) is left out."""
    values = stored if isinstance(stored, list) else []
    return tuple(Flag(v) for v in values if v in _KNOWN)


def _visible(actor: Actor) -> QuerySet[CheckIn]:
    actor.require(Role.MANAGER, Role.REP)
    if actor.team_id is None:
        raise NotFound()
    query = CheckIn.filter(team_id=actor.team_id)
    if actor.role is Role.REP:
        query = query.filter(rep_id=actor.user_id)
    return query


async def visits_of_day(
    actor: Actor, *, now: datetime, day: date | None = None, page: int = 0
) -> VisitDay:
    """One day's check-ins in the team's zone: flagged first, then by time."""
    query = _visible(actor)
    team = await Team.get(id=actor.team_id)
    today = local_day(now, team.timezone)
    day = day or today
    earliest = date.fromordinal(today.toordinal() - DAYS_BACK)
    day = min(max(day, earliest), today)
    start, end = day_bounds(day, team.timezone)
    of_day = query.filter(checked_in_at__gte=start, checked_in_at__lt=end)
    found = await paginate(
        of_day.select_related("rep", "customer").order_by("-flagged", "checked_in_at", "id"),
        page,
        VISITS_PAGE,
    )
    lines = [
        VisitLine(
            c.id,
            str(c.rep),
            c.customer.name,
            c.checked_in_at,
            c.checked_out_at,
            c.distance_m,
            _flags(c.flags),
        )
        for c in found.items
    ]
    flagged = await of_day.filter(flagged=True).count()
    return VisitDay(
        day,
        today,
        team.timezone,
        Page(lines, found.number, found.total, found.size),
        flagged,
        actor.role is Role.MANAGER,
    )


@dataclass(frozen=True)
class VisitDetail:
    checkin_id: int
    rep: str
    customer: str
    timezone: str
    checked_in_at: datetime
    checked_out_at: datetime | None
    latitude: float
    longitude: float
    accuracy_m: float | None
    distance_m: float | None
    photo_file_id: str | None
    note: str
    flags: tuple[Flag, ...]
    dwell_seconds: int | None
    planned: bool
    """True when the check-in fulfilled a planned calendar entry."""


async def visit_detail(actor: Actor, checkin_id: int) -> VisitDetail:
    """One check-in with its position and photo, for a manager of the team or its rep."""
    checkin = (
        await _visible(actor)
        .filter(id=checkin_id)
        .select_related("rep", "customer", "team")
        .first()
    )
    if checkin is None:
        raise NotFound()
    return VisitDetail(
        checkin.id,
        str(checkin.rep),
        checkin.customer.name,
        checkin.team.timezone,
        checkin.checked_in_at,
        checkin.checked_out_at,
        checkin.latitude,
        checkin.longitude,
        checkin.accuracy_m,
        checkin.distance_m,
        checkin.photo_file_id,
        checkin.note,
        _flags(checkin.flags),
        checkin.dwell_seconds,
        checkin.calendar_entry_id is not None,
    )
