"""Our rate limiter: throttles a private chat after a short burst and retries RetryAfter."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter

from bot.ratelimit import FloodLimiter


async def test_private_chat_burst_then_one_per_second() -> None:
    limiter = FloodLimiter(private_per_second=20, private_burst=3)
    stamps: list[float] = []

    async def send() -> dict[str, Any]:
        stamps.append(time.monotonic())
        return {}

    for _ in range(5):
        await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 5}, None)
    # The burst of three goes out, then the rate (20/s here) spaces the other two.
    assert stamps[4] - stamps[0] >= 2 / 20 - 0.01


async def test_retry_after_is_retried() -> None:
    limiter = FloodLimiter(private_per_second=0, max_retries=2)
    calls = 0

    async def flaky() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RetryAfter(timedelta(0))
        return {"ok": True}

    result = await limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 5}, None)
    assert result == {"ok": True} and calls == 2
