"""Knowing when the bot has finished with an update, without sleeping.

The web chat's actions return once the bot has handled what they sent (so a tap can report
its toast, and tests can read the reply straight away). The application's update processor
calls ``processed`` after every update, handled or failed; whoever delivered the update waits
on a future keyed by its ``update_id``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

Hook = Callable[[], Awaitable[None]]


class UpdateTracker:
    def __init__(self) -> None:
        self._waiting: dict[int, asyncio.Future[None]] = {}
        self._hooks: list[Hook] = []

    def after_each(self, hook: Hook) -> None:
        """Run ``hook()`` after every update (e.g. to notice that someone's role changed)."""
        self._hooks.append(hook)

    async def processed(self, update: object) -> None:
        """The processor's after-update hook: the hooks first, so that a waiter wakes up to a
        sandbox that has caught up too (a role the update changed is already in the list)."""
        try:
            for hook in self._hooks:
                await hook()
        finally:
            if isinstance(update, Update):
                future = self._waiting.pop(update.update_id, None)
                if future is not None and not future.done():
                    future.set_result(None)

    async def wait(self, update: dict[str, Any] | None, within: float) -> bool:
        """Wait until ``update`` is handled; False if Telegram would not deliver it (``None``)
        or the bot took longer than ``within`` seconds — it keeps working, the tabs still see it."""
        if update is None:
            return False
        future = self._waiting.setdefault(
            int(update["update_id"]), asyncio.get_running_loop().create_future()
        )
        try:
            await asyncio.wait_for(asyncio.shield(future), within)
        except TimeoutError:
            return False
        return True
