"""Customer tiers (A3): the rule, its inputs, and the nightly set-based recomputation.

The rule, in order of precedence (the first that applies wins):

1. **at-risk / low rating** — the average ticket rating of the last 12 months is below
   ``tier_at_risk_rating_below`` (only customers with at least one rating).
2. **at-risk / silent** — a customer with history (won revenue or confirmed payments in the
   last 12 months) whose last *effective* follow-up is ``tier_at_risk_silence_days`` or more
   ago. A customer never followed up is not measured (there is no silence to count from).
3. **key** — revenue won in the last 12 months ≥ ``tier_key_revenue_cents``.
4. **regular** — revenue won in the last 12 months ≥ ``tier_regular_revenue_cents`` (and > 0).
5. **potential** — everyone else: new customers, open opportunities, no revenue yet.

*Revenue won* is the sum of the amounts of won opportunities whose ``closed_at`` falls in the
last 365 days — the moment a deal is won is when the customer proved its value; *payments*
are confirmed payments whose ``received_on`` falls in the same window. Customers a manager
overrode keep their tier until the override is removed.

``decide_tier`` is the rule as a pure function over ``TierMetrics``; ``recompute_tiers``
expresses the same rule as five ``UPDATE … WHERE id IN (subquery … GROUP BY … HAVING …)``
statements per team — one per outcome, each excluding the outcomes above it — so the number
of statements never grows with the number of customers. Tests check the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from tortoise.expressions import Aggregate, Q, Subquery
from tortoise.functions import Avg, Count, Max, Sum
from tortoise.queryset import QuerySet, ValuesQuery
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid
from storage.customers import get_visible
from storage.models import (
    Customer,
    FollowUp,
    Opportunity,
    Payment,
    PaymentStatus,
    Role,
    Team,
    TeamRules,
    TicketRating,
    Tier,
)

WINDOW_DAYS = 365
"""Revenue, payments and ratings are counted over this many days before ``now``."""


class Rule:
    """The names stored in ``tier_reason["rule"]`` (i18n: ``customers.tier_rule.<name>``)."""

    LOW_RATING = "low_rating"
    SILENT = "silent"
    KEY_REVENUE = "key_revenue"
    REGULAR_REVENUE = "regular_revenue"
    NO_REVENUE = "no_revenue"


RULE_TIERS: dict[str, Tier] = {
    Rule.LOW_RATING: Tier.AT_RISK,
    Rule.SILENT: Tier.AT_RISK,
    Rule.KEY_REVENUE: Tier.KEY,
    Rule.REGULAR_REVENUE: Tier.REGULAR,
    Rule.NO_REVENUE: Tier.POTENTIAL,
}


@dataclass(frozen=True)
class TierThresholds:
    """The team's rule parameters (``TeamRules.tier_*``)."""

    key_revenue_cents: int
    regular_revenue_cents: int
    silence_days: int
    rating_below: float

    @classmethod
    def of(cls, rules: TeamRules) -> TierThresholds:
        return cls(
            rules.tier_key_revenue_cents,
            rules.tier_regular_revenue_cents,
            rules.tier_at_risk_silence_days,
            rules.tier_at_risk_rating_below,
        )

    @property
    def key_floor(self) -> int:
        """Revenue must be positive to count: a zero threshold still needs a sale."""
        return max(self.key_revenue_cents, 1)

    @property
    def regular_floor(self) -> int:
        return max(self.regular_revenue_cents, 1)


@dataclass(frozen=True)
class TierMetrics:
    """The figures the rule looks at, for one customer at one moment."""

    revenue_cents: int = 0
    paid_cents: int = 0
    last_contact_at: datetime | None = None
    open_opportunities: int = 0
    rating_sum: int = 0
    rating_count: int = 0

    @property
    def avg_rating(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None

    def days_silent(self, now: datetime) -> int | None:
        return (now - self.last_contact_at).days if self.last_contact_at else None


def decide_tier(
    metrics: TierMetrics, thresholds: TierThresholds, now: datetime
) -> tuple[Tier, str]:
    """The tier the rule gives and the name of the rule that decided it."""
    rating = metrics.avg_rating
    if rating is not None and rating < thresholds.rating_below:
        return Tier.AT_RISK, Rule.LOW_RATING
    silent = metrics.days_silent(now)
    has_history = metrics.revenue_cents > 0 or metrics.paid_cents > 0
    if has_history and silent is not None and silent >= thresholds.silence_days:
        return Tier.AT_RISK, Rule.SILENT
    if metrics.revenue_cents >= thresholds.key_floor:
        return Tier.KEY, Rule.KEY_REVENUE
    if metrics.revenue_cents >= thresholds.regular_floor:
        return Tier.REGULAR, Rule.REGULAR_REVENUE
    return Tier.POTENTIAL, Rule.NO_REVENUE


def reason_json(rule: str, thresholds: TierThresholds) -> dict[str, Any]:
    """What ``tier_reason`` stores: the rule that applied and the thresholds it used."""
    return {
        "rule": rule,
        "key_threshold_cents": thresholds.key_revenue_cents,
        "regular_threshold_cents": thresholds.regular_revenue_cents,
        "silence_days_threshold": thresholds.silence_days,
        "rating_below": thresholds.rating_below,
        "window_days": WINDOW_DAYS,
    }


def window_start(now: datetime) -> datetime:
    return now - timedelta(days=WINDOW_DAYS)


def _window_day(now: datetime) -> date:
    return window_start(now).date()


# ----- the inputs, as queries shared by the metrics and the set-based sweep -----


def _won(team_id: int, now: datetime) -> QuerySet[Opportunity]:
    return Opportunity.filter(
        team_id=team_id, stage__is_won=True, closed_at__gte=window_start(now), closed_at__lte=now
    )


def _paid(team_id: int, now: datetime) -> QuerySet[Payment]:
    return Payment.filter(
        team_id=team_id,
        status=PaymentStatus.CONFIRMED,
        received_on__gte=_window_day(now),
        received_on__lte=now.date(),
    )


def _contacts(team_id: int, now: datetime) -> QuerySet[FollowUp]:
    return FollowUp.filter(team_id=team_id, effective=True, occurred_at__lte=now)


def _ratings(team_id: int, now: datetime) -> QuerySet[TicketRating]:
    return TicketRating.filter(
        customer__team_id=team_id, created_at__gte=window_start(now), created_at__lte=now
    )


def _open_deals(team_id: int) -> QuerySet[Opportunity]:
    return Opportunity.filter(
        team_id=team_id, stage__is_won=False, stage__is_lost=False, closed_at=None
    )


async def collect_metrics(
    team_id: int, now: datetime, customer_ids: list[int] | None = None
) -> dict[int, TierMetrics]:
    """The rule's figures per customer, in five aggregate queries (for the card and tests).

    Customers without any record are absent: their metrics are ``TierMetrics()``.
    """

    def per_customer(query: QuerySet[Any], **figures: Aggregate) -> ValuesQuery[Literal[False]]:
        narrowed = query if customer_ids is None else query.filter(customer_id__in=customer_ids)
        return narrowed.group_by("customer_id").annotate(**figures).values("customer_id", *figures)

    found = {
        "revenue_cents": await per_customer(_won(team_id, now), v=Sum("amount_cents")),
        "paid_cents": await per_customer(_paid(team_id, now), v=Sum("amount_cents")),
        "last_contact_at": await per_customer(_contacts(team_id, now), v=Max("occurred_at")),
        "open_opportunities": await per_customer(_open_deals(team_id), v=Count("id")),
    }
    ratings = await per_customer(_ratings(team_id, now), s=Sum("score"), n=Count("id"))
    fields: dict[int, dict[str, Any]] = {}
    for name, rows in found.items():
        for row in rows:
            value = row["v"]
            fields.setdefault(row["customer_id"], {})[name] = (
                value if name == "last_contact_at" else int(value or 0)
            )
    for row in ratings:
        entry = fields.setdefault(row["customer_id"], {})
        entry["rating_sum"], entry["rating_count"] = int(row["s"] or 0), int(row["n"])
    return {cid: TierMetrics(**values) for cid, values in fields.items()}


# ----- the nightly sweep -----


def _ids(query: QuerySet[Any]) -> Subquery:
    return Subquery(query.values("customer_id"))


def _tier_sets(team_id: int, t: TierThresholds, now: datetime) -> dict[str, Q]:
    """Each rule's own condition on ``customer.id``, as subqueries (no precedence yet)."""
    won = _won(team_id, now).group_by("customer_id").annotate(v=Sum("amount_cents"))
    paid = _paid(team_id, now).group_by("customer_id").annotate(v=Sum("amount_cents"))
    last = _contacts(team_id, now).group_by("customer_id").annotate(v=Max("occurred_at"))
    rated = _ratings(team_id, now).group_by("customer_id").annotate(v=Avg("score"))
    silent_since = now - timedelta(days=t.silence_days)
    history = Q(id__in=_ids(won.filter(v__gte=1))) | Q(id__in=_ids(paid.filter(v__gte=1)))
    return {
        Rule.LOW_RATING: Q(id__in=_ids(rated.filter(v__lt=t.rating_below))),
        Rule.SILENT: history & Q(id__in=_ids(last.filter(v__lte=silent_since))),
        Rule.KEY_REVENUE: Q(id__in=_ids(won.filter(v__gte=t.key_floor))),
        Rule.REGULAR_REVENUE: Q(id__in=_ids(won.filter(v__gte=t.regular_floor))),
    }


PRECEDENCE = (Rule.LOW_RATING, Rule.SILENT, Rule.KEY_REVENUE, Rule.REGULAR_REVENUE)


@dataclass(frozen=True)
class RecomputeResult:
    team_id: int
    by_rule: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_rule.values())


async def recompute_tiers(team_id: int, now: datetime) -> RecomputeResult:
    """Recompute every non-overridden customer of the team: five UPDATE statements.

    Statement *n* takes the customers matching rule *n* and none of the rules above it, so
    each customer is written once, with the tier and reason ``decide_tier`` would give.
    """
    rules = await TeamRules.get(team_id=team_id)
    thresholds = TierThresholds.of(rules)
    sets = _tier_sets(team_id, thresholds, now)
    counts: dict[str, int] = {}
    reason = {rule: reason_json(rule, thresholds) for rule in RULE_TIERS}
    async with in_transaction():
        for position, rule in enumerate((*PRECEDENCE, Rule.NO_REVENUE)):
            query = Customer.filter(team_id=team_id, tier_overridden=False)
            if rule in sets:
                query = query.filter(sets[rule])
            for higher in PRECEDENCE[:position]:
                query = query.exclude(sets[higher])
            counts[rule] = await query.update(
                tier=RULE_TIERS[rule], tier_reason=reason[rule], tier_computed_at=now
            )
    return RecomputeResult(team_id, counts)


async def recompute_all_tiers(now: datetime) -> list[RecomputeResult]:
    """Every active team, one after the other (the job calls ``recompute_tiers`` per team)."""
    return [await recompute_tiers(team_id, now) for team_id, _zone in await team_zones()]


async def team_zones() -> list[tuple[int, str]]:
    """(team id, time zone) of every active team: the job runs each at its local night."""
    rows = await Team.filter(archived_at=None).order_by("id").values_list("id", "timezone")
    return [(int(team_id), str(zone)) for team_id, zone in rows]


async def recompute_customer(customer_id: int, team_id: int, now: datetime) -> Tier:
    """Recompute one customer now (after an override is removed), with the same rule."""
    rules = await TeamRules.get(team_id=team_id)
    thresholds = TierThresholds.of(rules)
    metrics = (await collect_metrics(team_id, now, [customer_id])).get(customer_id, TierMetrics())
    tier, rule = decide_tier(metrics, thresholds, now)
    await Customer.filter(id=customer_id).update(
        tier=tier, tier_reason=reason_json(rule, thresholds), tier_computed_at=now
    )
    return tier


# ----- manager overrides -----

OVERRIDE_REASON_MAX = 500


@dataclass(frozen=True)
class TierChange:
    customer_id: int
    name: str
    tier: Tier
    overridden: bool


async def override_tier(
    actor: Actor, customer_id: int, tier: Tier, reason: str, *, now: datetime
) -> TierChange:
    """A manager pins a customer's tier, with a reason, until the override is removed."""
    actor.require(Role.ADMIN, Role.MANAGER)
    text = " ".join(reason.split())
    if not text:
        raise Invalid("customers.override_reason_empty")
    if len(text) > OVERRIDE_REASON_MAX:
        raise Invalid("customers.override_reason_too_long", limit=OVERRIDE_REASON_MAX)
    async with in_transaction():
        customer = await get_visible(actor, customer_id)
        await Customer.filter(id=customer.id).update(
            tier=tier, tier_overridden=True, tier_override_reason=text
        )
        await audit.record(
            "customer.tier_override",
            "customer",
            customer.id,
            now=now,
            actor=actor,
            team_id=customer.team_id,
            data={"from": customer.tier.value, "to": tier.value, "reason": text},
        )
    return TierChange(customer.id, customer.name, tier, True)


async def remove_tier_override(actor: Actor, customer_id: int, *, now: datetime) -> TierChange:
    """Give the customer back to the rule: its tier is recomputed at once."""
    actor.require(Role.ADMIN, Role.MANAGER)
    async with in_transaction():
        customer = await get_visible(actor, customer_id)
        if not customer.tier_overridden:
            raise Invalid("customers.override_not_set")
        await Customer.filter(id=customer.id).update(
            tier_overridden=False, tier_override_reason=None
        )
        tier = await recompute_customer(customer.id, customer.team_id, now)
        await audit.record(
            "customer.tier_override_removed",
            "customer",
            customer.id,
            now=now,
            actor=actor,
            team_id=customer.team_id,
            data={"from": customer.tier.value, "to": tier.value},
        )
    return TierChange(customer.id, customer.name, tier, False)


async def override_target(actor: Actor, customer_id: int) -> TierChange:
    """The customer a manager is about to re-tier, checked before the form starts."""
    actor.require(Role.ADMIN, Role.MANAGER)
    customer = await get_visible(actor, customer_id)
    return TierChange(customer.id, customer.name, customer.tier, customer.tier_overridden)
