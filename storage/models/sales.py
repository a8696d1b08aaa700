"""The sales process: stages, opportunities, tasks, follow-ups, calendar and check-ins.

Stages are data (B3, C2): each team has its own ordered pipeline; won is a stage and lost is
a stage plus a reason.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from storage.models.base import ActorKind, Timestamped, currency_field, money_field

if TYPE_CHECKING:
    from storage.models.customers import Customer
    from storage.models.marketing import Campaign, Lead
    from storage.models.people import Team, User


class PipelineStage(Model):
    """A step of the team's standard sales process with its goal and next actions."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="stages", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=32)
    name = fields.CharField(max_length=64)
    position = fields.SmallIntField()
    probability = fields.SmallIntField()
    is_won = fields.BooleanField(default=False)
    is_lost = fields.BooleanField(default=False)
    goal = fields.TextField(default="")
    checklist = fields.JSONField[list[str]](default=list)

    team_id: int

    class Meta:
        unique_together = (("team_id", "code"),)
        ordering = ("team_id", "position")


class Opportunity(Timestamped):
    """A deal in progress (C1): the template's required fields are columns, not free text."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="opportunities", on_delete=fields.RESTRICT
    )
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="opportunities", on_delete=fields.RESTRICT
    )
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="opportunities", on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=200)
    need = fields.TextField(default="")
    amount_cents = money_field()
    currency = currency_field()
    expected_close_on = fields.DateField()
    competitors = fields.JSONField[list[str]](default=list)
    decision_maker = fields.CharField(max_length=128, default="")
    source = fields.CharField(max_length=64, null=True)
    campaign: fields.ForeignKeyNullableRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="opportunities", null=True, on_delete=fields.SET_NULL
    )
    stage: fields.ForeignKeyRelation[PipelineStage] = fields.ForeignKeyField(
        "models.PipelineStage", related_name="opportunities", on_delete=fields.RESTRICT
    )
    stage_changed_at = fields.DatetimeField()
    lost_reason = fields.TextField(null=True)
    closed_at = fields.DatetimeField(null=True)

    team_id: int
    customer_id: int
    owner_id: int
    stage_id: int
    campaign_id: int | None

    class Meta:
        indexes = (
            ("team_id", "stage_id"),
            ("owner_id", "expected_close_on"),
            ("customer_id", "closed_at"),
        )


class OpportunityStageChange(Model):
    """Full stage history (C2): regressions and stale deals are read from here."""

    id = fields.BigIntField(primary_key=True)
    opportunity: fields.ForeignKeyRelation[Opportunity] = fields.ForeignKeyField(
        "models.Opportunity", related_name="stage_changes", on_delete=fields.CASCADE
    )
    from_stage: fields.ForeignKeyNullableRelation[PipelineStage] = fields.ForeignKeyField(
        "models.PipelineStage", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    to_stage: fields.ForeignKeyRelation[PipelineStage] = fields.ForeignKeyField(
        "models.PipelineStage", related_name=False, on_delete=fields.RESTRICT
    )
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    actor_kind = fields.CharEnumField(ActorKind, default=ActorKind.USER)
    note = fields.TextField(null=True)
    changed_at = fields.DatetimeField()

    opportunity_id: int
    from_stage_id: int | None
    to_stage_id: int
    actor_id: int | None

    class Meta:
        indexes = (("opportunity_id", "changed_at"),)


class TaskPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Task(Timestamped):
    """A to-do with a deadline (B2) — lead assignment creates one for the assignee."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="tasks", on_delete=fields.CASCADE
    )
    assignee: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tasks", on_delete=fields.RESTRICT
    )
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tasks_created", null=True, on_delete=fields.SET_NULL
    )
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="tasks", null=True, on_delete=fields.CASCADE
    )
    lead: fields.ForeignKeyNullableRelation[Lead] = fields.ForeignKeyField(
        "models.Lead", related_name="tasks", null=True, on_delete=fields.CASCADE
    )
    opportunity: fields.ForeignKeyNullableRelation[Opportunity] = fields.ForeignKeyField(
        "models.Opportunity", related_name="tasks", null=True, on_delete=fields.CASCADE
    )
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    priority = fields.CharEnumField(TaskPriority, default=TaskPriority.NORMAL)
    status = fields.CharEnumField(TaskStatus, default=TaskStatus.OPEN)
    due_at = fields.DatetimeField()
    remind_at = fields.DatetimeField(null=True)
    reminded_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)

    team_id: int
    assignee_id: int
    customer_id: int | None
    created_by_id: int | None
    lead_id: int | None
    opportunity_id: int | None

    class Meta:
        indexes = (
            ("assignee_id", "status", "due_at"),
            ("team_id", "status", "due_at"),
            ("status", "remind_at"),
        )


class FollowUpKind(StrEnum):
    CALL = "call"
    VISIT = "visit"
    MESSAGE = "message"
    MEETING = "meeting"
    EMAIL = "email"


class FollowUp(Model):
    """A logged contact with a customer — ``effective`` ones reset the reclaim clock."""

    id = fields.BigIntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="followups", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="followups", on_delete=fields.CASCADE
    )
    rep: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="followups", on_delete=fields.RESTRICT
    )
    opportunity: fields.ForeignKeyNullableRelation[Opportunity] = fields.ForeignKeyField(
        "models.Opportunity", related_name="followups", null=True, on_delete=fields.SET_NULL
    )
    kind = fields.CharEnumField(FollowUpKind)
    note = fields.TextField(default="")
    next_step = fields.TextField(null=True)
    next_step_at = fields.DatetimeField(null=True)
    attachment_file_id = fields.CharField(max_length=255, null=True)
    attachment_kind = fields.CharField(max_length=16, null=True)
    attachment_unique_id = fields.CharField(max_length=64, null=True)
    effective = fields.BooleanField(default=True)
    calendar_entry: fields.ForeignKeyNullableRelation[CalendarEntry] = fields.ForeignKeyField(
        "models.CalendarEntry", related_name="followups", null=True, on_delete=fields.SET_NULL
    )
    checkin: fields.ForeignKeyNullableRelation[CheckIn] = fields.ForeignKeyField(
        "models.CheckIn", related_name="followups", null=True, on_delete=fields.SET_NULL
    )
    occurred_at = fields.DatetimeField()

    team_id: int
    customer_id: int
    rep_id: int
    calendar_entry_id: int | None
    checkin_id: int | None
    opportunity_id: int | None

    class Meta:
        indexes = (
            ("customer_id", "occurred_at"),
            ("rep_id", "occurred_at"),
            ("team_id", "occurred_at"),
        )


class CalendarKind(StrEnum):
    VISIT = "visit"
    FOLLOW_UP = "follow_up"
    MEETING = "meeting"
    OTHER = "other"


class CalendarStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"
    MISSED = "missed"


class CalendarEntry(Timestamped):
    """A planned visit or follow-up (B5) — reminders are derived from ``remind_at``."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="calendar", on_delete=fields.CASCADE
    )
    rep: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="calendar", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="calendar", null=True, on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(CalendarKind, default=CalendarKind.VISIT)
    title = fields.CharField(max_length=200, default="")
    note = fields.TextField(default="")
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    status = fields.CharEnumField(CalendarStatus, default=CalendarStatus.PLANNED)
    remind_at = fields.DatetimeField(null=True)
    reminded_at = fields.DatetimeField(null=True)
    done_at = fields.DatetimeField(null=True)
    # Bumped on every reschedule: buttons carry it, so a button of an old time is stale.
    revision = fields.IntField(default=0)

    team_id: int
    rep_id: int
    customer_id: int | None

    class Meta:
        indexes = (("rep_id", "starts_at"), ("team_id", "starts_at"), ("status", "remind_at"))


class CheckIn(Model):
    """An on-site visit (B4): where, when, how far from the customer, and why it is flagged."""

    id = fields.BigIntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="checkins", on_delete=fields.CASCADE
    )
    rep: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="checkins", on_delete=fields.RESTRICT
    )
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="checkins", on_delete=fields.CASCADE
    )
    calendar_entry: fields.ForeignKeyNullableRelation[CalendarEntry] = fields.ForeignKeyField(
        "models.CalendarEntry", related_name="checkins", null=True, on_delete=fields.SET_NULL
    )
    latitude = fields.FloatField()
    longitude = fields.FloatField()
    accuracy_m = fields.FloatField(null=True)
    distance_m = fields.FloatField(null=True)
    photo_file_id = fields.CharField(max_length=255, null=True)
    photo_unique_id = fields.CharField(max_length=64, null=True, db_index=True)
    note = fields.TextField(default="")
    flags = fields.JSONField[list[str]](default=list)
    flagged = fields.BooleanField(default=False)
    dwell_seconds = fields.IntField(null=True)
    checked_in_at = fields.DatetimeField()
    checked_out_at = fields.DatetimeField(null=True)

    team_id: int
    rep_id: int
    customer_id: int
    calendar_entry_id: int | None

    class Meta:
        indexes = (("team_id", "checked_in_at"), ("rep_id", "checked_in_at"))
