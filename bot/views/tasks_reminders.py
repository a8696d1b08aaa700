"""How a task reminder is drawn (B2): the task, and buttons that work it from the message.

The buttons are the task card's own (``bot.callbacks.followups``): Done and Snooze redraw the
reminder as the task's card, Open shows the card.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.followups import OpenTask, SnoozeTask, TaskDone
from bot.i18n import Lang, t
from bot.keyboards import button
from bot.render import local_time, truncate
from storage.tasks_reminders import TaskReminder

View = tuple[str, InlineKeyboardMarkup | None]


def reminder_view(lang: Lang, reminder: TaskReminder) -> View:
    """⏰ The task due (or overdue), with Done, the snooze choices and Open."""
    key = "followups.tasks.remind_late" if reminder.overdue else "followups.tasks.remind_due"
    text = t(
        lang,
        key,
        title=reminder.title,
        due=local_time(reminder.due_at, reminder.timezone),
        customer=f" · {reminder.customer}" if reminder.customer else "",
        priority=t(lang, f"followups.tasks.priority.{reminder.priority.value}"),
    )
    task_id = reminder.task_id
    keyboard: list[list[InlineKeyboardButton]] = [
        [button(t(lang, "followups.tasks.btn_done"), TaskDone(task_id))]
    ]
    if reminder.snooze:
        keyboard.append(
            [
                button(t(lang, f"followups.tasks.snooze.{o.value}"), SnoozeTask(task_id, o))
                for o in reminder.snooze
            ]
        )
    keyboard.append([button(t(lang, "followups.tasks.btn_open"), OpenTask(task_id))])
    return truncate(text), InlineKeyboardMarkup(keyboard)
