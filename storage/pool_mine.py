"""/my: a rep's own customers, the ones that need attention first.

A rep owns at most their cap (plus won customers), so the list is read whole, ordered in
Python by the same deadline rule the sweep applies, and cut into pages: customers the sweep
can take come first, soonest deadline first (ties: longest without a follow-up); then paused
ones (an open deal, a running contract or money to collect); locked ones last.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum

from storage.access import Actor, NotFound
from storage.models import Customer, Role, Tier
from storage.paging import PAGE_SIZE, Page
from storage.pool_rules import local_day, paused_ids, team_pool

_FAR = datetime.max.replace(tzinfo=UTC)
_EARLY = datetime.min.replace(tzinfo=UTC)


class Standing(IntEnum):
    """Where a customer stands against the reclaim; the value is its sort group."""

    AT_RISK = 0
    """Overdue at the next sweep: the deadline has passed."""
    ACTIVE = 1
    EXTENDED = 2
    PAUSED = 3
    LOCKED = 4


@dataclass(frozen=True)
class MyEntry:
    id: int
    name: str
    tier: Tier
    won: bool
    last_followup_at: datetime | None
    deadline: datetime | None
    """When the sweep takes it if nothing happens (extension included)."""
    standing: Standing
    extension_pending: bool


@dataclass(frozen=True)
class MyList:
    page: Page[MyEntry]
    owned: int
    """Against the cap: won customers not counted."""
    owned_cap: int
    locked: int
    lock_cap: int
    timezone: str


def _standing(
    customer: Customer, deadline: datetime | None, paused: bool, now: datetime
) -> Standing:
    if customer.locked:
        return Standing.LOCKED
    if paused:
        return Standing.PAUSED
    if customer.extended_until is not None and customer.extended_until > now:
        return Standing.EXTENDED
    if deadline is not None and deadline <= now:
        return Standing.AT_RISK
    return Standing.ACTIVE


def _entry(customer: Customer, deadline: datetime | None, paused: bool, now: datetime) -> MyEntry:
    standing = _standing(customer, deadline, paused, now)
    if standing is Standing.EXTENDED and customer.extended_until is not None and deadline:
        deadline = max(deadline, customer.extended_until)
    return MyEntry(
        customer.id,
        customer.name,
        customer.tier,
        customer.won,
        customer.last_followup_at,
        None if standing in (Standing.LOCKED, Standing.PAUSED) else deadline,
        standing,
        customer.extension_requested_at is not None and not customer.extension_used,
    )


def attention_order(entry: MyEntry) -> tuple[int, datetime, datetime]:
    """Sort key: group, then soonest deadline, then longest without a follow-up."""
    return (int(entry.standing), entry.deadline or _FAR, entry.last_followup_at or _EARLY)


async def list_mine(actor: Actor, page: int, *, now: datetime) -> MyList:
    """Page ``page`` of the rep's customers in attention order."""
    actor.require(Role.REP)
    if actor.team_id is None:
        raise NotFound()
    pool = await team_pool(actor.team_id)
    customers = await Customer.filter(team_id=actor.team_id, owner_id=actor.user_id)
    paused = await paused_ids((c.id for c in customers), local_day(now, pool.team.timezone))
    entries = sorted(
        (_entry(c, pool.deadline(c), c.id in paused, now) for c in customers),
        key=attention_order,
    )
    last = max(0, -(-len(entries) // PAGE_SIZE) - 1)
    number = min(max(page, 0), last)
    shown = entries[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
    return MyList(
        Page(shown, number, len(entries)),
        sum(1 for c in customers if not c.won),
        pool.rules.owned_cap,
        sum(1 for c in customers if c.locked),
        pool.rules.lock_cap,
        pool.team.timezone,
    )
