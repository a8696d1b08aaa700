"""After-sales tickets, their event history and ratings (E3)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from storage.models.base import ActorKind, Timestamped

if TYPE_CHECKING:
    from storage.models.customers import Customer
    from storage.models.people import Team, User


class TicketCategory(StrEnum):
    PRODUCT = "product"
    DELIVERY = "delivery"
    INSTALLATION = "installation"
    BILLING = "billing"
    OTHER = "other"


class TicketStatus(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING_CUSTOMER = "waiting_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Ticket(Timestamped):
    """A customer's after-sales request with its SLA deadlines stamped at creation."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="tickets", on_delete=fields.RESTRICT
    )
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="tickets", on_delete=fields.RESTRICT
    )
    opened_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tickets_opened", null=True, on_delete=fields.SET_NULL
    )
    agent: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    category = fields.CharEnumField(TicketCategory, default=TicketCategory.OTHER)
    description = fields.TextField()
    contact_preference = fields.CharField(max_length=64, null=True)
    status = fields.CharEnumField(TicketStatus, default=TicketStatus.NEW)
    first_response_due_at = fields.DatetimeField()
    resolution_due_at = fields.DatetimeField()
    first_responded_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    reopened_count = fields.SmallIntField(default=0)
    response_breached = fields.BooleanField(default=False)
    resolution_breached = fields.BooleanField(default=False)
    response_reminded_at = fields.DatetimeField(null=True)
    response_escalated_at = fields.DatetimeField(null=True)
    resolution_reminded_at = fields.DatetimeField(null=True)
    resolution_escalated_at = fields.DatetimeField(null=True)
    rating_requested_at = fields.DatetimeField(null=True)

    team_id: int
    customer_id: int
    agent_id: int | None
    opened_by_id: int | None

    class Meta:
        indexes = (
            ("team_id", "status"),
            ("agent_id", "status"),
            ("customer_id", "status"),
            ("status", "first_response_due_at"),
            ("status", "resolution_due_at"),
        )


class TicketEventKind(StrEnum):
    CREATED = "created"
    ASSIGNED = "assigned"
    MESSAGE = "message"
    STATUS = "status"
    ESCALATED = "escalated"
    BREACHED = "breached"
    RATED = "rated"


class TicketEvent(Model):
    """Append-only ticket history — the customer sees its public part."""

    id = fields.BigIntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "models.Ticket", related_name="events", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(TicketEventKind)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    actor_kind = fields.CharEnumField(ActorKind, default=ActorKind.USER)
    text = fields.TextField(default="")
    photo_file_ids = fields.JSONField[list[str]](default=list)
    from_status = fields.CharEnumField(TicketStatus, null=True)
    to_status = fields.CharEnumField(TicketStatus, null=True)
    internal = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    ticket_id: int
    actor_id: int | None

    class Meta:
        indexes = (("ticket_id", "created_at"),)


class TicketRating(Model):
    """The customer's 1–5 score and feedback after resolution."""

    id = fields.IntField(primary_key=True)
    ticket: fields.OneToOneRelation[Ticket] = fields.OneToOneField(
        "models.Ticket", related_name="rating", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="ratings", on_delete=fields.CASCADE
    )
    score = fields.SmallIntField()
    feedback = fields.TextField(default="")
    created_at = fields.DatetimeField()

    ticket_id: int
    customer_id: int

    class Meta:
        indexes = (("customer_id", "created_at"),)
