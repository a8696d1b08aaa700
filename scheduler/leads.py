"""Lead jobs: routing leads that wait for a rep with capacity (B1).

Leads wait when nobody can take them (everyone away, off hours, at their cap or today's
quota). Every tick offers them again — reps come back, midnight resets quotas, leads get
worked — as one run per ten-minute period whatever the number of instances. Each lead is
taken by a conditional update, so a lead is never assigned twice, and managers hear about a
lead only when it starts waiting, not on every retry.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from bot.context import FieldContext
from handlers.leads_notify import announce
from scheduler.runs import JobSpec, run_once
from storage import assignment_store

PERIOD = timedelta(minutes=10)


def period_of(moment: datetime, every: timedelta = PERIOD) -> str:
    """The UTC slot ``moment`` falls in, e.g. ``2026-03-02T01:10``."""
    seconds = int(every.total_seconds())
    start = datetime.fromtimestamp(int(moment.timestamp()) // seconds * seconds, tz=moment.tzinfo)
    return start.strftime("%Y-%m-%dT%H:%M")


async def retry_waiting_leads(context: FieldContext) -> None:
    """Every few minutes: give waiting leads to reps who can take them now."""
    services = context.services
    now = services.clock.now

    async def work() -> dict[str, Any]:
        outcomes = await assignment_store.route_waiting(now=now(), rng=random.Random())
        for outcome in outcomes:
            await announce(context.bot, outcome)
        return {
            "teams": len(outcomes),
            "assigned": sum(o.assigned for o in outcomes),
            "newly_waiting": sum(o.waiting for o in outcomes),
        }

    await run_once(
        "lead_retry", period_of(now()), work, instance=services.settings.instance, now=now
    )


JOBS: tuple[JobSpec, ...] = (JobSpec(retry_waiting_leads, timedelta(minutes=5)),)
