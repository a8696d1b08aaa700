"""/ics: the rep's next 30 days of plans as ``fieldcrm.ics``, to import into a phone calendar."""

from __future__ import annotations

from typing import Any

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.access import requires
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply
from bot.views import calendar as views
from storage.calendar_ics import UPCOMING_DAYS, build_ics, upcoming_plan
from storage.models import Role

FILE_NAME = "fieldcrm.ics"


@requires(Role.REP)
async def ics_command(update: Update, context: FieldContext) -> None:
    """Send the upcoming plan as an iCalendar file (or say there is nothing planned)."""
    lang, now = context.lang, context.services.clock.now()
    plan = await upcoming_plan(context.require_actor(), now)
    chat = update.effective_chat
    if not plan.entries or chat is None:
        await reply(update, t(lang, "calendar.ics.empty", days=UPCOMING_DAYS))
        return
    data = build_ics(views.ics_events(lang, plan), now=now, name=t(lang, "calendar.ics.name"))
    caption = t(lang, "calendar.ics.caption", count=len(plan.entries), days=UPCOMING_DAYS)
    await chat.send_document(
        InputFile(data, filename=FILE_NAME, attach=True), filename=FILE_NAME, caption=caption
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [CommandHandler("ics", ics_command, filters.ChatType.PRIVATE)]
