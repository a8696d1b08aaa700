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
from bot.callbacks import PickTeamZone
from bot.context import FieldContext
from bot.i18n import t
from bot.keyboards import time_zones
from bot.render import team_line, team_overview, truncate
from bot.replies import reply, text_of
from handlers.flow import ANYTHING_ELSE, TEXT, conversation, pressed, reprompt, then_clear
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
    picked = pressed(update, PickTeamZone)
    if picked is None:
        return State.ZONE
    return await then_clear(update, _create(update, context, picked.zone))


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


def new_team() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    return conversation(
        "newteam",
        entry_points=[CommandHandler("newteam", ask_name, filters.ChatType.PRIVATE)],
        states={
            State.NAME: [
                MessageHandler(TEXT, got_name),
                MessageHandler(ANYTHING_ELSE, reprompt(State.NAME, "newteam.need_name")),
            ],
            State.ZONE: [
                CallbackQueryHandler(zone_button, pattern=PickTeamZone.match),
                MessageHandler(TEXT, zone_typed),
                MessageHandler(ANYTHING_ELSE, reprompt(State.ZONE, "newteam.need_zone")),
            ],
        },
        draft=DRAFT,
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        new_team(),
        CommandHandler("teams", list_teams),
        CommandHandler("team", show_team),
    ]
