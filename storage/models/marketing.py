"""Campaigns, their members, leads and lead imports (D1, D2, D3, B1)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from storage.models.base import Timestamped, currency_field, money_field

if TYPE_CHECKING:
    from storage.models.customers import Customer
    from storage.models.people import Team, User


class Channel(StrEnum):
    """Where a campaign reaches people — ROI is compared per channel."""

    EXHIBITION = "exhibition"
    ONLINE_ADS = "online_ads"
    SOCIAL = "social"
    EMAIL = "email"
    REFERRAL = "referral"
    EVENT = "event"
    COLD_CALL = "cold_call"
    OTHER = "other"


class Campaign(Timestamped):
    """A marketing campaign with its cost — leads and customers point back to it."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="campaigns", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=200)
    channel = fields.CharEnumField(Channel, default=Channel.OTHER)
    cost_cents = money_field()
    currency = currency_field()
    starts_on = fields.DateField()
    ends_on = fields.DateField(null=True)

    team_id: int

    class Meta:
        unique_together = (("team_id", "name"),)


class MemberStatus(StrEnum):
    INVITED = "invited"
    ATTENDED = "attended"
    RESPONDED = "responded"
    CONVERTED = "converted"


class CampaignMember(Model):
    """A person or company reached by a campaign, and how far they came."""

    id = fields.BigIntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="members", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="campaign_memberships", null=True, on_delete=fields.CASCADE
    )
    lead: fields.ForeignKeyNullableRelation[Lead] = fields.ForeignKeyField(
        "models.Lead", related_name="campaign_memberships", null=True, on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(MemberStatus, default=MemberStatus.INVITED)
    interactions = fields.IntField(default=0)
    joined_at = fields.DatetimeField()

    campaign_id: int
    customer_id: int | None
    lead_id: int | None

    class Meta:
        indexes = (("campaign_id", "status"),)


class LeadStatus(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    CONVERTED = "converted"
    DISQUALIFIED = "disqualified"


class ImportStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportBatch(Model):
    """One uploaded CSV/XLSX file and what became of its rows."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="imports", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="imports", null=True, on_delete=fields.SET_NULL
    )
    file_name = fields.CharField(max_length=255)
    status = fields.CharEnumField(ImportStatus, default=ImportStatus.RUNNING)
    total_rows = fields.IntField(default=0)
    imported_rows = fields.IntField(default=0)
    failed_rows = fields.IntField(default=0)
    duplicate_rows = fields.IntField(default=0)
    started_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)

    team_id: int
    user_id: int | None


class Lead(Timestamped):
    """A prospect not yet worked into a customer — routed to a rep by the team's rules."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="leads", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=128)
    company = fields.CharField(max_length=200, default="")
    company_key = fields.CharField(max_length=200, default="")
    phone = fields.CharField(max_length=32, null=True)
    email = fields.CharField(max_length=254, null=True)
    region = fields.CharField(max_length=64, null=True)
    industry = fields.CharField(max_length=64, null=True)
    campaign: fields.ForeignKeyNullableRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="leads", null=True, on_delete=fields.SET_NULL
    )
    source = fields.CharField(max_length=64, null=True)
    status = fields.CharEnumField(LeadStatus, default=LeadStatus.NEW)
    assignee: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="leads", null=True, on_delete=fields.SET_NULL
    )
    assigned_at = fields.DatetimeField(null=True)
    assignment_reason = fields.JSONField[dict[str, Any]](default=dict)
    waiting_reason = fields.CharField(max_length=64, null=True)
    converted_at = fields.DatetimeField(null=True)
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="leads", null=True, on_delete=fields.SET_NULL
    )
    import_batch: fields.ForeignKeyNullableRelation[ImportBatch] = fields.ForeignKeyField(
        "models.ImportBatch", related_name="leads", null=True, on_delete=fields.SET_NULL
    )
    note = fields.TextField(default="")
    disqualified_reason = fields.TextField(null=True)

    team_id: int
    assignee_id: int | None
    campaign_id: int | None
    customer_id: int | None
    import_batch_id: int | None

    class Meta:
        indexes = (
            ("team_id", "status"),
            ("team_id", "phone"),
            ("team_id", "email"),
            ("team_id", "company_key"),
            ("assignee_id", "status"),
            ("assignee_id", "assigned_at"),
        )
