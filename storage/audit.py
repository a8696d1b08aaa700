"""The append-only audit trail: who or what changed which record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.access import Actor
from storage.models import ActorKind, AuditLog


async def record(
    action: str,
    entity: str,
    entity_id: object,
    *,
    now: datetime,
    actor: Actor | None = None,
    actor_kind: ActorKind = ActorKind.SYSTEM,
    team_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Append one audit entry; call it inside the transaction of the change it describes.

    With an ``actor`` the entry is a person's act; without one, ``actor_kind`` says what acted.
    """
    await AuditLog.create(
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        actor_id=actor.user_id if actor else None,
        actor_kind=actor_kind if actor is None else ActorKind.USER,
        team_id=team_id,
        data=data or {},
        created_at=now,
    )
