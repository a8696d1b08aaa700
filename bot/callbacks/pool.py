"""Buttons of the public pool: claim, release, assign, lock, extension, paging.

The card shows the pool actions that apply, so these payloads are shared with the card.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback


@callback("claim")
@dataclass(frozen=True)
class ClaimCustomer(CallbackData):
    customer_id: int


@callback("rel")
@dataclass(frozen=True)
class ReleaseCustomer(CallbackData):
    """Start releasing a customer back to the pool (a reason follows)."""

    customer_id: int


@callback("asg")
@dataclass(frozen=True)
class AssignCustomer(CallbackData):
    """A manager starts assigning or reassigning a customer to a rep."""

    customer_id: int


@callback("lock")
@dataclass(frozen=True)
class LockCustomer(CallbackData):
    """Lock (``on``) or unlock a key customer against reclaim."""

    customer_id: int
    on: bool


@callback("ext")
@dataclass(frozen=True)
class RequestExtension(CallbackData):
    """The owner asks the manager for the customer's one extension."""

    customer_id: int
