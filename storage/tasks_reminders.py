"""Task reminders (B2): found from the stored ``remind_at`` and claimed once per reminder.

A reminder is due when an open task's ``remind_at`` has come and ``reminded_at`` is still
NULL. One query finds everything due, whatever the number of tasks or people; each message is
then claimed by one conditional update (``reminded_at`` NULL → now, on the task as it was
loaded) right before it is sent, so a rerun, a restarted process or a second instance never
sends it twice. Snoozing or reassigning a task clears ``reminded_at`` (``storage.tasks``), so
the task is reminded again at its new time or to its new assignee.

``reminded_at`` also marks reminders deliberately skipped: those more than ``GRACE`` late (the
bot was down — the task shows as overdue in /tasks and the digest anyway, and a burst of old
reminders would only bury the current ones) and those of assignees no longer active in the
task's team. A claim that wins but whose message cannot be delivered is not retried.

A task made with a due date and no reminder of its own is reminded when it falls due
(``default_remind_at``); ``remind_at`` NULL means "no reminder".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.models import Task, TaskPriority, TaskStatus
from storage.tasks import Snooze, snooze_until

BATCH = 500
GRACE = timedelta(hours=12)
"""A reminder later than this is stamped, not sent."""
LATE = timedelta(minutes=5)
"""A reminder sent this long after the due time says the task is overdue."""


def default_remind_at(due_at: datetime, remind_at: datetime | None = None) -> datetime:
    """When to remind of a task due at ``due_at``: its own reminder time, else the due time."""
    return remind_at if remind_at is not None else due_at


def snooze_choices(due_at: datetime, now: datetime, zone: str) -> tuple[Snooze, ...]:
    """The snooze options that move a task due at ``due_at`` later than that."""
    return tuple(o for o in Snooze if snooze_until(o, now, zone) > due_at)


@dataclass(frozen=True)
class TaskReminder:
    task_id: int
    assignee_id: int
    remind_at: datetime
    title: str
    priority: TaskPriority
    due_at: datetime
    overdue: bool
    customer: str | None
    timezone: str
    snooze: tuple[Snooze, ...]
    chat_id: int
    language: str | None
    active: bool
    """False: the assignee left the team or was deactivated — stamp, do not send."""


async def due_task_reminders(now: datetime, limit: int = BATCH) -> list[TaskReminder]:
    """Open tasks whose reminder time has come, oldest first; stale ones are stamped.

    Two statements whatever the number of tasks: one stamps the reminders too late to be
    useful, one loads the rest with their assignee, customer and team.
    """
    due = Task.filter(status=TaskStatus.OPEN, reminded_at=None, remind_at__lte=now)
    await due.filter(remind_at__lt=now - GRACE).update(reminded_at=now)
    rows = (
        await due.filter(remind_at__gte=now - GRACE)
        .select_related("assignee", "customer", "team")
        .order_by("remind_at", "id")
        .limit(limit)
    )
    reminders = []
    for task in rows:
        person, zone = task.assignee, task.team.timezone
        reminders.append(
            TaskReminder(
                task_id=task.id,
                assignee_id=task.assignee_id,
                remind_at=task.remind_at or now,
                title=task.title,
                priority=task.priority,
                due_at=task.due_at,
                overdue=task.due_at + LATE <= now,
                customer=task.customer.name if task.customer is not None else None,
                timezone=zone,
                snooze=snooze_choices(task.due_at, now, zone),
                chat_id=person.telegram_id,
                language=person.language or person.telegram_language,
                active=person.is_active and person.team_id == task.team_id,
            )
        )
    return reminders


async def claim_task_reminder(reminder: TaskReminder, now: datetime) -> bool:
    """Take the reminder for sending; False if it was sent, snoozed, moved or closed meanwhile."""
    claimed = await Task.filter(
        id=reminder.task_id,
        status=TaskStatus.OPEN,
        assignee_id=reminder.assignee_id,
        remind_at=reminder.remind_at,
        reminded_at=None,
    ).update(reminded_at=now)
    return claimed == 1
