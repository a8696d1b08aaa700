"""Claiming scheduled-job runs so each (job, period) acts exactly once across instances."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from storage.models import JobRun


async def claim_run(job: str, period: str, *, instance: str, now: datetime) -> bool:
    """Insert the run's row; the unique (job, period) key lets only the first insert win."""
    try:
        await JobRun.create(job=job, period=period, instance=instance[:64], started_at=now)
    except IntegrityError:
        return False
    return True


async def finish_run(job: str, period: str, *, now: datetime, result: dict[str, Any]) -> None:
    await JobRun.filter(job=job, period=period).update(finished_at=now, result=result)


async def release_run(job: str, period: str) -> None:
    """Give a failed run back so the next tick retries it instead of skipping the period."""
    await JobRun.filter(job=job, period=period, finished_at=None).delete()
