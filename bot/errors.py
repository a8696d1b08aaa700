"""The global error handler: expected refusals become answers, the rest an apology + a log."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError

from bot.context import FieldContext, lang_of
from bot.i18n import Lang, resolve_lang, t
from bot.render import plain_text
from storage import users
from storage.access import DomainError, Invalid

log = logging.getLogger(__name__)


async def on_error(update: object, context: FieldContext) -> None:
    """Answer the user in their language; log everything unexpected with its context."""
    error = context.error
    lang = await _language(update, context)
    if isinstance(error, DomainError):
        params = error.params if isinstance(error, Invalid) else {}
        await _tell(update, t(lang, error.code, **params))
        return
    if isinstance(error, Forbidden):
        log.info("user blocked the bot or left the chat: %s", error)
        return
    if isinstance(error, NetworkError) and not isinstance(update, Update):
        log.warning("network trouble outside an update: %s", error)
        return
    where = _describe(update)
    log.error("unhandled error %s", where, exc_info=error)
    await _tell(update, t(lang, "error.unexpected"))


async def _language(update: object, context: FieldContext) -> Lang:
    """PTB gives error handlers a fresh context, so look the sender up again.

    If the database is what failed, Telegram's language guess still beats English.
    """
    if context.actor is not None or not isinstance(update, Update):
        return context.lang
    sender = update.effective_user
    if sender is None:
        return context.lang
    try:
        actor = await users.actor_by_telegram_id(sender.id)
    except Exception:  # the error being handled may be the database itself
        actor = None
    return lang_of(actor) if actor else resolve_lang(sender.language_code)


def _describe(update: object) -> str:
    if not isinstance(update, Update):
        return "in a job or the application"
    chat = update.effective_chat.id if update.effective_chat else None
    user = update.effective_user.id if update.effective_user else None
    return f"in update {update.update_id} (chat {chat}, user {user})"


async def _tell(update: object, text: str) -> None:
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(plain_text(text), show_alert=True)
        elif update.effective_chat is not None:
            await update.effective_chat.send_message(text)
    except TelegramError:
        log.warning("could not tell the user about an error", exc_info=True)
