"""/visits: a day's check-ins — the team's for a manager, one's own for a rep (B4).

Flagged visits come first; ‹ › move between days. Tapping a visit sends its details, its
location and its photo (by the photo's Telegram file id: nothing is downloaded).
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.access import requires
from bot.callbacks.checkin import OpenCheckIn, VisitsDay
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply, send_stored_photos
from bot.views import checkin as views
from storage.checkins_visits import visit_detail, visits_of_day
from storage.models import Role

MAX_ACCURACY = 1500
"""Telegram accepts a ``horizontal_accuracy`` of 0–1500 m on a sent location."""


@requires(Role.MANAGER, Role.REP)
async def visits(update: Update, context: FieldContext) -> None:
    """/visits: today's check-ins, flagged first."""
    result = await visits_of_day(context.require_actor(), now=context.services.clock.now())
    await reply(update, *views.visits(context.lang, result))


@requires(Role.MANAGER, Role.REP)
async def other_day(update: Update, context: FieldContext) -> None:
    """‹ › or a page: the list of that day, in place."""
    query = update.callback_query
    payload = VisitsDay.parse(query.data if query else None)
    day = views.parse_day(payload.day) if payload else None
    if query is None or payload is None or day is None:
        if query is not None:
            await query.answer(t(context.lang, "general.stale_button"))
        return
    result = await visits_of_day(
        context.require_actor(), now=context.services.clock.now(), day=day, page=payload.page
    )
    await query.answer()
    text, markup = views.visits(context.lang, result)
    await query.edit_message_text(text, reply_markup=markup)


@requires(Role.MANAGER, Role.REP)
async def open_visit(update: Update, context: FieldContext) -> None:
    """A visit: its details, then where it was (a map pin) and the photo of the site."""
    query = update.callback_query
    payload = OpenCheckIn.parse(query.data if query else None)
    chat = update.effective_chat
    if query is None or payload is None or chat is None:
        return
    detail = await visit_detail(context.require_actor(), payload.checkin_id)
    await query.answer()
    lang = context.lang
    await reply(update, views.visit_detail(lang, detail))
    accuracy = detail.accuracy_m
    await chat.send_location(
        latitude=detail.latitude,
        longitude=detail.longitude,
        horizontal_accuracy=accuracy if accuracy is not None and accuracy <= MAX_ACCURACY else None,
    )
    if detail.photo_file_id:
        caption = views.photo_caption(lang, detail)
        await send_stored_photos(context.bot, chat.id, [detail.photo_file_id], lang, caption)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        CommandHandler("visits", visits, filters.ChatType.PRIVATE),
        CallbackQueryHandler(other_day, pattern=VisitsDay.match),
        CallbackQueryHandler(open_visit, pattern=OpenCheckIn.match),
    ]
