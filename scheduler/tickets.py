"""Ticket SLAs: reminders before deadlines, escalation and breaches, waiting tickets (E3).

Ticks every minute on every instance. There is no run claim: each kind of due work is found
by its stored deadline and claimed per ticket with a conditional stamp (``storage.tickets_sla``),
so a repeated tick, a restart or a second instance finds nothing left to do and sends nothing
twice, while a late or missed tick is made up by the next one.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import FieldContext
from handlers.tickets_notify import deliver
from scheduler.runs import JobSpec
from storage.tickets_sla import sla_sweep

log = logging.getLogger(__name__)


async def ticket_sla(context: FieldContext) -> None:
    """Every minute: remind, escalate, offer waiting tickets again, close expired ones."""
    now = context.services.clock.now()
    sweep = await sla_sweep(now=now)
    if sweep.notices:
        await deliver(context.bot, sweep.notices, now)
        log.info("ticket SLA sweep: %s", sweep.summary())


JOBS: tuple[JobSpec, ...] = (JobSpec(ticket_sla, timedelta(minutes=1)),)
