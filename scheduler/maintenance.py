"""Housekeeping jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.context import FieldContext
from scheduler.runs import JobSpec, daily_period, run_once
from storage import invites


async def purge_invites(context: FieldContext) -> None:
    """Daily: forget invite links that expired long ago."""
    services = context.services
    now = services.clock.now

    async def work() -> dict[str, Any]:
        return {"purged": await invites.purge_expired_invites(now=now())}

    await run_once(
        "purge_invites", daily_period(now()), work, instance=services.settings.instance, now=now
    )


JOBS = (JobSpec(purge_invites, timedelta(hours=1)),)
