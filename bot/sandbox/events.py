"""Live events for every open browser tab: one queue per subscriber, fed synchronously.

The emulator calls its listeners in the middle of an API call, on the event loop, so
``publish`` must never block or await: it drops the event into each subscriber's queue. A tab
that stops reading (a frozen background tab) is cut off once its queue is full rather than
growing without bound; its EventSource reconnects and the page reloads the open chat.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

Event = dict[str, Any]
QUEUE_LIMIT = 2000


class EventHub:
    """Fan-out of JSON events to subscribers; ``None`` in a queue means "stop reading"."""

    def __init__(self, limit: int = QUEUE_LIMIT) -> None:
        self._limit = limit
        self._queues: set[asyncio.Queue[Event | None]] = set()
        self._closed = False

    @property
    def subscribers(self) -> int:
        return len(self._queues)

    def publish(self, event: Event) -> None:
        for queue in list(self._queues):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                self._cut_off(queue)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[Event | None]]:
        """A queue of events from now on, until the hub closes or the subscriber leaves."""
        queue: asyncio.Queue[Event | None] = asyncio.Queue(self._limit)
        if self._closed:
            queue.put_nowait(None)
        else:
            self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)

    def close(self) -> None:
        """Tell every subscriber to finish (the server is shutting down)."""
        self._closed = True
        for queue in list(self._queues):
            self._cut_off(queue)

    def _cut_off(self, queue: asyncio.Queue[Event | None]) -> None:
        self._queues.discard(queue)
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(None)
