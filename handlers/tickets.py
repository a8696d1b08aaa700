"""After-sales tickets (E3): the customer's /newticket form, and every ticket handler.

This module holds /newticket and lists the area's handlers; the customer's other actions live
in ``tickets_customer``, the service side in ``tickets_agent``, sending in ``tickets_notify``.

```mermaid
stateDiagram-v2
    [*] --> CATEGORY: /newticket (or "new ticket" for a message typed outside a form)
    CATEGORY --> DESCRIPTION: category button
    CATEGORY --> PHOTOS: category button, the description already given
    DESCRIPTION --> PHOTOS: text, or a photo with a caption
    DESCRIPTION --> DESCRIPTION: a photo alone (kept; the words are still asked for)
    PHOTOS --> PHOTOS: photos, one by one or albums (up to 10; more are refused, once)
    PHOTOS --> CONTACT: Done / Skip
    CONTACT --> [*]: a choice, No preference, or typed words (the ticket is opened)
```
"""

from __future__ import annotations

from enum import IntEnum
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
from bot.callbacks.tickets import FilePending, PhotosDone, PickCategory, PickContact
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply, text_of
from bot.views import tickets as views
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
from handlers.tickets_agent import handlers as agent_handlers
from handlers.tickets_customer import INBOX
from handlers.tickets_customer import handlers as customer_handlers
from handlers.tickets_notify import answer, deliver, first_of_album, photo_of
from storage import tickets
from storage.models import Role, TicketCategory
from storage.tickets_rules import DESCRIPTION_MAX, PHOTOS_MAX

DRAFT = "newticket"


class State(IntEnum):
    CATEGORY = 1
    DESCRIPTION = 2
    PHOTOS = 3
    CONTACT = 4


def _draft(context: FieldContext) -> dict[str, Any]:
    draft: dict[str, Any] = context.drafts.setdefault(DRAFT, {"photos": [], "extra": 0})
    return draft


async def _ask_category(update: Update, context: FieldContext) -> State:
    await reply(
        update, t(context.lang, "tickets.ask_category"), views.category_buttons(context.lang)
    )
    return State.CATEGORY


@requires(Role.CUSTOMER)
async def start(update: Update, context: FieldContext) -> State:
    """/newticket: ask what it is about."""
    context.drafts[DRAFT] = {"photos": [], "extra": 0}
    return await _ask_category(update, context)


def _new_with_pending(data: object) -> bool:
    pending = FilePending.parse(data)
    return pending is not None and pending.ticket_id is None


@requires(Role.CUSTOMER)
async def start_with_pending(update: Update, context: FieldContext) -> State | None:
    """A new ticket from what the customer typed outside a form: it is the description."""
    pending = context.drafts.pop(INBOX, None)
    if not pending:
        await answer(update, context, t(context.lang, "tickets.inbox_expired"))
        return None
    await answer_and_clear(update)
    context.drafts[DRAFT] = {
        "photos": list(pending.get("photos", []))[:PHOTOS_MAX],
        "extra": 0,
        "description": pending.get("text") or None,
    }
    return await _ask_category(update, context)


async def category_picked(update: Update, context: FieldContext) -> State:
    """Keep the category; ask for the description (unless it came with the message)."""
    picked = await tapped(update, PickCategory)
    if picked is None:
        return State.CATEGORY
    draft = _draft(context)
    draft["category"] = picked.category.value
    if draft.get("description"):
        return await _ask_photos(update, context)
    await reply(update, t(context.lang, "tickets.ask_description", limit=DESCRIPTION_MAX))
    return State.DESCRIPTION


async def description_typed(update: Update, context: FieldContext) -> State:
    """A usable description (else the reason, and the same question stays)."""
    _draft(context)["description"] = tickets.clean_description(text_of(update))
    return await _ask_photos(update, context)


async def description_photo(update: Update, context: FieldContext) -> State:
    """A photo before the words: kept; its caption, if any, is the description."""
    draft = _draft(context)
    draft["photos"] = (draft["photos"] + list(photo_of(update)))[:PHOTOS_MAX]
    message = update.effective_message
    caption = message.caption if message is not None else None
    if caption:
        draft["description"] = tickets.clean_description(caption)
        return await _ask_photos(update, context, album=True)
    if first_of_album(update, draft):
        await reply(update, t(context.lang, "tickets.photo_kept_need_text"))
    return State.DESCRIPTION


async def _ask_photos(update: Update, context: FieldContext, *, album: bool = False) -> State:
    draft, lang = _draft(context), context.lang
    if album:
        first_of_album(update, draft)
    count = len(draft["photos"])
    key = "tickets.ask_more_photos" if count else "tickets.ask_photos"
    await reply(
        update, t(lang, key, limit=PHOTOS_MAX, count=count), views.photos_buttons(lang, count)
    )
    return State.PHOTOS


async def photo_added(update: Update, context: FieldContext) -> State:
    """Keep a photo (up to the limit); acknowledge singles, and an album once."""
    draft, lang = _draft(context), context.lang
    first = first_of_album(update, draft)
    album = update.effective_message is not None and update.effective_message.media_group_id
    if len(draft["photos"]) >= PHOTOS_MAX:
        draft["extra"] += 1
        if not draft.get("warned"):
            draft["warned"] = True
            await reply(
                update,
                t(lang, "tickets.photos_full", limit=PHOTOS_MAX),
                views.photos_buttons(lang, 1),
            )
        return State.PHOTOS
    draft["photos"].append(photo_of(update)[0])
    if first:
        key = "tickets.album_receiving" if album else "tickets.photo_added"
        count = len(draft["photos"])
        await reply(
            update, t(lang, key, count=count, limit=PHOTOS_MAX), views.photos_buttons(lang, count)
        )
    return State.PHOTOS


async def photos_done(update: Update, context: FieldContext) -> State:
    """Photos are in: say how many were kept, ask how to get in touch."""
    if await tapped(update, PhotosDone) is None:
        return State.PHOTOS
    draft, lang = _draft(context), context.lang
    count, extra = len(draft["photos"]), int(draft.get("extra", 0))
    lines = [t(lang, "tickets.photos_kept", count=count)] if count else []
    if extra:
        lines.append(t(lang, "tickets.photos_dropped", extra=extra, limit=PHOTOS_MAX))
    lines.append(t(lang, "tickets.ask_contact"))
    await reply(update, "\n".join(lines), views.contact_buttons(lang))
    return State.CONTACT


async def contact_picked(update: Update, context: FieldContext) -> int:
    picked = pressed(update, PickContact)
    if picked is None:
        return State.CONTACT
    return await then_clear(update, _open(update, context, picked.preference))


async def contact_typed(update: Update, context: FieldContext) -> int:
    return await _open(update, context, text_of(update))


async def _open(update: Update, context: FieldContext, contact: str | None) -> int:
    """Open the ticket, confirm it with its number and promised response time, tell the agent."""
    draft = context.drafts.get(DRAFT) or {}
    if not draft.get("category") or not draft.get("description"):
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    now = context.services.clock.now()
    opened = await tickets.open_ticket(
        context.require_actor(),
        tickets.TicketDraft(
            TicketCategory(draft["category"]),
            draft["description"],
            tuple(draft["photos"]),
            contact,
        ),
        now=now,
    )
    context.drafts.pop(DRAFT, None)
    await reply(update, views.opened_text(context.lang, opened))
    await deliver(context.bot, opened.notices, now)
    return ConversationHandler.END


def new_ticket() -> ConversationHandler[Any]:
    """A fresh /newticket form for one application."""
    return conversation(
        DRAFT,
        entry_points=[
            CommandHandler("newticket", start, filters.ChatType.PRIVATE),
            CallbackQueryHandler(start_with_pending, pattern=_new_with_pending),
        ],
        states={
            State.CATEGORY: [
                CallbackQueryHandler(category_picked, pattern=PickCategory.match),
                MessageHandler(ANYTHING_ELSE, reprompt(State.CATEGORY, "tickets.need_category")),
            ],
            State.DESCRIPTION: [
                MessageHandler(TEXT, description_typed),
                MessageHandler(filters.PHOTO, description_photo),
                MessageHandler(
                    ANYTHING_ELSE, reprompt(State.DESCRIPTION, "tickets.need_description")
                ),
            ],
            State.PHOTOS: [
                MessageHandler(filters.PHOTO, photo_added),
                CallbackQueryHandler(photos_done, pattern=PhotosDone.match),
                MessageHandler(
                    filters.Document.ALL, reprompt(State.PHOTOS, "tickets.photo_not_document")
                ),
                MessageHandler(ANYTHING_ELSE, reprompt(State.PHOTOS, "tickets.need_photos")),
            ],
            State.CONTACT: [
                CallbackQueryHandler(contact_picked, pattern=PickContact.match),
                MessageHandler(TEXT, contact_typed),
                MessageHandler(ANYTHING_ELSE, reprompt(State.CONTACT, "tickets.need_contact")),
            ],
        },
        draft=DRAFT,
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [new_ticket(), *customer_handlers(), *agent_handlers()]
