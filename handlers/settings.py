"""/settings: the team's rules, edited by an admin (any team) or a manager (their own).

```mermaid
stateDiagram-v2
    [*] --> VALUE: a rule's button in a section
    VALUE --> [*]: a valid value, typed or tapped (saved, the section follows)
    VALUE --> VALUE: a value out of range (the allowed range is repeated); a follow-up kind toggled
    VALUE --> [*]: /cancel, Cancel, or a section button
```
/settings itself and the section buttons are plain handlers: they only show.
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
from bot.callbacks.customers import EditRule, PickRuleValue, SettingsSection
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply, text_of
from bot.views import settings as views
from handlers.flow import ANYTHING_ELSE, TEXT, conversation, reprompt
from storage import rules, teams
from storage.models import Role

DRAFT = "settings"
EDITORS = (Role.ADMIN, Role.MANAGER)


class State(IntEnum):
    VALUE = 1


@requires(*EDITORS)
async def settings_command(update: Update, context: FieldContext) -> None:
    """/settings: an admin picks a team; a manager sees their team's sections."""
    actor, lang = context.require_actor(), context.lang
    if actor.team_id is None:
        summaries = await teams.list_teams(actor)
        if not summaries:
            await reply(update, t(lang, "invite.no_teams"))
            return
        await reply(update, *views.team_picker(lang, summaries))
        return
    page = await rules.team_rules(actor, actor.team_id)
    await reply(update, *views.sections(lang, page))


@requires(*EDITORS)
async def show_section(update: Update, context: FieldContext) -> int:
    """A section (or, for an empty one, the list of sections), edited in place."""
    query = update.callback_query
    data = SettingsSection.parse(query.data if query else None)
    if query is None or data is None:
        return ConversationHandler.END
    context.drafts.pop(DRAFT, None)
    page = await rules.team_rules(context.require_actor(), data.team_id, data.section or None)
    view = views.section if data.section else views.sections
    text, markup = view(context.lang, page)
    await query.answer()
    await query.edit_message_text(text, reply_markup=markup)
    return ConversationHandler.END


@requires(*EDITORS)
async def edit_rule(update: Update, context: FieldContext) -> int | None:
    """Ask for a rule's new value (storage checks the team is the actor's)."""
    query = update.callback_query
    data = EditRule.parse(query.data if query else None)
    if query is None or data is None:
        return None
    item, currency = await rules.rule_value(context.require_actor(), data.team_id, data.rule)
    context.drafts[DRAFT] = {"team_id": data.team_id, "rule": data.rule}
    await query.answer()
    await reply(update, *views.prompt(context.lang, data.team_id, item, currency))
    return State.VALUE


async def value_typed(update: Update, context: FieldContext) -> int:
    """A typed value: saved if valid, else the allowed range is repeated."""
    draft = context.drafts.get(DRAFT)
    if not isinstance(draft, dict):
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    actor, now = context.require_actor(), context.services.clock.now()
    item = await rules.update_rule(actor, draft["team_id"], draft["rule"], text_of(update), now)
    return await _saved(update, context, draft["team_id"], item)


async def value_picked(update: Update, context: FieldContext) -> int:
    """A tapped value; a follow-up kind is toggled and the prompt stays for more."""
    query = update.callback_query
    data = PickRuleValue.parse(query.data if query else None)
    if query is None or data is None:
        return State.VALUE
    actor, now = context.require_actor(), context.services.clock.now()
    item = await rules.pick_rule_value(actor, data.team_id, data.rule, data.value, now)
    await query.answer()
    if item.spec.kind is rules.Kind.KINDS:
        text, markup = views.prompt(context.lang, data.team_id, item, currency="")
        await query.edit_message_text(text, reply_markup=markup)
        return State.VALUE
    await query.edit_message_reply_markup(None)
    return await _saved(update, context, data.team_id, item)


async def _saved(update: Update, context: FieldContext, team_id: int, item: rules.RuleValue) -> int:
    context.drafts.pop(DRAFT, None)
    page = await rules.team_rules(context.require_actor(), team_id, item.spec.section)
    await reply(update, views.saved(context.lang, item, page.currency))
    await reply(update, *views.section(context.lang, page))
    return ConversationHandler.END


def editor() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    return conversation(
        "settings",
        entry_points=[CallbackQueryHandler(edit_rule, pattern=EditRule.match)],
        states={
            State.VALUE: [
                MessageHandler(TEXT, value_typed),
                CallbackQueryHandler(value_picked, pattern=PickRuleValue.match),
                MessageHandler(ANYTHING_ELSE, reprompt(State.VALUE, "settings.need_text")),
            ],
        },
        fallbacks=[CallbackQueryHandler(show_section, pattern=SettingsSection.match)],
        draft=DRAFT,
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        editor(),
        CommandHandler("settings", settings_command, filters.ChatType.PRIVATE),
        CallbackQueryHandler(show_section, pattern=SettingsSection.match),
    ]
