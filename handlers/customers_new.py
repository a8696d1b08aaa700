"""/newcustomer: a guided form for a new customer, checked field by field (A2).

```mermaid
stateDiagram-v2
    [*] --> COMPANY: /newcustomer
    COMPANY --> CONTACT: a new company name
    COMPANY --> [*]: a known company (its card is offered)
    CONTACT --> PHONE: a name, or Skip
    PHONE --> ADDRESS: a valid, new number
    PHONE --> [*]: a known number (its card is offered)
    ADDRESS --> REGION: an address, or Skip
    ADDRESS --> ADDRESS_TEXT: a shared location
    ADDRESS_TEXT --> REGION: an address, or Skip
    REGION --> INDUSTRY: a button, a typed value, or Skip
    INDUSTRY --> CONFIRM: a button, a typed value, or Skip
    CONFIRM --> [*]: Save (owned by a rep; a manager's goes to the pool)
    CONFIRM --> EDIT: Edit
    EDIT --> COMPANY: a field… (then straight back to CONFIRM)
```
Any state: /cancel or Cancel leaves without saving.
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
from bot.callbacks.customers import EditDraft, EditField, PickOption, SaveCustomer, SkipField
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply, text_of
from bot.views import customers_form as views
from handlers.customers_card import send_card
from handlers.flow import ANYTHING_ELSE, TEXT, answer_and_clear, conversation, reprompt, then_clear
from storage import customers
from storage.customers import ADDRESS_MAX, CONTACT_MAX, LABEL_MAX, CustomerDraft
from storage.models import Role

DRAFT = "newcustomer"


class State(IntEnum):
    COMPANY = 1
    CONTACT = 2
    PHONE = 3
    ADDRESS = 4
    ADDRESS_TEXT = 5
    REGION = 6
    INDUSTRY = 7
    CONFIRM = 8
    EDIT = 9


FIELDS: dict[str, State] = {
    "name": State.COMPANY,
    "contact_name": State.CONTACT,
    "phone": State.PHONE,
    "address": State.ADDRESS,
    "region": State.REGION,
    "industry": State.INDUSTRY,
}
ORDER = list(FIELDS)
OPTIONAL = {"contact_name", "address", "region", "industry"}


def _draft(context: FieldContext) -> dict[str, Any]:
    draft = context.drafts.get(DRAFT)
    if not isinstance(draft, dict):
        draft = context.drafts[DRAFT] = {}
    return draft


async def _ask(update: Update, context: FieldContext, field: str) -> State:
    """Prompt for ``field`` (with the team's values as buttons for region and industry)."""
    lang, draft = context.lang, _draft(context)
    options: list[str] = []
    if field in ("region", "industry"):
        options = await customers.team_values(context.require_actor(), field)
    draft["options"], draft["at"] = options, field
    markup = views.field_keyboard(lang, options, skippable=field in OPTIONAL)
    await reply(update, t(lang, f"customers.new.ask_{field}"), markup)
    return FIELDS[field]


async def _next(update: Update, context: FieldContext, done: str) -> State:
    """After ``done``: the next field, or the summary when editing or at the end."""
    draft = _draft(context)
    position = ORDER.index(done) + 1
    if draft.get("editing") or position >= len(ORDER):
        return await _summary(update, context)
    return await _ask(update, context, ORDER[position])


async def _summary(update: Update, context: FieldContext) -> State:
    draft = _draft(context)
    draft["editing"] = False
    text, markup = views.draft_summary(context.lang, _as_draft(draft))
    await reply(update, text, markup)
    return State.CONFIRM


def _as_draft(draft: dict[str, Any]) -> CustomerDraft:
    return CustomerDraft(
        name=draft.get("name", ""),
        contact_name=draft.get("contact_name"),
        phone=draft.get("phone"),
        address=draft.get("address"),
        latitude=draft.get("latitude"),
        longitude=draft.get("longitude"),
        region=draft.get("region"),
        industry=draft.get("industry"),
    )


async def _duplicate(update: Update, context: FieldContext, dup: customers.Duplicate) -> int:
    """Show the existing customer instead of making a second one, and leave the form."""
    context.drafts.pop(DRAFT, None)
    text, markup = views.duplicate_text(context.lang, dup)
    await reply(update, text, markup)
    return ConversationHandler.END


@requires(Role.MANAGER, Role.REP)
async def start(update: Update, context: FieldContext) -> State:
    """/newcustomer: start a fresh draft with the company name."""
    context.drafts[DRAFT] = {}
    return await _ask(update, context, "name")


async def company(update: Update, context: FieldContext) -> int:
    """A company name: refused if the team already has it."""
    name = customers.clean_company(text_of(update))
    dup = await customers.check_duplicate(context.require_actor(), name=name)
    if dup is not None:
        return await _duplicate(update, context, dup)
    _draft(context)["name"] = name
    return await _next(update, context, "name")


async def contact(update: Update, context: FieldContext) -> State:
    _draft(context)["contact_name"] = customers.clean_text(text_of(update), CONTACT_MAX)
    return await _next(update, context, "contact_name")


async def phone(update: Update, context: FieldContext) -> int:
    """A phone number, normalised for the team's country; a known number ends the form."""
    actor = context.require_actor()
    number = await customers.clean_phone(actor.team_id or 0, text_of(update))
    dup = await customers.check_duplicate(actor, phone=number)
    if dup is not None:
        return await _duplicate(update, context, dup)
    _draft(context)["phone"] = number
    return await _next(update, context, "phone")


async def address(update: Update, context: FieldContext) -> State:
    draft = _draft(context)
    draft["address"] = customers.clean_text(text_of(update), ADDRESS_MAX)
    draft["latitude"] = draft["longitude"] = None
    return await _next(update, context, "address")


async def location(update: Update, context: FieldContext) -> State:
    """A shared location: keep the coordinates, then offer an optional address text."""
    message = update.effective_message
    if message is None or message.location is None:
        return State.ADDRESS
    draft = _draft(context)
    draft["latitude"], draft["longitude"] = message.location.latitude, message.location.longitude
    draft["address"], draft["at"] = None, "address_text"
    markup = views.field_keyboard(context.lang, [], skippable=True)
    await reply(update, t(context.lang, "customers.new.ask_address_text"), markup)
    return State.ADDRESS_TEXT


async def address_text(update: Update, context: FieldContext) -> State:
    _draft(context)["address"] = customers.clean_text(text_of(update), ADDRESS_MAX)
    return await _next(update, context, "address")


async def label_typed(update: Update, context: FieldContext) -> State:
    """A region or industry typed by hand."""
    field = _current_label(context)
    _draft(context)[field] = customers.clean_text(text_of(update), LABEL_MAX)
    return await _next(update, context, field)


async def option_picked(update: Update, context: FieldContext) -> State:
    """A region or industry picked from the team's values."""
    query = update.callback_query
    data = PickOption.parse(query.data if query else None)
    draft, field = _draft(context), _current_label(context)
    options = draft.get("options") or []
    if query is None or data is None or not 0 <= data.index < len(options):
        return FIELDS[field]
    draft[field] = options[data.index]
    return await then_clear(update, _next(update, context, field))


def _current_label(context: FieldContext) -> str:
    return "industry" if _draft(context).get("at") == "industry" else "region"


async def skip(update: Update, context: FieldContext) -> State:
    """Skip: leave the optional field being asked for empty."""
    await answer_and_clear(update)
    draft = _draft(context)
    field = draft.get("at", "address")
    if field == "address_text":
        return await _next(update, context, "address")
    if field not in OPTIONAL:
        return FIELDS.get(field, State.COMPANY)
    draft[field] = None
    if field == "address":
        draft["latitude"] = draft["longitude"] = None
    return await _next(update, context, field)


async def save(update: Update, context: FieldContext) -> int:
    """Save: a rep's customer is theirs, a manager's goes to the pool (a refusal: retry)."""
    return await then_clear(update, _save(update, context))


async def _save(update: Update, context: FieldContext) -> int:
    draft = context.drafts.get(DRAFT)
    if not isinstance(draft, dict) or not draft.get("name"):
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    result = await customers.register_customer(
        context.require_actor(), _as_draft(draft), now=context.services.clock.now()
    )
    if result.duplicate is not None:
        return await _duplicate(update, context, result.duplicate)
    context.drafts.pop(DRAFT, None)
    key = "customers.new.saved_owned" if result.owned else "customers.new.saved_pool"
    await reply(update, t(context.lang, key, name=result.name))
    assert result.customer_id is not None
    await send_card(update, context, result.customer_id)
    return ConversationHandler.END


async def edit(update: Update, context: FieldContext) -> State:
    """Edit: which field to change."""
    query = update.callback_query
    if query is not None:
        await query.answer()
    markup = views.edit_fields(context.lang, ORDER)
    await reply(update, t(context.lang, "customers.new.which_field"), markup)
    return State.EDIT


async def edit_field(update: Update, context: FieldContext) -> State:
    """Ask again for the chosen field, then come back to the summary."""
    query = update.callback_query
    data = EditField.parse(query.data if query else None)
    if query is None or data is None or data.field not in FIELDS:
        return State.EDIT
    _draft(context)["editing"] = True
    return await then_clear(update, _ask(update, context, data.field))


SKIP = CallbackQueryHandler(skip, pattern=SkipField.match)


def _text_state(state: State, callback: Any, *extra: BaseHandler[Any, Any, Any]) -> list[Any]:
    return [
        MessageHandler(TEXT, callback),
        *extra,
        MessageHandler(ANYTHING_ELSE, reprompt(state, "customers.new.need_text")),
    ]


def conversation_handler() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    return conversation(
        "newcustomer",
        entry_points=[CommandHandler("newcustomer", start, filters.ChatType.PRIVATE)],
        states={
            State.COMPANY: _text_state(State.COMPANY, company),
            State.CONTACT: _text_state(State.CONTACT, contact, SKIP),
            State.PHONE: _text_state(State.PHONE, phone),
            State.ADDRESS: [
                MessageHandler(TEXT, address),
                MessageHandler(filters.LOCATION, location),
                SKIP,
                MessageHandler(
                    ANYTHING_ELSE, reprompt(State.ADDRESS, "customers.new.need_address")
                ),
            ],
            State.ADDRESS_TEXT: _text_state(State.ADDRESS_TEXT, address_text, SKIP),
            State.REGION: _text_state(
                State.REGION,
                label_typed,
                SKIP,
                CallbackQueryHandler(option_picked, PickOption.match),
            ),
            State.INDUSTRY: _text_state(
                State.INDUSTRY,
                label_typed,
                SKIP,
                CallbackQueryHandler(option_picked, PickOption.match),
            ),
            State.CONFIRM: [
                CallbackQueryHandler(save, pattern=SaveCustomer.match),
                CallbackQueryHandler(edit, pattern=EditDraft.match),
                MessageHandler(
                    ANYTHING_ELSE | TEXT, reprompt(State.CONFIRM, "customers.new.need_button")
                ),
            ],
            State.EDIT: [
                CallbackQueryHandler(edit_field, pattern=EditField.match),
                MessageHandler(
                    ANYTHING_ELSE | TEXT, reprompt(State.EDIT, "customers.new.need_button")
                ),
            ],
        },
        draft=DRAFT,
    )
