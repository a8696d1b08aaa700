"""Calendar reminders before each entry and the morning agenda (B5).

Both jobs tick often and read what is due from the stored calendar, so a restart, a late
start or a second instance changes nothing: each reminder and each rep's agenda of a local
day is claimed by a conditional update just before it is sent (``storage.calendar_reminders``)
and goes out once. No ``run_once`` period is needed on top of those per-row claims.
"""

from __future__ import annotations

from datetime import timedelta

from bot.context import FieldContext
from bot.i18n import resolve_lang
from bot.views import calendar as views
from handlers.calendar_notify import tell
from scheduler.runs import JobSpec
from storage import calendar_reminders


async def send_reminders(context: FieldContext) -> None:
    """Every minute: remind each rep of entries whose reminder time has come."""
    now = context.services.clock.now
    for reminder in await calendar_reminders.due_reminders(now()):
        if not await calendar_reminders.claim_reminder(reminder, now()):
            continue
        if reminder.active:
            lang = resolve_lang(reminder.language)
            text, markup = views.reminder_view(lang, reminder.entry, now())
            await tell(context.bot, reminder.chat_id, text, markup)


async def send_agendas(context: FieldContext) -> None:
    """Every few minutes: the day's agenda to each rep whose morning hour has come."""
    now = context.services.clock.now
    for agenda in await calendar_reminders.due_agendas(now()):
        if await calendar_reminders.claim_agenda(agenda):
            text, markup = views.agenda_view(resolve_lang(agenda.language), agenda)
            await tell(context.bot, agenda.chat_id, text, markup)


JOBS: tuple[JobSpec, ...] = (
    JobSpec(send_reminders, timedelta(minutes=1)),
    JobSpec(send_agendas, timedelta(minutes=5)),
)
