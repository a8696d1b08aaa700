"""The /followup form's shared pieces: its states and draft, and the questions several steps
ask (``handlers.followups_form`` holds the steps and the state table).

The draft (``context.drafts["followup"]``) holds JSON-able values only: ``customer_id`` and
``customer_name``, ``task_id``, ``kind``, ``note``, ``attachment`` (file id, kind, unique id),
``next`` and ``when`` (ISO), and where the form is (``at``) and whether a field is being
changed from the summary (``editing``).
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler, filters

from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply
from bot.views import followups as views
from storage import followups, teams
from storage.followups import Attachment, CustomerChoice, FollowUpDraft
from storage.models import FollowUpKind

DRAFT = "followup"
MEDIA = filters.PHOTO | filters.VOICE


class State(IntEnum):
    CUSTOMER = 1
    KIND = 2
    NOTE = 3
    ATTACH = 4
    NEXT = 5
    WHEN = 6
    CONFIRM = 7
    EDIT = 8


def draft_of(context: FieldContext) -> dict[str, Any]:
    """The form's draft (created empty if needed)."""
    draft = context.drafts.get(DRAFT)
    if not isinstance(draft, dict):
        draft = context.drafts[DRAFT] = {}
    return draft


def as_draft(draft: dict[str, Any]) -> FollowUpDraft:
    """The draft as storage takes it."""
    attachment = draft.get("attachment")
    when = draft.get("when")
    return FollowUpDraft(
        customer_id=int(draft["customer_id"]),
        kind=FollowUpKind(draft["kind"]),
        note=str(draft.get("note") or ""),
        attachment=Attachment(**attachment) if isinstance(attachment, dict) else None,
        next_step=draft.get("next"),
        next_step_at=datetime.fromisoformat(when) if when else None,
        task_id=draft.get("task_id"),
    )


async def show_summary(update: Update, context: FieldContext) -> int:
    """The draft as it will be saved, and whether it counts."""
    draft = draft_of(context)
    if "customer_id" not in draft or "kind" not in draft:
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    draft["editing"] = False
    result = as_draft(draft)
    preview = await followups.preview(context.require_actor(), result)
    await reply(update, *views.draft_summary(context.lang, result, preview))
    return State.CONFIRM


async def ask_next(update: Update, context: FieldContext, state: State) -> int:
    """Ask the next field in order — or, when a field was being edited, show the draft."""
    if draft_of(context).get("editing"):
        return await show_summary(update, context)
    return await ask(update, context, state)


async def ask(update: Update, context: FieldContext, state: State) -> int:
    """Ask the question of ``state`` (with its buttons) and wait there."""
    lang, draft = context.lang, draft_of(context)
    draft["at"] = state.value
    if state is State.CUSTOMER:
        choices = await followups.recent_customers(context.require_actor())
        await reply(update, *views.customer_picker(lang, choices, None))
    elif state is State.KIND:
        await reply(update, *views.kind_prompt(lang, str(draft.get("customer_name", ""))))
    elif state is State.NOTE:
        attachment = draft.get("attachment")
        kind = attachment["kind"] if isinstance(attachment, dict) else None
        await reply(update, *views.note_prompt(lang, kind))
    elif state is State.ATTACH:
        await reply(update, *views.attachment_prompt(lang, bool(draft.get("attachment"))))
    elif state is State.NEXT:
        await reply(update, *views.next_prompt(lang))
    elif state is State.WHEN:
        await reply(update, *views.when_prompt(lang, await team_zone(context)))
    return state


async def team_zone(context: FieldContext) -> str:
    """The rep's team's time zone, in which a typed date and time is read."""
    actor = context.require_actor()
    return await teams.team_timezone(actor.team_id, context.services.settings.timezone)


def begin(context: FieldContext, choice: CustomerChoice, task_id: int | None = None) -> None:
    """A fresh draft for ``choice`` (and the task it completes, if any)."""
    context.drafts[DRAFT] = {
        "customer_id": choice.id,
        "customer_name": choice.name,
        "task_id": task_id,
    }
