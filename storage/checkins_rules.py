"""What a check-in means: distance, flags, the photo window and dwell time — pure functions (B4).

A check-in is never refused for where it happened; it is *flagged* so a manager can look:

- ``outside_radius``: farther from the customer than the allowed radius (the customer's own
  ``checkin_radius_m`` when set, else the team's);
- ``poor_accuracy``: the phone reported a ``horizontal_accuracy`` worse than the team's limit,
  or none at all (nothing to vouch for the position);
- ``reused_photo``: the photo's ``file_unique_id`` was already used by an earlier check-in
  (Telegram gives the same bytes the same unique id, whoever sends them);
- ``no_customer_location``: the customer had no coordinates, so the distance could not be
  measured. A first visit with a good accuracy then becomes the customer's location.

Distances are geodesic (WGS-84, Karney's method through geopy): a pure computation of a few
microseconds, no geocoding and no network.

Dwell time with a live location: Telegram shows the last position it received as current
until a newer one arrives, and so do we — the time from a position inside the radius to the
next position (or to the check-out, or the end of the live period) counts as time inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from geopy.distance import geodesic  # type: ignore[import-untyped]  # geopy ships no types


class Flag(StrEnum):
    """Why a check-in deserves a second look; stored in ``CheckIn.flags`` in this order."""

    OUTSIDE_RADIUS = "outside_radius"
    POOR_ACCURACY = "poor_accuracy"
    REUSED_PHOTO = "reused_photo"
    NO_CUSTOMER_LOCATION = "no_customer_location"


FLAG_ORDER = tuple(Flag)
LIVE_CAP = timedelta(hours=12)
"""A live location shared "until I stop" still ends its dwell count after this long."""


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float

    @property
    def valid(self) -> bool:
        return -90 <= self.latitude <= 90 and -180 <= self.longitude <= 180


def distance_m(a: Point, b: Point) -> float:
    """Geodesic distance in metres on the WGS-84 ellipsoid."""
    return float(geodesic((a.latitude, a.longitude), (b.latitude, b.longitude)).meters)


@dataclass(frozen=True)
class Assessment:
    """The verdict on one check-in position."""

    distance_m: float | None
    """None when the customer has no coordinates to measure against."""
    flags: tuple[Flag, ...]
    learn_location: bool
    """True when this position should become the customer's coordinates."""

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def good_accuracy(accuracy_m: float | None, max_accuracy_m: int) -> bool:
    return accuracy_m is not None and accuracy_m <= max_accuracy_m


def assess(
    *,
    position: Point,
    accuracy_m: float | None,
    customer: Point | None,
    radius_m: int,
    max_accuracy_m: int,
    photo_reused: bool,
) -> Assessment:
    """Measure the distance and decide the flags; never a refusal."""
    flags: set[Flag] = set()
    distance = distance_m(position, customer) if customer is not None else None
    if distance is not None and distance > radius_m:
        flags.add(Flag.OUTSIDE_RADIUS)
    accurate = good_accuracy(accuracy_m, max_accuracy_m)
    if not accurate:
        flags.add(Flag.POOR_ACCURACY)
    if photo_reused:
        flags.add(Flag.REUSED_PHOTO)
    if customer is None:
        flags.add(Flag.NO_CUSTOMER_LOCATION)
    ordered = tuple(f for f in FLAG_ORDER if f in flags)
    return Assessment(distance, ordered, learn_location=customer is None and accurate)


def radius_for(team_radius_m: int, customer_radius_m: int | None) -> int:
    """The customer's own radius overrides the team's."""
    return customer_radius_m if customer_radius_m else team_radius_m


def photo_in_time(located_at: datetime, photo_at: datetime, minutes: int) -> bool:
    """Whether a photo taken at ``photo_at`` still belongs to the location of ``located_at``."""
    return timedelta(0) <= photo_at - located_at <= timedelta(minutes=minutes)


# ----- days in the team's zone -----


def local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """[start, end) of a local day as UTC instants (23 or 25 hours on a DST change)."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def nearest_first(starts: list[tuple[int, datetime]], now: datetime) -> list[int]:
    """Ids of ``(id, starts_at)`` pairs, the one closest to ``now`` first (ties: earlier)."""
    ordered = sorted(starts, key=lambda pair: (abs(pair[1] - now), pair[1], pair[0]))
    return [item_id for item_id, _ in ordered]


# ----- dwell time with a live location -----


@dataclass(frozen=True)
class LiveSession:
    """Where a live location's dwell count stands: JSON-able, kept with the rep's chat state.

    It holds no position, only whether the last one was inside the radius.
    """

    checkin_id: int
    message_id: int
    until: datetime
    last_at: datetime
    inside: bool

    def to_json(self) -> dict[str, object]:
        return {
            "checkin_id": self.checkin_id,
            "message_id": self.message_id,
            "until": self.until.isoformat(),
            "last_at": self.last_at.isoformat(),
            "inside": self.inside,
        }

    @classmethod
    def from_json(cls, data: object) -> LiveSession | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                int(data["checkin_id"]),
                int(data["message_id"]),
                datetime.fromisoformat(str(data["until"])),
                datetime.fromisoformat(str(data["last_at"])),
                bool(data["inside"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


def live_over(session: LiveSession, at: datetime) -> bool:
    """True once the live period has run out: later positions no longer count."""
    return at >= session.until


def live_until(located_at: datetime, live_period_s: int) -> datetime:
    """When a live location shared at ``located_at`` stops counting."""
    return located_at + min(timedelta(seconds=max(live_period_s, 0)), LIVE_CAP)


def dwell_step(session: LiveSession, at: datetime, inside: bool | None) -> tuple[int, LiveSession]:
    """Seconds to add for the time since the last position, and the session after ``at``.

    ``inside`` is None when nothing new is known (a check-out, the live location stopped):
    the count closes at ``at`` (never past ``until``) and the session's ``inside`` is kept.
    """
    end = min(at, session.until)
    added = max(0, int((end - session.last_at).total_seconds())) if session.inside else 0
    after = LiveSession(
        session.checkin_id,
        session.message_id,
        session.until,
        max(session.last_at, end),
        session.inside if inside is None else inside,
    )
    return added, after
