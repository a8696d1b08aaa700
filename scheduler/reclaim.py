"""The pool reclaim job: warn owners ahead of time, then return overdue customers (A1).

Period: the UTC hour. Deadlines are instants (claim or last follow-up + whole days), so an
hourly sweep takes a customer back within the hour its deadline falls in — and since those
instants come from things reps do during their working day, warnings and reclaim notices
arrive at working hours too, where a daily run at one fixed hour would be midnight for some
teams and could hold an overdue customer for up to a day. Each sweep is a handful of
set-based statements per team, so running it every hour costs nothing at any size.

Ticks every 10 minutes; ``run_once`` lets the first tick of each hour act, on one instance;
the per-row stamps (owner gone, ``reclaim_warned_at``) make even a repeated run a no-op.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from telegram import Bot

from bot.context import FieldContext
from bot.views import pool as views
from handlers.pool_notify import language, tell
from scheduler.runs import JobSpec, run_once
from storage import reclaim
from storage.reclaim import SweepResult

JOB = "pool_reclaim"


def hourly_period(moment: datetime) -> str:
    """The UTC hour as a period key, e.g. ``2026-03-02T01``."""
    return moment.strftime("%Y-%m-%dT%H")


async def sweep_and_notify(bot: Bot, now: datetime) -> dict[str, Any]:
    """Reclaim, then warn; one message per rep for each, one per team about the reclaim."""
    reclaimed = await reclaim.reclaim_overdue(now=now)
    warned = await reclaim.warn_owners(now=now)
    sent = await _notify(bot, reclaimed, warned)
    return {"reclaimed": reclaimed.total, "warned": warned.total, "messages": sent}


async def _notify(bot: Bot, reclaimed: SweepResult, warned: SweepResult) -> int:
    sent = 0
    for notice in reclaimed.reps:
        if notice.recipient is not None:
            text = views.reclaim_notice(language(notice.recipient), notice)
            sent += await tell(bot, notice.recipient, text)
    for team in reclaimed.teams:
        for recipient in team.audience:
            text = views.team_reclaim_notice(language(recipient), team)
            sent += await tell(bot, recipient, text)
    for notice in warned.reps:
        if notice.recipient is not None:
            text = views.warning_notice(language(notice.recipient), notice)
            sent += await tell(bot, notice.recipient, text)
    return sent


async def reclaim_pool(context: FieldContext) -> None:
    """Hourly: reclaim overdue customers and warn owners of the ones due soon."""
    services = context.services
    now = services.clock.now

    async def work() -> dict[str, Any]:
        return await sweep_and_notify(context.bot, now())

    await run_once(JOB, hourly_period(now()), work, instance=services.settings.instance, now=now)


JOBS: tuple[JobSpec, ...] = (JobSpec(reclaim_pool, timedelta(minutes=10)),)
