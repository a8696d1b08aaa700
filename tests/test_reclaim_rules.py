"""The reclaim deadline: pure time arithmetic, table-tested."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.reclaim_rules import ReclaimClock, cutoffs, reclaim_deadline

T0 = datetime(2026, 1, 31, 16, 0, tzinfo=UTC)  # midnight in Shanghai, a month end
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        (ReclaimClock(T0, None, None), T0 + 30 * DAY),
        (ReclaimClock(T0, T0 + 10 * DAY, None), T0 + 40 * DAY),
        (ReclaimClock(T0, T0 - 100 * DAY, None), T0 + 30 * DAY),  # the last owner's follow-up
        (ReclaimClock(T0, T0 + 80 * DAY, None), T0 + 90 * DAY),  # no deal for 90 days wins
        (ReclaimClock(T0, T0 + 80 * DAY, T0 + 60 * DAY), T0 + 110 * DAY),
    ],
)
def test_deadline(clock: ReclaimClock, expected: datetime) -> None:
    assert reclaim_deadline(clock, reclaim_days=30, no_deal_days=90) == expected


@pytest.mark.parametrize("offset_hours", [-1, 0, 1])
def test_cutoffs_agree_with_the_deadline(offset_hours: int) -> None:
    clock = ReclaimClock(T0, T0 + 5 * DAY, None)
    deadline = reclaim_deadline(clock, reclaim_days=30, no_deal_days=90)
    now = deadline + timedelta(hours=offset_hours)
    followup_cutoff, deal_cutoff = cutoffs(now, reclaim_days=30, no_deal_days=90)
    base = max(clock.owned_since, clock.last_followup_at or clock.owned_since)
    overdue_by_cutoff = base <= followup_cutoff or clock.owned_since <= deal_cutoff
    assert overdue_by_cutoff == (now >= deadline)
