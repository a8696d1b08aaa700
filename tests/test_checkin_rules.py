"""The check-in's pure rules: distance, flags, the photo window, local days and dwell time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from storage.checkins_rules import (
    LIVE_CAP,
    Flag,
    LiveSession,
    Point,
    assess,
    day_bounds,
    distance_m,
    dwell_step,
    live_until,
    nearest_first,
    photo_in_time,
    radius_for,
)

SITE = Point(31.2304, 121.4737)
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _north_of(point: Point, meters: float) -> Point:
    """A point ``meters`` due north (≈110.9 km per degree of latitude here)."""
    return Point(point.latitude + meters / 110_873.4, point.longitude)


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        (SITE, SITE, 0, 0),
        (SITE, Point(31.2314, 121.4737), 110.8, 110.9),  # 0.001° of latitude
        (Point(0, 0), Point(0, 1), 111_319, 111_320),  # a degree along the equator
        (Point(39.9042, 116.4074), Point(31.2304, 121.4737), 1_065_000, 1_070_000),  # BJ–SH
    ],
)
def test_distance_is_geodesic_in_metres(a: Point, b: Point, low: float, high: float) -> None:
    assert low <= distance_m(a, b) <= high


@pytest.mark.parametrize(
    ("meters", "accuracy", "known", "reused", "flags", "learn"),
    [
        (50, 10, True, False, (), False),
        (299, 100, True, False, (), False),  # at the accuracy limit is still good
        (301, 10, True, False, (Flag.OUTSIDE_RADIUS,), False),
        (50, 100.5, True, False, (Flag.POOR_ACCURACY,), False),
        (50, None, True, False, (Flag.POOR_ACCURACY,), False),  # nothing vouches for it
        (50, 10, True, True, (Flag.REUSED_PHOTO,), False),
        (50, 10, False, False, (Flag.NO_CUSTOMER_LOCATION,), True),
        (50, 500, False, False, (Flag.POOR_ACCURACY, Flag.NO_CUSTOMER_LOCATION), False),
        (
            5000,
            None,
            True,
            True,
            (Flag.OUTSIDE_RADIUS, Flag.POOR_ACCURACY, Flag.REUSED_PHOTO),
            False,
        ),
    ],
)
def test_flags_are_decided_never_refused(
    meters: float,
    accuracy: float | None,
    known: bool,
    reused: bool,
    flags: tuple[Flag, ...],
    learn: bool,
) -> None:
    verdict = assess(
        position=_north_of(SITE, meters),
        accuracy_m=accuracy,
        customer=SITE if known else None,
        radius_m=300,
        max_accuracy_m=100,
        photo_reused=reused,
    )
    assert verdict.flags == flags and verdict.flagged is bool(flags)
    assert verdict.learn_location is learn
    if known:
        assert verdict.distance_m == pytest.approx(meters, abs=0.5)
    else:
        assert verdict.distance_m is None


@pytest.mark.parametrize(
    ("team", "customer", "expected"), [(300, None, 300), (300, 50, 50), (300, 0, 300)]
)
def test_the_customer_radius_overrides_the_team(
    team: int, customer: int | None, expected: int
) -> None:
    assert radius_for(team, customer) == expected


@pytest.mark.parametrize(
    ("after", "inside"),
    [
        (timedelta(0), True),
        (timedelta(minutes=9, seconds=59), True),
        (timedelta(minutes=10), True),
        (timedelta(minutes=10, seconds=1), False),
        (timedelta(seconds=-1), False),  # a photo older than the location
    ],
)
def test_the_photo_window(after: timedelta, inside: bool) -> None:
    assert photo_in_time(T0, T0 + after, 10) is inside


@pytest.mark.parametrize(
    ("day", "zone", "start", "hours"),
    [
        (date(2026, 3, 2), "Asia/Shanghai", datetime(2026, 3, 1, 16, 0, tzinfo=UTC), 24),
        (date(2026, 3, 29), "Europe/Berlin", datetime(2026, 3, 28, 23, 0, tzinfo=UTC), 23),
        (date(2026, 10, 25), "Europe/Berlin", datetime(2026, 10, 24, 22, 0, tzinfo=UTC), 25),
        (date(2026, 12, 31), "America/New_York", datetime(2026, 12, 31, 5, 0, tzinfo=UTC), 24),
    ],
)
def test_a_local_day_in_utc(day: date, zone: str, start: datetime, hours: int) -> None:
    begin, end = day_bounds(day, zone)
    assert begin == start and end - begin == timedelta(hours=hours)


def test_the_visit_nearest_to_now_comes_first() -> None:
    visits = [
        (1, T0 + timedelta(hours=3)),
        (2, T0 - timedelta(minutes=40)),
        (3, T0 + timedelta(minutes=40)),
        (4, T0 + timedelta(minutes=10)),
    ]
    assert nearest_first(visits, T0) == [4, 2, 3, 1]  # a tie goes to the earlier visit


def _session(inside: bool, *, last: timedelta = timedelta(0)) -> LiveSession:
    return LiveSession(7, 42, T0 + timedelta(minutes=60), T0 + last, inside)


@pytest.mark.parametrize(
    ("inside_before", "at", "inside_now", "added", "last_at", "inside_after"),
    [
        (True, timedelta(minutes=10), True, 600, timedelta(minutes=10), True),
        (True, timedelta(minutes=10), False, 600, timedelta(minutes=10), False),
        (False, timedelta(minutes=10), True, 0, timedelta(minutes=10), True),
        (True, timedelta(minutes=90), None, 3600, timedelta(minutes=60), True),  # period over
        (True, timedelta(minutes=-5), True, 0, timedelta(0), True),  # out of order: nothing
    ],
)
def test_dwell_counts_from_an_inside_position_to_the_next(
    inside_before: bool,
    at: timedelta,
    inside_now: bool | None,
    added: int,
    last_at: timedelta,
    inside_after: bool,
) -> None:
    seconds, after = dwell_step(_session(inside_before), T0 + at, inside_now)
    assert seconds == added
    assert after.last_at == T0 + last_at and after.inside is inside_after
    assert (after.checkin_id, after.message_id, after.until) == (7, 42, T0 + timedelta(hours=1))


@pytest.mark.parametrize(
    ("period", "until"),
    [(900, timedelta(minutes=15)), (0x7FFFFFFF, LIVE_CAP), (0, timedelta(0))],
)
def test_a_live_period_ends_the_count_at_most_after_the_cap(period: int, until: timedelta) -> None:
    assert live_until(T0, period) == T0 + until


def test_a_session_survives_json_and_rejects_garbage() -> None:
    session = _session(True, last=timedelta(minutes=3))
    assert LiveSession.from_json(session.to_json()) == session
    for garbage in (None, [], {}, {"checkin_id": "x"}, {**session.to_json(), "until": "soon"}):
        assert LiveSession.from_json(garbage) is None
