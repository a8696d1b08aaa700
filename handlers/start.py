"""/start: the front door — joining through an invite link, or a greeting by role."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CommandHandler

from bot.context import FieldContext, lang_of
from bot.i18n import t
from bot.menus import set_user_menu
from bot.render import role_name
from storage import invites, users
from storage.invites import RedeemOutcome, RedeemResult


async def start(update: Update, context: FieldContext) -> None:
    """Redeem the deep-link code if there is one, else greet the user for their role."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    actor = context.require_actor()
    if chat.type != ChatType.PRIVATE:
        await message.reply_text(t(context.lang, "start.group"))
        return
    if context.args:
        result = await invites.redeem_invite(
            actor, context.args[0], now=context.services.clock.now()
        )
        if result.outcome is RedeemOutcome.JOINED:
            refreshed = await users.actor_by_telegram_id(actor.telegram_id)
            context.actor = refreshed or actor
        await message.reply_text(_redeem_text(context, result))
        if result.outcome is not RedeemOutcome.JOINED:
            return
    actor = context.require_actor()
    await set_user_menu(context.bot, chat.id, actor.role, lang_of(actor))
    if not context.args:
        key = f"start.{actor.role.value}" if actor.role else "start.no_role"
        await message.reply_text(t(context.lang, key, name=actor.full_name))


def _redeem_text(context: FieldContext, result: RedeemResult) -> str:
    lang = context.lang
    if result.outcome in (RedeemOutcome.JOINED, RedeemOutcome.ALREADY_JOINED):
        key = f"start.{result.outcome.value}"
        if result.role is not None and result.customer_name:
            key += "_customer"
        return t(
            lang,
            key,
            role=role_name(lang, result.role),
            team=result.team_name or "",
            customer=result.customer_name or "",
        )
    if result.outcome is RedeemOutcome.HAS_ROLE:
        return t(
            lang, "start.has_role", role=role_name(lang, result.role), team=result.team_name or "—"
        )
    return t(lang, f"start.invite_{result.outcome.value}")


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [CommandHandler("start", start)]
