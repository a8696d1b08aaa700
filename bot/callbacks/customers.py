"""Buttons of customer cards, their timeline, tier overrides and /newcustomer.

``OpenCustomer`` is the one way any list links to a card.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback


@callback("card")
@dataclass(frozen=True)
class OpenCustomer(CallbackData):
    """Show the customer's 360° card."""

    customer_id: int


@callback("tl")
@dataclass(frozen=True)
class CustomerTimeline(CallbackData):
    """Page ``page`` (0-based) of the customer's timeline."""

    customer_id: int
    page: int
