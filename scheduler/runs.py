"""Running a job once per period, whatever the number of instances or repeated ticks.

A job's tick may fire on every instance and more than once (restarts, misfires replayed);
each tick claims its (job, period) row first and only the claimant acts. A run that fails
gives its claim back so the next tick retries the period rather than skipping it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from storage import jobruns

log = logging.getLogger(__name__)

Work = Callable[[], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class JobSpec:
    """A job callback (taking the bot's context) and how often it ticks."""

    callback: Callable[[Any], Coroutine[Any, Any, None]]
    every: timedelta


async def run_once(
    job: str, period: str, work: Work, *, instance: str, now: Callable[[], datetime]
) -> dict[str, Any] | None:
    """Do ``work`` if this instance claims (job, period) first; None if someone else did."""
    if not await jobruns.claim_run(job, period, instance=instance, now=now()):
        log.debug("%s %s: already claimed", job, period)
        return None
    try:
        result = await work()
    except BaseException:
        await jobruns.release_run(job, period)
        raise
    await jobruns.finish_run(job, period, now=now(), result=result)
    log.info("%s %s: done %s", job, period, result)
    return result


def daily_period(moment: datetime) -> str:
    """The UTC calendar day as a period key."""
    return moment.date().isoformat()
