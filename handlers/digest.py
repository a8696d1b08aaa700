"""The daily digest in the team's group and /digest (chat-ops).

| module | holds |
|---|---|
| ``digest`` | /digest and the digest's own buttons: Extend, Nudge, Open (a flagged visit) |
| ``digest_send`` | drawing the chart off the event loop and sending photo + message |
| ``scheduler.digest`` | the daily run per team |

Reassign (the pool's ``AssignCustomer``) and a waiting lead's Assign (the leads'
``AssignLead``) are handled by their own areas. Every button here is for the team's managers
only: anyone else tapping in the group gets the polite refusal of ``@requires``, and ids of
another team answer "not found" from storage.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.access import requires
from bot.callbacks.digest import ExtendCustomer, NudgeTask, OpenVisit
from bot.context import FieldContext
from bot.i18n import t
from bot.render import plain_text
from bot.replies import reply, send_stored_photos
from bot.views import digest as views
from handlers.digest_send import render, send
from handlers.pool_notify import language, tell
from storage import digest, digest_actions, pool_locks
from storage.models import Role


@requires(Role.MANAGER)
async def digest_command(update: Update, context: FieldContext) -> None:
    """/digest: today's digest so far, here (private chat, or the team's own group)."""
    chat = update.effective_chat
    if chat is None:
        return
    in_group = chat.type != ChatType.PRIVATE
    result = await digest.team_digest(
        context.require_actor(),
        now=context.services.clock.now(),
        group_chat_id=chat.id if in_group else None,
    )
    await send(context.bot, chat.id, await render(result, context.lang, so_far=True))


@requires(Role.MANAGER)
async def extend(update: Update, context: FieldContext) -> None:
    """Extend: the customer stays with its rep for the tier's window; the rep is told."""
    query = update.callback_query
    payload = ExtendCustomer.parse(query.data if query else None)
    if query is None or payload is None:
        return
    decision = await pool_locks.grant_extension(
        context.require_actor(), payload.customer_id, now=context.services.clock.now()
    )
    text = views.extension_granted(context.lang, decision)
    await query.answer(plain_text(text))
    await reply(update, text)
    if decision.rep is not None:
        lang = language(decision.rep)
        await tell(context.bot, decision.rep, views.extension_granted_to_rep(lang, decision))


@requires(Role.MANAGER)
async def nudge(update: Update, context: FieldContext) -> None:
    """Nudge: the rep gets a private reminder of the overdue task (once per task per day)."""
    query = update.callback_query
    payload = NudgeTask.parse(query.data if query else None)
    if query is None or payload is None:
        return
    result = await digest_actions.nudge_task(
        context.require_actor(), payload.task_id, now=context.services.clock.now()
    )
    delivered = False
    if not result.already and result.rep is not None:
        text = views.nudge_for_rep(language(result.rep), result)
        delivered = await tell(context.bot, result.rep, text)
    await query.answer(views.nudge_toast(context.lang, result, delivered), show_alert=True)


@requires(Role.MANAGER)
async def open_visit(update: Update, context: FieldContext) -> None:
    """Open: the check-in's location, then its photo with what was flagged, in this chat."""
    query, chat = update.callback_query, update.effective_chat
    payload = OpenVisit.parse(query.data if query else None)
    if query is None or payload is None or chat is None:
        return
    visit = await digest_actions.visit(context.require_actor(), payload.checkin_id)
    await query.answer()
    await context.bot.send_location(chat.id, visit.latitude, visit.longitude)
    caption = views.visit_caption(context.lang, visit)
    if visit.photo_file_id:
        await send_stored_photos(context.bot, chat.id, [visit.photo_file_id], context.lang, caption)
    else:
        await reply(update, f"{caption}\n{t(context.lang, 'digest.visit.no_photo')}")


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        CommandHandler("digest", digest_command),
        CallbackQueryHandler(extend, pattern=ExtendCustomer.match),
        CallbackQueryHandler(nudge, pattern=NudgeTask.match),
        CallbackQueryHandler(open_visit, pattern=OpenVisit.match),
    ]
