"""All scheduled jobs, registered on PTB's JobQueue (APScheduler underneath).

Ticks are frequent and cheap; ``run_once`` turns them into one run per period. APScheduler
skips a run that starts more than ``misfire_grace_time`` late (default 1 s!), so every job
gets a generous grace and coalesces missed ticks into one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram.ext import Application

from scheduler import calendar, digest, leads, maintenance, reclaim, tasks, tickets, tiering
from scheduler.runs import JobSpec

JOB_DEFAULTS: dict[str, Any] = {"misfire_grace_time": 3600, "coalesce": True, "max_instances": 1}
JOBS: tuple[JobSpec, ...] = (
    *maintenance.JOBS,
    *reclaim.JOBS,
    *tiering.JOBS,
    *leads.JOBS,
    *calendar.JOBS,
    *digest.JOBS,
    *tickets.JOBS,
    *tasks.JOBS,
)


def register_jobs(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("PTB was installed without the job-queue extra")
    for spec in JOBS:
        queue.run_repeating(
            spec.callback,
            interval=spec.every,
            first=timedelta(seconds=30),
            name=spec.callback.__name__,
            job_kwargs=JOB_DEFAULTS,
        )
