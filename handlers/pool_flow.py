"""/poolflow: managers see how customers moved through the pool (today, 7 or 30 days)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.access import requires
from bot.callbacks.pool import PoolFlowPeriod
from bot.context import FieldContext
from bot.replies import reply
from bot.views import pool as views
from handlers.pool_notify import edit
from storage import pool_flow
from storage.models import Role

DEFAULT_DAYS = 7


@requires(Role.MANAGER)
async def flow_command(update: Update, context: FieldContext) -> None:
    """/poolflow: the last 7 days, with buttons for today and 30 days."""
    flow = await pool_flow.pool_flow(
        context.require_actor(), DEFAULT_DAYS, now=context.services.clock.now()
    )
    await reply(update, *views.pool_flow(context.lang, flow))


@requires(Role.MANAGER)
async def period_picked(update: Update, context: FieldContext) -> None:
    """A period button: the same report over that period."""
    query = update.callback_query
    payload = PoolFlowPeriod.parse(query.data if query else None)
    if query is None or payload is None:
        return
    flow = await pool_flow.pool_flow(
        context.require_actor(), payload.days, now=context.services.clock.now()
    )
    text, markup = views.pool_flow(context.lang, flow)
    await query.answer()
    await edit(query, text, markup)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        CommandHandler("poolflow", flow_command),
        CallbackQueryHandler(period_picked, pattern=PoolFlowPeriod.match),
    ]
