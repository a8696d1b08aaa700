"""The assignment rule as a pure function: who gets a lead, or why it waits (tables of cases)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from storage.assignment import (
    Candidate,
    LeadFacts,
    availability,
    away_until_instant,
    choose_rep,
    day_start,
    smoothed_rate,
    within_hours,
)
from storage.away import parse_day
from storage.models import LeadRouting

RR, TERRITORY, SKILL, WEIGHTED = (
    LeadRouting.ROUND_ROBIN,
    LeadRouting.TERRITORY,
    LeadRouting.SKILL,
    LeadRouting.WEIGHTED,
)
AMY = Candidate(3, "Amy", regions=("East",), industries=("Retail",), open_leads=4)
BOB = Candidate(5, "Bob", regions=("West",), industries=("Energy",), open_leads=2)
CAL = Candidate(9, "Cal", regions=("East", "North"), industries=("Retail",), open_leads=1)
TEAM = [AMY, BOB, CAL]


@pytest.mark.parametrize(
    ("candidates", "lead", "strategy", "cursor", "rep", "fallback", "waiting"),
    [
        # round-robin: the next rep after the cursor by id, wrapping around
        (TEAM, LeadFacts(), RR, 0, 3, None, None),
        (TEAM, LeadFacts(), RR, 3, 5, None, None),
        (TEAM, LeadFacts(), RR, 5, 9, None, None),
        (TEAM, LeadFacts(), RR, 9, 3, None, None),
        (TEAM, LeadFacts(), RR, 4, 5, None, None),  # the last rep left the team: carry on
        ([AMY, replace(BOB, unavailable="away"), CAL], LeadFacts(), RR, 3, 9, None, None),
        # territory: least loaded rep covering the region (case and spaces ignored)
        (TEAM, LeadFacts(region="east"), TERRITORY, 0, 9, None, None),
        (TEAM, LeadFacts(region=" West "), TERRITORY, 0, 5, None, None),
        (TEAM, LeadFacts(region="South"), TERRITORY, 0, 9, "no_region_rep", None),
        (TEAM, LeadFacts(), TERRITORY, 0, 9, "region_missing", None),
        (
            [AMY, BOB, replace(CAL, open_leads=50)],
            LeadFacts(region="North"),
            TERRITORY,
            0,
            5,
            "region_reps_busy",
            None,
        ),
        # skill: same, by industry
        (TEAM, LeadFacts(industry="Energy"), SKILL, 0, 5, None, None),
        (TEAM, LeadFacts(industry="retail"), SKILL, 0, 9, None, None),
        (TEAM, LeadFacts(industry="Mining"), SKILL, 0, 9, "no_industry_rep", None),
        # weighted: performance / (1 + open leads)
        (
            [replace(AMY, performance=0.9), replace(BOB, performance=0.2)],
            LeadFacts(),
            WEIGHTED,
            0,
            3,
            None,
            None,
        ),  # 0.9/5 = 0.18 > 0.2/3 ≈ 0.067
        (
            [replace(AMY, performance=0.5), replace(BOB, performance=0.5)],
            LeadFacts(),
            WEIGHTED,
            0,
            5,
            None,
            None,
        ),  # equal skill: the lighter load wins
        # caps, quotas, availability
        ([replace(AMY, open_leads=50), BOB], LeadFacts(), WEIGHTED, 0, 5, None, None),
        ([replace(AMY, assigned_today=15), BOB], LeadFacts(), RR, 0, 5, None, None),
        ([replace(AMY, unavailable="off_hours"), BOB], LeadFacts(), WEIGHTED, 0, 5, None, None),
        # nobody: the lead waits, and says why
        ([], LeadFacts(), WEIGHTED, 0, None, None, "no_reps"),
        (
            [replace(AMY, unavailable="away"), replace(BOB, unavailable="off_hours")],
            LeadFacts(),
            RR,
            0,
            None,
            None,
            "all_unavailable",
        ),
        (
            [replace(AMY, unavailable="away"), replace(BOB, open_leads=50)],
            LeadFacts(),
            TERRITORY,
            0,
            None,
            None,
            "all_at_capacity",
        ),
        (
            [replace(AMY, assigned_today=15, daily_quota=15)],
            LeadFacts(),
            SKILL,
            0,
            None,
            None,
            "all_at_capacity",
        ),
    ],
)
def test_who_gets_the_lead(
    candidates: list[Candidate],
    lead: LeadFacts,
    strategy: LeadRouting,
    cursor: int,
    rep: int | None,
    fallback: str | None,
    waiting: str | None,
) -> None:
    decision = choose_rep(candidates, lead, strategy, random.Random(1), cursor=cursor)
    assert (decision.rep_id, decision.fallback, decision.waiting_reason) == (rep, fallback, waiting)


def test_the_reason_records_candidates_scores_and_who_was_blocked() -> None:
    team = [replace(AMY, performance=0.9), BOB, replace(CAL, unavailable="away")]
    decision = choose_rep(team, LeadFacts(), WEIGHTED, random.Random(1))
    reason = decision.as_json(datetime(2026, 3, 2, tzinfo=UTC))
    assert reason["strategy"] == "weighted" and reason["rep_id"] == 3 and reason["rep"] == "Amy"
    assert [c["id"] for c in reason["candidates"]] == [3, 5]  # the pick first
    assert reason["candidates"][0] == {
        "id": 3,
        "name": "Amy",
        "load": 4,
        "today": 0,
        "score": 0.18,
        "match": None,
    }
    assert reason["blocked"] == {"away": 1}


def test_ties_break_at_random_not_by_id_or_seniority() -> None:
    twins = [Candidate(i, f"Rep{i}", open_leads=2) for i in (1, 2, 3, 4)]
    picks = {
        choose_rep(twins, LeadFacts(), WEIGHTED, random.Random(seed)).rep_id for seed in range(60)
    }
    assert picks == {1, 2, 3, 4}
    decision = choose_rep(twins, LeadFacts(), TERRITORY, random.Random(7))
    assert decision.tied == 4
    again = choose_rep(twins, LeadFacts(), TERRITORY, random.Random(7))
    assert again.rep_id == decision.rep_id  # an injected generator makes it reproducible


def test_a_rep_back_from_leave_gets_no_catch_up_burst() -> None:
    """Round-robin keeps a cursor, not counts: the returning rep takes their turn once."""
    rng = random.Random(3)
    team = [Candidate(1, "A"), Candidate(2, "B", unavailable="away"), Candidate(3, "C")]
    cursor, picks = 0, []
    for _ in range(4):  # B is away
        cursor = choose_rep(team, LeadFacts(), RR, rng, cursor=cursor).rep_id or 0
        picks.append(cursor)
    team[1] = replace(team[1], unavailable=None)
    for _ in range(6):  # B is back
        cursor = choose_rep(team, LeadFacts(), RR, rng, cursor=cursor).rep_id or 0
        picks.append(cursor)
    assert picks == [1, 3, 1, 3, 1, 2, 3, 1, 2, 3]


@pytest.mark.parametrize(
    ("hour", "start", "end", "inside"),
    [
        (10, None, None, True),
        (3, 9, None, True),
        (9, 9, 18, True),
        (17, 9, 18, True),
        (18, 9, 18, False),
        (8, 9, 18, False),
        (23, 22, 6, True),
        (5, 22, 6, True),
        (6, 22, 6, False),
        (12, 22, 6, False),
        (12, 8, 8, True),
    ],
)
def test_working_hours(hour: int, start: int | None, end: int | None, inside: bool) -> None:
    assert within_hours(hour, start, end) is inside


SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


@pytest.mark.parametrize(
    ("away", "until", "start", "end", "expected"),
    [
        (False, None, None, None, None),
        (True, None, None, None, "away"),
        (False, datetime(2026, 3, 2, 2, 0, tzinfo=UTC), None, None, "away"),
        (False, datetime(2026, 3, 2, 1, 0, tzinfo=UTC), None, None, None),  # back exactly now
        (False, None, 9, 18, None),
        (False, None, 10, 18, "off_hours"),  # 09:00 local, not UTC 01:00
        (False, None, 0, 2, "off_hours"),
    ],
)
def test_availability(
    away: bool, until: datetime | None, start: int | None, end: int | None, expected: str | None
) -> None:
    found = availability(
        away=away, away_until=until, work_start=start, work_end=end, now=NOW, zone=SHANGHAI
    )
    assert found == expected


@pytest.mark.parametrize(
    ("moment", "zone", "start"),
    [
        (
            datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
            "Asia/Shanghai",
            datetime(2026, 3, 1, 16, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 3, 1, 15, 59, tzinfo=UTC),
            "Asia/Shanghai",
            datetime(2026, 2, 28, 16, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 3, 29, 12, 0, tzinfo=UTC),
            "Europe/Berlin",
            datetime(2026, 3, 28, 23, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 3, 30, 12, 0, tzinfo=UTC),
            "Europe/Berlin",
            datetime(2026, 3, 29, 22, 0, tzinfo=UTC),
        ),
    ],
)
def test_today_starts_at_local_midnight_across_dst(
    moment: datetime, zone: str, start: datetime
) -> None:
    assert day_start(moment, ZoneInfo(zone)) == start


def test_away_through_a_day_ends_at_the_next_local_midnight() -> None:
    until = away_until_instant(date(2026, 3, 10), SHANGHAI)
    assert until.astimezone(UTC) == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-10", date(2026, 3, 10)),
        ("until 2026/3/10", date(2026, 3, 10)),
        ("2026.03.10", date(2026, 3, 10)),
        ("2026年3月10日", date(2026, 3, 10)),
        ("到 3月10日", date(2026, 3, 10)),
        ("3-10", date(2026, 3, 10)),
        ("3/1", date(2027, 3, 1)),  # already past this year: next year
        ("3/2", date(2026, 3, 2)),  # today
        ("2026-02-30", None),
        ("next week", None),
        ("", None),
    ],
)
def test_away_dates(text: str, day: date | None) -> None:
    assert parse_day(text, date(2026, 3, 2)) == day


def test_performance_is_smoothed_so_new_reps_start_in_the_middle() -> None:
    assert smoothed_rate(0, 0) == 0.5
    assert smoothed_rate(9, 10) == pytest.approx(10 / 12)
    assert smoothed_rate(0, 10) == pytest.approx(1 / 12)
