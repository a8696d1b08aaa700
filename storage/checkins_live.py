"""After the check-in: leaving the site, and the dwell time of a live location (B4).

Check-out stamps ``checked_out_at`` once (a conditional update: a second tap changes
nothing). A live location's later positions only decide whether the rep is still inside the
radius; they are never stored — the check-in keeps just the seconds spent inside
(``dwell_seconds``), and counting stops at check-out or when the live period ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F

from storage import audit
from storage.access import Actor, NotFound
from storage.checkins_rules import LiveSession, Point, distance_m, dwell_step, live_over, radius_for
from storage.models import CheckIn, Role, TeamRules


@dataclass(frozen=True)
class CheckOutResult:
    checkin_id: int
    customer_name: str
    checked_in_at: datetime
    checked_out_at: datetime
    timezone: str
    dwell_seconds: int | None
    already: bool
    """True when the visit had been checked out before: nothing changed."""

    @property
    def duration_seconds(self) -> int:
        return max(0, int((self.checked_out_at - self.checked_in_at).total_seconds()))


async def _own_checkin(actor: Actor, checkin_id: int) -> CheckIn:
    actor.require(Role.REP)
    checkin = await CheckIn.get_or_none(id=checkin_id, rep_id=actor.user_id).select_related(
        "customer", "team"
    )
    if checkin is None:
        raise NotFound()
    return checkin


async def check_out(
    actor: Actor, checkin_id: int, *, now: datetime, live: LiveSession | None = None
) -> CheckOutResult:
    """Record leaving the site, once; a live location's count closes here."""
    checkin = await _own_checkin(actor, checkin_id)
    added = 0
    if live is not None and live.checkin_id == checkin.id and checkin.dwell_seconds is not None:
        added, _ = dwell_step(live, now, None)
    changes: dict[str, object] = {"checked_out_at": now}
    if added:
        changes["dwell_seconds"] = F("dwell_seconds") + added
    done = await CheckIn.filter(id=checkin.id, checked_out_at=None).update(**changes)
    if done != 1:
        checked_out_at = checkin.checked_out_at or now
        return CheckOutResult(
            checkin.id,
            checkin.customer.name,
            checkin.checked_in_at,
            checked_out_at,
            checkin.team.timezone,
            checkin.dwell_seconds,
            already=True,
        )
    await audit.record(
        "checkin.check_out",
        "checkin",
        checkin.id,
        now=now,
        actor=actor,
        team_id=checkin.team_id,
    )
    dwell = None if checkin.dwell_seconds is None else checkin.dwell_seconds + added
    return CheckOutResult(
        checkin.id,
        checkin.customer.name,
        checkin.checked_in_at,
        now,
        checkin.team.timezone,
        dwell,
        already=False,
    )


async def live_position(
    actor: Actor,
    session: LiveSession,
    *,
    latitude: float,
    longitude: float,
    stopped: bool,
    now: datetime,
) -> LiveSession | None:
    """Count the time since the last live position; None once the count is over.

    The count is over after the check-out, once the live period ended, or when the rep
    stopped sharing (``stopped``): the last stretch up to then is added first.
    """
    checkin = await _own_checkin(actor, session.checkin_id)
    if checkin.checked_out_at is not None or checkin.dwell_seconds is None:
        return None
    over = stopped or live_over(session, now)
    inside: bool | None = None
    if not over:
        rules = await TeamRules.get(team_id=checkin.team_id)
        customer = checkin.customer
        if customer.latitude is None or customer.longitude is None:
            return None
        radius = radius_for(rules.checkin_radius_m, customer.checkin_radius_m)
        here = Point(latitude, longitude)
        inside = here.valid and (
            distance_m(here, Point(customer.latitude, customer.longitude)) <= radius
        )
    added, after = dwell_step(session, now, inside)
    if added:
        counted = await CheckIn.filter(id=checkin.id, checked_out_at=None).update(
            dwell_seconds=F("dwell_seconds") + added
        )
        if counted != 1:
            return None
    return None if over else after
