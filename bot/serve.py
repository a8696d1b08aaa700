"""Running the bot: long polling or webhooks, until told to stop."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from telegram import Update

from bot.application import build_application, running
from bot.database import close_database, open_database
from bot.settings import Settings
from bot.webhook import web_app

log = logging.getLogger(__name__)


async def serve_polling(settings: Settings, stop: asyncio.Event) -> None:
    """Long polling: the simplest way to run, no public address needed."""
    await open_database(settings.database_url)
    try:
        application = build_application(settings)
        async with running(application):
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            log.info("polling for updates; press Ctrl+C to stop")
            await stop.wait()
    finally:
        await close_database()


async def serve_webhook(settings: Settings, stop: asyncio.Event) -> None:
    """Webhooks: Telegram posts updates to our aiohttp server, which also serves /healthz."""
    if not settings.webhook_url:
        raise ValueError("FIELDCRM_WEBHOOK_URL is required for webhooks")
    await open_database(settings.database_url)
    try:
        application = build_application(settings, polling=False)
        async with running(application):
            runner = web.AppRunner(web_app(application, settings))
            await runner.setup()
            site = web.TCPSite(runner, settings.webhook_listen, settings.webhook_port)
            await site.start()
            try:
                url = settings.webhook_url.rstrip("/") + settings.webhook_path
                await application.bot.set_webhook(
                    url,
                    secret_token=settings.effective_webhook_secret,
                    allowed_updates=Update.ALL_TYPES,
                )
                log.info(
                    "serving webhooks on %s:%s%s for %s",
                    settings.webhook_listen,
                    settings.webhook_port,
                    settings.webhook_path,
                    url,
                )
                await stop.wait()
            finally:
                await runner.cleanup()
    finally:
        await close_database()
