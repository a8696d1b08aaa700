"""Customers, their contacts and tiers, and the public pool's event log (A1, A2, A3)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from storage.models.base import ActorKind, Timestamped

if TYPE_CHECKING:
    from storage.models.marketing import Campaign
    from storage.models.people import Team, User
    from storage.models.sales import PipelineStage


class Tier(StrEnum):
    """Customer tiers — a tier drives reclaim window, follow-up cadence and ticket SLAs."""

    KEY = "key"
    REGULAR = "regular"
    POTENTIAL = "potential"
    AT_RISK = "at_risk"


class TierPolicy(Model):
    """What a tier means in service terms for one team."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="tier_policies", on_delete=fields.CASCADE
    )
    tier = fields.CharEnumField(Tier)
    reclaim_days = fields.IntField(default=30)
    followup_cadence_days = fields.IntField(default=14)
    sla_first_response_minutes = fields.IntField(default=240)
    sla_resolution_minutes = fields.IntField(default=4320)

    team_id: int

    class Meta:
        unique_together = (("team_id", "tier"),)


class Customer(Timestamped):
    """A company the team sells to — ``owner`` is NULL while it sits in the public pool.

    ``owner`` is a single column, so a customer has at most one owner by construction;
    claims change it with a conditional update. The reclaim sweep compares
    ``last_followup_at``/``last_deal_at`` with cutoffs computed per tier, so it is a handful of
    set-based statements whatever the number of customers.
    """

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="customers", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=200)
    name_key = fields.CharField(max_length=200, db_index=True)
    phone = fields.CharField(max_length=32, null=True)
    email = fields.CharField(max_length=254, null=True)
    address = fields.TextField(null=True)
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    region = fields.CharField(max_length=64, null=True)
    industry = fields.CharField(max_length=64, null=True)
    tags = fields.JSONField[list[str]](default=list)
    note = fields.TextField(null=True)
    # Tiering (A3)
    tier = fields.CharEnumField(Tier, default=Tier.POTENTIAL)
    tier_reason = fields.JSONField[dict[str, Any]](default=dict)
    tier_overridden = fields.BooleanField(default=False)
    tier_override_reason = fields.TextField(null=True)
    tier_computed_at = fields.DatetimeField(null=True)
    # Ownership and the pool (A1)
    owner: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="customers", null=True, on_delete=fields.SET_NULL
    )
    owned_since = fields.DatetimeField(null=True)
    locked = fields.BooleanField(default=False)
    extension_used = fields.BooleanField(default=False)
    extended_until = fields.DatetimeField(null=True)
    extension_requested_at = fields.DatetimeField(null=True)
    won = fields.BooleanField(default=False)
    last_followup_at = fields.DatetimeField(null=True)
    last_deal_at = fields.DatetimeField(null=True)
    reclaim_warned_at = fields.DatetimeField(null=True)
    # The previous owner and when the customer left them: the re-claim cooldown reads these,
    # and the reclaim sweep stamps ``released_at`` so its pool events are written set-based.
    last_owner: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    released_at = fields.DatetimeField(null=True)
    # Where it came from and where it stands
    source_campaign: fields.ForeignKeyNullableRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="customers", null=True, on_delete=fields.SET_NULL
    )
    source = fields.CharField(max_length=64, null=True)
    stage: fields.ForeignKeyNullableRelation[PipelineStage] = fields.ForeignKeyField(
        "models.PipelineStage", related_name="customers", null=True, on_delete=fields.SET_NULL
    )
    checkin_radius_m = fields.IntField(null=True)

    team_id: int
    owner_id: int | None
    last_owner_id: int | None
    source_campaign_id: int | None
    stage_id: int | None

    contacts: fields.ReverseRelation[Contact]

    class Meta:
        unique_together = (("team_id", "phone"),)
        indexes = (
            ("team_id", "owner_id"),
            ("team_id", "region"),
            ("team_id", "industry"),
            ("team_id", "tier"),
            ("team_id", "email"),
            ("owner_id", "last_followup_at"),
            ("team_id", "released_at"),
        )

    def __str__(self) -> str:
        return self.name


class Contact(Timestamped):
    """A person at a customer — the decision maker is flagged for deals."""

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="contacts", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=128)
    title = fields.CharField(max_length=128, null=True)
    phone = fields.CharField(max_length=32, null=True)
    email = fields.CharField(max_length=254, null=True)
    is_primary = fields.BooleanField(default=False)
    is_decision_maker = fields.BooleanField(default=False)
    note = fields.TextField(null=True)

    customer_id: int

    class Meta:
        indexes = (("phone",),)


class PoolEventKind(StrEnum):
    """Every change of a customer's ownership is one of these."""

    CLAIM = "claim"
    RELEASE = "release"
    RECLAIM = "reclaim"
    ASSIGN = "assign"
    LOCK = "lock"
    UNLOCK = "unlock"
    EXTEND = "extend"
    WARN = "warn"


class PoolEvent(Model):
    """Append-only log of the pool's flow: who got or lost which customer, by whose act."""

    id = fields.BigIntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="pool_events", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="pool_events", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(PoolEventKind)
    rep: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="pool_events", null=True, on_delete=fields.SET_NULL
    )
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="pool_actions", null=True, on_delete=fields.SET_NULL
    )
    actor_kind = fields.CharEnumField(ActorKind, default=ActorKind.USER)
    reason = fields.TextField(null=True)
    created_at = fields.DatetimeField()

    team_id: int
    customer_id: int
    rep_id: int | None
    actor_id: int | None

    class Meta:
        indexes = (
            ("team_id", "created_at"),
            ("customer_id", "created_at"),
            ("rep_id", "kind", "created_at"),
        )


class PoolView(Model):
    """One pool card opened by a rep on a day: the daily view cap counts these."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="pool_views", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="pool_views", on_delete=fields.CASCADE
    )
    viewed_on = fields.DateField()

    user_id: int
    customer_id: int

    class Meta:
        unique_together = (("user_id", "viewed_on", "customer_id"),)
