"""What a manager does from the digest besides the pool's own buttons: nudge a rep about an
overdue task, and open a flagged visit.

Both are for the managers of the record's team only; anyone else's ids answer "not found",
exactly like ids that do not exist. A nudge goes out once per task per team day: the first
tap claims the ``(digest_nudge, <task>:<day>)`` row of the job-run table, whose unique key
lets exactly one of two managers tapping at once (on one instance or several) win.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage import audit, jobruns
from storage.access import Actor, Invalid, NotFound
from storage.digest_time import local_today
from storage.models import CheckIn, Role, Task, TaskStatus, Team, User
from storage.pool_rules import Recipient, recipient

NUDGE_JOB = "digest_nudge"


def _team_of(actor: Actor) -> int:
    actor.require(Role.MANAGER)
    if actor.team_id is None:
        raise NotFound()
    return actor.team_id


@dataclass(frozen=True)
class Nudge:
    task_id: int
    title: str
    due_at: datetime
    timezone: str
    customer: str | None
    rep_name: str
    rep: Recipient | None
    manager_name: str
    already: bool
    """True when the task was already nudged today: nothing is sent again."""


async def nudge_task(actor: Actor, task_id: int, *, now: datetime) -> Nudge:
    """Remind the assignee of one of the team's open tasks, at most once per task per day."""
    team_id = _team_of(actor)
    task = await Task.get_or_none(id=task_id, team_id=team_id).select_related(
        "assignee", "customer", "team"
    )
    if task is None:
        raise NotFound()
    if task.status is not TaskStatus.OPEN:
        raise Invalid("digest.nudge_closed", title=task.title)
    team: Team = task.team
    day = local_today(now, team.timezone)
    first = await jobruns.claim_run(NUDGE_JOB, f"{task.id}:{day.isoformat()}", instance="", now=now)
    if first:
        await jobruns.finish_run(
            NUDGE_JOB, f"{task.id}:{day.isoformat()}", now=now, result={"by": actor.user_id}
        )
        await audit.record(
            "task.nudge", "task", task.id, now=now, actor=actor, team_id=team_id, data={}
        )
    assignee: User = task.assignee
    return Nudge(
        task.id,
        task.title,
        task.due_at,
        team.timezone,
        task.customer.name if task.customer is not None else None,
        str(assignee),
        recipient(assignee) if assignee.is_active else None,
        actor.full_name,
        already=not first,
    )


@dataclass(frozen=True)
class Visit:
    checkin_id: int
    rep_name: str
    customer: str
    at: datetime
    timezone: str
    latitude: float
    longitude: float
    accuracy_m: float | None
    distance_m: float | None
    photo_file_id: str | None
    note: str
    flags: list[str]


async def visit(actor: Actor, checkin_id: int) -> Visit:
    """One of the team's check-ins with its location and photo, for a manager to look at."""
    team_id = _team_of(actor)
    checkin = await CheckIn.get_or_none(id=checkin_id, team_id=team_id).select_related(
        "rep", "customer", "team"
    )
    if checkin is None:
        raise NotFound()
    return Visit(
        checkin.id,
        str(checkin.rep),
        checkin.customer.name,
        checkin.checked_in_at,
        checkin.team.timezone,
        checkin.latitude,
        checkin.longitude,
        checkin.accuracy_m,
        checkin.distance_m,
        checkin.photo_file_id,
        checkin.note,
        list(checkin.flags or []),
    )
