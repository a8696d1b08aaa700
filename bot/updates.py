"""Concurrent update processing that keeps each chat's updates in order.

``concurrent_updates`` with PTB's simple processor could run two updates of one chat at once
and corrupt a conversation's state. Here updates of different chats run side by side (a slow
import for one rep does not stall everyone), while updates of the same chat queue behind a
per-chat lock, which asyncio grants in arrival order. After each update the application's
``after_update`` hooks run — persistence flush, and whoever needs to know an update is done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

AfterUpdate = Callable[[object], Awaitable[None]]


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}
        self._after: list[AfterUpdate] = []

    def after_update(self, hook: AfterUpdate) -> None:
        """Run ``hook(update)`` when an update has been fully handled (even on error)."""
        self._after.append(hook)

    @staticmethod
    def order_key(update: object) -> int:
        if isinstance(update, Update):
            if update.effective_chat is not None:
                return update.effective_chat.id
            if update.effective_user is not None:
                return update.effective_user.id
        return 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = self.order_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                try:
                    await coroutine
                finally:
                    for hook in self._after:
                        try:
                            await hook(update)
                        except Exception:
                            log.exception("after-update hook failed")
        finally:
            self._holders[key] -= 1
            if not self._holders[key]:
                del self._holders[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""
