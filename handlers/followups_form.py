"""/followup: logging a contact with a customer, from a draft confirmed with one tap (B2).

Nothing is saved until the rep taps Save on the draft; each field can be changed from there.

```mermaid
stateDiagram-v2
    [*] --> CUSTOMER: /followup (recent customers; typing searches)
    [*] --> KIND: the card's Log follow-up, or a task's
    CUSTOMER --> KIND: a customer button
    KIND --> NOTE: a kind button
    NOTE --> NOTE: a photo or voice without caption (kept; Skip offered)
    NOTE --> NEXT: a note (or a captioned photo/voice, or Skip)
    NEXT --> WHEN: the next step
    NEXT --> CONFIRM: Skip
    WHEN --> CONFIRM: a future date/time, or Skip
    CONFIRM --> [*]: Save
    CONFIRM --> EDIT: Edit
    EDIT --> CUSTOMER: a field (CUSTOMER…WHEN, or ATTACH), then back to CONFIRM
```
Any state: /cancel or Cancel leaves without saving. The states, the draft and the questions
several steps ask live in ``followups_steps``.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.access import requires
from bot.callbacks.followups import (
    EditFollowUp,
    EditFollowUpField,
    FollowUpTask,
    LogFollowUp,
    PickCustomer,
    PickKind,
    SaveFollowUp,
    SkipStep,
)
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply, text_of
from bot.views import followups as views
from handlers.customers_card import send_card
from handlers.flow import (
    ANYTHING_ELSE,
    TEXT,
    answer_and_clear,
    conversation,
    pressed,
    reprompt,
    tapped,
    then_clear,
)
from handlers.followups_steps import (
    DRAFT,
    MEDIA,
    State,
    as_draft,
    ask,
    ask_next,
    begin,
    draft_of,
    show_summary,
    team_zone,
)
from storage import followups
from storage.followups_when import parse_when
from storage.models import Role

# ----- entering the form -----


@requires(Role.REP, Role.MANAGER)
async def start(update: Update, context: FieldContext) -> int:
    """/followup [words]: recent customers first, or the matches of the words."""
    context.drafts[DRAFT] = {}
    words = " ".join(context.args or [])
    if not words.strip():
        return await ask(update, context, State.CUSTOMER)
    choices = await followups.search_customers(context.require_actor(), words)
    await reply(update, *views.customer_picker(context.lang, choices, words))
    return State.CUSTOMER


@requires(Role.REP, Role.MANAGER)
async def from_card(update: Update, context: FieldContext) -> int | None:
    """The card's Log follow-up: the customer is known, ask how the contact happened."""
    query = update.callback_query
    data = LogFollowUp.parse(query.data if query else None)
    if query is None or data is None:
        return None
    choice = await followups.pick_customer(context.require_actor(), data.customer_id)
    await query.answer()
    begin(context, choice)
    return await ask(update, context, State.KIND)


@requires(Role.REP, Role.MANAGER)
async def from_task(update: Update, context: FieldContext) -> int | None:
    """A task's Log follow-up: saving the follow-up completes the task."""
    query = update.callback_query
    data = FollowUpTask.parse(query.data if query else None)
    if query is None or data is None:
        return None
    choice = await followups.task_customer(context.require_actor(), data.task_id)
    await query.answer()
    begin(context, choice, data.task_id)
    return await ask(update, context, State.KIND)


# ----- the fields -----


async def customer_search(update: Update, context: FieldContext) -> State:
    """Typed words: the rep's customers that match, as buttons."""
    text = text_of(update)
    choices = await followups.search_customers(context.require_actor(), text)
    await reply(update, *views.customer_picker(context.lang, choices, text[:60]))
    return State.CUSTOMER


async def customer_picked(update: Update, context: FieldContext) -> int:
    """A customer button (checked before the buttons go: a refusal leaves them usable)."""
    picked = pressed(update, PickCustomer)
    if picked is None:
        return State.CUSTOMER
    return await then_clear(update, _chose_customer(update, context, picked.customer_id))


async def _chose_customer(update: Update, context: FieldContext, customer_id: int) -> int:
    choice = await followups.pick_customer(context.require_actor(), customer_id)
    draft = draft_of(context)
    draft["customer_id"], draft["customer_name"] = choice.id, choice.name
    draft["task_id"] = None  # a task belongs to the customer it was opened for
    return await ask_next(update, context, State.KIND)


async def kind_picked(update: Update, context: FieldContext) -> int:
    picked = await tapped(update, PickKind)
    if picked is None:
        return State.KIND
    draft_of(context)["kind"] = picked.kind.value
    return await ask_next(update, context, State.NOTE)


async def note_typed(update: Update, context: FieldContext) -> int:
    draft_of(context)["note"] = followups.clean_note(text_of(update))
    return await ask_next(update, context, State.NEXT)


def _attachment(update: Update) -> tuple[dict[str, str], str]:
    """The photo (largest size) or voice message, and its caption."""
    message = update.effective_message
    assert message is not None
    if message.photo:
        photo = message.photo[-1]
        kept = {"file_id": photo.file_id, "kind": "photo", "unique_id": photo.file_unique_id}
    else:
        assert message.voice is not None
        voice = message.voice
        kept = {"file_id": voice.file_id, "kind": "voice", "unique_id": voice.file_unique_id}
    return kept, message.caption or ""


async def note_media(update: Update, context: FieldContext) -> int:
    """A photo or voice message: kept; its caption is the note, else the note is asked."""
    kept, caption = _attachment(update)
    draft = draft_of(context)
    draft["attachment"] = kept
    if caption.strip():
        draft["note"] = followups.clean_note(caption)
        return await ask_next(update, context, State.NEXT)
    return await ask(update, context, State.NOTE)


async def attachment_sent(update: Update, context: FieldContext) -> int:
    kept, caption = _attachment(update)
    draft = draft_of(context)
    draft["attachment"] = kept
    if caption.strip() and not draft.get("note"):
        draft["note"] = followups.clean_note(caption)
    return await show_summary(update, context)


async def next_typed(update: Update, context: FieldContext) -> int:
    draft_of(context)["next"] = followups.clean_next_step(text_of(update))
    return await ask(update, context, State.WHEN)


async def when_typed(update: Update, context: FieldContext) -> int:
    """A date and time in the team's zone; the past or nonsense is refused with examples."""
    now = context.services.clock.now()
    moment = parse_when(text_of(update), now=now, zone=await team_zone(context))
    draft_of(context)["when"] = moment.isoformat()
    return await show_summary(update, context)


async def skipped(update: Update, context: FieldContext) -> int:
    """Skip: the optional field being asked for stays empty (an attachment is removed); the
    note only once a photo or voice message says what happened."""
    query = update.callback_query
    data = SkipStep.parse(query.data if query else None)
    draft = draft_of(context)
    at = State(draft.get("at", State.NOTE))
    if query is None or data is None or SKIPPABLE.get(data.step) is not at:
        if query is not None:
            await query.answer(t(context.lang, "general.stale_button"))
        return at
    await answer_and_clear(update)
    if at is State.NOTE:
        if not draft.get("attachment"):
            return await ask(update, context, State.NOTE)
        draft["note"] = ""
        return await ask_next(update, context, State.NEXT)
    if at is State.ATTACH:
        draft["attachment"] = None
    elif at is State.NEXT:
        draft["next"] = draft["when"] = None
    else:
        draft["when"] = None
    return await show_summary(update, context)


# ----- the draft -----


async def save(update: Update, context: FieldContext) -> int:
    """Save: the follow-up with everything it causes, then the customer's card.

    A refusal (the customer was reclaimed, the next step's time has passed) is answered on
    the button and leaves the draft and its buttons in place, to edit or cancel."""
    draft = context.drafts.get(DRAFT)
    if not isinstance(draft, dict) or "kind" not in draft or "customer_id" not in draft:
        await answer_and_clear(update)
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    return await then_clear(update, _save(update, context, draft))


async def _save(update: Update, context: FieldContext, draft: dict[str, Any]) -> int:
    logged = await followups.log_followup(
        context.require_actor(), as_draft(draft), now=context.services.clock.now()
    )
    context.drafts.pop(DRAFT, None)
    await reply(update, views.saved_text(context.lang, logged))
    await send_card(update, context, logged.customer_id)
    return ConversationHandler.END


async def edit(update: Update, context: FieldContext) -> State:
    """Edit: which field to change."""
    query = update.callback_query
    if query is not None:
        await query.answer()
    await reply(update, *views.edit_fields(context.lang))
    return State.EDIT


FIELD_STATES = {
    "customer": State.CUSTOMER,
    "kind": State.KIND,
    "note": State.NOTE,
    "attachment": State.ATTACH,
    "next": State.NEXT,
    "when": State.WHEN,
}


async def edit_field(update: Update, context: FieldContext) -> int:
    """Ask the chosen field again; its answer leads back to the draft."""
    picked = await tapped(update, EditFollowUpField)
    if picked is None or picked.field not in FIELD_STATES:
        return State.EDIT
    draft = draft_of(context)
    draft["editing"] = True
    state = FIELD_STATES[picked.field]
    if state is State.WHEN and not draft.get("next"):
        state = State.NEXT  # a date belongs to a next step: ask for the step first
    return await ask(update, context, state)


def _state(state: State, key: str, *handlers: BaseHandler[Any, Any, Any]) -> list[Any]:
    """A state's own handlers, then a re-prompt for anything else."""
    return [*handlers, MessageHandler(ANYTHING_ELSE, reprompt(state, key))]


def _tap(callback: Any, kind: Any) -> CallbackQueryHandler[Any, Any]:
    return CallbackQueryHandler(callback, pattern=kind.match)


SKIPPABLE = {"note": State.NOTE, "attachment": State.ATTACH, "next": State.NEXT, "when": State.WHEN}


def conversation_handler() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    skip = _tap(skipped, SkipStep)
    return conversation(
        "followup",
        entry_points=[
            CommandHandler("followup", start, filters.ChatType.PRIVATE),
            _tap(from_card, LogFollowUp),
            _tap(from_task, FollowUpTask),
        ],
        states={
            State.CUSTOMER: _state(
                State.CUSTOMER,
                "followups.need_customer",
                _tap(customer_picked, PickCustomer),
                MessageHandler(TEXT, customer_search),
            ),
            State.KIND: _state(State.KIND, "followups.need_kind", _tap(kind_picked, PickKind)),
            State.NOTE: _state(
                State.NOTE,
                "followups.need_note",
                MessageHandler(TEXT, note_typed),
                MessageHandler(MEDIA, note_media),
                skip,
            ),
            State.ATTACH: _state(
                State.ATTACH,
                "followups.need_attachment",
                MessageHandler(MEDIA, attachment_sent),
                skip,
            ),
            State.NEXT: _state(
                State.NEXT,
                "followups.need_next",
                MessageHandler(TEXT, next_typed),
                skip,
            ),
            State.WHEN: _state(
                State.WHEN,
                "followups.need_when",
                MessageHandler(TEXT, when_typed),
                skip,
            ),
            State.CONFIRM: _state(
                State.CONFIRM,
                "followups.need_button",
                _tap(save, SaveFollowUp),
                _tap(edit, EditFollowUp),
            ),
            State.EDIT: _state(
                State.EDIT, "followups.need_button", _tap(edit_field, EditFollowUpField)
            ),
        },
        draft=DRAFT,
    )
