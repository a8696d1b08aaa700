"""Cross-cutting tables: the audit log, scheduled-job runs and the bot's persistence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from storage.models.base import ActorKind

if TYPE_CHECKING:
    from storage.models.people import Team, User


class AuditLog(Model):
    """Append-only record of who or what changed which record, and how."""

    id = fields.BigIntField(primary_key=True)
    team: fields.ForeignKeyNullableRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    actor_kind = fields.CharEnumField(ActorKind, default=ActorKind.USER)
    action = fields.CharField(max_length=64)
    entity = fields.CharField(max_length=32)
    entity_id = fields.CharField(max_length=64)
    data = fields.JSONField[Any](default=dict)
    created_at = fields.DatetimeField()

    team_id: int | None
    actor_id: int | None

    class Meta:
        indexes = (("entity", "entity_id"), ("team_id", "created_at"))


class JobRun(Model):
    """One row per (job, period): inserting it is how an instance claims a run."""

    id = fields.BigIntField(primary_key=True)
    job = fields.CharField(max_length=64)
    period = fields.CharField(max_length=64)
    instance = fields.CharField(max_length=64, default="")
    started_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    result = fields.JSONField[dict[str, Any]](default=dict)

    class Meta:
        unique_together = (("job", "period"),)


class BotUserData(Model):
    """PTB ``user_data`` of one Telegram user."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.BigIntField(unique=True)
    data = fields.JSONField[Any](default=dict)


class BotChatData(Model):
    """PTB ``chat_data`` of one chat."""

    id = fields.BigIntField(primary_key=True)
    chat_id = fields.BigIntField(unique=True)
    data = fields.JSONField[Any](default=dict)


class BotKeyValue(Model):
    """PTB ``bot_data`` and callback-data cache, one row each."""

    key = fields.CharField(max_length=32, primary_key=True)
    data = fields.JSONField[Any](default=dict)


class BotConversation(Model):
    """One ConversationHandler state, so a restart resumes a conversation mid-way."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=64)
    key = fields.CharField(max_length=128)
    state = fields.JSONField[Any]()

    class Meta:
        unique_together = (("name", "key"),)
