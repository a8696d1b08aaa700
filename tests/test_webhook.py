"""Webhook mode: Telegram posts updates to our aiohttp server, which checks the secret."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import aiohttp
import pytest
from aiohttp import web
from telegram import Update
from tortoise import Tortoise

from bot.application import build_application, running
from bot.clock import ManualClock
from bot.emulator import BotApiEmulator
from bot.settings import Settings
from bot.webhook import SECRET_HEADER, web_app
from tests.support.sim import START, TOKEN


@pytest.fixture
async def webhook(db: str) -> AsyncIterator[tuple[BotApiEmulator, str, asyncio.Queue[int]]]:
    async with BotApiEmulator(TOKEN, bot_username="fieldcrm_bot") as emu:
        settings = replace(
            Settings(),
            bot_token=TOKEN,
            database_url=db,
            bot_api_url=emu.base_url,
            bot_file_url=emu.base_file_url,
            webhook_path="/telegram",
            private_chat_rate=0,
        )
        app = build_application(settings, clock=ManualClock(START), polling=False)
        handled: asyncio.Queue[int] = asyncio.Queue()

        async def done(update: object) -> None:
            if isinstance(update, Update):
                handled.put_nowait(update.update_id)

        app.update_processor.after_update(done)  # type: ignore[attr-defined]
        async with running(app):
            runner = web.AppRunner(web_app(app, settings))
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = runner.addresses[0][1]
            base = f"http://127.0.0.1:{port}"
            await app.bot.set_webhook(
                f"{base}/telegram", secret_token=settings.effective_webhook_secret
            )
            try:
                yield emu, base, handled
            finally:
                await runner.cleanup()


async def test_updates_arrive_through_the_webhook(
    webhook: tuple[BotApiEmulator, str, asyncio.Queue[int]],
) -> None:
    emu, _, handled = webhook
    user = emu.add_user("Wen")
    update = emu.send_message(user, "/start")
    assert update is not None
    assert await asyncio.wait_for(handled.get(), 10) == update["update_id"]
    assert "FieldCRM" in (emu.bot_messages(user.id)[-1].text or "")


async def test_requests_without_the_secret_are_refused(
    webhook: tuple[BotApiEmulator, str, asyncio.Queue[int]],
) -> None:
    _, base, handled = webhook
    forged = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 1, "type": "private"},
            "text": "/start",
        },
    }
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/telegram", json=forged) as response:
            assert response.status == 403
        async with http.post(
            f"{base}/telegram", json=forged, headers={SECRET_HEADER: "wrong"}
        ) as response:
            assert response.status == 403
    assert handled.empty()


async def test_health_check_follows_the_database(
    webhook: tuple[BotApiEmulator, str, asyncio.Queue[int]],
) -> None:
    _, base, _ = webhook
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/healthz") as response:
            assert response.status == 200
            assert (await response.json())["database"] == "ok"
        await Tortoise.close_connections()
        async with http.get(f"{base}/healthz") as response:
            assert response.status == 503
