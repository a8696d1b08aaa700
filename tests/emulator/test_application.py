"""A full python-telegram-bot Application polling the emulator, end to end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.emulator import BotApiEmulator, SimMessage
from tests.emulator.conftest import TOKEN


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    await update.effective_message.reply_html(
        f"Hello, <b>{update.effective_user.first_name}</b>!",
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("Visits", callback_data="visits")]]
        ),
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Loading…")
    await query.edit_message_text(f"You picked {query.data}")


@pytest.fixture
async def app(emu: BotApiEmulator) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(on_button))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


class Waiter:
    """Resolves when a chat receives a bot message event of a given kind."""

    def __init__(self, emu: BotApiEmulator) -> None:
        self.events: asyncio.Queue[tuple[str, SimMessage]] = asyncio.Queue()
        emu.subscribe(self._on_event)

    def _on_event(self, event: str, chat_id: int, message: SimMessage) -> None:
        if message.from_bot:
            self.events.put_nowait((event, message))

    async def next(self, kind: str) -> SimMessage:
        while True:
            event, message = await asyncio.wait_for(self.events.get(), 10)
            if event == kind:
                return message


async def test_start_reply_and_button_flow(emu: BotApiEmulator, app: Application) -> None:  # type: ignore[type-arg]
    waiter = Waiter(emu)
    rita = emu.add_user("Rita", username="rita")
    emu.send_message(rita, "/start")
    reply = await waiter.next("new")
    assert reply.chat_id == rita.id
    assert reply.text == "Hello, Rita!"
    assert reply.entities == [{"offset": 7, "length": 4, "type": "bold"}]
    assert reply.reply_to_message_id is None  # reply_html does not quote by default

    update = emu.tap(rita, rita.id, reply.message_id, "visits")
    edited = await waiter.next("edited")
    assert edited.message_id == reply.message_id
    assert edited.text == "You picked visits" and edited.reply_markup is None
    assert emu.callback_answer(update["callback_query"]["id"]) == {
        "text": "Loading…",
        "show_alert": False,
        "url": None,
        "cache_time": 0,
    }
    assert {r.method for r in emu.requests} >= {
        "getMe",
        "deleteWebhook",
        "getUpdates",
        "sendMessage",
        "answerCallbackQuery",
        "editMessageText",
    }
    assert all(r.ok for r in emu.requests), [r for r in emu.requests if not r.ok]
