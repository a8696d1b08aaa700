"""The team's group chat: binding it, greeting it, and following it when it changes."""

from __future__ import annotations

from typing import Any

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, ChatMemberHandler, CommandHandler, MessageHandler, filters

from bot.access import requires
from bot.context import FieldContext
from bot.i18n import t
from bot.replies import reply
from storage import teams
from storage.models import Role
from storage.teams import BindOutcome

GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)


@requires(Role.MANAGER)
async def bind_group(update: Update, context: FieldContext) -> None:
    """/bindgroup in a group: digests and alerts of the manager's team go here."""
    chat, lang = update.effective_chat, context.lang
    if chat is None or chat.type not in GROUP_TYPES:
        await reply(update, t(lang, "group.bind_in_group"))
        return
    result = await teams.bind_group(
        context.require_actor(), chat.id, chat.title or "", now=context.services.clock.now()
    )
    await reply(update, t(lang, f"group.{result.outcome.value}", team=result.team_name))
    if result.outcome is BindOutcome.MOVED and result.previous_chat_id:
        await context.bot.send_message(
            result.previous_chat_id, t(lang, "group.moved_away", team=result.team_name)
        )


async def membership_changed(update: Update, context: FieldContext) -> None:
    """Say hello when added to a group; forget the binding when removed."""
    change = update.my_chat_member
    if change is None or change.chat.type not in GROUP_TYPES:
        return
    status = change.new_chat_member.status
    if status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR):
        if change.old_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED):
            await context.bot.send_message(change.chat.id, t(context.lang, "group.hello"))
    elif status in (ChatMember.LEFT, ChatMember.BANNED):
        await teams.unbind_group(change.chat.id, now=context.services.clock.now())


async def group_migrated(update: Update, context: FieldContext) -> None:
    """A group became a supergroup: its id changed, keep the binding."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        await teams.move_group(message.chat.id, message.migrate_to_chat_id)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        CommandHandler("bindgroup", bind_group),
        ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated),
    ]
