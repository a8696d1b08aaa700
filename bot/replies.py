"""Answering in the chat an update came from, without repeating the None-checks everywhere."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update

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
