"""The daily digest per team, once a day even on restarts or with two instances (chat-ops).

Every five minutes the tick asks which active teams have reached their digest hour today
(``Team.digest_hour`` in ``Team.timezone``) and have no claimed run for today, computes all
their digests in one batch (a fixed number of statements), then sends each team's inside
``run_once("digest", "<team>:<local date>")`` — the first instance to claim a team's day
sends it; everyone else finds it claimed. A process that was down at the hour sends today's
digest on its first tick; a day that has already ended is not sent any more.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot.context import FieldContext
from handlers.digest_send import deliver
from scheduler.runs import JobSpec, run_once
from storage import digest
from storage.digest import Digest


async def post_digests(context: FieldContext) -> None:
    """Every five minutes: send the digests whose hour has come, once per team and day."""
    services = context.services
    now = services.clock.now
    due = dict(await digest.due_teams(now=now()))
    if not due:
        return
    digests = await digest.compute_digests(list(due), now=now())

    async def claimed(one: Digest, send: Callable[[], Awaitable[int]]) -> None:
        if not one.audience:  # nobody to tell yet: a manager who joins later still gets it
            return

        async def work() -> dict[str, Any]:
            return {"sent": await send(), "reps": len(one.reps)}

        await run_once(
            digest.JOB, due[one.team_id], work, instance=services.settings.instance, now=now
        )

    await deliver(context.bot, digests, claimed)


JOBS: tuple[JobSpec, ...] = (JobSpec(post_digests, timedelta(minutes=5)),)
