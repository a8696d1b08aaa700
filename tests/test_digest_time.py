"""The digest's time arithmetic: local days, their UTC bounds across DST, and when it is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest

from storage.digest_time import day_bounds, due_period, history, local_today, so_far


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "start", "hours"),
    [
        ("Asia/Shanghai", date(2026, 3, 2), utc(2026, 3, 1, 16), 24),
        ("UTC", date(2026, 12, 31), utc(2026, 12, 31), 24),
        ("America/New_York", date(2026, 3, 8), utc(2026, 3, 8, 5), 23),  # spring forward
        ("America/New_York", date(2026, 11, 1), utc(2026, 11, 1, 4), 25),  # fall back
        ("Europe/Berlin", date(2026, 3, 29), utc(2026, 3, 28, 23), 23),
        ("Asia/Kolkata", date(2026, 1, 1), utc(2025, 12, 31, 18, 30), 24),
    ],
)
def test_a_local_day_in_utc(zone: str, day: date, start: datetime, hours: int) -> None:
    bounds = day_bounds(day, zone)
    assert bounds.start == start
    assert bounds.end - bounds.start == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("now", "zone", "expected"),
    [
        (utc(2026, 3, 1, 15, 59, 59), "Asia/Shanghai", date(2026, 3, 1)),
        (utc(2026, 3, 1, 16), "Asia/Shanghai", date(2026, 3, 2)),
        (utc(2026, 3, 2, 4, 59), "America/New_York", date(2026, 3, 1)),
        (utc(2026, 3, 2, 5), "America/New_York", date(2026, 3, 2)),
    ],
)
def test_local_today(now: datetime, zone: str, expected: date) -> None:
    assert local_today(now, zone) == expected


def test_history_is_the_day_then_seven_before_newest_first() -> None:
    days = history(date(2026, 3, 2), "Asia/Shanghai")
    assert [d.day for d in days] == [date(2026, 3, 2) - timedelta(days=n) for n in range(8)]
    assert all(newer.start == older.end for newer, older in pairwise(days))


def test_so_far_ends_the_day_at_now() -> None:
    days = history(date(2026, 3, 2), "Asia/Shanghai")
    now = utc(2026, 3, 2, 10)
    cut = so_far(days, now)
    assert cut[0].end == now + timedelta(seconds=1)  # what is stamped at `now` counts
    assert cut[0].start == days[0].start and cut[1:] == days[1:]
    assert so_far(days, utc(2026, 3, 3)) == days  # the day is over: nothing to cut


@pytest.mark.parametrize(
    ("now", "zone", "hour", "expected"),
    [
        (utc(2026, 3, 2, 9, 59), "Asia/Shanghai", 18, None),  # 17:59
        (utc(2026, 3, 2, 10), "Asia/Shanghai", 18, "7:2026-03-02"),  # 18:00
        (utc(2026, 3, 2, 15, 59), "Asia/Shanghai", 18, "7:2026-03-02"),  # 23:59: late start
        (utc(2026, 3, 2, 16), "Asia/Shanghai", 18, None),  # the next day, before its hour
        (utc(2026, 3, 2, 16), "Asia/Shanghai", 0, "7:2026-03-03"),  # hour 0: from midnight
        (utc(2026, 3, 8, 22), "America/New_York", 18, "7:2026-03-08"),  # DST day, 18:00 EDT
        (utc(2026, 3, 8, 21, 59), "America/New_York", 18, None),
    ],
)
def test_due_period(now: datetime, zone: str, hour: int, expected: str | None) -> None:
    assert due_period(7, zone, hour, now) == expected
