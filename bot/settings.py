"""The one typed settings object, read once at the edge from the environment and ``.env``.

Nothing below ``bot/`` reads the environment: the CLI builds ``Settings`` and passes it down.
Validation collects every problem so an operator fixes them in one go, one line each.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

TELEGRAM_API_URL = "https://api.telegram.org/bot"
TELEGRAM_FILE_URL = "https://api.telegram.org/file/bot"
DEFAULT_DATABASE_URL = "sqlite://fieldcrm.sqlite3"

_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class SettingsError(Exception):
    """Raised with every problem found, each a line an operator can act on."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    """Everything the process needs to know about its environment."""

    bot_token: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    bot_api_url: str = TELEGRAM_API_URL
    bot_file_url: str = TELEGRAM_FILE_URL
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    timezone: str = "Asia/Shanghai"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8080
    webhook_path: str = "/telegram"
    log_level: str = "INFO"
    instance: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    private_chat_rate: float = 1.0
    """Messages per second to one private chat (Telegram's guideline); 0 disables the limit."""

    @property
    def effective_webhook_secret(self) -> str:
        """The configured secret, or one derived from the token so all instances agree."""
        if self.webhook_secret:
            return self.webhook_secret
        return hashlib.sha256(f"fieldcrm:{self.bot_token}".encode()).hexdigest()[:48]

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, require_token: bool = False) -> Settings:
        """Build settings from a mapping of ``FIELDCRM_*`` variables, or raise SettingsError."""
        problems: list[str] = []

        def get(name: str) -> str | None:
            value = env.get(f"FIELDCRM_{name}")
            return value.strip() if value and value.strip() else None

        token = get("BOT_TOKEN")
        if token is None and require_token:
            problems.append(
                "FIELDCRM_BOT_TOKEN is required: create a bot with @BotFather and set its token."
            )
        elif token is not None and not _TOKEN_RE.match(token):
            problems.append(
                "FIELDCRM_BOT_TOKEN does not look like a bot token (expected 123456:ABC-DEF…)."
            )

        database_url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
        if database_url.startswith("postgresql://"):
            database_url = "postgres://" + database_url.removeprefix("postgresql://")
        if not database_url.startswith(("sqlite://", "postgres://")):
            problems.append(
                "FIELDCRM_DATABASE_URL must start with sqlite:// or postgres:// "
                f"(got {database_url.split('://')[0]!r})."
            )

        admin_ids: set[int] = set()
        for part in (get("ADMIN_IDS") or "").split(","):
            part = part.strip()
            if not part:
                continue
            if part.lstrip("-").isdigit():
                admin_ids.add(int(part))
            else:
                problems.append(
                    "FIELDCRM_ADMIN_IDS must be comma-separated Telegram user ids; "
                    f"{part!r} is not."
                )

        timezone = get("TIMEZONE") or "Asia/Shanghai"
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                f"FIELDCRM_TIMEZONE {timezone!r} is not an IANA time zone (e.g. Asia/Shanghai)."
            )

        webhook_url = get("WEBHOOK_URL")
        if webhook_url is not None and not webhook_url.startswith("https://"):
            problems.append("FIELDCRM_WEBHOOK_URL must be an https:// URL Telegram can reach.")
        webhook_secret = get("WEBHOOK_SECRET")
        if webhook_secret is not None and not _SECRET_RE.match(webhook_secret):
            problems.append(
                "FIELDCRM_WEBHOOK_SECRET may only hold A-Z, a-z, 0-9, _ and - (1-256 characters)."
            )
        webhook_port = _parse_int(get("WEBHOOK_PORT"), 8080, "FIELDCRM_WEBHOOK_PORT", problems)
        if not 0 < webhook_port < 65536:
            problems.append("FIELDCRM_WEBHOOK_PORT must be between 1 and 65535.")
        webhook_path = get("WEBHOOK_PATH") or "/telegram"
        if not webhook_path.startswith("/"):
            problems.append("FIELDCRM_WEBHOOK_PATH must start with '/'.")

        log_level = (get("LOG_LEVEL") or "INFO").upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            problems.append("FIELDCRM_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR.")

        if problems:
            raise SettingsError(problems)
        return cls(
            bot_token=token,
            database_url=database_url,
            bot_api_url=get("BOT_API_URL") or TELEGRAM_API_URL,
            bot_file_url=get("BOT_FILE_URL") or TELEGRAM_FILE_URL,
            admin_ids=frozenset(admin_ids),
            timezone=timezone,
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            webhook_listen=get("WEBHOOK_LISTEN") or "0.0.0.0",
            webhook_port=webhook_port,
            webhook_path=webhook_path,
            log_level=log_level,
        )

    @classmethod
    def load(cls, *, require_token: bool = False, env_file: str | Path = ".env") -> Settings:
        """Read ``.env`` (if present) overlaid by the process environment."""
        merged: dict[str, str] = {
            k: v for k, v in dotenv_values(env_file).items() if v is not None and k
        }
        merged.update(os.environ)
        return cls.from_env(merged, require_token=require_token)


def _parse_int(raw: str | None, default: int, name: str, problems: list[str]) -> int:
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        problems.append(f"{name} must be a whole number (got {raw!r}).")
        return default
