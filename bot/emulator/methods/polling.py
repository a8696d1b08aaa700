"""getMe, getUpdates and the webhook methods (plus logOut/close).

Integer arguments are clamped like telegram-bot-api's ``get_integer_arg`` does (``limit`` to
1-100, ``timeout`` to 0-50); webhook URLs must be HTTPS on ports 80/88/443/8443 like on
Telegram, except loopback URLs, which are allowed over plain HTTP so tests can run a local
receiver.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.emulator.errors import bad_request
from bot.emulator.methods.registry import Described, Params, api_method
from bot.emulator.updates import WebhookConfig

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

LONG_POLL_MAX_TIMEOUT = 50
WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_SECRET_RE = re.compile(r"^[A-Za-z0-9_\-]*$")


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


@api_method("getMe")
async def get_me(emu: BotApiEmulator, p: Params) -> Any:
    return emu.bot_info()


@api_method("getUpdates")
async def get_updates(emu: BotApiEmulator, p: Params) -> Any:
    emu.updates.set_allowed(p.get("allowed_updates"))
    return await emu.updates.get_updates(
        offset=int(p.get("offset", 0)),
        limit=_clamp(int(p.get("limit", 100)), 1, 100),
        wait_seconds=_clamp(int(p.get("timeout", 0)), 0, LONG_POLL_MAX_TIMEOUT),
    )


def _check_webhook_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise bad_request("invalid webhook URL specified") from None
    if not parts.hostname or parts.scheme not in ("http", "https"):
        raise bad_request("invalid webhook URL specified")
    if parts.hostname in LOOPBACK_HOSTS:
        return  # emulator-only convenience for local test receivers
    if parts.scheme != "https":
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if port is not None and port not in WEBHOOK_PORTS:
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")


@api_method("setWebhook")
async def set_webhook(emu: BotApiEmulator, p: Params) -> Any:
    url: str = p["url"].strip()
    _check_webhook_url(url)
    secret = p.get("secret_token")
    if secret is not None:
        if len(secret) > 256:
            raise bad_request("secret token is too long")
        if not _SECRET_RE.match(secret):
            raise bad_request("secret token contains unallowed characters")
    max_connections = _clamp(int(p.get("max_connections", 40)), 1, 100)
    current = emu.updates.webhook
    emu.updates.set_allowed(p.get("allowed_updates"))
    if p.get("drop_pending_updates"):
        emu.updates.drop_pending()
    elif current is not None and (current.url, current.secret_token, current.max_connections) == (
        url,
        secret,
        max_connections,
    ):
        return Described(True, "Webhook is already set")
    emu.updates.set_webhook(
        WebhookConfig(
            url=url,
            secret_token=secret,
            max_connections=max_connections,
            ip_address=p.get("ip_address"),
        )
    )
    return Described(True, "Webhook was set")


@api_method("deleteWebhook")
async def delete_webhook(emu: BotApiEmulator, p: Params) -> Any:
    if p.get("drop_pending_updates"):
        emu.updates.drop_pending()
    if emu.updates.webhook is None:
        return Described(True, "Webhook is already deleted")
    await emu.updates.delete_webhook()
    return Described(True, "Webhook was deleted")


@api_method("getWebhookInfo")
async def get_webhook_info(emu: BotApiEmulator, p: Params) -> Any:
    config = emu.updates.webhook
    info: dict[str, Any] = {
        "url": config.url if config else "",
        "has_custom_certificate": False,
        "pending_update_count": emu.updates.pending_count,
    }
    if config is not None:
        info["max_connections"] = config.max_connections
        if config.ip_address:
            info["ip_address"] = config.ip_address
        if config.last_error_date is not None:
            info["last_error_date"] = config.last_error_date
            info["last_error_message"] = config.last_error_message
        if emu.updates.allowed_explicit is not None:
            info["allowed_updates"] = emu.updates.allowed_explicit
    return info


@api_method("logOut")
async def log_out(emu: BotApiEmulator, p: Params) -> Any:
    return True


@api_method("close")
async def close(emu: BotApiEmulator, p: Params) -> Any:
    return True
