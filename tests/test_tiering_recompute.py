"""The nightly recomputation: set-based, equal to the pure rule, blind to overrides and
other teams, and a fixed number of statements whatever the number of customers."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from tortoise.backends.base.client import BaseDBAsyncClient

from storage.models import (
    Customer,
    FollowUp,
    FollowUpKind,
    Opportunity,
    Payment,
    PaymentStatus,
    PipelineStage,
    Role,
    Team,
    Ticket,
    TicketRating,
    Tier,
    User,
)
from storage.tiering import (
    Rule,
    TierMetrics,
    TierThresholds,
    collect_metrics,
    decide_tier,
    recompute_all_tiers,
    recompute_tiers,
)
from tests.support.sim import ensure_team

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DAY = timedelta(days=1)
KEY = 50_000_000


@dataclass
class Plan:
    """What the generator wrote for one customer, to derive its figures independently."""

    revenue: int = 0
    paid: int = 0
    last_contact: datetime | None = None
    open_deals: int = 0
    ratings: list[int] = field(default_factory=list)

    def metrics(self) -> TierMetrics:
        return TierMetrics(
            self.revenue,
            self.paid,
            self.last_contact,
            self.open_deals,
            sum(self.ratings),
            len(self.ratings),
        )


async def _build(team: Team, count: int, seed: int) -> dict[int, Plan]:
    """``count`` customers with a spread of revenue, payments, contact, deals and ratings,
    including values exactly on every threshold."""
    rng = random.Random(seed)
    rep = await User.create(telegram_id=seed * 1000 + team.id, role=Role.REP, team=team)
    stages = {s.code: s for s in await PipelineStage.filter(team=team)}
    plans: dict[int, Plan] = {}
    for i in range(count):
        customer = await Customer.create(
            team=team, name=f"C{seed}-{i}", name_key=f"c{seed}{i}", owner=rep
        )
        plan = Plan()
        for amount, days in rng.choice(
            [[], [(KEY, 10)], [(KEY - 1, 20)], [(30_000, 100), (20_000, 300)], [(KEY * 2, 400)]]
        ):
            await _deal(team, customer, rep, stages["won"], amount, NOW - days * DAY)
            plan.revenue += amount if days <= 365 else 0
        if rng.random() < 0.3:
            await _deal(team, customer, rep, stages["proposal"], 5_000, None)
            plan.open_deals += 1
        if rng.random() < 0.15:
            await _deal(team, customer, rep, stages["lost"], 9_000, NOW - 5 * DAY)
        for status, days in rng.choice(
            [
                [],
                [(PaymentStatus.CONFIRMED, 30)],
                [(PaymentStatus.REPORTED, 3)],
                [(PaymentStatus.CONFIRMED, 370)],
            ]
        ):
            await _payment(team, customer, 12_345, status, (NOW - days * DAY).date())
            plan.paid += 12_345 if status is PaymentStatus.CONFIRMED and days <= 365 else 0
        for effective, days in rng.choice(
            [[], [(True, 3)], [(True, 45)], [(True, 44.9)], [(True, 90), (False, 1)], [(True, 200)]]
        ):
            at = NOW - timedelta(days=days)
            await FollowUp.create(
                team=team,
                customer=customer,
                rep=rep,
                kind=FollowUpKind.CALL,
                effective=effective,
                occurred_at=at,
            )
            if effective and (plan.last_contact is None or at > plan.last_contact):
                plan.last_contact = at
        for score, days in rng.choice(
            [[], [(5, 10), (4, 20)], [(2, 10), (3, 5)], [(3, 1)], [(1, 400)]]
        ):
            await _rating(team, customer, score, NOW - days * DAY)
            if days <= 365:
                plan.ratings.append(score)
        plans[customer.id] = plan
    return plans


async def _deal(
    team: Team,
    customer: Customer,
    rep: User,
    stage: PipelineStage,
    amount: int,
    closed: datetime | None,
) -> None:
    await Opportunity.create(
        team=team,
        customer=customer,
        owner=rep,
        title="deal",
        amount_cents=amount,
        expected_close_on=date(2026, 4, 1),
        stage=stage,
        stage_changed_at=closed or NOW,
        closed_at=closed,
    )


async def _payment(
    team: Team, customer: Customer, amount: int, status: PaymentStatus, day: date
) -> None:
    await Payment.create(
        team=team, customer=customer, amount_cents=amount, received_on=day, status=status
    )


async def _rating(team: Team, customer: Customer, score: int, at: datetime) -> None:
    ticket = await Ticket.create(
        team=team,
        customer=customer,
        description="x",
        first_response_due_at=at,
        resolution_due_at=at,
    )
    await TicketRating.create(ticket=ticket, customer=customer, score=score, created_at=at)


async def test_the_set_based_result_equals_the_rule(db: str) -> None:
    north = await ensure_team("North", NOW)
    south = await ensure_team("South", NOW)
    plans = await _build(north, 60, seed=7)
    await _build(south, 5, seed=8)
    pinned = await Customer.filter(team=north).order_by("id").first()
    assert pinned is not None
    await Customer.filter(id=pinned.id).update(
        tier=Tier.KEY, tier_overridden=True, tier_override_reason="strategic"
    )

    result = await recompute_tiers(north.id, NOW)

    thresholds = TierThresholds(KEY, 1, 45, 3.0)
    measured = await collect_metrics(north.id, NOW)
    rules_seen = set()
    for customer in await Customer.filter(team=north):
        plan = plans[customer.id]
        assert measured.get(customer.id, TierMetrics()) == plan.metrics(), customer.name
        if customer.id == pinned.id:
            assert customer.tier is Tier.KEY and customer.tier_computed_at is None
            continue
        tier, rule = decide_tier(plan.metrics(), thresholds, NOW)
        assert (customer.tier, customer.tier_reason["rule"]) == (tier, rule), customer.name
        assert customer.tier_reason["key_threshold_cents"] == KEY
        assert customer.tier_computed_at == NOW
        rules_seen.add(rule)
    assert rules_seen == {
        Rule.LOW_RATING,
        Rule.SILENT,
        Rule.KEY_REVENUE,
        Rule.REGULAR_REVENUE,
        Rule.NO_REVENUE,
    }
    assert result.total == 59
    assert await Customer.filter(team=south, tier_computed_at__not_isnull=True).count() == 0

    again = await recompute_tiers(north.id, NOW)
    assert again.by_rule == result.by_rule


async def test_thresholds_are_read_from_the_team_rules(db: str) -> None:
    north = await ensure_team("North", NOW)
    plans = await _build(north, 25, seed=3)
    from storage.models import TeamRules

    await TeamRules.filter(team=north).update(
        tier_key_revenue_cents=30_000, tier_at_risk_silence_days=100, tier_at_risk_rating_below=2.5
    )
    await recompute_all_tiers(NOW)
    thresholds = TierThresholds(30_000, 1, 100, 2.5)
    for customer in await Customer.filter(team=north):
        expected = decide_tier(plans[customer.id].metrics(), thresholds, NOW)
        assert (customer.tier, customer.tier_reason["rule"]) == expected


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """Record every SQL statement sent through any connection class while active."""
    seen: list[str] = []
    patched: list[tuple[type, str, Any]] = []
    classes = {BaseDBAsyncClient, *_subclasses(BaseDBAsyncClient)}
    for cls in classes:
        for name in ("execute_query", "execute_query_dict", "execute_insert", "execute_many"):
            original = cls.__dict__.get(name)
            if original is None:
                continue

            def wrap(original: Any = original) -> Any:
                async def recorded(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
                    seen.append(query)
                    return await original(self, query, *args, **kwargs)

                return recorded

            patched.append((cls, name, original))
            setattr(cls, name, wrap())
    try:
        yield seen
    finally:
        for cls, name, original in patched:
            setattr(cls, name, original)


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


@pytest.mark.parametrize("count", [4, 40])
async def test_the_number_of_statements_does_not_grow_with_customers(db: str, count: int) -> None:
    north = await ensure_team("North", NOW)
    await _build(north, count, seed=11)
    with counting_statements() as statements:
        await recompute_tiers(north.id, NOW)
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 5
    assert len(statements) <= 6, statements
