"""The scheduled jobs and their registration on PTB's JobQueue (APScheduler underneath).

Ticks are frequent and cheap; ``run_once`` turns them into one run per period. APScheduler
skips a run that starts more than ``misfire_grace_time`` late (default 1 s!), so every job
gets a generous grace and coalesces missed ticks into one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram.ext import Application

from bot.context import FieldContext
from scheduler.runs import daily_period, run_once
from storage import invites

JOB_DEFAULTS: dict[str, Any] = {"misfire_grace_time": 3600, "coalesce": True, "max_instances": 1}


async def purge_invites(context: FieldContext) -> None:
    """Daily: forget invite links that expired long ago."""
    services = context.services
    now = services.clock.now

    async def work() -> dict[str, Any]:
        return {"purged": await invites.purge_expired_invites(now=now())}

    await run_once(
        "purge_invites", daily_period(now()), work, instance=services.settings.instance, now=now
    )


JOBS = ((purge_invites, timedelta(hours=1)),)


def register_jobs(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("PTB was installed without the job-queue extra")
    for callback, interval in JOBS:
        queue.run_repeating(
            callback, interval=interval, first=timedelta(seconds=30), job_kwargs=JOB_DEFAULTS
        )
