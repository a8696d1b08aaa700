"""Telegram's flood limits, applied before we hit them, and retries when we do.

PTB's ``AIORateLimiter`` throttles overall and per group but not per private chat, and by
default retries nothing. Telegram's guidance: about one message per second to a chat (short
bursts are tolerated), 30 per second overall, 20 per minute to a group.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
_MAX_LIMITERS = 1024


class FloodLimiter(BaseRateLimiter[int]):
    def __init__(
        self,
        *,
        overall_per_second: float = 30,
        group_per_minute: float = 20,
        private_per_second: float = 1.0,
        private_burst: int = 3,
        max_retries: int = 3,
    ) -> None:
        self._overall = AsyncLimiter(overall_per_second, 1) if overall_per_second else None
        self._group_rate = group_per_minute
        self._private_rate = private_per_second
        self._private_burst = private_burst
        self._chats: dict[int | str, AsyncLimiter] = {}
        self._max_retries = max_retries
        self._resume = asyncio.Event()
        self._resume.set()

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def _chat_limiter(self, chat_id: int | str) -> AsyncLimiter | None:
        is_group = isinstance(chat_id, str) or chat_id < 0
        if is_group and not self._group_rate:
            return None
        if not is_group and not self._private_rate:
            return None
        if len(self._chats) > _MAX_LIMITERS:
            for key, limiter in list(self._chats.items()):
                if limiter.has_capacity(limiter.max_rate):
                    del self._chats[key]
        if chat_id not in self._chats:
            if is_group:
                self._chats[chat_id] = AsyncLimiter(self._group_rate, 60)
            else:
                burst = self._private_burst
                self._chats[chat_id] = AsyncLimiter(burst, burst / self._private_rate)
        return self._chats[chat_id]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Wait for capacity, send, and on RetryAfter pause every request and try again."""
        chat_id = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[arg-type]
        limiters = []
        if chat_id is not None:
            if self._overall is not None:
                limiters.append(self._overall)
            chat_limiter = self._chat_limiter(chat_id)
            if chat_limiter is not None:
                limiters.append(chat_limiter)
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        for attempt in range(retries + 1):
            await self._resume.wait()
            try:
                async with contextlib.AsyncExitStack() as stack:
                    for limiter in limiters:
                        await stack.enter_async_context(limiter)
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    log.error("%s: flood limit persisted after %d retries", endpoint, retries)
                    raise
                # As PTB's own limiter does: the public attribute warns about a type change.
                seconds = exc._retry_after.total_seconds()
                log.warning("%s: flood limit hit, pausing %.1f s", endpoint, seconds)
                self._resume.clear()
                try:
                    await asyncio.sleep(seconds + 0.1)
                finally:
                    self._resume.set()
        raise AssertionError("unreachable")
