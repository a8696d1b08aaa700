"""Leads: the /lead form, /import of CSV/XLSX files, assignment and /leads (B1, D3).

This module holds the /lead form and lists every lead handler (``HANDLERS``); the cards and
lists live in ``leads_cards``, imports in ``leads_import``, /away in ``leads_away``.

A manager's lead is routed by the team's rules; a rep's lead is the rep's own.

```mermaid
stateDiagram-v2
    [*] --> NAME: /lead
    NAME --> COMPANY
    COMPANY --> CONTACT
    CONTACT --> REGION: phone and/or e-mail (or a shared contact)
    REGION --> INDUSTRY: button, typed, or Skip
    INDUSTRY --> CAMPAIGN: button, typed, or Skip (no campaigns: straight to SUMMARY)
    CAMPAIGN --> SUMMARY: button or No campaign
    SUMMARY --> [*]: Save (not offered while a duplicate is shown)
    SUMMARY --> NAME: Edit → a field (…and back to SUMMARY)
```
"""

from __future__ import annotations

import random
from enum import IntEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.access import requires
from bot.callbacks.leads import LeadFormEdit, LeadFormPick, LeadFormSave
from bot.context import FieldContext
from bot.i18n import t
from bot.keyboards import cancel_row
from bot.replies import reply, text_of
from bot.views.leads import (
    campaign_buttons,
    card_buttons,
    card_text,
    choice_buttons,
    created_text,
    edit_buttons,
    summary_buttons,
    summary_text,
)
from handlers.flow import ANYTHING_ELSE, TEXT, conversation, pressed, reprompt, then_clear
from handlers.leads_away import handlers as away_handlers
from handlers.leads_cards import handlers as card_handlers
from handlers.leads_import import handlers as import_handlers
from handlers.leads_notify import announce
from storage import lead_import_checks as checks
from storage import leads
from storage.models import Role

DRAFT = "lead"


class State(IntEnum):
    NAME = 1
    COMPANY = 2
    CONTACT = 3
    REGION = 4
    INDUSTRY = 5
    CAMPAIGN = 6
    SUMMARY = 7


ASKS = {
    "name": State.NAME,
    "company": State.COMPANY,
    "contact": State.CONTACT,
    "region": State.REGION,
    "industry": State.INDUSTRY,
    "campaign": State.CAMPAIGN,
}
NEXT = {"name": "company", "company": "contact", "contact": "region", "region": "industry"}


def _draft(context: FieldContext) -> dict[str, Any]:
    draft: dict[str, Any] = context.drafts.setdefault(DRAFT, {})
    return draft


async def _ask(update: Update, context: FieldContext, field: str) -> int:
    """Ask for ``field`` (with the team's values as buttons where there are some)."""
    lang, draft = context.lang, _draft(context)
    if field == "campaign" and not draft.get("campaigns"):
        draft["campaign_id"] = None
        return await _summary(update, context)
    markup: InlineKeyboardMarkup
    if field in ("region", "industry"):
        markup = choice_buttons(lang, field, draft.get(f"{field}s", []))
    elif field == "campaign":
        markup = campaign_buttons(lang, [(c[0], c[1]) for c in draft["campaigns"]])
    else:
        markup = InlineKeyboardMarkup([cancel_row(lang)])
    await reply(update, t(lang, f"leads.ask_{field}"), markup)
    return ASKS[field]


async def _next(update: Update, context: FieldContext, field: str) -> int:
    """After ``field``: the next question, or the summary when editing."""
    if _draft(context).get("editing") or field == "campaign":
        return await _summary(update, context)
    return await _ask(update, context, NEXT.get(field, "campaign"))


async def _summary(update: Update, context: FieldContext) -> int:
    draft = _draft(context)
    draft["editing"] = True
    check = await checks.check_draft(context.require_actor(), _as_draft(draft))
    lang = context.lang
    await reply(update, summary_text(lang, check), summary_buttons(lang, not check.duplicates))
    return State.SUMMARY


def _as_draft(draft: dict[str, Any]) -> checks.LeadDraft:
    return checks.LeadDraft(
        name=draft.get("name", ""),
        company=draft.get("company", ""),
        phone=draft.get("phone"),
        email=draft.get("email"),
        region=draft.get("region"),
        industry=draft.get("industry"),
        campaign_id=draft.get("campaign_id"),
    )


@requires(Role.MANAGER, Role.REP)
async def start(update: Update, context: FieldContext) -> int:
    """/lead: offer the team's regions, industries and campaigns; ask for the name."""
    choices = await checks.form_choices(context.require_actor())
    context.drafts[DRAFT] = {
        "regions": choices.regions,
        "industries": choices.industries,
        "campaigns": [list(c) for c in choices.campaigns],
    }
    return await _ask(update, context, "name")


async def got_name(update: Update, context: FieldContext) -> int:
    _draft(context)["name"] = checks.clean_name(text_of(update))
    return await _next(update, context, "name")


async def got_company(update: Update, context: FieldContext) -> int:
    _draft(context)["company"] = checks.clean_company(text_of(update))
    return await _next(update, context, "company")


async def got_contact(update: Update, context: FieldContext) -> int:
    """A typed phone and/or e-mail, or a contact shared from the address book."""
    message = update.effective_message
    shared = message.contact.phone_number if message and message.contact else None
    raw = shared or text_of(update)
    phone, email = await checks.contact_for_team(context.require_actor(), raw)
    draft = _draft(context)
    draft["phone"], draft["email"] = phone, email
    return await _next(update, context, "contact")


async def typed_label(update: Update, context: FieldContext, field: str) -> int:
    _draft(context)[field] = checks.clean_label(text_of(update))
    return await _next(update, context, field)


async def got_region(update: Update, context: FieldContext) -> int:
    return await typed_label(update, context, "region")


async def got_industry(update: Update, context: FieldContext) -> int:
    return await typed_label(update, context, "industry")


async def picked(update: Update, context: FieldContext) -> int | None:
    """A region, industry or campaign button (or Skip)."""
    pick = pressed(update, LeadFormPick)
    draft = _draft(context)
    if pick is None or pick.field not in ("region", "industry", "campaign"):
        return None
    if pick.field == "campaign":
        offered = {c[0] for c in draft.get("campaigns", [])}
        draft["campaign_id"] = pick.index if pick.index in offered else None
    else:
        options = draft.get(f"{pick.field}s", [])
        draft[pick.field] = options[pick.index] if 0 <= pick.index < len(options) else None
    return await then_clear(update, _next(update, context, pick.field))


async def save(update: Update, context: FieldContext) -> int:
    """Save; a duplicate that appeared meanwhile is refused on the button, the draft kept."""
    if pressed(update, LeadFormSave) is None:
        return State.SUMMARY
    return await then_clear(update, _save(update, context))


async def _save(update: Update, context: FieldContext) -> int:
    """Route a manager's lead, keep a rep's; tell the assignee and, if it waits, managers."""
    actor, lang = context.require_actor(), context.lang
    draft = _draft(context)
    created = await leads.create_lead(
        actor, _as_draft(draft), now=context.services.clock.now(), rng=random.Random()
    )
    context.drafts.pop(DRAFT, None)
    card = await leads.lead_card(actor, created.lead_id)
    due = card.task.due_at if card.task else None
    await reply(update, created_text(lang, created, due, card.timezone))
    await reply(update, card_text(lang, card), card_buttons(lang, card))
    await announce(context.bot, created.outcome, skip=actor.telegram_id)
    return ConversationHandler.END


async def edit(update: Update, context: FieldContext) -> int:
    """Edit: list the fields, or ask the chosen one again."""
    choice = pressed(update, LeadFormEdit)
    if choice is None:
        return State.SUMMARY
    return await then_clear(update, _edit(update, context, choice.field))


async def _edit(update: Update, context: FieldContext, field: str | None) -> int:
    if field is None or field not in ASKS:
        await reply(update, t(context.lang, "leads.ask_edit"), edit_buttons(context.lang))
        return State.SUMMARY
    return await _ask(update, context, field)


def _need(field: str) -> MessageHandler[Any, Any]:
    """Anything else where ``field`` is asked for: ask again (``leads.need_<field>``)."""
    state = ASKS.get(field, State.SUMMARY)
    return MessageHandler(ANYTHING_ELSE, reprompt(state, f"leads.need_{field}"))


def _pick(field: str) -> Any:
    def match(data: object) -> bool:
        pick = LeadFormPick.parse(data)
        return pick is not None and pick.field == field

    return match


def new_lead() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    return conversation(
        "lead",
        entry_points=[CommandHandler("lead", start, filters.ChatType.PRIVATE)],
        states={
            State.NAME: [MessageHandler(TEXT, got_name), _need("name")],
            State.COMPANY: [
                MessageHandler(TEXT, got_company),
                _need("company"),
            ],
            State.CONTACT: [
                MessageHandler(TEXT | filters.CONTACT, got_contact),
                _need("contact"),
            ],
            State.REGION: [
                CallbackQueryHandler(picked, pattern=_pick("region")),
                MessageHandler(TEXT, got_region),
                _need("region"),
            ],
            State.INDUSTRY: [
                CallbackQueryHandler(picked, pattern=_pick("industry")),
                MessageHandler(TEXT, got_industry),
                _need("industry"),
            ],
            State.CAMPAIGN: [
                CallbackQueryHandler(picked, pattern=_pick("campaign")),
                _need("campaign"),
            ],
            State.SUMMARY: [
                CallbackQueryHandler(save, pattern=LeadFormSave.match),
                CallbackQueryHandler(edit, pattern=LeadFormEdit.match),
                _need("summary"),
            ],
        },
        draft=DRAFT,
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        *import_handlers(),
        new_lead(),
        *card_handlers(),
        *away_handlers(),
    ]
