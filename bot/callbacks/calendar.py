"""Buttons of the calendar plan (B5).

``PlanVisit`` starts planning a visit or follow-up for a customer; the card shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback


@callback("plan")
@dataclass(frozen=True)
class PlanVisit(CallbackData):
    customer_id: int
