"""Flood control: injected failures and (optionally) Telegram's broadcast limits.

Telegram answers 429 "Too Many Requests: retry after N" when a bot sends faster than about one
message per second to a chat (short bursts tolerated), 30 messages per second overall, or 20
messages per minute to a group. ``strict`` mode models these with token buckets (and a sliding
one-minute window for groups) driven by the
emulator clock, so a test can trigger them deterministically and advance the clock instead of
sleeping. ``fail_next`` injects a single failure on demand.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass

from bot.emulator.errors import ApiError, error_for_code, too_many_requests

# Methods that put a new message into a chat and therefore count against the limits.
SENDING_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendVoice",
        "sendVideoNote",
        "sendSticker",
        "sendPoll",
        "sendDice",
    }
)


@dataclass
class _Bucket:
    capacity: float
    per_second: float
    tokens: float
    updated: float

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = max(self.updated, now)

    def wait_time(self, amount: float) -> float:
        missing = amount - self.tokens
        return 0.0 if missing <= 0 else missing / self.per_second


class FloodControl:
    """Decides whether a call is refused with 429 (or an injected error)."""

    PER_CHAT_BURST = 3
    PER_CHAT_RATE = 1.0
    GLOBAL_BURST = 30
    GLOBAL_RATE = 30.0
    GROUP_PER_MINUTE = 20

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self._injected: dict[str, deque[ApiError]] = defaultdict(deque)
        self._chats: dict[int, _Bucket] = {}
        self._groups: dict[int, deque[float]] = defaultdict(deque)
        self._global: _Bucket | None = None

    def fail_next(
        self, method: str, error_code: int, retry_after: int, description: str | None
    ) -> None:
        self._injected[method.lower()].append(error_for_code(error_code, retry_after, description))

    def take_injected(self, method: str) -> ApiError | None:
        queue = self._injected.get(method.lower())
        return queue.popleft() if queue else None

    def check_send(self, method: str, chat_id: int, is_group: bool, count: int, now: float) -> None:
        """Raise 429 if sending ``count`` messages now breaks a limit; else consume them."""
        if not self.strict or method not in SENDING_METHODS:
            return
        buckets = [self._bucket_global(now), self._bucket_chat(chat_id, now)]
        for bucket in buckets:
            bucket.refill(now)
        wait = max(bucket.wait_time(count) for bucket in buckets)
        window = self._groups[chat_id] if is_group else None
        if window is not None:
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) + count > self.GROUP_PER_MINUTE:
                wait = max(wait, window[0] + 60.0 - now)
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        for bucket in buckets:
            bucket.tokens -= count
        if window is not None:
            window.extend([now] * count)

    def _bucket_global(self, now: float) -> _Bucket:
        if self._global is None:
            self._global = _Bucket(self.GLOBAL_BURST, self.GLOBAL_RATE, self.GLOBAL_BURST, now)
        return self._global

    def _bucket_chat(self, chat_id: int, now: float) -> _Bucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            burst = self.PER_CHAT_BURST
            bucket = self._chats[chat_id] = _Bucket(burst, self.PER_CHAT_RATE, burst, now)
        return bucket
