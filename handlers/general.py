"""Help, language, and the polite answers for everything nobody else handled."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import Noop, PickLanguage
from bot.context import FieldContext, lang_of
from bot.i18n import t
from bot.keyboards import languages
from bot.menus import GROUP_MENU, MENUS, set_user_menu
from bot.render import truncate
from handlers.tickets_customer import customer_wrote
from storage import users
from storage.models import Role


async def ignore_edits(update: Update, context: FieldContext) -> None:
    """Telegram delivers an edit of an old message as an update of its own. Only a moving live
    location means something here (a check-in's dwell time); any other edit would re-run a
    command or answer a form with stale text, so it goes no further."""
    message = update.edited_message
    if message is not None and message.location is None:
        raise ApplicationHandlerStop


async def help_command(update: Update, context: FieldContext) -> None:
    """List what the user's role can do, with one line per command."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    actor, lang = context.actor, context.lang
    role = actor.role if actor else None
    in_group = chat.type != ChatType.PRIVATE
    names = GROUP_MENU if in_group else MENUS[role]
    intro = t(lang, "help.group" if in_group else f"help.{role.value if role else 'none'}")
    lines = [intro, ""] + [f"/{name} — {t(lang, f'cmd.{name}')}" for name in names]
    await message.reply_text(truncate("\n".join(lines)))


async def lang_command(update: Update, context: FieldContext) -> None:
    """Offer the three languages as buttons."""
    if update.effective_message is None:
        return
    await update.effective_message.reply_text(
        t(context.lang, "lang.choose"), reply_markup=languages(context.lang)
    )


async def lang_picked(update: Update, context: FieldContext) -> None:
    """Store the chosen language and show the menu in it."""
    query = update.callback_query
    choice = PickLanguage.parse(query.data if query else None)
    if query is None or choice is None:
        return
    context.actor = await users.set_language(context.require_actor(), choice.lang.value)
    lang = lang_of(context.actor)
    await query.answer()
    await query.edit_message_text(t(lang, "lang.set"), reply_markup=languages(lang))
    if query.message is not None and query.message.chat.type == ChatType.PRIVATE:
        await set_user_menu(context.bot, query.message.chat.id, context.actor.role, lang)


async def unknown_command(update: Update, context: FieldContext) -> None:
    """An unknown /command in a private chat: say so and point to /help."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    command = message.text.split()[0][:64]
    key = "general.unknown_command" if context.actor and context.actor.role else "access.no_role"
    await message.reply_text(t(context.lang, key, command=command))


async def not_understood(update: Update, context: FieldContext) -> None:
    """Text, media or a location outside any flow: explain what the bot expects.

    A customer's message is for the service team: the ticket area keeps it and asks which
    ticket it belongs to (or opens a new one with it), so nothing they write is lost.
    """
    message = update.effective_message
    if message is None:
        return
    if context.actor is not None and context.actor.role is Role.CUSTOMER:
        await customer_wrote(update, context)
        return
    key = "general.not_understood" if context.actor and context.actor.role else "access.no_role"
    await message.reply_text(t(context.lang, key))


async def label_button(update: Update, context: FieldContext) -> None:
    """A label-only button such as a page counter: acknowledge, change nothing."""
    if update.callback_query is not None:
        await update.callback_query.answer()


async def stale_button(update: Update, context: FieldContext) -> None:
    """A button from an old message, another version, or forged data: change nothing."""
    if update.callback_query is not None:
        await update.callback_query.answer(t(context.lang, "general.stale_button"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        CommandHandler("help", help_command),
        CommandHandler("lang", lang_command),
        CallbackQueryHandler(lang_picked, pattern=PickLanguage.match),
        CallbackQueryHandler(label_button, pattern=Noop.match),
    ]


# Registered last in the group, in this order: catch what no feature handler claimed.
def fallbacks() -> list[BaseHandler[Any, Any, Any]]:
    """Registered last: they catch what no feature handler claimed.

    An edited message is nobody's new input (a retouched old message, a live location
    moving): it gets no answer at all.
    """
    fresh = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED
    return [
        MessageHandler(fresh & filters.COMMAND, unknown_command),
        MessageHandler(fresh & ~filters.StatusUpdate.ALL, not_understood),
        CallbackQueryHandler(stale_button),
    ]
