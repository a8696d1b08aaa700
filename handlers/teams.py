"""Teams: an admin creates one (a two-step conversation), admins list them, managers see theirs.

```mermaid
stateDiagram-v2
    [*] --> NAME: /newteam
    NAME --> ZONE: a free team name
    ZONE --> [*]: zone button or typed IANA zone (team created)
    NAME --> [*]: /cancel
    ZONE --> [*]: /cancel or Cancel
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
from bot.callbacks import CancelFlow, PickTeamZone
from bot.context import FieldContext
from bot.i18n import t
from bot.keyboards import time_zones
from bot.render import team_line, team_overview, truncate
from bot.replies import reply, text_of
from handlers.flow import conversation
from storage import teams
from storage.models import Role

COMMON_ZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
)
DRAFT = "newteam"


class State(IntEnum):
    NAME = 1
    ZONE = 2


@requires(Role.ADMIN)
async def ask_name(update: Update, context: FieldContext) -> State:
    """/newteam: ask for the team's name."""
    context.drafts.pop(DRAFT, None)
    await reply(update, t(context.lang, "newteam.ask_name"))
    return State.NAME


async def got_name(update: Update, context: FieldContext) -> State:
    """Keep a valid, unused name and ask for the time zone."""
    name = teams.clean_team_name(text_of(update))
    await teams.ensure_name_free(name)
    context.drafts[DRAFT] = {"name": name}
    zones = tuple(dict.fromkeys((context.services.settings.timezone, *COMMON_ZONES)))
    keyboard = time_zones(zones, context.lang)
    await reply(update, t(context.lang, "newteam.ask_zone", name=name), keyboard)
    return State.ZONE


async def zone_button(update: Update, context: FieldContext) -> int:
    """A zone picked from the buttons."""
    query = update.callback_query
    picked = PickTeamZone.parse(query.data if query else None)
    if query is None or picked is None:
        return State.ZONE
    await query.answer()
    await query.edit_message_reply_markup(None)
    return await _create(update, context, picked.zone)


async def zone_typed(update: Update, context: FieldContext) -> int:
    """A zone typed by name, e.g. Europe/Paris."""
    return await _create(update, context, text_of(update).strip())


async def _create(update: Update, context: FieldContext, zone: str) -> int:
    draft = context.drafts.get(DRAFT)
    if not draft:
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    team = await teams.create_team(
        context.require_actor(), draft["name"], zone, now=context.services.clock.now()
    )
    context.drafts.pop(DRAFT, None)
    await reply(update, t(context.lang, "newteam.created", name=team.name, timezone=team.timezone))
    return ConversationHandler.END


async def need_name(update: Update, context: FieldContext) -> State:
    """Anything but text while a name is expected."""
    await reply(update, t(context.lang, "newteam.need_name"))
    return State.NAME


async def need_zone(update: Update, context: FieldContext) -> State:
    """Anything but a zone while a zone is expected."""
    await reply(update, t(context.lang, "newteam.need_zone"))
    return State.ZONE


async def cancel(update: Update, context: FieldContext) -> int:
    """Drop the draft and leave the conversation."""
    context.drafts.pop(DRAFT, None)
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    await reply(update, t(context.lang, "flow.cancelled"))
    return ConversationHandler.END


@requires(Role.ADMIN)
async def list_teams(update: Update, context: FieldContext) -> None:
    """/teams: every team with its size, zone and group."""
    summaries = await teams.list_teams(context.require_actor())
    lang = context.lang
    if not summaries:
        text = t(lang, "teams.none")
    else:
        text = "\n".join([t(lang, "teams.header"), *(team_line(lang, s) for s in summaries)])
    await reply(update, truncate(text))


@requires(Role.MANAGER)
async def show_team(update: Update, context: FieldContext) -> None:
    """/team: the manager's team, its members and its group."""
    overview = await teams.team_overview(context.require_actor(), now=context.services.clock.now())
    await reply(update, team_overview(context.lang, overview))


TEXT = filters.TEXT & ~filters.COMMAND
OTHER = ~filters.COMMAND & ~filters.StatusUpdate.ALL


def new_team() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    return conversation(
        "newteam",
        entry_points=[CommandHandler("newteam", ask_name, filters.ChatType.PRIVATE)],
        states={
            State.NAME: [MessageHandler(TEXT, got_name), MessageHandler(OTHER, need_name)],
            State.ZONE: [
                CallbackQueryHandler(zone_button, pattern=PickTeamZone.match),
                MessageHandler(TEXT, zone_typed),
                MessageHandler(OTHER, need_zone),
            ],
        },
        fallbacks=[
            CommandHandler("cancel", cancel),
            CallbackQueryHandler(cancel, pattern=CancelFlow.match),
        ],
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        new_team(),
        CommandHandler("teams", list_teams),
        CommandHandler("team", show_team),
    ]
