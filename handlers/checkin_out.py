"""Leaving the site (the Leave button) and the positions of a live location (B4).

A live location shared for a check-in keeps sending its new positions as edits of the same
message. Each one only tells whether the rep is still inside the radius (storage adds the
time to ``dwell_seconds``, the position itself is not kept); the count ends at check-out,
when the live period runs out, or when the rep stops sharing. Which message feeds which
check-in is kept with the rep's chat state (``LIVE``); any other edit is ignored silently.
"""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.access import requires
from bot.callbacks.checkin import CheckOut
from bot.context import FieldContext
from bot.replies import reply
from bot.views import checkin as views
from handlers.checkin_draft import live_seconds
from storage import checkins_live
from storage.access import DomainError
from storage.checkins_rules import LiveSession
from storage.models import Role

LIVE = "checkin_live"


def _session(context: FieldContext) -> LiveSession | None:
    return LiveSession.from_json(context.drafts.get(LIVE))


@requires(Role.REP)
async def leave(update: Update, context: FieldContext) -> None:
    """Leave: record the check-out once and tell how long the visit lasted."""
    query = update.callback_query
    payload = CheckOut.parse(query.data if query else None)
    if query is None or payload is None:
        return
    session = _session(context)
    result = await checkins_live.check_out(
        context.require_actor(),
        payload.checkin_id,
        now=context.services.clock.now(),
        live=session,
    )
    if session is not None and session.checkin_id == payload.checkin_id:
        context.drafts.pop(LIVE, None)
    await query.answer()
    if isinstance(query.message, Message) and query.message.reply_markup is not None:
        await query.edit_message_reply_markup(None)  # the visit is over: no Leave any more
    await reply(update, views.checked_out(context.lang, result))


async def live_moved(update: Update, context: FieldContext) -> None:
    """A live location moved (or stopped): count the time inside, silently."""
    message = update.edited_message
    session = _session(context)
    if message is None or message.location is None or session is None:
        return
    if message.message_id != session.message_id:
        return
    location = message.location
    try:
        after = await checkins_live.live_position(
            context.require_actor(),
            session,
            latitude=location.latitude,
            longitude=location.longitude,
            stopped=live_seconds(location) is None,
            now=context.services.clock.now(),
        )
    except DomainError:  # no longer the rep's check-in (role or team changed): stop counting
        after = None
    if after is None:
        context.drafts.pop(LIVE, None)
    else:
        context.drafts[LIVE] = after.to_json()


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        # Every edited location in a private chat stops here, counted or not: a moving live
        # location must never reach a form or the "not understood" fallback.
        MessageHandler(
            filters.UpdateType.EDITED_MESSAGE & filters.LOCATION & filters.ChatType.PRIVATE,
            live_moved,
        ),
        CallbackQueryHandler(leave, pattern=CheckOut.match),
    ]
