"""Tasks: /tasks, a task's card (done, snooze, reassign, log a follow-up), /teamtasks (B2).

Lists and cards redraw the message they were tapped in, so a rep moves between their list
and a task without filling the chat. A reassigned task is announced to its new assignee.
"""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.access import requires
from bot.callbacks.followups import (
    AssignTaskTo,
    OpenTask,
    ReassignTask,
    SnoozeTask,
    TaskDone,
    TaskPage,
    TeamTasksView,
)
from bot.context import FieldContext
from bot.i18n import resolve_lang, t
from bot.render import plain_text
from bot.replies import reply
from bot.views import followups_tasks as views
from handlers.pool_notify import edit, tell
from storage import tasks
from storage.models import Role

WORKERS = (Role.REP, Role.MANAGER)


async def _show(query: CallbackQuery, view: tuple[str, InlineKeyboardMarkup | None]) -> None:
    await edit(query, *view)


@requires(*WORKERS)
async def tasks_command(update: Update, context: FieldContext) -> None:
    """/tasks: your open tasks, soonest due first."""
    result = await tasks.task_list(
        context.require_actor(), None, 0, now=context.services.clock.now()
    )
    await reply(update, *views.task_list(context.lang, result))


@requires(*WORKERS)
async def turn_page(update: Update, context: FieldContext) -> None:
    """A page of someone's tasks (a manager's tap on a rep lands here too)."""
    query = update.callback_query
    data = TaskPage.parse(query.data if query else None)
    if query is None or data is None:
        return
    actor = context.require_actor()
    result = await tasks.task_list(actor, data.user_id, data.page, now=context.services.clock.now())
    back = actor.role is Role.MANAGER and not result.mine
    await query.answer()
    await _show(query, views.task_list(context.lang, result, back_to_team=back))


@requires(*WORKERS)
async def open_task(update: Update, context: FieldContext) -> None:
    """A task's card with what the viewer may do."""
    query = update.callback_query
    data = OpenTask.parse(query.data if query else None)
    if query is None or data is None:
        return
    card = await tasks.task_card(
        context.require_actor(), data.task_id, now=context.services.clock.now()
    )
    await query.answer()
    await _show(query, views.task_card(context.lang, card))


@requires(*WORKERS)
async def done(update: Update, context: FieldContext) -> None:
    """Done: the task is closed (its customer's reclaim clock is not touched)."""
    query = update.callback_query
    data = TaskDone.parse(query.data if query else None)
    if query is None or data is None:
        return
    card = await tasks.complete_task(
        context.require_actor(), data.task_id, now=context.services.clock.now()
    )
    await query.answer(plain_text(t(context.lang, "followups.tasks.done")))
    await _show(query, views.task_card(context.lang, card))


@requires(*WORKERS)
async def snooze(update: Update, context: FieldContext) -> None:
    """Snooze: due again in an hour, tomorrow 09:00 or next Monday 09:00."""
    query = update.callback_query
    data = SnoozeTask.parse(query.data if query else None)
    if query is None or data is None:
        return
    card = await tasks.snooze_task(
        context.require_actor(), data.task_id, data.option, now=context.services.clock.now()
    )
    await query.answer(plain_text(t(context.lang, "followups.tasks.snoozed")))
    await _show(query, views.task_card(context.lang, card))


@requires(Role.MANAGER)
async def reassign(update: Update, context: FieldContext) -> None:
    """Reassign: the team's other reps as buttons."""
    query = update.callback_query
    data = ReassignTask.parse(query.data if query else None)
    if query is None or data is None:
        return
    actor, now = context.require_actor(), context.services.clock.now()
    colleagues = await tasks.reassign_choices(actor, data.task_id)
    card = await tasks.task_card(actor, data.task_id, now=now)
    await query.answer()
    await _show(query, views.reassign_choices(context.lang, card, colleagues))


@requires(Role.MANAGER)
async def assign_to(update: Update, context: FieldContext) -> None:
    """The new assignee: the task moves, and they are told."""
    query = update.callback_query
    data = AssignTaskTo.parse(query.data if query else None)
    if query is None or data is None:
        return
    actor = context.require_actor()
    moved = await tasks.reassign_task(
        actor, data.task_id, data.user_id, now=context.services.clock.now()
    )
    lang = context.lang
    await query.answer(plain_text(t(lang, "followups.tasks.reassigned", name=moved.card.assignee)))
    await _show(query, views.task_card(lang, moved.card))
    their = resolve_lang(moved.notify.language)
    await tell(
        context.bot, moved.notify, *views.reassigned_notice(their, moved.card, actor.full_name)
    )


@requires(Role.MANAGER)
async def team_command(update: Update, context: FieldContext) -> None:
    """/teamtasks: each rep's open, due-today and overdue tasks."""
    result = await tasks.team_tasks(context.require_actor(), now=context.services.clock.now())
    await reply(update, *views.team_tasks(context.lang, result))


@requires(Role.MANAGER)
async def team_again(update: Update, context: FieldContext) -> None:
    """Back to the team's counts, recounted."""
    query = update.callback_query
    if query is None or TeamTasksView.parse(query.data) is None:
        return
    result = await tasks.team_tasks(context.require_actor(), now=context.services.clock.now())
    await query.answer()
    await _show(query, views.team_tasks(context.lang, result))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        CommandHandler("tasks", tasks_command, filters.ChatType.PRIVATE),
        CommandHandler("teamtasks", team_command, filters.ChatType.PRIVATE),
        CallbackQueryHandler(turn_page, pattern=TaskPage.match),
        CallbackQueryHandler(open_task, pattern=OpenTask.match),
        CallbackQueryHandler(done, pattern=TaskDone.match),
        CallbackQueryHandler(snooze, pattern=SnoozeTask.match),
        CallbackQueryHandler(reassign, pattern=ReassignTask.match),
        CallbackQueryHandler(assign_to, pattern=AssignTaskTo.match),
        CallbackQueryHandler(team_again, pattern=TeamTasksView.match),
    ]
