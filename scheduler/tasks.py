"""Task reminders (B2): each open task's reminder reaches its assignee once, at ``remind_at``.

Ticks every minute on every instance. There is no run claim: due reminders are found from the
stored ``remind_at`` and each is claimed by a conditional stamp (``storage.tasks_reminders``)
just before it is sent, so a repeated tick, a restart or a second instance sends nothing twice,
and a late or missed tick is made up by the next one.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import FieldContext
from bot.i18n import resolve_lang
from bot.views.tasks_reminders import reminder_view
from handlers.pool_notify import tell
from scheduler.runs import JobSpec
from storage import tasks_reminders
from storage.pool_rules import Recipient

log = logging.getLogger(__name__)


async def send_task_reminders(context: FieldContext) -> None:
    """Every minute: remind each assignee of the open tasks whose reminder time has come."""
    now = context.services.clock.now
    sent = 0
    for reminder in await tasks_reminders.due_task_reminders(now()):
        if not await tasks_reminders.claim_task_reminder(reminder, now()):
            continue
        if reminder.active:
            text, markup = reminder_view(resolve_lang(reminder.language), reminder)
            sent += await tell(
                context.bot, Recipient(reminder.chat_id, reminder.language), text, markup
            )
    if sent:
        log.info("task reminders sent: %s", sent)


JOBS: tuple[JobSpec, ...] = (JobSpec(send_task_reminders, timedelta(minutes=1)),)
