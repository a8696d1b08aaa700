"""Buttons of the public pool: claim, release, assign, lock, extension, paging.

The card shows the pool actions that apply, so the first five payloads are shared with the
card; the rest belong to /pool, /my, /poolflow and the flows they start. Filter values are
not carried in buttons (a region name can exceed 64 bytes): a button carries the index of a
value the handler offered and kept in the user's draft.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback
from storage.pool import FilterField
from storage.pool_rules import ReleaseReason


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


@callback("plpg")
@dataclass(frozen=True)
class PoolPage(CallbackData):
    """Page ``page`` (0-based) of /pool with the filter kept in the user's draft."""

    page: int


@callback("plpv")
@dataclass(frozen=True)
class PreviewPoolCustomer(CallbackData):
    """The masked preview of a pool customer (counts against the daily view cap)."""

    customer_id: int


@callback("plfm")
@dataclass(frozen=True)
class PoolFilterMenu(CallbackData):
    """Offer the values of one filter (region, industry, tier)."""

    field: FilterField


@callback("plfp")
@dataclass(frozen=True)
class PoolFilterPick(CallbackData):
    """Pick the ``index``-th value offered for ``field`` (-1 clears that filter)."""

    field: FilterField
    index: int


@callback("plfc")
@dataclass(frozen=True)
class PoolFilterClear(CallbackData):
    """Drop every filter and the search text."""


@callback("plmy")
@dataclass(frozen=True)
class MyPage(CallbackData):
    """Page ``page`` (0-based) of /my."""

    page: int


@callback("plrr")
@dataclass(frozen=True)
class PickReleaseReason(CallbackData):
    """Why the customer goes back to the pool; OTHER asks for the rep's own words."""

    customer_id: int
    reason: ReleaseReason


@callback("plat")
@dataclass(frozen=True)
class AssignTo(CallbackData):
    """A manager gives the customer to this rep (``override``: even past the rep's cap)."""

    customer_id: int
    rep_id: int
    override: bool


@callback("plxd")
@dataclass(frozen=True)
class DecideExtension(CallbackData):
    """A manager approves or declines the owner's extension request."""

    customer_id: int
    approve: bool


@callback("plfl")
@dataclass(frozen=True)
class PoolFlowPeriod(CallbackData):
    """/poolflow over the last ``days`` days (1 = today)."""

    days: int
