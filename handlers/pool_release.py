"""Releasing a customer back to the pool, with a reason (A1).

```mermaid
stateDiagram-v2
    [*] --> REASON: Release button (owner, or a manager of the team)
    REASON --> [*]: a reason button (customer released)
    REASON --> NOTE: "Other…"
    REASON --> REASON: text instead of a button (re-prompt)
    NOTE --> [*]: the typed reason (customer released)
    NOTE --> NOTE: not text, empty or too long (re-prompt)
    REASON --> [*]: /cancel, Cancel, or another command (nothing changes)
    NOTE --> [*]: /cancel, Cancel, or another command (nothing changes)
```

Another command ends the form rather than waiting behind it: otherwise the next form the
user starts would have its answers taken for a release reason.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.access import requires
from bot.callbacks.pool import PickReleaseReason, ReleaseCustomer
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply, text_of
from bot.views import pool as views
from handlers.flow import (
    ANYTHING_ELSE,
    TEXT,
    answer_and_clear,
    conversation,
    pressed,
    reprompt,
    then_clear,
)
from handlers.pool_notify import language, tell
from storage import pool_claims
from storage.access import NotFound
from storage.models import Role
from storage.pool_rules import ReleaseReason

DRAFT = "pool_release"


class State(IntEnum):
    REASON = 1
    NOTE = 2


@requires(Role.REP, Role.MANAGER)
async def start(update: Update, context: FieldContext) -> State | None:
    """Release: check the customer may be released, then offer the reasons."""
    query = update.callback_query
    payload = ReleaseCustomer.parse(query.data if query else None)
    if query is None or payload is None:
        return None
    target = await pool_claims.releasable(context.require_actor(), payload.customer_id)
    context.drafts[DRAFT] = {"customer_id": target.customer_id, "name": target.name}
    await query.answer()
    await reply(update, *views.release_reasons(context.lang, target))
    return State.REASON


async def reason_picked(update: Update, context: FieldContext) -> int:
    """A reason button: release now, or ask for the words when it is "Other…"."""
    payload = pressed(update, PickReleaseReason)
    if payload is None:
        return State.REASON
    if payload.reason is ReleaseReason.OTHER:
        await answer_and_clear(update)
        name = (context.drafts.get(DRAFT) or {}).get("name", "")
        context.drafts[DRAFT] = {"customer_id": payload.customer_id, "name": name}
        await reply(update, t(context.lang, "pool.release.ask_note", name=name))
        return State.NOTE
    step = _release(update, context, payload.customer_id, payload.reason, None)
    return await then_clear(update, step)


async def note_typed(update: Update, context: FieldContext) -> int:
    """The rep's own reason for "Other…"."""
    draft = context.drafts.get(DRAFT)
    if not draft:
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    return await _release(
        update, context, int(draft["customer_id"]), ReleaseReason.OTHER, text_of(update)
    )


async def _release(
    update: Update,
    context: FieldContext,
    customer_id: int,
    reason: ReleaseReason,
    note: str | None,
) -> int:
    """Release; an empty or too long note raises Invalid and the state stays (re-prompt)."""
    try:
        result = await pool_claims.release_customer(
            context.require_actor(), customer_id, reason, note, now=context.services.clock.now()
        )
    except NotFound:  # reclaimed or moved meanwhile: nothing left to release
        context.drafts.pop(DRAFT, None)
        await reply(update, t(context.lang, "error.not_found"))
        return ConversationHandler.END
    context.drafts.pop(DRAFT, None)
    await reply(update, views.released(context.lang, result))
    if result.former_owner is not None:
        lang = language(result.former_owner)
        await tell(context.bot, result.former_owner, views.released_by_manager(lang, result))
    return ConversationHandler.END


async def leave(update: Update, context: FieldContext) -> int:
    """Another command mid-form: end this form, say so, and let the user send it again."""
    draft = context.drafts.pop(DRAFT, None) or {}
    await reply(update, t(context.lang, "pool.release.left", name=draft.get("name", "")))
    return ConversationHandler.END


def conversation_handler() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    return conversation(
        "pool_release",
        entry_points=[CallbackQueryHandler(start, pattern=ReleaseCustomer.match)],
        states={
            State.REASON: [
                CallbackQueryHandler(reason_picked, pattern=PickReleaseReason.match),
                # text or anything else while the reason buttons are shown: point at them
                MessageHandler(ANYTHING_ELSE, reprompt(State.REASON, "pool.release.pick_reason")),
            ],
            State.NOTE: [
                MessageHandler(TEXT, note_typed),
                # a photo, location… where the reason's text is expected
                MessageHandler(ANYTHING_ELSE, reprompt(State.NOTE, "pool.release.need_note")),
            ],
        },
        fallbacks=[MessageHandler(filters.COMMAND, leave)],
        draft=DRAFT,
    )
