"""Local wall-clock time and UTC instants: DST gaps and folds, midnights, month ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from storage.calendar_time import (
    agenda_day,
    day_bounds,
    day_code,
    from_day_code,
    local_day,
    minute_of_day,
    month_grid,
    open_slots,
    overlaps,
    parse_day,
    parse_time,
    remind_at,
    shift_month,
    slot_pages,
    slots,
    to_utc,
    week_bounds,
    week_start,
)

BERLIN, NEW_YORK, SHANGHAI, SANTIAGO = (
    "Europe/Berlin",
    "America/New_York",
    "Asia/Shanghai",
    "America/Santiago",
)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "minute", "zone", "expected"),
    [
        (date(2026, 3, 3), 14 * 60, SHANGHAI, at(2026, 3, 3, 6)),
        (date(2026, 3, 3), 0, SHANGHAI, at(2026, 3, 2, 16)),  # local midnight: UTC day before
        (date(2026, 3, 3), 23 * 60 + 59, SHANGHAI, at(2026, 3, 3, 15, 59)),
        (date(2026, 1, 15), 9 * 60, BERLIN, at(2026, 1, 15, 8)),  # winter, UTC+1
        (date(2026, 7, 15), 9 * 60, BERLIN, at(2026, 7, 15, 7)),  # summer, UTC+2
        # Berlin springs forward on 29 March 2026 at 02:00 → 03:00: 02:30 does not exist
        # and lands as far after the gap as it was inside it (03:30 CEST = 01:30 UTC).
        (date(2026, 3, 29), 2 * 60 + 30, BERLIN, at(2026, 3, 29, 1, 30)),
        (date(2026, 3, 29), 3 * 60, BERLIN, at(2026, 3, 29, 1)),
        (date(2026, 3, 29), 1 * 60 + 59, BERLIN, at(2026, 3, 29, 0, 59)),
        # Berlin falls back on 25 October 2026 at 03:00 → 02:00: 02:30 happens twice; the
        # first (CEST, UTC+2) is meant.
        (date(2026, 10, 25), 2 * 60 + 30, BERLIN, at(2026, 10, 25, 0, 30)),
        (date(2026, 10, 25), 3 * 60, BERLIN, at(2026, 10, 25, 2)),
        (date(2026, 3, 8), 2 * 60 + 15, NEW_YORK, at(2026, 3, 8, 7, 15)),  # gap: 03:15 EDT
        (date(2026, 11, 1), 1 * 60 + 30, NEW_YORK, at(2026, 11, 1, 5, 30)),  # fold: EDT
        # Santiago skips midnight itself (5 April 2026 is fall-back, 6 Sept 2026 spring-forward).
        (date(2026, 9, 6), 0, SANTIAGO, at(2026, 9, 6, 4)),
    ],
)
def test_wall_clock_to_utc(day: date, minute: int, zone: str, expected: datetime) -> None:
    assert to_utc(day, minute, zone) == expected


@pytest.mark.parametrize("minute", [-1, 24 * 60])
def test_minutes_outside_a_day_are_refused(minute: int) -> None:
    with pytest.raises(ValueError):
        to_utc(date(2026, 3, 3), minute, SHANGHAI)


@pytest.mark.parametrize(
    ("day", "zone", "hours"),
    [
        (date(2026, 3, 3), SHANGHAI, 24),
        (date(2026, 3, 29), BERLIN, 23),
        (date(2026, 10, 25), BERLIN, 25),
        (date(2026, 3, 8), NEW_YORK, 23),
        (date(2026, 11, 1), NEW_YORK, 25),
        (date(2026, 12, 31), SHANGHAI, 24),
    ],
)
def test_a_local_day_lasts_23_24_or_25_hours(day: date, zone: str, hours: int) -> None:
    start, end = day_bounds(day, zone)
    assert end - start == timedelta(hours=hours)
    assert local_day(start, zone) == day and local_day(end - timedelta(seconds=1), zone) == day
    assert local_day(end, zone) == day + timedelta(days=1)


@pytest.mark.parametrize(
    ("moment", "zone", "day", "minute"),
    [
        (at(2026, 3, 2, 15, 59), SHANGHAI, date(2026, 3, 2), 23 * 60 + 59),
        (at(2026, 3, 2, 16, 0), SHANGHAI, date(2026, 3, 3), 0),  # midnight in Shanghai
        (at(2026, 2, 28, 16, 0), SHANGHAI, date(2026, 3, 1), 0),  # month end
        (at(2026, 12, 31, 16, 30), SHANGHAI, date(2027, 1, 1), 30),  # year end
        (at(2026, 3, 29, 1, 30), BERLIN, date(2026, 3, 29), 3 * 60 + 30),
    ],
)
def test_instants_shown_as_local_day_and_time(
    moment: datetime, zone: str, day: date, minute: int
) -> None:
    assert local_day(moment, zone) == day and minute_of_day(moment, zone) == minute


def test_a_week_runs_monday_to_monday_even_across_dst() -> None:
    assert week_start(date(2026, 3, 29)) == date(2026, 3, 23)  # a Sunday
    assert week_start(date(2026, 3, 2)) == date(2026, 3, 2)
    start, end = week_bounds(date(2026, 3, 25), BERLIN)
    assert start == at(2026, 3, 22, 23) and end == at(2026, 3, 29, 22)
    assert end - start == timedelta(days=7, hours=-1)


@pytest.mark.parametrize(
    ("code", "months", "expected"),
    [(202603, 1, 202604), (202612, 1, 202701), (202601, -1, 202512), (202603, 12, 202703)],
)
def test_months_shift_across_year_ends(code: int, months: int, expected: int) -> None:
    assert shift_month(code, months) == expected


@pytest.mark.parametrize(
    ("code", "weeks", "first", "last"),
    [
        (202603, 6, (0, 6), (5, 1)),  # 1 March 2026 is a Sunday, the 31st a Tuesday
        (202102, 4, (0, 0), (3, 6)),  # February 2021: exactly four weeks
        (202402, 5, (0, 3), (4, 3)),  # leap February, the 29th a Thursday
    ],
)
def test_month_grids_start_on_monday(
    code: int, weeks: int, first: tuple[int, int], last: tuple[int, int]
) -> None:
    grid = month_grid(code)
    days = [d for week in grid for d in week if d is not None]
    assert len(grid) == weeks and all(len(week) == 7 for week in grid)
    assert grid[first[0]][first[1]] == days[0] and days[0].day == 1
    assert grid[last[0]][last[1]] == days[-1]
    assert [d.day for d in days] == list(range(1, len(days) + 1))


@pytest.mark.parametrize(
    ("text", "minute"),
    [
        ("14:20", 14 * 60 + 20),
        ("9:05", 9 * 60 + 5),
        ("09.30", 9 * 60 + 30),
        ("1420", 14 * 60 + 20),
        ("7", 7 * 60),
        (" 0:00 ", 0),
        ("23:59", 23 * 60 + 59),
        ("１６：４５", 16 * 60 + 45),
        ("14h30", 14 * 60 + 30),
        ("24:00", None),
        ("12:60", None),
        ("930", None),
        ("noon", None),
        ("", None),
        ("-1:00", None),
    ],
)
def test_typed_times(text: str, minute: int | None) -> None:
    assert parse_time(text) == minute


TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-05", date(2026, 3, 5)),
        ("2026/3/5", date(2026, 3, 5)),
        ("3/5", date(2026, 3, 5)),
        ("12-31", date(2026, 12, 31)),
        ("２０２６－０３－０５", date(2026, 3, 5)),
        ("2028-02-29", date(2028, 2, 29)),
        ("2026-02-29", None),
        ("2026-13-01", None),
        ("tomorrow", None),
        ("5", None),
    ],
)
def test_typed_days(text: str, day: date | None) -> None:
    assert parse_day(text, TODAY) == day


def test_day_codes_round_trip_and_reject_non_dates() -> None:
    assert day_code(date(2026, 3, 5)) == 20260305
    assert from_day_code(20260305) == date(2026, 3, 5)
    assert from_day_code(20260230) is None and from_day_code(0) is None


def test_time_slots_are_paged_and_only_future_ones_offered() -> None:
    offered = slots()
    assert offered[0] == 8 * 60 and offered[-1] == 19 * 60 + 30 and len(offered) == 24
    assert [len(p) for p in slot_pages(offered)] == [12, 12]
    assert slot_pages([]) == [[]]
    morning = open_slots(date(2026, 3, 2), SHANGHAI, at(2026, 3, 2, 1))  # 09:00 local
    assert morning[0] == 9 * 60 + 30 and len(morning) == 21
    assert open_slots(date(2026, 3, 2), SHANGHAI, at(2026, 3, 2, 12)) == []  # 20:00 local


H = timedelta(hours=1)
BUFFER = timedelta(minutes=15)
T = at(2026, 3, 3, 6)


@pytest.mark.parametrize(
    ("other_start", "other_end", "clash"),
    [
        (T, T + H, True),  # the same hour
        (T + H / 2, T + 2 * H, True),  # overlapping
        (T + H + timedelta(minutes=10), T + 2 * H, True),  # 10 min gap < 15 min buffer
        (T + H + BUFFER, T + 2 * H, False),  # exactly the buffer apart
        (T - H - timedelta(minutes=14), T - timedelta(minutes=14), True),  # just before
        (T - 2 * H, T - BUFFER, False),
    ],
)
def test_clashes_count_the_buffer(other_start: datetime, other_end: datetime, clash: bool) -> None:
    assert overlaps(T, T + H, other_start, other_end, BUFFER) is clash


def test_reminder_time_and_agenda_day() -> None:
    assert remind_at(T, 30) == T - timedelta(minutes=30)
    assert remind_at(T, 0) is None
    # 07:59 and 08:00 in Shanghai; then a late start in the evening, and just after midnight.
    assert agenda_day(at(2026, 3, 1, 23, 59), SHANGHAI, 8) is None
    assert agenda_day(at(2026, 3, 2, 0, 0), SHANGHAI, 8) == date(2026, 3, 2)
    assert agenda_day(at(2026, 3, 2, 14, 0), SHANGHAI, 8) == date(2026, 3, 2)
    assert agenda_day(at(2026, 3, 2, 16, 30), SHANGHAI, 8) is None
    # On Berlin's spring-forward day 08:00 local is 06:00 UTC.
    assert agenda_day(at(2026, 3, 29, 5, 59), BERLIN, 8) is None
    assert agenda_day(at(2026, 3, 29, 6, 0), BERLIN, 8) == date(2026, 3, 29)
