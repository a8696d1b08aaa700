"""Keeping a customer out of the reclaim: a rep's locks and the manager-approved extension.

A lock is the rep's own call on a few key customers (``TeamRules.lock_cap``). An extension is
the manager's: the owner asks once per ownership, a manager of the team approves or declines,
and an approval moves the customer out of reach of the sweep until ``extended_until`` (now plus
the tier's reclaim window). The request's state lives on the customer row:

| state    | extension_requested_at | extension_used | extended_until |
|----------|------------------------|----------------|----------------|
| none     | NULL                   | false          | NULL           |
| pending  | set                    | false          | NULL           |
| approved | set                    | true           | set            |
| declined | set                    | true           | NULL           |

Each transition is a conditional update, so two managers deciding at once decide once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from storage.access import Actor, Invalid, NotFound
from storage.models import ActorKind, Customer, PoolEvent, PoolEventKind, Role, Tier, User
from storage.pool_rules import Recipient, recipient, team_audience, team_customer, team_pool

APPROVED = "approved"
DECLINED = "declined"


async def _own_customer(actor: Actor, customer_id: int) -> Customer:
    actor.require(Role.REP)
    if actor.team_id is None:
        raise NotFound()
    customer = await Customer.get_or_none(
        id=customer_id, team_id=actor.team_id, owner_id=actor.user_id
    )
    if customer is None:
        raise NotFound()
    return customer


@dataclass(frozen=True)
class LockResult:
    customer_id: int
    name: str
    locked: bool
    used: int
    cap: int


async def set_lock(actor: Actor, customer_id: int, on: bool, *, now: datetime) -> LockResult:
    """Lock (``on``) or unlock one of the rep's customers; locking respects the lock cap."""
    customer = await _own_customer(actor, customer_id)
    pool = await team_pool(customer.team_id)
    cap = pool.rules.lock_cap
    mine = Customer.filter(owner_id=actor.user_id, locked=True)
    async with in_transaction():
        await User.filter(id=actor.user_id).select_for_update().first()
        if on and not customer.locked and await mine.count() >= cap:
            raise Invalid("pool.lock_cap", cap=cap, customer=customer.name)
        changed = await Customer.filter(
            id=customer.id, owner_id=actor.user_id, locked=not on
        ).update(locked=on, updated_at=now)
        if changed:
            await PoolEvent.create(
                team_id=customer.team_id,
                customer_id=customer.id,
                kind=PoolEventKind.LOCK if on else PoolEventKind.UNLOCK,
                rep_id=actor.user_id,
                actor_id=actor.user_id,
                actor_kind=ActorKind.USER,
                created_at=now,
            )
    return LockResult(customer.id, customer.name, on, await mine.count(), cap)


@dataclass(frozen=True)
class ExtensionRequest:
    customer_id: int
    name: str
    tier: Tier
    rep_name: str
    days: int
    """How long an approval keeps the customer (the tier's reclaim window)."""
    deadline: datetime | None
    timezone: str
    audience: list[Recipient]
    """The team group if bound, else each manager privately."""


def _used_error(customer: Customer, zone: str) -> Invalid:
    if customer.extended_until is not None:
        until = customer.extended_until.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
        return Invalid("pool.extension_used_approved", customer=customer.name, until=until)
    return Invalid("pool.extension_used_declined", customer=customer.name)


async def request_extension(actor: Actor, customer_id: int, *, now: datetime) -> ExtensionRequest:
    """The owner asks the team's managers for the customer's one extension."""
    customer = await _own_customer(actor, customer_id)
    pool = await team_pool(customer.team_id)
    if customer.locked:
        raise Invalid("pool.extension_locked", customer=customer.name)
    if customer.extension_used:
        raise _used_error(customer, pool.team.timezone)
    asked = await Customer.filter(
        id=customer.id, owner_id=actor.user_id, extension_requested_at=None, extension_used=False
    ).update(extension_requested_at=now)
    if asked != 1:
        raise Invalid("pool.extension_pending", customer=customer.name)
    return ExtensionRequest(
        customer.id,
        customer.name,
        customer.tier,
        actor.full_name,
        pool.reclaim_days[customer.tier],
        pool.deadline(customer),
        pool.team.timezone,
        await team_audience(pool.team),
    )


@dataclass(frozen=True)
class ExtensionDecision:
    customer_id: int
    name: str
    approved: bool
    until: datetime | None
    timezone: str
    manager_name: str
    rep_name: str
    rep: Recipient | None


async def decide_extension(
    actor: Actor, customer_id: int, approve: bool, *, now: datetime
) -> ExtensionDecision:
    """A manager of the customer's team approves or declines the pending request, once."""
    customer = await team_customer(actor, customer_id)
    pool = await team_pool(customer.team_id)
    until = now + timedelta(days=pool.reclaim_days[customer.tier]) if approve else None
    async with in_transaction():
        decided = await Customer.filter(
            id=customer.id,
            owner_id__not_isnull=True,
            extension_requested_at__not_isnull=True,
            extension_used=False,
        ).update(
            extension_used=True,
            extended_until=until,
            reclaim_warned_at=None if approve else customer.reclaim_warned_at,
            updated_at=now,
        )
        if decided != 1:  # nothing pending, or another manager was faster: say which
            fresh = await Customer.get(id=customer.id)
            if fresh.extension_used and fresh.owner_id is not None:
                raise _used_error(fresh, pool.team.timezone)
            raise Invalid("pool.extension_none", customer=customer.name)
        await PoolEvent.create(
            team_id=customer.team_id,
            customer_id=customer.id,
            kind=PoolEventKind.EXTEND,
            rep_id=customer.owner_id,
            actor_id=actor.user_id,
            actor_kind=ActorKind.USER,
            reason=APPROVED if approve else DECLINED,
            created_at=now,
        )
    owner = await User.get_or_none(id=customer.owner_id) if customer.owner_id else None
    return ExtensionDecision(
        customer.id,
        customer.name,
        approve,
        until,
        pool.team.timezone,
        actor.full_name,
        str(owner) if owner else "?",
        recipient(owner) if owner else None,
    )


async def grant_extension(actor: Actor, customer_id: int, *, now: datetime) -> ExtensionDecision:
    """A manager extends an owned customer of the team on their own initiative (the digest's
    Extend), with or without a pending request from the owner.

    The same rules and trail as an approved request: the ownership's one extension is used,
    the customer stays until now plus the tier's window, the warning is reset, and an EXTEND
    event (approved, by the manager) is logged — in one conditional update, so a manager
    approving the owner's request at the same moment extends it once.
    """
    customer = await team_customer(actor, customer_id)
    pool = await team_pool(customer.team_id)
    until = now + timedelta(days=pool.reclaim_days[customer.tier])
    async with in_transaction():
        granted = await Customer.filter(
            id=customer.id, owner_id__not_isnull=True, locked=False, extension_used=False
        ).update(
            extension_used=True,
            extension_requested_at=customer.extension_requested_at or now,
            extended_until=until,
            reclaim_warned_at=None,
            updated_at=now,
        )
        if granted != 1:  # say why: back in the pool, locked, or its extension is used
            fresh = await Customer.get(id=customer.id)
            if fresh.owner_id is None:
                raise Invalid("pool.extension_not_owned", customer=fresh.name)
            if fresh.locked:
                raise Invalid("pool.extension_locked", customer=fresh.name)
            raise _used_error(fresh, pool.team.timezone)
        fresh = await Customer.get(id=customer.id)
        await PoolEvent.create(
            team_id=fresh.team_id,
            customer_id=fresh.id,
            kind=PoolEventKind.EXTEND,
            rep_id=fresh.owner_id,
            actor_id=actor.user_id,
            actor_kind=ActorKind.USER,
            reason=APPROVED,
            created_at=now,
        )
    owner = await User.get_or_none(id=fresh.owner_id) if fresh.owner_id else None
    return ExtensionDecision(
        fresh.id,
        fresh.name,
        True,
        until,
        pool.team.timezone,
        actor.full_name,
        str(owner) if owner else "?",
        recipient(owner) if owner else None,
    )
