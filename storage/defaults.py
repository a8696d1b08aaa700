"""What a new team starts with: a standard pipeline, tier service levels, metric weights.

Stages are data a team can edit later; their default names are translated through the stage
``code`` so one template serves every language.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Metric, Tier


@dataclass(frozen=True)
class StageTemplate:
    code: str
    probability: int
    is_won: bool = False
    is_lost: bool = False


STANDARD_STAGES: tuple[StageTemplate, ...] = (
    StageTemplate("lead", 5),
    StageTemplate("contacted", 10),
    StageTemplate("need_confirmed", 30),
    StageTemplate("proposal", 50),
    StageTemplate("negotiation", 75),
    StageTemplate("won", 100, is_won=True),
    StageTemplate("lost", 0, is_lost=True),
)


@dataclass(frozen=True)
class TierLevels:
    reclaim_days: int
    followup_cadence_days: int
    sla_first_response_minutes: int
    sla_resolution_minutes: int


TIER_LEVELS: dict[Tier, TierLevels] = {
    Tier.KEY: TierLevels(60, 7, 60, 24 * 60),
    Tier.REGULAR: TierLevels(30, 14, 4 * 60, 3 * 24 * 60),
    Tier.POTENTIAL: TierLevels(30, 21, 8 * 60, 5 * 24 * 60),
    Tier.AT_RISK: TierLevels(20, 7, 2 * 60, 2 * 24 * 60),
}

METRIC_WEIGHTS: dict[Metric, int] = {
    Metric.REVENUE_WON: 40,
    Metric.PAYMENTS_COLLECTED: 20,
    Metric.NEW_CUSTOMERS: 10,
    Metric.CONVERSION: 10,
    Metric.ACTIVITY: 10,
    Metric.SATISFACTION: 10,
}
