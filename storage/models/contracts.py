"""Contracts with items and milestones, payment plans, installments and payments (E1, E2)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from storage.models.base import ActorKind, Timestamped, currency_field, money_field

if TYPE_CHECKING:
    from storage.models.customers import Customer
    from storage.models.people import Team, User
    from storage.models.sales import Opportunity


class ContractStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Contract(Timestamped):
    """A signed order: approved by a manager from chat before it counts."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="contracts", on_delete=fields.RESTRICT
    )
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="contracts", on_delete=fields.RESTRICT
    )
    opportunity: fields.ForeignKeyNullableRelation[Opportunity] = fields.ForeignKeyField(
        "models.Opportunity", related_name="contracts", null=True, on_delete=fields.SET_NULL
    )
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="contracts", on_delete=fields.RESTRICT
    )
    number = fields.CharField(max_length=64)
    title = fields.CharField(max_length=200, default="")
    amount_cents = money_field()
    currency = currency_field()
    signed_on = fields.DateField(null=True)
    starts_on = fields.DateField(null=True)
    ends_on = fields.DateField(null=True)
    delivery_on = fields.DateField(null=True)
    status = fields.CharEnumField(ContractStatus, default=ContractStatus.DRAFT)
    approved_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="contracts_approved", null=True, on_delete=fields.SET_NULL
    )
    approved_at = fields.DatetimeField(null=True)
    rejection_reason = fields.TextField(null=True)
    external_ref = fields.CharField(max_length=128, null=True)

    team_id: int
    customer_id: int
    owner_id: int
    opportunity_id: int | None
    approved_by_id: int | None

    class Meta:
        unique_together = (("team_id", "number"), ("team_id", "external_ref"))
        indexes = (("customer_id", "status"), ("team_id", "status"))


class ContractItem(Model):
    id = fields.IntField(primary_key=True)
    contract: fields.ForeignKeyRelation[Contract] = fields.ForeignKeyField(
        "models.Contract", related_name="items", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=200)
    quantity = fields.IntField(default=1)
    unit_price_cents = money_field()
    amount_cents = money_field()

    contract_id: int


class ContractDecision(Model):
    """Approval history: who submitted, approved or rejected, with a comment."""

    id = fields.IntField(primary_key=True)
    contract: fields.ForeignKeyRelation[Contract] = fields.ForeignKeyField(
        "models.Contract", related_name="decisions", on_delete=fields.CASCADE
    )
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    to_status = fields.CharEnumField(ContractStatus)
    comment = fields.TextField(default="")
    decided_at = fields.DatetimeField()

    contract_id: int
    actor_id: int | None


class MilestoneStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    CANCELLED = "cancelled"


class Milestone(Model):
    """A step of contract execution with a due date and a reminder stamp."""

    id = fields.IntField(primary_key=True)
    contract: fields.ForeignKeyRelation[Contract] = fields.ForeignKeyField(
        "models.Contract", related_name="milestones", on_delete=fields.CASCADE
    )
    title = fields.CharField(max_length=200)
    due_on = fields.DateField()
    status = fields.CharEnumField(MilestoneStatus, default=MilestoneStatus.PENDING)
    done_at = fields.DatetimeField(null=True)
    reminded_at = fields.DatetimeField(null=True)

    contract_id: int

    class Meta:
        indexes = (("status", "due_on"),)


class PaymentPlan(Model):
    """How a contract's amount is to be collected."""

    id = fields.IntField(primary_key=True)
    contract: fields.OneToOneRelation[Contract] = fields.OneToOneField(
        "models.Contract", related_name="payment_plan", on_delete=fields.CASCADE
    )
    total_cents = money_field()
    currency = currency_field()
    created_at = fields.DatetimeField()

    contract_id: int


class InstallmentStatus(StrEnum):
    PENDING = "pending"
    PARTIAL = "partial"
    PAID = "paid"
    WRITTEN_OFF = "written_off"


class Installment(Model):
    """One due amount of a plan — overdue is derived from ``due_on`` and what was paid."""

    id = fields.IntField(primary_key=True)
    plan: fields.ForeignKeyRelation[PaymentPlan] = fields.ForeignKeyField(
        "models.PaymentPlan", related_name="installments", on_delete=fields.CASCADE
    )
    seq = fields.SmallIntField()
    due_on = fields.DateField()
    amount_cents = money_field()
    paid_cents = money_field()
    status = fields.CharEnumField(InstallmentStatus, default=InstallmentStatus.PENDING)
    reminded_at = fields.DatetimeField(null=True)
    overdue_notified_at = fields.DatetimeField(null=True)

    plan_id: int

    class Meta:
        unique_together = (("plan_id", "seq"),)
        indexes = (("status", "due_on"),)


class PaymentStatus(StrEnum):
    REPORTED = "reported"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Payment(Timestamped):
    """Money received: reported by a rep (or booked by finance), confirmed by a manager."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="payments", on_delete=fields.RESTRICT
    )
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="payments", on_delete=fields.RESTRICT
    )
    contract: fields.ForeignKeyNullableRelation[Contract] = fields.ForeignKeyField(
        "models.Contract", related_name="payments", null=True, on_delete=fields.SET_NULL
    )
    installment: fields.ForeignKeyNullableRelation[Installment] = fields.ForeignKeyField(
        "models.Installment", related_name="payments", null=True, on_delete=fields.SET_NULL
    )
    amount_cents = money_field()
    currency = currency_field()
    received_on = fields.DateField()
    status = fields.CharEnumField(PaymentStatus, default=PaymentStatus.REPORTED)
    reported_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="payments_reported", null=True, on_delete=fields.SET_NULL
    )
    source = fields.CharEnumField(ActorKind, default=ActorKind.USER)
    receipt_file_id = fields.CharField(max_length=255, null=True)
    confirmed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="payments_confirmed", null=True, on_delete=fields.SET_NULL
    )
    confirmed_at = fields.DatetimeField(null=True)
    rejection_reason = fields.TextField(null=True)
    external_ref = fields.CharField(max_length=128, null=True)

    team_id: int
    customer_id: int
    contract_id: int | None
    installment_id: int | None
    reported_by_id: int | None
    confirmed_by_id: int | None

    class Meta:
        unique_together = (("team_id", "external_ref"),)
        indexes = (("customer_id", "received_on"), ("team_id", "status"))
