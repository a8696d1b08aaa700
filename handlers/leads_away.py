"""/away until <date> and /away off: a rep on leave gets no new leads, and no burst after."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.access import requires
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply
from bot.views.leads import away_text
from storage.away import away_status, clear_away, set_away
from storage.models import Role

OFF = {"off", "back", "none", "取消", "结束", "結束", "回来", "回來"}


@requires(Role.REP, Role.AGENT)
async def away(update: Update, context: FieldContext) -> None:
    """/away shows the status; /away until 2026-03-10 sets it; /away off clears it."""
    actor, lang, now = context.require_actor(), context.lang, context.services.clock.now()
    text = " ".join(context.args or [])
    if not text:
        status = await away_status(actor, now=now)
        await reply(
            update, away_text(lang, status, changed=False) + "\n\n" + t(lang, "leads.away.usage")
        )
        return
    if text.lower() in OFF:
        status = await clear_away(actor, now=now)
    else:
        status = await set_away(actor, text, now=now)
    await reply(update, away_text(lang, status, changed=True))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        CommandHandler("away", away, filters.ChatType.PRIVATE),
    ]
