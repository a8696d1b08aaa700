"""The nightly tier recomputation (A3), per team at night in the team's own time zone.

The job ticks every half hour. For each team whose local time is past ``LOCAL_HOUR``, it
claims the period ``tiering:<team id>:<local date>`` and recomputes that team's tiers with a
fixed number of set-based statements; a second tick, or a second instance, finds the period
claimed and does nothing. A process started later in the day catches up on its first tick.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.context import FieldContext
from scheduler.runs import JobSpec, run_once
from storage import tiering

JOB = "tiering"
LOCAL_HOUR = 2
"""Recompute after 02:00 local time: yesterday's work is in, nobody is on the road yet."""


def due_period(team_id: int, zone: str, now: datetime) -> str | None:
    """The team's period to claim at ``now``, or None before ``LOCAL_HOUR`` local time."""
    local = now.astimezone(ZoneInfo(zone))
    if local.hour < LOCAL_HOUR:
        return None
    return f"{team_id}:{local.date().isoformat()}"


async def recompute_tiers(context: FieldContext) -> None:
    """Every half hour: recompute the tiers of each team whose night has come."""
    services = context.services
    now = services.clock.now
    for team_id, zone in await tiering.team_zones():
        period = due_period(team_id, zone, now())
        if period is None:
            continue

        async def work(team_id: int = team_id) -> dict[str, Any]:
            result = await tiering.recompute_tiers(team_id, now())
            return {"customers": result.total, "by_rule": result.by_rule}

        await run_once(JOB, period, work, instance=services.settings.instance, now=now)


JOBS: tuple[JobSpec, ...] = (JobSpec(recompute_tiers, timedelta(minutes=30)),)
