"""Tasks (B2): a person's open tasks by due date, done / snooze / reassign, and the team view.

A rep sees and works their own tasks; a manager also sees and works every task of the team,
reassigns them to another rep, and gets each rep's open, due-today and overdue counts from
one aggregate query. Every change is one conditional update on an open task, so a task done
twice, or snoozed after someone else finished it, is told apart instead of overwritten.

Completing a task does not count as contact with its customer: only a follow-up moves the
reclaim clock (``storage.followups``, which can close the task it fulfils).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from tortoise.expressions import Q
from tortoise.functions import Count

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.models import Role, Task, TaskPriority, TaskStatus, Team, User
from storage.paging import Page, paginate
from storage.pool_rules import Recipient, recipient

SNOOZE_HOUR = 9


class Snooze(StrEnum):
    HOUR = "hour"
    TOMORROW = "tomorrow"
    NEXT_WEEK = "week"


def day_end(now: datetime, zone: str) -> datetime:
    """The end (next local midnight) of the team's day that contains ``now``, in UTC.

    Always UTC: SQLite stores and compares datetimes as text, so a value with another
    offset would be compared wrongly with the stored UTC ones."""
    local = now.astimezone(ZoneInfo(zone))
    end = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=local.tzinfo)
    return end.astimezone(UTC)


def snooze_until(option: Snooze, now: datetime, zone: str) -> datetime:
    """When a snoozed task falls due again: in an hour, tomorrow 09:00, or next Monday 09:00
    (local times in the team's ``zone``), in UTC."""
    if option is Snooze.HOUR:
        return now + timedelta(hours=1)
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    if option is Snooze.TOMORROW:
        day = today + timedelta(days=1)
    else:
        day = today + timedelta(days=7 - today.weekday())
    return datetime.combine(day, time(SNOOZE_HOUR), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class TaskLine:
    id: int
    title: str
    priority: TaskPriority
    due_at: datetime
    overdue: bool
    due_today: bool
    customer: str | None


@dataclass(frozen=True)
class TaskList:
    user_id: int
    name: str
    mine: bool
    timezone: str
    page: Page[TaskLine]


@dataclass(frozen=True)
class TaskCard:
    id: int
    title: str
    description: str
    priority: TaskPriority
    status: TaskStatus
    due_at: datetime
    overdue: bool
    due_today: bool
    assignee_id: int
    assignee: str
    customer_id: int | None
    customer: str | None
    lead_id: int | None
    timezone: str
    can_reassign: bool
    can_follow_up: bool
    """A follow-up logged from the task completes it (the customer is theirs, or a manager)."""
    snooze: tuple[Snooze, ...]
    """The snooze choices that move the task later than it is due now."""


async def _zone(team_id: int | None) -> str:
    team = await Team.get_or_none(id=team_id) if team_id is not None else None
    if team is None:
        raise NotFound()
    return team.timezone


def _line(task: Task, now: datetime, end: datetime) -> TaskLine:
    return TaskLine(
        task.id,
        task.title,
        task.priority,
        task.due_at,
        task.due_at < now,
        now <= task.due_at < end,
        task.customer.name if task.customer is not None else None,
    )


async def _person(actor: Actor, user_id: int) -> User:
    """``user_id`` if the actor may see their tasks: themselves, or their team as a manager."""
    if user_id == actor.user_id:
        return await User.get(id=user_id)
    if actor.role is not Role.MANAGER or actor.team_id is None:
        raise NotFound()
    user = await User.get_or_none(id=user_id, team_id=actor.team_id)
    if user is None:
        raise NotFound()
    return user


async def task_list(actor: Actor, user_id: int | None, page: int, *, now: datetime) -> TaskList:
    """A page of someone's open tasks, soonest due first (overdue ones lead)."""
    actor.require(Role.REP, Role.MANAGER)
    person = await _person(actor, user_id if user_id is not None else actor.user_id)
    zone = await _zone(actor.team_id)
    query = (
        Task.filter(assignee_id=person.id, status=TaskStatus.OPEN, team_id=actor.team_id)
        .select_related("customer")
        .order_by("due_at", "id")
    )
    found = await paginate(query, page)
    end = day_end(now, zone)
    lines = [_line(task, now, end) for task in found.items]
    page_of = Page(lines, found.number, found.total, found.size)
    return TaskList(person.id, str(person), person.id == actor.user_id, zone, page_of)


async def _visible(actor: Actor, task_id: int) -> Task:
    """The task if it is the actor's own or, for a manager, their team's; else NotFound."""
    actor.require(Role.REP, Role.MANAGER)
    task = await Task.get_or_none(id=task_id, team_id=actor.team_id or 0).select_related(
        "assignee", "customer"
    )
    if task is None or (actor.role is not Role.MANAGER and task.assignee_id != actor.user_id):
        raise NotFound()
    return task


async def task_card(actor: Actor, task_id: int, *, now: datetime) -> TaskCard:
    """One task with what the actor may do with it."""
    task = await _visible(actor, task_id)
    zone = await _zone(task.team_id)
    customer = task.customer
    manager = actor.role is Role.MANAGER
    follow_up = customer is not None and (manager or customer.owner_id == actor.user_id)
    is_open = task.status is TaskStatus.OPEN
    return TaskCard(
        task.id,
        task.title,
        task.description,
        task.priority,
        task.status,
        task.due_at,
        is_open and task.due_at < now,
        is_open and now <= task.due_at < day_end(now, zone),
        task.assignee_id,
        str(task.assignee),
        task.customer_id,
        customer.name if customer is not None else None,
        task.lead_id,
        zone,
        can_reassign=manager and is_open,
        can_follow_up=follow_up and is_open,
        snooze=tuple(o for o in Snooze if snooze_until(o, now, zone) > task.due_at)
        if is_open
        else (),
    )


async def complete_task(actor: Actor, task_id: int, *, now: datetime) -> TaskCard:
    """Mark an open task done (its customer's reclaim clock is not touched)."""
    task = await _visible(actor, task_id)
    done = await Task.filter(id=task.id, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, completed_at=now
    )
    if done != 1:
        raise Invalid("followups.tasks.not_open")
    await audit.record("task.done", "task", task.id, now=now, actor=actor, team_id=task.team_id)
    return await task_card(actor, task.id, now=now)


async def snooze_task(actor: Actor, task_id: int, option: Snooze, *, now: datetime) -> TaskCard:
    """Push an open task's due time (and its reminder, by the same lead) to later."""
    task = await _visible(actor, task_id)
    due = snooze_until(option, now, await _zone(task.team_id))
    if due <= task.due_at:
        raise Invalid("followups.tasks.snooze_not_later")
    remind = None
    if task.remind_at is not None:
        remind = max(now, due - (task.due_at - task.remind_at))
    moved = await Task.filter(id=task.id, status=TaskStatus.OPEN).update(
        due_at=due, remind_at=remind, reminded_at=None
    )
    if moved != 1:
        raise Invalid("followups.tasks.not_open")
    await audit.record(
        "task.snooze",
        "task",
        task.id,
        now=now,
        actor=actor,
        team_id=task.team_id,
        data={"from": task.due_at.isoformat(), "to": due.isoformat(), "option": option.value},
    )
    return await task_card(actor, task.id, now=now)


@dataclass(frozen=True)
class Colleague:
    id: int
    name: str


async def reassign_choices(actor: Actor, task_id: int) -> list[Colleague]:
    """The team's active reps an open task can move to (not its current assignee)."""
    actor.require(Role.MANAGER)
    task = await _visible(actor, task_id)
    if task.status is not TaskStatus.OPEN:
        raise Invalid("followups.tasks.not_open")
    reps = await User.filter(team_id=task.team_id, role=Role.REP, is_active=True).exclude(
        id=task.assignee_id
    )
    return sorted((Colleague(u.id, str(u)) for u in reps), key=lambda c: c.name.lower())


@dataclass(frozen=True)
class Reassigned:
    card: TaskCard
    previous: str
    notify: Recipient


async def reassign_task(
    actor: Actor, task_id: int, to_user_id: int, *, now: datetime
) -> Reassigned:
    """Give an open task to another active rep of the team (a manager's decision)."""
    actor.require(Role.MANAGER)
    task = await _visible(actor, task_id)
    target = await User.get_or_none(
        id=to_user_id, team_id=task.team_id, role=Role.REP, is_active=True
    )
    if target is None:
        raise NotFound()
    if target.id == task.assignee_id:
        raise Invalid("followups.tasks.same_assignee", name=str(target))
    moved = await Task.filter(
        id=task.id, status=TaskStatus.OPEN, assignee_id=task.assignee_id
    ).update(assignee_id=target.id, reminded_at=None)
    if moved != 1:
        raise Invalid("followups.tasks.not_open")
    await audit.record(
        "task.reassign",
        "task",
        task.id,
        now=now,
        actor=actor,
        team_id=task.team_id,
        data={"from": task.assignee_id, "to": target.id},
    )
    card = await task_card(actor, task.id, now=now)
    return Reassigned(card, str(task.assignee), recipient(target))


@dataclass(frozen=True)
class RepTasks:
    user_id: int
    name: str
    open: int
    due_today: int
    overdue: int


@dataclass(frozen=True)
class TeamTasks:
    team: str
    timezone: str
    today: date
    reps: list[RepTasks]


async def team_tasks(actor: Actor, *, now: datetime) -> TeamTasks:
    """Each rep's open, due-today (still ahead) and overdue tasks: one grouped count query
    and one query for the names, whatever the size of the team."""
    actor.require(Role.MANAGER)
    team = await Team.get_or_none(id=actor.team_id or 0)
    if team is None:
        raise NotFound()
    end = day_end(now, team.timezone)
    rows = (
        await Task.filter(team_id=team.id, status=TaskStatus.OPEN)
        .annotate(
            n_open=Count("id"),
            n_today=Count("id", _filter=Q(due_at__gte=now, due_at__lt=end)),
            n_overdue=Count("id", _filter=Q(due_at__lt=now)),
        )
        .group_by("assignee_id")
        .values("assignee_id", "n_open", "n_today", "n_overdue")
    )
    counts = {int(r["assignee_id"]): r for r in rows}
    people = await User.filter(
        Q(role=Role.REP, is_active=True) | Q(id__in=list(counts)), team_id=team.id
    )
    reps = [
        RepTasks(
            u.id,
            str(u),
            int(counts.get(u.id, {}).get("n_open") or 0),
            int(counts.get(u.id, {}).get("n_today") or 0),
            int(counts.get(u.id, {}).get("n_overdue") or 0),
        )
        for u in people
    ]
    reps.sort(key=lambda r: (-r.overdue, -r.due_today, -r.open, r.name.lower()))
    local_today = now.astimezone(ZoneInfo(team.timezone)).date()
    return TeamTasks(team.name, team.timezone, local_today, reps)
