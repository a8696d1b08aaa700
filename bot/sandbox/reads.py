"""The few database reads the web chat needs, and the geometry of the location picker.

The web chat is a Telegram client, so it knows nothing the bot does not show — except two
conveniences a real phone has for free: who the person is right now (their role and team, to
label the persona list and show the clock in their zone) and where their customers are (a rep
standing in front of a shop shares that spot; the sandbox has no GPS, so it offers the shop's
coordinates, starting with the customer the bot's last message names). Both are read-only
and go through the ORM, never through the bot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from geopy.distance import geodesic  # type: ignore[import-untyped]

from storage.models import Customer, Team, User

PLACES_LIMIT = 60
MAX_OFFSET_KM = 5.0


@dataclass(frozen=True)
class Standing:
    """What the database says about a person now (a newcomer may have no row yet)."""

    role: str | None
    team: str | None
    timezone: str | None


@dataclass(frozen=True)
class Place:
    """A customer's location, as the picker offers it."""

    customer_id: int
    name: str
    address: str | None
    latitude: float
    longitude: float


async def standings(telegram_ids: Iterable[int]) -> dict[int, Standing]:
    """Role, team and team zone of each known Telegram id, in one query."""
    ids = sorted(set(telegram_ids))
    if not ids:
        return {}
    users = await User.filter(telegram_id__in=ids).select_related("team")
    return {
        u.telegram_id: Standing(
            u.role.value if u.role else None,
            u.team.name if u.team else None,
            u.team.timezone if u.team else None,
        )
        for u in users
    }


async def team_zones() -> dict[str, str]:
    """Each team's time zone by name: a group's clock shows the team's wall time."""
    return {team.name: team.timezone for team in await Team.all()}


async def places_for(telegram_id: int, limit: int = PLACES_LIMIT) -> list[Place]:
    """Customers with coordinates the person would plausibly stand at.

    A rep's own customers first; someone who owns none (a manager, an agent, a rep new to the
    team) gets their team's, so the picker is never empty for a team member.
    """
    user = await User.get_or_none(telegram_id=telegram_id)
    if user is None:
        return []
    located = Customer.filter(latitude__not_isnull=True, longitude__not_isnull=True)
    rows = await located.filter(owner_id=user.id).order_by("name", "id").limit(limit)
    if not rows and user.team_id is not None:
        rows = await located.filter(team_id=user.team_id).order_by("name", "id").limit(limit)
    return [
        Place(c.id, c.name, c.address, float(c.latitude or 0.0), float(c.longitude or 0.0))
        for c in rows
    ]


def named_place(places: Sequence[Place], text: str | None) -> int | None:
    """The customer a bot message names — the longest name it contains, ignoring case, the
    earliest of equally long ones — so the picker starts there (a check-in asks for a
    location at a named customer); None when it names none of them."""
    folded = (text or "").casefold()
    named = [
        (len(p.name), -folded.index(p.name.casefold()), p.customer_id)
        for p in places
        if p.name.strip() and p.name.casefold() in folded
    ]
    return max(named)[2] if named else None


def offset_point(
    latitude: float, longitude: float, distance_km: float, bearing_degrees: float
) -> tuple[float, float]:
    """The point ``distance_km`` from (latitude, longitude) towards ``bearing_degrees``
    (0 = north, 90 = east), on the WGS-84 ellipsoid — what a check-in's distance check uses."""
    if not -90.0 <= latitude <= 90.0 or not -180.0 <= longitude <= 180.0:
        raise ValueError("latitude must be within ±90 and longitude within ±180")
    if not 0.0 <= distance_km <= MAX_OFFSET_KM:
        raise ValueError(f"the distance must be between 0 and {MAX_OFFSET_KM:g} km")
    if distance_km == 0:
        return latitude, longitude
    moved = geodesic(kilometers=distance_km).destination((latitude, longitude), bearing_degrees)
    return round(float(moved.latitude), 6), round(float(moved.longitude), 6)
