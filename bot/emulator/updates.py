"""The bot's update queue: long polling (getUpdates) and webhook delivery.

Semantics follow telegram-bot-api: updates stay queued until a later ``offset`` confirms
them, a negative offset keeps only the last ``-offset`` updates, a new long poll terminates
the one already waiting with 409 Conflict, and while a webhook is set getUpdates is refused.
``allowed_updates`` filters updates when they are *created* (not when they are read), and by
default excludes ``chat_member``, ``message_reaction`` and ``message_reaction_count``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.emulator.errors import conflict

log = logging.getLogger(__name__)

DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
GET_UPDATES_CONFLICT = (
    "terminated by other getUpdates request; make sure that only one bot instance is running"
)
WEBHOOK_ACTIVE_CONFLICT = (
    "can't use getUpdates method while webhook is active; use deleteWebhook to delete the "
    "webhook first"
)


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Poller:
    event: asyncio.Event
    conflict: str | None = None


WebhookReply = Callable[[dict[str, Any]], Awaitable[None]]


class UpdateQueue:
    """Pending updates plus the two ways a bot can receive them."""

    def __init__(
        self,
        update_types: list[str],
        now: Callable[[], int],
        *,
        first_update_id: int = 100_001,
        webhook_retry_delay: float = 1.0,
    ) -> None:
        self._types = frozenset(update_types)
        self._now = now
        self._pending: list[dict[str, Any]] = []
        self._next_id = first_update_id
        self.allowed: frozenset[str] = self._types - DEFAULT_EXCLUDED
        self.allowed_explicit: list[str] | None = None
        self._poller: _Poller | None = None
        self._parked = asyncio.Event()
        self._changed = asyncio.Event()
        self._closed = False
        self.webhook: WebhookConfig | None = None
        self.webhook_retry_delay = webhook_retry_delay
        self._webhook_task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self.on_webhook_reply: WebhookReply | None = None

    # ----- producing -----

    def set_allowed(self, allowed: list[str] | None) -> None:
        """``None`` keeps the previous setting; ``[]`` restores the default."""
        if allowed is None:
            return
        self.allowed_explicit = list(allowed) or None
        known = self._types.intersection(allowed)
        self.allowed = known if allowed else self._types - DEFAULT_EXCLUDED

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Create an update; ``None`` when the bot's allowed_updates drops it."""
        if kind not in self.allowed:
            return None
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self._pending.append(update)
        self._wake()
        return update

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    def drop_pending(self) -> None:
        self._pending.clear()

    def _wake(self) -> None:
        if self._poller is not None:
            self._poller.event.set()
        self._changed.set()

    # ----- long polling -----

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            keep = -offset
            self._pending = self._pending[-keep:] if keep else []
        elif offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    async def get_updates(self, offset: int, limit: int, wait_seconds: int) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise conflict(WEBHOOK_ACTIVE_CONFLICT)
        self._confirm(offset)
        batch = self._pending[:limit]
        if batch or wait_seconds <= 0 or self._closed:
            return batch
        if self._poller is not None:
            self._poller.conflict = GET_UPDATES_CONFLICT
            self._poller.event.set()
        poller = _Poller(asyncio.Event())
        self._poller = poller
        self._parked.set()
        try:
            await asyncio.wait_for(poller.event.wait(), wait_seconds)
        except TimeoutError:
            pass
        finally:
            if self._poller is poller:
                self._poller = None
        if poller.conflict is not None:
            raise conflict(poller.conflict)
        return self._pending[:limit]

    async def wait_for_long_poll(self, *, other_than: object | None = None) -> object:
        """Wait until a getUpdates call is parked (waiting for updates); returns a token
        identifying it, so a caller can wait for a *different* poll with ``other_than``."""
        while self._poller is None or self._poller is other_than:
            self._parked.clear()
            await self._parked.wait()
        return self._poller

    # ----- webhook -----

    def set_webhook(self, config: WebhookConfig) -> None:
        if self._poller is not None:
            self._poller.conflict = "terminated by setWebhook request"
            self._poller.event.set()
        self.webhook = config
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._webhook_loop())
        self._changed.set()

    async def delete_webhook(self) -> None:
        self.webhook = None
        await self._stop_webhook_task()

    async def _stop_webhook_task(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _webhook_loop(self) -> None:
        while self.webhook is not None and not self._closed:
            if not self._pending:
                self._changed.clear()
                await self._changed.wait()
                continue
            config = self.webhook
            update = self._pending[0]
            error = await self._deliver(config, update)
            if config is not self.webhook:
                continue
            if error is None:
                if self._pending and self._pending[0] is update:
                    self._pending.pop(0)
                config.delivered.append(update)
            else:
                config.last_error_date = self._now()
                config.last_error_message = error
                await asyncio.sleep(self.webhook_retry_delay)

    async def _deliver(self, config: WebhookConfig, update: dict[str, Any]) -> str | None:
        """POST one update; returns an error message like getWebhookInfo shows, or None."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        headers = {"Content-Type": "application/json"}
        if config.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = config.secret_token
        try:
            async with self._session.post(
                config.url, data=json.dumps(update), headers=headers
            ) as response:
                body = await response.read()
                if not 200 <= response.status < 300:
                    return f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return f"Connection failed: {exc.__class__.__name__}"
        await self._handle_reply(body)
        return None

    async def _handle_reply(self, body: bytes) -> None:
        """A webhook may answer with a method call in its response body, as on Telegram."""
        if not body or self.on_webhook_reply is None:
            return
        try:
            reply = json.loads(body)
        except ValueError:
            return
        if isinstance(reply, dict) and isinstance(reply.get("method"), str):
            try:
                await self.on_webhook_reply(reply)
            except Exception:
                log.exception("method call returned by the webhook failed")

    # ----- lifecycle -----

    async def close(self) -> None:
        """Release long polls (they return []) and stop webhook delivery."""
        self._closed = True
        if self._poller is not None:
            self._poller.event.set()
        self._changed.set()
        await self._stop_webhook_task()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def reopen(self) -> None:
        self._closed = False
