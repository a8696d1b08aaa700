"""/away (B1): a rep on leave through a date gets no new leads meanwhile, and no burst after.

The date is the last local day away (team zone); routing skips the rep until the next local
midnight (``storage.assignment.away_until_instant``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.assignment import away_until_instant
from storage.models import Role, Team, User

AWAY_MAX_DAYS = 366

_ISO = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_SHORT = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$")
_FILLER = re.compile(r"^(until|till|to|到|至|直到)\s*", re.IGNORECASE)


def parse_day(text: str, today: date) -> date | None:
    """``2026-03-10``, ``2026/3/10``, ``2026年3月10日``; ``3-10``/``3月10日`` = the next one."""
    text = _FILLER.sub("", text.strip()).strip()
    try:
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _SHORT.match(text):
            day = date(today.year, int(m[1]), int(m[2]))
            return day if day >= today else date(today.year + 1, day.month, day.day)
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class AwayStatus:
    last_day: date | None
    """The last local day away; None when available."""
    until: datetime | None
    timezone: str


async def _own_team(actor: Actor) -> Team:
    """Reps step out of lead routing, agents out of ticket assignment: both need a team."""
    actor.require(Role.REP, Role.AGENT)
    team = await Team.get_or_none(id=actor.team_id) if actor.team_id else None
    if team is None:
        raise NotFound()
    return team


async def away_status(actor: Actor, *, now: datetime) -> AwayStatus:
    team = await _own_team(actor)
    user = await User.get(id=actor.user_id)
    until = user.away_until if user.away_until and user.away_until > now else None
    last_day = None
    if until is not None:
        last_day = until.astimezone(ZoneInfo(team.timezone)).date() - timedelta(days=1)
    return AwayStatus(last_day, until, team.timezone)


async def set_away(actor: Actor, text: str, *, now: datetime) -> AwayStatus:
    """Away through a date (team zone), from now: no leads or tickets are routed meanwhile."""
    team = await _own_team(actor)
    zone = ZoneInfo(team.timezone)
    today = now.astimezone(zone).date()
    day = parse_day(text, today)
    if day is None:
        raise Invalid("leads.away.bad_date", text=text[:40])
    if day < today:
        raise Invalid("leads.away.past", day=day.isoformat())
    if (day - today).days > AWAY_MAX_DAYS:
        raise Invalid("leads.away.too_far", days=AWAY_MAX_DAYS)
    until = away_until_instant(day, zone)
    await User.filter(id=actor.user_id).update(away_until=until)
    await audit.record(
        "user.away",
        "user",
        actor.user_id,
        now=now,
        actor=actor,
        team_id=team.id,
        data={"until": until.isoformat()},
    )
    return AwayStatus(day, until, team.timezone)


async def clear_away(actor: Actor, *, now: datetime) -> AwayStatus:
    team = await _own_team(actor)
    await User.filter(id=actor.user_id).update(away_until=None, away=False)
    await audit.record("user.back", "user", actor.user_id, now=now, actor=actor, team_id=team.id)
    return AwayStatus(None, None, team.timezone)
