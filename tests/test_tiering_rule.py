"""The tier rule as a pure function: a table of customers' figures and the tier they get."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.models import Tier
from storage.tiering import Rule, TierMetrics, TierThresholds, decide_tier

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
RULES = TierThresholds(
    key_revenue_cents=50_000_000, regular_revenue_cents=1, silence_days=45, rating_below=3.0
)
KEY = RULES.key_revenue_cents


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.mark.parametrize(
    ("metrics", "expected"),
    [
        # nothing at all: a new customer
        (TierMetrics(), (Tier.POTENTIAL, Rule.NO_REVENUE)),
        (TierMetrics(open_opportunities=3), (Tier.POTENTIAL, Rule.NO_REVENUE)),
        # revenue decides key / regular
        (TierMetrics(revenue_cents=KEY, last_contact_at=ago(1)), (Tier.KEY, Rule.KEY_REVENUE)),
        (
            TierMetrics(revenue_cents=KEY - 1, last_contact_at=ago(1)),
            (Tier.REGULAR, Rule.REGULAR_REVENUE),
        ),
        (TierMetrics(revenue_cents=1), (Tier.REGULAR, Rule.REGULAR_REVENUE)),
        # payments alone are history, not revenue
        (TierMetrics(paid_cents=10_000, last_contact_at=ago(3)), (Tier.POTENTIAL, Rule.NO_REVENUE)),
        # silence: only for customers with history, from the last effective follow-up
        (TierMetrics(revenue_cents=KEY, last_contact_at=ago(45)), (Tier.AT_RISK, Rule.SILENT)),
        (TierMetrics(revenue_cents=KEY, last_contact_at=ago(44.99)), (Tier.KEY, Rule.KEY_REVENUE)),
        (TierMetrics(paid_cents=1, last_contact_at=ago(200)), (Tier.AT_RISK, Rule.SILENT)),
        (TierMetrics(last_contact_at=ago(400)), (Tier.POTENTIAL, Rule.NO_REVENUE)),
        (TierMetrics(revenue_cents=KEY), (Tier.KEY, Rule.KEY_REVENUE)),  # never contacted
        # ratings: below the threshold is at risk, whatever the revenue; equal is not
        (
            TierMetrics(revenue_cents=KEY, rating_sum=5, rating_count=2),
            (Tier.AT_RISK, Rule.LOW_RATING),
        ),
        (TierMetrics(rating_sum=6, rating_count=2), (Tier.POTENTIAL, Rule.NO_REVENUE)),
        (TierMetrics(rating_sum=2, rating_count=1), (Tier.AT_RISK, Rule.LOW_RATING)),
        # a low rating outranks silence
        (
            TierMetrics(revenue_cents=5, last_contact_at=ago(90), rating_sum=1, rating_count=1),
            (Tier.AT_RISK, Rule.LOW_RATING),
        ),
    ],
)
def test_decide_tier(metrics: TierMetrics, expected: tuple[Tier, str]) -> None:
    assert decide_tier(metrics, RULES, NOW) == expected


def test_a_zero_threshold_still_needs_a_sale() -> None:
    loose = TierThresholds(0, 0, 45, 3.0)
    assert decide_tier(TierMetrics(), loose, NOW) == (Tier.POTENTIAL, Rule.NO_REVENUE)
    assert decide_tier(TierMetrics(revenue_cents=1), loose, NOW) == (Tier.KEY, Rule.KEY_REVENUE)


def test_thresholds_come_from_the_team_rules() -> None:
    strict = TierThresholds(100, 50, 10, 4.5)
    figures = TierMetrics(revenue_cents=60, last_contact_at=ago(9), rating_sum=9, rating_count=2)
    assert decide_tier(figures, strict, NOW) == (Tier.REGULAR, Rule.REGULAR_REVENUE)
    unhappy = TierMetrics(revenue_cents=60, last_contact_at=ago(9), rating_sum=8, rating_count=2)
    assert decide_tier(unhappy, strict, NOW) == (Tier.AT_RISK, Rule.LOW_RATING)
