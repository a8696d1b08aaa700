"""On-site check-in: the customer, the current location, a photo and a note (B4).

This module holds the check-in form and lists every check-in handler (``handlers()``); the
check-out and live-location counting live in ``checkin_out``, /visits in ``checkin_visits``.

```mermaid
stateDiagram-v2
    [*] --> PICK: /checkin
    [*] --> LOCATION: the card's Check in, a calendar entry's Check in (same revision)
    PICK --> LOCATION: a customer button (typed words search, ‹ › page)
    LOCATION --> PHOTO: a location from the phone (forwarded or a map venue: asked again)
    PHOTO --> NOTE: a photo within the window, or Skip when the photo is optional
    PHOTO --> [*]: a photo after the window (nothing saved: start again)
    NOTE --> [*]: a note or Skip (check-in recorded with its follow-up and closed visit)
```
Any state: /cancel or Cancel leaves without saving. Nothing is written before the end.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from telegram import ReplyKeyboardRemove, Update
from telegram.constants import ChatType
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.access import requires
from bot.callbacks.checkin import (
    CheckInAt,
    CheckInPage,
    CheckInPick,
    CheckInSkip,
    CheckInVisit,
    SkipStep,
)
from bot.context import FieldContext
from bot.i18n import t
from bot.render import plain_text
from bot.replies import reply, text_of
from bot.views import checkin as views
from handlers import checkin_out, checkin_visits
from handlers.checkin_draft import (
    DRAFT,
    draft_of,
    keep_location,
    located_at,
    record_of,
    start_draft,
    target_of,
)
from handlers.checkin_out import LIVE
from handlers.flow import (
    ANYTHING_ELSE,
    TEXT,
    Callback,
    answer_and_clear,
    conversation,
    pressed,
    reprompt,
    then_clear,
)
from storage import checkins
from storage.access import DomainError, Invalid
from storage.checkins import CheckInTarget
from storage.checkins_choices import checkin_choices
from storage.models import Role

FRESH = filters.UpdateType.MESSAGE
"""A new message — an edit (a live location moving, a retouched text) is not an answer."""
EDITED = filters.UpdateType.EDITED


class State(IntEnum):
    PICK = 1
    LOCATION = 2
    PHOTO = 3
    NOTE = 4


async def _expired(update: Update, context: FieldContext) -> int:
    context.drafts.pop(DRAFT, None)
    await reply(update, t(context.lang, "flow.expired"), ReplyKeyboardRemove())
    return ConversationHandler.END


async def _ended(update: Update, context: FieldContext, error: DomainError) -> int:
    """A refusal that ends the form: say why, and that nothing was saved."""
    context.drafts.pop(DRAFT, None)
    params = error.params if isinstance(error, Invalid) else {}
    text = t(context.lang, error.code, **params) + "\n" + t(context.lang, "checkin.not_saved")
    await reply(update, text, ReplyKeyboardRemove())
    return ConversationHandler.END


# ----- choosing where -----


@requires(Role.REP)
async def start(update: Update, context: FieldContext) -> State | int:
    """/checkin: the rep's customers, today's planned visits first."""
    result = await checkin_choices(context.require_actor(), now=context.services.clock.now())
    await reply(update, *views.choices(context.lang, result))
    if not result.page.total:
        context.drafts.pop(DRAFT, None)
        return ConversationHandler.END
    context.drafts[DRAFT] = {"search": ""}  # no customer yet: only the typed search
    return State.PICK


async def search(update: Update, context: FieldContext) -> State:
    """Typed words: the rep's customers whose name matches."""
    words = text_of(update)
    context.drafts[DRAFT] = {"search": words}
    result = await checkin_choices(
        context.require_actor(), now=context.services.clock.now(), text=words
    )
    await reply(update, *views.choices(context.lang, result))
    return State.PICK


async def turn_page(update: Update, context: FieldContext) -> State:
    """‹ ›: another page of the list, in place."""
    query = update.callback_query
    payload = CheckInPage.parse(query.data if query else None)
    if query is None or payload is None:
        return State.PICK
    text = str((context.drafts.get(DRAFT) or {}).get("search", ""))
    result = await checkin_choices(
        context.require_actor(), now=context.services.clock.now(), page=payload.page, text=text
    )
    await query.answer()
    body, markup = views.choices(context.lang, result)
    await query.edit_message_text(body, reply_markup=markup)
    return State.PICK


async def picked(update: Update, context: FieldContext) -> State | int:
    """A customer from the list."""
    payload = pressed(update, CheckInPick)
    if payload is None:
        return State.PICK
    return await then_clear(update, _start_at(update, context, payload.customer_id))


async def _start_at(update: Update, context: FieldContext, customer_id: int) -> State:
    """Check the customer is the rep's (else NotFound) and ask for the location."""
    target = await checkins.start_at_customer(context.require_actor(), customer_id)
    return await _ask_location(update, context, target)


async def _in_private(update: Update, context: FieldContext) -> bool:
    """Check-ins happen in the private chat: a tap elsewhere gets a notice and starts nothing."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        return True
    if update.callback_query is not None:
        text = plain_text(t(context.lang, "checkin.private_only"))
        await update.callback_query.answer(text, show_alert=True)
    return False


async def _answer(update: Update) -> None:
    """Acknowledge a Check in button; the card's or calendar's buttons stay for later."""
    if update.callback_query is not None:
        await update.callback_query.answer()


@requires(Role.REP)
async def at_customer(update: Update, context: FieldContext) -> State | int | None:
    """The card's Check in: straight to the location."""
    query = update.callback_query
    payload = CheckInAt.parse(query.data if query else None)
    if payload is None or not await _in_private(update, context):
        return None
    target = await checkins.start_at_customer(context.require_actor(), payload.customer_id)
    await _answer(update)
    return await _ask_location(update, context, target)


@requires(Role.REP)
async def for_visit(update: Update, context: FieldContext) -> State | int | None:
    """A calendar entry's Check in: only while the entry is where the button says."""
    query = update.callback_query
    payload = CheckInVisit.parse(query.data if query else None)
    if payload is None or not await _in_private(update, context):
        return None
    target = await checkins.start_for_entry(
        context.require_actor(), payload.entry_id, payload.revision
    )
    await _answer(update)
    return await _ask_location(update, context, target)


async def _ask_location(update: Update, context: FieldContext, target: CheckInTarget) -> State:
    start_draft(context, target)
    await reply(update, *views.ask_location(context.lang, target))
    return State.LOCATION


# ----- the location -----


def _again(key: str) -> Callback:
    """Refuse this input with ``key`` and offer the location button again."""

    async def again(update: Update, context: FieldContext) -> int:
        draft = draft_of(context)
        if draft is None:
            return await _expired(update, context)
        _, keyboard = views.ask_location(context.lang, target_of(draft))
        await reply(update, t(context.lang, key), keyboard)
        return State.LOCATION

    again.__doc__ = f"Answer {key!r} and ask for the location again."
    return again


async def got_location(update: Update, context: FieldContext) -> State | int:
    """The current location: keep it (with its time and accuracy) and ask for the photo."""
    message, draft = update.effective_message, draft_of(context)
    if draft is None:
        return await _expired(update, context)
    if message is None or message.location is None:
        return State.LOCATION
    keep_location(draft, message.location, message.message_id, context.services.clock.now())
    lang = context.lang
    await reply(update, t(lang, "checkin.location_received"), ReplyKeyboardRemove())
    await reply(
        update, *views.ask_photo(lang, bool(draft["photo_required"]), draft["photo_minutes"])
    )
    return State.PHOTO


async def cancel(update: Update, context: FieldContext) -> int:
    """/cancel or the keyboard's Cancel while the location is asked: also hide the keyboard."""
    context.drafts.pop(DRAFT, None)
    await reply(update, t(context.lang, "flow.cancelled"), ReplyKeyboardRemove())
    return ConversationHandler.END


# ----- the photo and the note -----


async def got_photo(update: Update, context: FieldContext) -> State | int:
    """A photo of the site, if still within the team's window after the location."""
    message, draft = update.effective_message, draft_of(context)
    located = located_at(draft) if draft else None
    if draft is None or located is None:
        return await _expired(update, context)
    if message is None or not message.photo:
        return State.PHOTO
    now = context.services.clock.now()
    try:
        await checkins.check_photo_time(context.require_actor(), located, now)
    except checkins.PhotoTooLate as late:
        return await _ended(update, context, late)
    largest = message.photo[-1]
    draft.update(
        photo_file_id=largest.file_id,
        photo_unique_id=largest.file_unique_id,
        photo_at=now.isoformat(),
    )
    await reply(update, *views.ask_note(context.lang))
    return State.NOTE


async def skip_photo(update: Update, context: FieldContext) -> State | int:
    """Skip the photo, when the team does not require one."""
    draft = draft_of(context)
    if draft is None:
        return await _expired(update, context)
    payload = CheckInSkip.parse(update.callback_query.data if update.callback_query else None)
    if payload is None or payload.step is not SkipStep.PHOTO or draft.get("photo_required"):
        return await _not_now(update, context, State.PHOTO)
    await answer_and_clear(update)
    await reply(update, *views.ask_note(context.lang))
    return State.NOTE


async def skip_note(update: Update, context: FieldContext) -> State | int:
    """Skip the note: record the check-in."""
    payload = CheckInSkip.parse(update.callback_query.data if update.callback_query else None)
    if payload is None or payload.step is not SkipStep.NOTE:
        return await _not_now(update, context, State.NOTE)
    await answer_and_clear(update)
    return await _save(update, context, "")


async def _not_now(update: Update, context: FieldContext, state: State) -> State:
    """An old Skip button of another step: it skips nothing here."""
    query = update.callback_query
    if query is not None:
        await query.answer(plain_text(t(context.lang, "checkin.skip_not_now")), show_alert=True)
    return state


async def need_photo(update: Update, context: FieldContext) -> State:
    """Anything but a photo where the photo is expected."""
    draft = draft_of(context) or {}
    key = (
        "checkin.need_photo" if draft.get("photo_required", True) else "checkin.need_photo_optional"
    )
    await reply(update, t(context.lang, key))
    return State.PHOTO


async def got_note(update: Update, context: FieldContext) -> State | int:
    """The note: record the check-in (a note too long is asked again)."""
    note = checkins.clean_note(text_of(update))
    return await _save(update, context, note)


async def _save(update: Update, context: FieldContext, note: str) -> int:
    """Record the check-in with its effects; a refusal now ends the form unsaved."""
    draft = draft_of(context)
    record = record_of(draft, note) if draft else None
    if record is None:
        return await _expired(update, context)
    try:
        result = await checkins.record_checkin(
            context.require_actor(), record, now=context.services.clock.now()
        )
    except DomainError as error:
        return await _ended(update, context, error)
    context.drafts.pop(DRAFT, None)
    if result.live is not None:
        context.drafts[LIVE] = result.live.to_json()
    photo = record.photo_file_id is not None
    await reply(update, *views.checked_in(context.lang, result, photo=photo, note=note))
    return ConversationHandler.END


async def ignore(update: Update, context: FieldContext) -> None:
    """An edited message mid-form (a live location moving): not an answer, no reply."""


def conversation_handler() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    edits = MessageHandler(EDITED, ignore)
    return conversation(
        "checkin",
        entry_points=[
            CommandHandler("checkin", start, filters.ChatType.PRIVATE),
            CallbackQueryHandler(at_customer, pattern=CheckInAt.match),
            CallbackQueryHandler(for_visit, pattern=CheckInVisit.match),
        ],
        states={
            State.PICK: [
                CallbackQueryHandler(picked, pattern=CheckInPick.match),
                CallbackQueryHandler(turn_page, pattern=CheckInPage.match),
                MessageHandler(FRESH & TEXT, search),
                edits,
                MessageHandler(ANYTHING_ELSE, reprompt(State.PICK, "checkin.need_pick")),
            ],
            State.LOCATION: [
                CommandHandler("cancel", cancel),
                MessageHandler(FRESH & filters.Text(views.cancel_labels()), cancel),
                edits,
                MessageHandler(filters.FORWARDED & filters.LOCATION, _again("checkin.forwarded")),
                MessageHandler(filters.VENUE, _again("checkin.venue")),
                MessageHandler(filters.LOCATION, got_location),
                MessageHandler(ANYTHING_ELSE, _again("checkin.need_location")),
            ],
            State.PHOTO: [
                edits,
                MessageHandler(
                    filters.FORWARDED & filters.PHOTO,
                    reprompt(State.PHOTO, "checkin.forwarded_photo"),
                ),
                MessageHandler(filters.PHOTO, got_photo),
                CallbackQueryHandler(skip_photo, pattern=CheckInSkip.match),
                MessageHandler(
                    filters.LOCATION, reprompt(State.PHOTO, "checkin.photo_not_location")
                ),
                MessageHandler(ANYTHING_ELSE, need_photo),
            ],
            State.NOTE: [
                edits,
                MessageHandler(FRESH & TEXT, got_note),
                CallbackQueryHandler(skip_note, pattern=CheckInSkip.match),
                MessageHandler(ANYTHING_ELSE, reprompt(State.NOTE, "checkin.need_note")),
            ],
        },
        draft=DRAFT,
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application: live positions first, then the form."""
    return [
        *checkin_out.handlers(),
        conversation_handler(),
        *checkin_visits.handlers(),
    ]
