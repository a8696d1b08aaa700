"""Buttons of follow-ups, the sales stages and tasks (B2, B3).

``LogFollowUp`` starts logging a follow-up for a customer; the card shows it to the owner.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback


@callback("fu")
@dataclass(frozen=True)
class LogFollowUp(CallbackData):
    customer_id: int
