"""Buttons of follow-ups, the sales stages and tasks (B2, B3).

``LogFollowUp`` starts logging a follow-up for a customer; the card shows it to the owner.
Every prefix of this area starts with ``fu`` so parallel areas cannot collide with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback
from storage.models import FollowUpKind
from storage.tasks import Snooze

# ----- the follow-up form -----


@callback("fu")
@dataclass(frozen=True)
class LogFollowUp(CallbackData):
    customer_id: int


@callback("futask")
@dataclass(frozen=True)
class FollowUpTask(CallbackData):
    """Log a follow-up for the task's customer; saving it completes the task."""

    task_id: int


@callback("fucust")
@dataclass(frozen=True)
class PickCustomer(CallbackData):
    customer_id: int


@callback("fukind")
@dataclass(frozen=True)
class PickKind(CallbackData):
    kind: FollowUpKind


@callback("fuskip")
@dataclass(frozen=True)
class SkipStep(CallbackData):
    """Leave the optional field ``step`` empty (the attachment: remove it); a Skip of a step
    the form has left behind is stale."""

    step: str


@callback("fusave")
@dataclass(frozen=True)
class SaveFollowUp(CallbackData):
    pass


@callback("fuedit")
@dataclass(frozen=True)
class EditFollowUp(CallbackData):
    """Show the draft's fields to change one."""


@callback("fufld")
@dataclass(frozen=True)
class EditFollowUpField(CallbackData):
    field: str


# ----- tasks -----


@callback("futl")
@dataclass(frozen=True)
class TaskPage(CallbackData):
    """Page ``page`` of ``user_id``'s open tasks."""

    user_id: int
    page: int


@callback("futo")
@dataclass(frozen=True)
class OpenTask(CallbackData):
    task_id: int


@callback("futd")
@dataclass(frozen=True)
class TaskDone(CallbackData):
    task_id: int


@callback("futs")
@dataclass(frozen=True)
class SnoozeTask(CallbackData):
    task_id: int
    option: Snooze


@callback("futr")
@dataclass(frozen=True)
class ReassignTask(CallbackData):
    """A manager starts moving a task: the team's reps as buttons."""

    task_id: int


@callback("futa")
@dataclass(frozen=True)
class AssignTaskTo(CallbackData):
    task_id: int
    user_id: int


@callback("futt")
@dataclass(frozen=True)
class TeamTasksView(CallbackData):
    """Back to /teamtasks (recounted)."""


# ----- stages -----


@callback("fusb")
@dataclass(frozen=True)
class StageBoardOf(CallbackData):
    """The pipeline of ``team_id``."""

    team_id: int


@callback("fuso")
@dataclass(frozen=True)
class OpenStage(CallbackData):
    stage_id: int


@callback("fusa")
@dataclass(frozen=True)
class StageAction(CallbackData):
    """An edit done by a tap: ``up``, ``down``, ``lines`` (the checklist editor), ``drop``
    (asks to confirm) or ``dropok``."""

    stage_id: int
    action: str


@callback("fusq")
@dataclass(frozen=True)
class AskStageText(CallbackData):
    """An edit that needs typing: ``name``, ``goal``, ``prob`` or ``line`` (a new line)."""

    stage_id: int
    field: str


@callback("fusle")
@dataclass(frozen=True)
class EditStageLine(CallbackData):
    """Retype checklist line ``index``; ``tag`` is the line's fingerprint when shown."""

    stage_id: int
    index: int
    tag: int


@callback("fusld")
@dataclass(frozen=True)
class DropStageLine(CallbackData):
    stage_id: int
    index: int
    tag: int


@callback("fusn")
@dataclass(frozen=True)
class NewStage(CallbackData):
    team_id: int


# ----- a customer's own stage, from the card -----


@callback("fucs")
@dataclass(frozen=True)
class PickCustomerStage(CallbackData):
    customer_id: int


@callback("fucss")
@dataclass(frozen=True)
class SetCustomerStage(CallbackData):
    customer_id: int
    stage_id: int
