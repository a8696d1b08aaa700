"""Our aiohttp front: Telegram's webhook endpoint and the health check.

PTB's built-in webhook server needs tornado; ours is the same aiohttp the rest uses, and it
checks Telegram's secret header before an update reaches the application.
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Update

from bot.application import FieldApplication
from bot.database import database_reachable
from bot.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
APPLICATION = web.AppKey("application", FieldApplication)
SECRET = web.AppKey("secret", str)


def web_app(application: FieldApplication, settings: Settings) -> web.Application:
    app = web.Application(client_max_size=10 * 1024 * 1024)
    app[APPLICATION] = application
    app[SECRET] = settings.effective_webhook_secret
    app.router.add_post(settings.webhook_path, receive_update)
    app.router.add_get("/healthz", healthz)
    return app


async def receive_update(request: web.Request) -> web.Response:
    """Queue one update from Telegram; anything without the right secret is refused."""
    sent = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(sent.encode(), request.app[SECRET].encode()):
        log.warning("webhook call without the right secret from %s", request.remote)
        return web.Response(status=403, text="forbidden")
    try:
        payload = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return web.Response(status=400, text="bad json")
    application = request.app[APPLICATION]
    update = Update.de_json(payload, application.bot)
    if update is None:
        return web.Response(status=400, text="not an update")
    await application.update_queue.put(update)
    return web.Response(text="ok")


async def healthz(request: web.Request) -> web.Response:
    """200 when the database answers, 503 otherwise — for load balancers and monitors."""
    if await database_reachable():
        return web.json_response({"status": "ok", "database": "ok"})
    return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
