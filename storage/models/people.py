"""Teams, their rules, users with their roles, and invitations."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from storage.models.base import Timestamped

if TYPE_CHECKING:
    from storage.models.customers import Customer


class Role(StrEnum):
    """What a person may do — exactly one per user."""

    ADMIN = "admin"
    MANAGER = "manager"
    REP = "rep"
    AGENT = "agent"
    CUSTOMER = "customer"


class Team(Timestamped):
    """A sales team: the tenant that owns customers, its pool, rules and a group chat."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    timezone = fields.CharField(max_length=64, default="Asia/Shanghai")
    country = fields.CharField(max_length=2, default="CN")
    currency = fields.CharField(max_length=3, default="CNY")
    group_chat_id = fields.BigIntField(null=True, unique=True)
    group_title = fields.CharField(max_length=255, null=True)
    digest_hour = fields.SmallIntField(default=18)
    archived_at = fields.DatetimeField(null=True)

    members: fields.ReverseRelation[User]
    rules: fields.BackwardOneToOneRelation[TeamRules]

    def __str__(self) -> str:
        return self.name


class LeadRouting(StrEnum):
    """How new leads find a rep (B1)."""

    ROUND_ROBIN = "round_robin"
    TERRITORY = "territory"
    SKILL = "skill"
    WEIGHTED = "weighted"


def default_effective_kinds() -> list[str]:
    """Follow-up kinds that count as real contact unless a team says otherwise."""
    return ["call", "visit", "meeting"]


class TeamRules(Model):
    """Per-team rules an admin or manager can edit — one row per team, created with it."""

    id = fields.IntField(primary_key=True)
    team: fields.OneToOneRelation[Team] = fields.OneToOneField(
        "models.Team", related_name="rules", on_delete=fields.CASCADE
    )
    # Public pool (A1)
    owned_cap = fields.IntField(default=150)
    daily_claim_cap = fields.IntField(default=10)
    reclaim_days_no_deal = fields.IntField(default=90)
    reclaim_warning_days = fields.IntField(default=3)
    reclaim_cooldown_days = fields.IntField(default=30)
    lock_cap = fields.IntField(default=3)
    pool_view_daily_cap = fields.IntField(default=50)
    # Tiering (A3): thresholds of the rule set; the per-tier service levels live in TierPolicy
    tier_key_revenue_cents = fields.BigIntField(default=50_000_000)
    tier_regular_revenue_cents = fields.BigIntField(default=1)
    tier_at_risk_silence_days = fields.IntField(default=45)
    tier_at_risk_rating_below = fields.FloatField(default=3.0)
    # Leads (B1)
    lead_routing = fields.CharEnumField(LeadRouting, default=LeadRouting.WEIGHTED)
    lead_followup_hours = fields.IntField(default=24)
    lead_round_robin_cursor = fields.BigIntField(default=0)
    # Follow-ups, calendar, check-in (B2, B4, B5)
    effective_followup_min_chars = fields.IntField(default=10)
    effective_followup_kinds = fields.JSONField[list[str]](default=default_effective_kinds)
    reminder_lead_minutes = fields.IntField(default=30)
    calendar_clash_buffer_minutes = fields.IntField(default=15)
    agenda_hour = fields.SmallIntField(default=8)
    checkin_radius_m = fields.IntField(default=300)
    checkin_photo_required = fields.BooleanField(default=True)
    checkin_live_location = fields.BooleanField(default=False)
    checkin_max_accuracy_m = fields.IntField(default=100)
    checkin_photo_minutes = fields.IntField(default=10)
    # After-sales (E3)
    ticket_reopen_days = fields.IntField(default=7)
    low_rating_alert_below = fields.SmallIntField(default=3)
    sla_reminder_minutes = fields.IntField(default=30)
    ticket_round_robin_cursor = fields.BigIntField(default=0)

    team_id: int


class User(Timestamped):
    """A person known to the bot, keyed by Telegram id — the Telegram identity is the login."""

    id = fields.IntField(primary_key=True)
    telegram_id = fields.BigIntField(unique=True)
    username = fields.CharField(max_length=64, null=True)
    full_name = fields.CharField(max_length=255, default="")
    telegram_language = fields.CharField(max_length=16, null=True)
    language = fields.CharField(max_length=8, null=True)
    role = fields.CharEnumField(Role, null=True)
    team: fields.ForeignKeyNullableRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="members", null=True, on_delete=fields.SET_NULL
    )
    is_active = fields.BooleanField(default=True)
    # Assignment profile (B1) and service availability (E3)
    regions = fields.JSONField[list[str]](default=list)
    industries = fields.JSONField[list[str]](default=list)
    lead_capacity = fields.IntField(default=50)
    lead_daily_quota = fields.IntField(default=15)
    away = fields.BooleanField(default=False)
    away_until = fields.DatetimeField(null=True)
    # Working hours in the team's zone (start inclusive, end exclusive); NULL = any time.
    work_start_hour = fields.SmallIntField(null=True)
    work_end_hour = fields.SmallIntField(null=True)
    # The morning agenda (B5): the rep's hour in the team's zone (NULL = the team's), and the
    # local day it was last sent, so it goes out once a day whatever restarts happen.
    agenda_hour = fields.SmallIntField(null=True)
    agenda_sent_on = fields.DateField(null=True)
    last_seen_at = fields.DatetimeField(null=True)

    team_id: int | None

    class Meta:
        indexes = (("team_id", "role"),)

    def __str__(self) -> str:
        return self.full_name or (self.username or str(self.telegram_id))


class Invite(Model):
    """A one-time deep-link code that puts its redeemer in a team with a role."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    role = fields.CharEnumField(Role)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="invites", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="invites", null=True, on_delete=fields.CASCADE
    )
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="invites_created", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    used_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="invites_used", null=True, on_delete=fields.SET_NULL
    )

    team_id: int
    customer_id: int | None
    used_by_id: int | None
    created_by_id: int | None


class PortalAccount(Model):
    """Links a customer-role user to the customer record they speak for.

    A separate table rather than a column on ``User``: customers point at users (owner), so a
    user-to-customer column would make the foreign keys cyclic.
    """

    id = fields.IntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="portal", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="portal_accounts", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()

    user_id: int
    customer_id: int
