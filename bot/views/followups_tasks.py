"""How tasks are drawn: /tasks lists, a task's card with its actions, /teamtasks (B2)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.customers import OpenCustomer
from bot.callbacks.followups import (
    AssignTaskTo,
    FollowUpTask,
    OpenTask,
    ReassignTask,
    SnoozeTask,
    TaskDone,
    TaskPage,
    TeamTasksView,
)
from bot.callbacks.leads import OpenLead
from bot.i18n import Lang, t
from bot.keyboards import button, pager, rows
from bot.render import local_time, truncate
from storage.tasks import Colleague, TaskCard, TaskLine, TaskList, TeamTasks

View = tuple[str, InlineKeyboardMarkup | None]
PRIORITY_MARK = {"urgent": "‼️", "high": "❗", "normal": "", "low": "▫️"}


def _mark(line: TaskLine | TaskCard) -> str:
    if line.overdue:
        return "⚠️ "
    return "🕘 " if line.due_today else ""


def _label(line: TaskLine, zone: str) -> str:
    due = local_time(line.due_at, zone, "%m-%d %H:%M")
    priority = PRIORITY_MARK[line.priority.value]
    text = f"{_mark(line)}{priority + ' ' if priority else ''}{due} · {line.title}"
    return text if len(text) <= 56 else text[:55] + "…"


def task_list(lang: Lang, result: TaskList, *, back_to_team: bool = False) -> View:
    """A page of open tasks: each a line of text and a button that opens it."""
    page, zone = result.page, result.timezone
    key = "followups.tasks.header_mine" if result.mine else "followups.tasks.header_of"
    lines = [t(lang, key, name=result.name, count=page.total)]
    if not page.items:
        lines.append(t(lang, "followups.tasks.none"))
    for item in page.items:
        state = "overdue" if item.overdue else "today" if item.due_today else "later"
        lines.append(
            t(
                lang,
                f"followups.tasks.line_{state}",
                title=item.title,
                due=local_time(item.due_at, zone),
                priority=t(lang, f"followups.tasks.priority.{item.priority.value}"),
                customer=f" · {item.customer}" if item.customer else "",
            )
        )
    keyboard = [[button(_label(item, zone), OpenTask(item.id))] for item in page.items]
    nav = pager(page, lambda n: TaskPage(result.user_id, n))  # type: ignore[arg-type]
    if nav:
        keyboard.append(nav)
    if back_to_team:
        keyboard.append([button(t(lang, "followups.tasks.btn_team"), TeamTasksView())])
    return truncate("\n".join(lines)), InlineKeyboardMarkup(keyboard) if keyboard else None


def task_card(lang: Lang, card: TaskCard) -> View:
    """The task and what the viewer may do: done, snooze, reassign, log a follow-up."""
    zone = card.timezone
    status = "overdue" if card.overdue else "today" if card.due_today else card.status.value
    lines = [
        t(lang, "followups.tasks.card_title", title=card.title),
        t(
            lang,
            "followups.tasks.card_due",
            due=local_time(card.due_at, zone),
            priority=t(lang, f"followups.tasks.priority.{card.priority.value}"),
            status=t(lang, f"followups.tasks.status.{status}"),
        ),
        t(lang, "followups.tasks.card_assignee", name=card.assignee),
    ]
    if card.customer:
        lines.append(t(lang, "followups.tasks.card_customer", name=card.customer))
    if card.description:
        lines += ["", card.description]
    keyboard: list[list[InlineKeyboardButton]] = []
    if card.status.value == "open":
        keyboard.append([button(t(lang, "followups.tasks.btn_done"), TaskDone(card.id))])
        snooze = [
            button(t(lang, f"followups.tasks.snooze.{o.value}"), SnoozeTask(card.id, o))
            for o in card.snooze
        ]
        if snooze:
            keyboard.append(snooze)
    if card.can_follow_up:
        keyboard.append([button(t(lang, "followups.tasks.btn_followup"), FollowUpTask(card.id))])
    if card.can_reassign:
        keyboard.append([button(t(lang, "followups.tasks.btn_reassign"), ReassignTask(card.id))])
    links = []
    if card.customer_id is not None:
        links.append(
            button(t(lang, "followups.tasks.btn_customer"), OpenCustomer(card.customer_id))
        )
    if card.lead_id is not None:
        links.append(button(t(lang, "followups.tasks.btn_lead"), OpenLead(card.lead_id)))
    links.append(button(t(lang, "followups.tasks.btn_list"), TaskPage(card.assignee_id, 0)))
    keyboard.append(links)
    return truncate("\n".join(lines)), InlineKeyboardMarkup(keyboard)


def reassign_choices(lang: Lang, card: TaskCard, colleagues: Sequence[Colleague]) -> View:
    back = [button(t(lang, "followups.tasks.btn_back"), OpenTask(card.id))]
    if not colleagues:
        return t(lang, "followups.tasks.no_colleagues"), InlineKeyboardMarkup([back])
    picks = rows((button(c.name[:40], AssignTaskTo(card.id, c.id)) for c in colleagues), width=2)
    markup = InlineKeyboardMarkup([*picks.inline_keyboard, back])
    return t(lang, "followups.tasks.reassign_to", title=card.title, name=card.assignee), markup


def reassigned_notice(lang: Lang, card: TaskCard, by: str) -> View:
    """What the new assignee is told, with the task to open."""
    text = t(
        lang,
        "followups.tasks.given_to_you",
        by=by,
        title=card.title,
        due=local_time(card.due_at, card.timezone),
    )
    return text, InlineKeyboardMarkup(
        [[button(t(lang, "followups.tasks.btn_open"), OpenTask(card.id))]]
    )


def team_tasks(lang: Lang, result: TeamTasks) -> View:
    """Each rep's open / due today / overdue counts; tap a rep for their tasks."""
    lines = [t(lang, "followups.tasks.team_header", team=result.team, day=result.today.isoformat())]
    if not result.reps:
        lines.append(t(lang, "followups.tasks.team_empty"))
    for rep in result.reps:
        key = "followups.tasks.team_line_late" if rep.overdue else "followups.tasks.team_line"
        lines.append(
            t(
                lang,
                key,
                name=rep.name,
                open=rep.open,
                today=rep.due_today,
                overdue=rep.overdue,
            )
        )
    keyboard = [
        [
            button(
                t(
                    lang,
                    "followups.tasks.team_button",
                    name=rep.name[:30],
                    open=rep.open,
                    overdue=rep.overdue,
                ),
                TaskPage(rep.user_id, 0),
            )
        ]
        for rep in result.reps
    ]
    return truncate("\n".join(lines)), InlineKeyboardMarkup(keyboard) if keyboard else None
