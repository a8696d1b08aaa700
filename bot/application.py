"""The one application factory and the one lifecycle every entry point shares.

The CLI (polling), the webhook server, the sandbox and the tests all call
``build_application`` and run it inside ``running``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.clock import Clock, SystemClock
from bot.context import CONTEXT_TYPES, BotData
from bot.menus import publish_default_menus
from bot.persistence import DatabasePersistence
from bot.ratelimit import FloodLimiter
from bot.settings import Settings
from bot.updates import ChatOrderedProcessor
from handlers import register
from scheduler.jobs import register_jobs

log = logging.getLogger(__name__)

FieldApplication = Application[Any, Any, Any, Any, BotData, Any]


def build_application(
    settings: Settings, *, clock: Clock | None = None, polling: bool = True
) -> FieldApplication:
    """Wire the bot: services, persistence, flood limits, ordered concurrency, handlers, jobs."""
    if not settings.bot_token:
        raise ValueError("a bot token is required to build the application")
    services = BotData(settings=settings, clock=clock or SystemClock())
    processor = ChatOrderedProcessor()
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.bot_file_url)
        .context_types(CONTEXT_TYPES)
        .persistence(DatabasePersistence(services))
        .concurrent_updates(processor)
        .rate_limiter(FloodLimiter(private_per_second=settings.private_chat_rate))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .post_init(_post_init)
    )
    if not polling:
        builder = builder.updater(None)
    application: FieldApplication = builder.build()
    application.bot_data = services

    async def flush(_update: object) -> None:
        await application.update_persistence()

    processor.after_update(flush)
    register(application)
    register_jobs(application)
    return application


async def _post_init(application: FieldApplication) -> None:
    """Runs once the bot knows who it is: publish the default command menus."""
    me = application.bot.bot
    log.info("running as @%s (id %s)", me.username, me.id)
    await publish_default_menus(application.bot)


@asynccontextmanager
async def running(application: FieldApplication) -> AsyncIterator[FieldApplication]:
    """initialize → post_init → start … stop → shutdown → post_shutdown.

    The database must already be open: PTB loads persisted data during ``initialize``.
    Polling is left to the caller (``application.updater``) so webhooks can share this.
    """
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        try:
            yield application
        finally:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            await application.stop()
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
