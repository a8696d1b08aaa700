"""Answering in the chat an update came from, without repeating the None-checks everywhere."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import (
    Bot,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest

from bot.i18n import Lang, t

log = logging.getLogger(__name__)
ALBUM = 10  # Telegram's largest media group

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


async def reply(update: Update, text: str, reply_markup: Markup = None) -> Message:
    """Send ``text`` (Telegram HTML) to the update's chat."""
    chat = update.effective_chat
    if chat is None:
        raise RuntimeError("this update has no chat to answer in")
    return await chat.send_message(text, reply_markup=reply_markup)


def text_of(update: Update) -> str:
    """The message's text, or '' for updates without one."""
    message = update.effective_message
    return (message.text or "") if message is not None else ""


async def send_stored_photos(
    bot: Bot, chat_id: int, file_ids: Sequence[str], lang: Lang, caption: str | None = None
) -> None:
    """Photos kept by Telegram file id, alone or in albums of ten; ``caption`` on the first.

    A stored file id can stop working (the bot's token changed, Telegram dropped the file,
    demo data): the reader is told the photo is unavailable instead of getting an error, and
    the caption still arrives.
    """
    for start in range(0, len(file_ids), ALBUM):
        chunk = file_ids[start : start + ALBUM]
        said = caption if start == 0 else None
        try:
            if len(chunk) == 1:
                await bot.send_photo(chat_id, chunk[0], caption=said)
            else:
                album = [
                    InputMediaPhoto(p, caption=said if i == 0 else None)
                    for i, p in enumerate(chunk)
                ]
                await bot.send_media_group(chat_id, album)
        except BadRequest as error:
            log.info("stored photos could not be sent to chat %s: %s", chat_id, error)
            unavailable = t(lang, "general.photo_unavailable", count=len(chunk))
            await bot.send_message(chat_id, f"{said}\n{unavailable}" if said else unavailable)
