"""The global error handler: expected refusals become answers, the rest an apology + a log."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

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
    """An alert on a tapped button, else a message.

    A tap can be answered only once (and only for a while): when the handler answered it
    before it was refused, the alert cannot go, so the words go as a message instead — in the
    private chat, or, for a button in a group, to the person who tapped it, not to the group.
    """
    if not isinstance(update, Update):
        return
    try:
        query = update.callback_query
        if query is not None:
            if await _alert(update, text):
                return
            chat = update.effective_chat
            if chat is None or chat.type != ChatType.PRIVATE:
                await query.from_user.send_message(text)
                return
        if update.effective_chat is not None:
            await update.effective_chat.send_message(text)
    except TelegramError:
        log.warning("could not tell the user about an error", exc_info=True)


async def _alert(update: Update, text: str) -> bool:
    """Show ``text`` as an alert on the tap; False if the tap was answered already."""
    assert update.callback_query is not None
    try:
        await update.callback_query.answer(plain_text(text), show_alert=True)
    except BadRequest as error:  # "query is too old … or query id is invalid"
        log.info("tap answered already, telling by message instead: %s", error)
        return False
    return True
