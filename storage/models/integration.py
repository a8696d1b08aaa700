"""API clients, outbound webhook subscriptions and their delivery outbox, inbound events (H)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from storage.models.people import Team, User


class ApiClient(Model):
    """A system allowed to call the REST API — only a hash of its key is stored."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="api_clients", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=100)
    key_prefix = fields.CharField(max_length=12, unique=True)
    key_hash = fields.CharField(max_length=128)
    scopes = fields.JSONField[list[str]](default=list)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    team_id: int
    created_by_id: int | None


class WebhookSubscription(Model):
    """An ERP or finance endpoint that receives signed events."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="webhooks", on_delete=fields.CASCADE
    )
    url = fields.CharField(max_length=500)
    secret = fields.CharField(max_length=128)
    events = fields.JSONField[list[str]](default=list)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    team_id: int


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookDelivery(Model):
    """Outbox row: written in the same transaction as the change, delivered by a job."""

    id = fields.BigIntField(primary_key=True)
    subscription: fields.ForeignKeyRelation[WebhookSubscription] = fields.ForeignKeyField(
        "models.WebhookSubscription", related_name="deliveries", on_delete=fields.CASCADE
    )
    event = fields.CharField(max_length=64)
    payload = fields.JSONField[dict[str, Any]]()
    status = fields.CharEnumField(DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = fields.SmallIntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    delivered_at = fields.DatetimeField(null=True)

    subscription_id: int

    class Meta:
        indexes = (("status", "next_attempt_at"),)


class InboundEvent(Model):
    """An event received from ERP/finance, kept so a retried delivery applies once."""

    id = fields.BigIntField(primary_key=True)
    client: fields.ForeignKeyRelation[ApiClient] = fields.ForeignKeyField(
        "models.ApiClient", related_name="inbound_events", on_delete=fields.CASCADE
    )
    external_id = fields.CharField(max_length=128)
    kind = fields.CharField(max_length=64)
    payload = fields.JSONField[dict[str, Any]]()
    received_at = fields.DatetimeField()
    processed_at = fields.DatetimeField(null=True)
    error = fields.TextField(null=True)

    client_id: int

    class Meta:
        unique_together = (("client_id", "external_id"),)
