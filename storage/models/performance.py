"""Sales targets negotiated between rep and manager, and metric weights (F1, F2)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from storage.models.base import Timestamped, money_field

if TYPE_CHECKING:
    from storage.models.people import Team, User


class TargetStatus(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    APPROVED = "approved"
    RETURNED = "returned"
    ADJUSTMENT_REQUESTED = "adjustment_requested"


class SalesTarget(Timestamped):
    """A rep's target for a period, proposed with reasoning and approved by a manager."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="targets", on_delete=fields.CASCADE
    )
    rep: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="targets", on_delete=fields.CASCADE
    )
    period_start = fields.DateField()
    period_end = fields.DateField()
    revenue_cents = money_field()
    payments_cents = money_field()
    new_customers = fields.IntField(default=0)
    visits = fields.IntField(default=0)
    reasoning = fields.TextField(default="")
    status = fields.CharEnumField(TargetStatus, default=TargetStatus.DRAFT)
    approved_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="targets_approved", null=True, on_delete=fields.SET_NULL
    )
    approved_at = fields.DatetimeField(null=True)

    team_id: int
    rep_id: int
    approved_by_id: int | None

    class Meta:
        unique_together = (("rep_id", "period_start", "period_end"),)
        indexes = (("team_id", "period_start"),)


class TargetRevision(Model):
    """Every proposal, adjustment, approval or return, with the values at that moment."""

    id = fields.IntField(primary_key=True)
    target: fields.ForeignKeyRelation[SalesTarget] = fields.ForeignKeyField(
        "models.SalesTarget", related_name="revisions", on_delete=fields.CASCADE
    )
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    to_status = fields.CharEnumField(TargetStatus)
    values = fields.JSONField[dict[str, Any]](default=dict)
    comment = fields.TextField(default="")
    created_at = fields.DatetimeField()

    target_id: int
    actor_id: int | None


class Metric(StrEnum):
    REVENUE_WON = "revenue_won"
    PAYMENTS_COLLECTED = "payments_collected"
    NEW_CUSTOMERS = "new_customers"
    CONVERSION = "conversion"
    ACTIVITY = "activity"
    SATISFACTION = "satisfaction"


class MetricWeight(Model):
    """How much each metric counts in a team's performance score (weights sum to 100)."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="metric_weights", on_delete=fields.CASCADE
    )
    metric = fields.CharEnumField(Metric)
    weight = fields.SmallIntField()

    team_id: int

    class Meta:
        unique_together = (("team_id", "metric"),)


class Dashboard(Timestamped):
    """A user's chosen KPIs and charts (G2) — each widget is an analysis spec (G1)."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="dashboards", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=100)
    widgets = fields.JSONField[list[dict[str, Any]]](default=list)

    user_id: int

    class Meta:
        unique_together = (("user_id", "name"),)
