"""/my: the rep's own customers, most urgent first, each opening its card."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.access import requires
from bot.callbacks.pool import MyPage
from bot.context import FieldContext
from bot.replies import reply
from bot.views import pool as views
from handlers.pool_notify import edit
from storage import pool_mine
from storage.models import Role


@requires(Role.REP)
async def my_command(update: Update, context: FieldContext) -> None:
    """/my: the first page."""
    result = await pool_mine.list_mine(context.require_actor(), 0, now=context.services.clock.now())
    await reply(update, *views.my_list(context.lang, result))


@requires(Role.REP)
async def turn_page(update: Update, context: FieldContext) -> None:
    """‹ › on /my: another page, recomputed (deadlines move as time passes)."""
    query = update.callback_query
    payload = MyPage.parse(query.data if query else None)
    if query is None or payload is None:
        return
    result = await pool_mine.list_mine(
        context.require_actor(), payload.page, now=context.services.clock.now()
    )
    text, markup = views.my_list(context.lang, result)
    await query.answer()
    await edit(query, text, markup)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        CommandHandler("my", my_command, filters.ChatType.PRIVATE),
        CallbackQueryHandler(turn_page, pattern=MyPage.match),
    ]
