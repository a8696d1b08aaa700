"""Reading a typed next-step date: the forms reps type, in the team's zone, never the past."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from storage.access import Invalid
from storage.followups_when import parse_when

SHANGHAI = "Asia/Shanghai"
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 2026-03-02 09:00 in Shanghai


def local(text: str, *, now: datetime = NOW, zone: str = SHANGHAI) -> str:
    moment = parse_when(text, now=now, zone=zone)
    assert moment.tzinfo is not None and moment.utcoffset() is not None
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO and slashed dates
        ("2026-03-10 14:00", "2026-03-10 14:00"),
        ("2026/3/10 9:05", "2026-03-10 09:05"),
        ("2026.03.10 14:00", "2026-03-10 14:00"),
        ("2026-03-10", "2026-03-10 09:00"),
        # month/day without a year: this year's
        ("3/10 14:00", "2026-03-10 14:00"),
        ("3/10", "2026-03-10 09:00"),
        ("3月10日 14:00", "2026-03-10 14:00"),
        ("3月10号 下午两点", "2026-03-10 14:00"),
        ("2026年3月10日 下午3点半", "2026-03-10 15:30"),
        # relative days, Chinese and English
        ("明天 10:00", "2026-03-03 10:00"),
        ("明天上午10点", "2026-03-03 10:00"),
        ("明天十点半", "2026-03-03 10:30"),
        ("明天下午3点15分", "2026-03-03 15:15"),
        ("後天下午3點", "2026-03-04 15:00"),
        ("大后天", "2026-03-05 09:00"),
        ("今晚8点", "2026-03-02 20:00"),
        ("今晚", "2026-03-02 19:00"),
        ("明晚 7:30", "2026-03-03 19:30"),
        ("中午12点", "2026-03-02 12:00"),
        ("tomorrow 10am", "2026-03-03 10:00"),
        ("Tomorrow at 10:30 pm", "2026-03-03 22:30"),
        ("tomorrow 12pm", "2026-03-03 12:00"),
        ("tomorrow 12am", "2026-03-03 00:00"),
        ("day after tomorrow 9:00", "2026-03-04 09:00"),
        ("today 3pm", "2026-03-02 15:00"),
        ("tonight", "2026-03-02 19:00"),
        # weekdays: the next one (today included), or next week's
        ("周五", "2026-03-06 09:00"),
        ("星期一 14:00", "2026-03-02 14:00"),
        ("下周一 9:30", "2026-03-09 09:30"),
        ("下週五 下午2點", "2026-03-13 14:00"),
        ("礼拜天", "2026-03-08 09:00"),
        ("fri 3pm", "2026-03-06 15:00"),
        ("Friday 15:00", "2026-03-06 15:00"),
        ("next monday 9am", "2026-03-09 09:00"),
        # a time alone is today; full-width digits and punctuation are read too
        ("16:45", "2026-03-02 16:45"),
        ("３/１０ １４：００", "2026-03-10 14:00"),
        ("明天，10:00", "2026-03-03 10:00"),
    ],
)
def test_the_forms_reps_type(text: str, expected: str) -> None:
    assert local(text) == expected


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        # month ends and leap years
        ("1/31 10:00", datetime(2026, 1, 20, 1, 0, tzinfo=UTC), "2026-01-31 10:00"),
        ("2/28 10:00", datetime(2026, 2, 20, 1, 0, tzinfo=UTC), "2026-02-28 10:00"),
        ("2/29 10:00", datetime(2028, 2, 20, 1, 0, tzinfo=UTC), "2028-02-29 10:00"),
        ("明天 9:00", datetime(2026, 1, 31, 1, 0, tzinfo=UTC), "2026-02-01 09:00"),
        ("明天 9:00", datetime(2028, 2, 28, 1, 0, tzinfo=UTC), "2028-02-29 09:00"),
        ("明天 9:00", datetime(2026, 12, 31, 1, 0, tzinfo=UTC), "2027-01-01 09:00"),
        # a month/day that has passed long ago means next year's
        ("1/15 9:00", datetime(2026, 12, 20, 1, 0, tzinfo=UTC), "2027-01-15 09:00"),
        # "tomorrow" is the team's tomorrow: 20:00 UTC is already the next day in Shanghai
        ("tomorrow 9:00", datetime(2026, 3, 2, 20, 0, tzinfo=UTC), "2026-03-04 09:00"),
        # a next week across a month end
        ("下周一", datetime(2026, 3, 28, 1, 0, tzinfo=UTC), "2026-03-30 09:00"),
    ],
)
def test_month_ends_and_the_teams_day(text: str, now: datetime, expected: str) -> None:
    assert local(text, now=now) == expected


def test_the_zone_decides_the_instant() -> None:
    assert parse_when("2026-03-10 14:00", now=NOW, zone=SHANGHAI) == datetime(
        2026, 3, 10, 6, 0, tzinfo=UTC
    )
    assert parse_when("2026-03-10 14:00", now=NOW, zone="Europe/London") == datetime(
        2026, 3, 10, 14, 0, tzinfo=UTC
    )
    assert parse_when("2026-07-10 14:00", now=NOW, zone="Europe/London") == datetime(
        2026, 7, 10, 13, 0, tzinfo=UTC
    )


def test_daylight_saving_gaps_and_folds() -> None:
    berlin = "Europe/Berlin"
    # 02:30 does not exist on 2026-03-29 in Berlin: it moves forward with the clocks.
    assert local("2026-03-29 02:30", zone=berlin) == "2026-03-29 03:30"
    # 02:30 happens twice on 2026-10-25: the first one (summer time) is meant.
    assert parse_when("2026-10-25 02:30", now=NOW, zone=berlin) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    # "tomorrow 9:00" across the change is still 09:00 on the wall clock.
    before = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    assert local("tomorrow 9:00", now=before, zone=berlin) == "2026-03-29 09:00"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2026-03-01 10:00", "followups.when_past"),
        ("8:00", "followups.when_past"),
        ("今天 9:00", "followups.when_past"),
        ("3/1 10:00", "followups.when_past"),  # yesterday, not next year
        ("1/15", "followups.when_past"),
        ("2027-06-01 10:00", "followups.when_too_far"),
        ("2/30 10:00", "followups.when_no_such_day"),
        ("2/29 10:00", "followups.when_no_such_day"),  # no 29 February near 2026
        ("2026-04-31", "followups.when_no_such_day"),
        ("2026-13-01 10:00", "followups.when_no_such_day"),
        ("13pm", "followups.when_unknown"),
        ("tomorrow 25:00", "followups.when_unknown"),
        ("明天 10:75", "followups.when_unknown"),
        ("next month", "followups.when_unknown"),
        ("when the cows come home", "followups.when_unknown"),
        ("", "followups.when_unknown"),
        ("tomorrow 10am and then lunch", "followups.when_unknown"),
    ],
)
def test_what_cannot_be_used_is_refused_with_a_reason(text: str, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_when(text, now=NOW, zone=SHANGHAI)
    assert refused.value.code == code


def test_a_refusal_names_the_moment_in_the_teams_zone() -> None:
    with pytest.raises(Invalid) as refused:
        parse_when("2026-03-01 10:00", now=NOW, zone=SHANGHAI)
    assert refused.value.params == {"at": "2026-03-01 10:00"}


def test_now_itself_is_not_ahead() -> None:
    with pytest.raises(Invalid):
        parse_when("09:00", now=NOW, zone=SHANGHAI)
    assert local("09:01") == "2026-03-02 09:01"
