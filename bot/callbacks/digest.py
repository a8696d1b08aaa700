"""Buttons of the daily digest (chat-ops).

The digest's decisions reuse the other areas' payloads where they exist — Reassign is the
pool's ``AssignCustomer``, a waiting lead's Assign is the leads' ``AssignLead`` — and add the
three below. Every prefix starts with ``dg``. Ids are references only: storage checks that the
tapping manager's team owns them, so a forged id answers "not found".
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback


@callback("dgext")
@dataclass(frozen=True)
class ExtendCustomer(CallbackData):
    """A manager extends a customer about to be reclaimed (no request from the rep needed)."""

    customer_id: int


@callback("dgnudge")
@dataclass(frozen=True)
class NudgeTask(CallbackData):
    """A manager reminds the assignee of an overdue task, privately (once per task per day)."""

    task_id: int


@callback("dgvisit")
@dataclass(frozen=True)
class OpenVisit(CallbackData):
    """Show a check-in's location and photo in the chat the button was tapped in."""

    checkin_id: int
