"""The one access-control mechanism on the Telegram side.

A gatekeeper handler (group -1) identifies the sender once per update and puts the ``Actor``
on the context; ``@requires(...)`` lets a callback run only for the given roles and gives
everyone else a single, translated answer. Storage functions check the same actor again, so
a forged button cannot get past a handler that forgot to ask.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update

from bot.context import FieldContext
from bot.i18n import t
from bot.render import plain_text
from storage import users
from storage.models import Role

R = TypeVar("R")
Callback = Callable[[Update, FieldContext], Coroutine[Any, Any, R]]


async def identify_sender(update: Update, context: FieldContext) -> None:
    """Attach the sender's Actor to the context (creating the user on first contact)."""
    tg_user = update.effective_user
    if tg_user is None or tg_user.is_bot:
        return
    services = context.services
    context.actor = await users.identify(
        tg_user.id,
        username=tg_user.username,
        full_name=tg_user.full_name,
        telegram_language=tg_user.language_code,
        admin_ids=services.settings.admin_ids,
        now=services.clock.now(),
    )


def requires(*roles: Role) -> Callable[[Callback[R]], Callback[R | None]]:
    """Run the callback only for actors holding one of ``roles``.

    Returns None to a ConversationHandler when refused, so no conversation starts.
    """

    def decorate(callback: Callback[R]) -> Callback[R | None]:
        @functools.wraps(callback)
        async def guarded(update: Update, context: FieldContext) -> R | None:
            actor = context.actor
            if actor is not None and actor.role in roles:
                return await callback(update, context)
            await refuse(update, context)
            return None

        return guarded

    return decorate


async def refuse(update: Update, context: FieldContext) -> None:
    """Tell the user this is not for them: people without a role learn how to join.

    A customer must not learn that staff features exist, so their refusal reads exactly
    like an unknown command or a stale button.
    """
    actor = context.actor
    if actor is not None and actor.role is Role.CUSTOMER:
        await _as_if_absent(update, context)
        return
    key = "access.no_role" if actor is None or actor.role is None else "access.denied"
    text = t(context.lang, key)
    if update.callback_query is not None:
        await update.callback_query.answer(plain_text(text), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


async def _as_if_absent(update: Update, context: FieldContext) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(t(context.lang, "general.stale_button"))
        return
    message = update.effective_message
    if message is None:
        return
    command = (message.text or "").split()[0][:64] if message.text else ""
    if command.startswith("/"):
        await message.reply_text(t(context.lang, "general.unknown_command", command=command))
    else:
        await message.reply_text(t(context.lang, "general.not_understood"))
