"""Buttons of the on-site check-in (B4).

``CheckInAt`` starts a check-in at a customer; the card and calendar entries show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback


@callback("ci")
@dataclass(frozen=True)
class CheckInAt(CallbackData):
    customer_id: int


@callback("civ")
@dataclass(frozen=True)
class CheckInVisit(CallbackData):
    """Check in for a planned calendar entry (``revision`` makes a moved entry's button stale)."""

    entry_id: int
    revision: int
