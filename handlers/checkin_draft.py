"""The check-in form's draft: what has been collected so far, kept JSON-able in the rep's
``context.drafts`` (so a restart mid-form resumes it), and turned into storage values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Location

from bot.context import FieldContext
from storage.checkins import CheckInDraft, CheckInTarget

DRAFT = "checkin"


def draft_of(context: FieldContext) -> dict[str, Any] | None:
    draft = context.drafts.get(DRAFT)
    return draft if isinstance(draft, dict) and "customer_id" in draft else None


def start_draft(context: FieldContext, target: CheckInTarget) -> None:
    context.drafts[DRAFT] = {
        "customer_id": target.customer_id,
        "name": target.customer_name,
        "entry_id": target.entry_id,
        "revision": target.revision,
        "photo_required": target.photo_required,
        "photo_minutes": target.photo_minutes,
        "live_allowed": target.live_allowed,
    }


def target_of(draft: dict[str, Any]) -> CheckInTarget:
    return CheckInTarget(
        int(draft["customer_id"]),
        str(draft.get("name", "")),
        draft.get("entry_id"),
        draft.get("revision"),
        bool(draft.get("photo_required", True)),
        int(draft.get("photo_minutes", 10)),
        bool(draft.get("live_allowed", False)),
    )


def live_seconds(location: Location) -> int | None:
    """A live location's period in seconds, None for a plain location.

    Read from the wire form: PTB 22 warns that the attribute will become a timedelta.
    """
    value = location.to_dict().get("live_period")
    return int(value) if isinstance(value, int | float) and value > 0 else None


def keep_location(
    draft: dict[str, Any], location: Location, message_id: int, now: datetime
) -> None:
    """The location as it arrived; a live one only counts when the team allows it."""
    draft.update(
        latitude=location.latitude,
        longitude=location.longitude,
        accuracy=location.horizontal_accuracy,
        located_at=now.isoformat(),
        live_period=live_seconds(location) if draft.get("live_allowed") else None,
        message_id=message_id,
    )


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def located_at(draft: dict[str, Any]) -> datetime | None:
    """When the location arrived, or None before it did."""
    return _moment(draft.get("located_at"))


def record_of(draft: dict[str, Any], note: str) -> CheckInDraft | None:
    """Everything to record, or None if the location is missing (an expired draft)."""
    at = located_at(draft)
    if at is None:
        return None
    return CheckInDraft(
        customer_id=int(draft["customer_id"]),
        latitude=float(draft["latitude"]),
        longitude=float(draft["longitude"]),
        accuracy_m=draft.get("accuracy"),
        located_at=at,
        entry_id=draft.get("entry_id"),
        revision=draft.get("revision"),
        photo_file_id=draft.get("photo_file_id"),
        photo_unique_id=draft.get("photo_unique_id"),
        photo_at=_moment(draft.get("photo_at")),
        note=note,
        live_period=draft.get("live_period"),
        location_message_id=draft.get("message_id"),
    )
