"""Claiming a pool customer and releasing it back (A1).

A claim is one conditional UPDATE (``owner_id IS NULL`` in the WHERE clause) checked for one
row: when twenty reps tap Claim at once, the database lets exactly one of them change the row
and the others are told who was faster. The caps are checked in the same transaction, after
locking the claimant's own user row on PostgreSQL, so one rep's simultaneous claims (from two
devices, say) cannot slip past their cap either; SQLite serialises transactions anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from storage.access import Actor, Invalid, NotFound
from storage.models import ActorKind, Customer, PoolEvent, PoolEventKind, Role, User
from storage.pool import raise_taken
from storage.pool_rules import Recipient, ReleaseReason, day_start, recipient, team_pool

NOTE_MAX = 300
OTHER_PREFIX = "other: "


@dataclass(frozen=True)
class ClaimResult:
    customer_id: int
    name: str
    owned: int
    """Customers the rep owns now, won ones not counted."""
    owned_cap: int
    claims_today: int
    daily_cap: int
    deadline: datetime | None
    timezone: str


class _Lost(Exception):
    """Rolls the claim's transaction back when another rep's update won the row."""


def ownership_reset(now: datetime) -> dict[str, object]:
    """Columns a change of owner starts afresh: lock, extension and warning belong to one owner."""
    return {
        "owned_since": now,
        "locked": False,
        "extension_used": False,
        "extended_until": None,
        "extension_requested_at": None,
        "reclaim_warned_at": None,
        "updated_at": now,
    }


async def owned_count(user_id: int) -> int:
    """Customers counted against the owned cap: won customers do not count."""
    return await Customer.filter(owner_id=user_id, won=False).count()


def _local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


async def claim_customer(actor: Actor, customer_id: int, *, now: datetime) -> ClaimResult:
    """Make the rep the owner of a pool customer, within their caps and cooldown."""
    actor.require(Role.REP)
    pool = await team_pool(actor.team_id)
    rules, zone = pool.rules, pool.team.timezone
    try:
        async with in_transaction():
            customer = await Customer.get_or_none(id=customer_id, team_id=pool.team.id)
            if customer is None:
                raise NotFound()
            if customer.owner_id is not None:
                raise _Lost()
            # Serialise this rep's own claims (PostgreSQL; SQLite transactions are serial).
            await User.filter(id=actor.user_id).select_for_update().first()
            _check_cooldown(actor, customer, rules.reclaim_cooldown_days, now, zone)
            owned = await owned_count(actor.user_id)
            if owned >= rules.owned_cap:
                raise Invalid("pool.owned_cap", cap=rules.owned_cap)
            claims_today = await PoolEvent.filter(
                rep_id=actor.user_id,
                kind=PoolEventKind.CLAIM,
                created_at__gte=day_start(now, zone),
            ).count()
            if claims_today >= rules.daily_claim_cap:
                raise Invalid("pool.daily_cap", cap=rules.daily_claim_cap)
            won = await Customer.filter(id=customer.id, team_id=pool.team.id, owner_id=None).update(
                owner_id=actor.user_id, **ownership_reset(now)
            )
            if won != 1:
                raise _Lost()
            await PoolEvent.create(
                team_id=pool.team.id,
                customer_id=customer.id,
                kind=PoolEventKind.CLAIM,
                rep_id=actor.user_id,
                actor_id=actor.user_id,
                actor_kind=ActorKind.USER,
                created_at=now,
            )
    except _Lost:
        await raise_taken(actor, customer_id)
        raise NotFound() from None
    customer.owner_id, customer.owned_since = actor.user_id, now
    return ClaimResult(
        customer.id,
        customer.name,
        owned + (0 if customer.won else 1),
        rules.owned_cap,
        claims_today + 1,
        rules.daily_claim_cap,
        pool.deadline(customer),
        zone,
    )


def _check_cooldown(
    actor: Actor, customer: Customer, cooldown_days: int, now: datetime, zone: str
) -> None:
    """The rep who just lost or gave back a customer waits before taking it again."""
    if customer.last_owner_id != actor.user_id or customer.released_at is None:
        return
    until = customer.released_at + timedelta(days=cooldown_days)
    if until > now:
        raise Invalid("pool.cooldown", customer=customer.name, until=_local(until, zone))


@dataclass(frozen=True)
class ReleaseTarget:
    customer_id: int
    name: str


async def releasable(actor: Actor, customer_id: int) -> ReleaseTarget:
    """The customer the actor may give back: a rep their own, a manager any of the team's."""
    customer = await _owned_for(actor, customer_id)
    return ReleaseTarget(customer.id, customer.name)


async def _owned_for(actor: Actor, customer_id: int) -> Customer:
    actor.require(Role.REP, Role.MANAGER)
    if actor.team_id is None:
        raise NotFound()
    query = Customer.filter(id=customer_id, team_id=actor.team_id, owner_id__not_isnull=True)
    if actor.role is Role.REP:
        query = query.filter(owner_id=actor.user_id)
    customer = await query.first()
    if customer is None:
        raise NotFound()
    return customer


def encode_reason(reason: ReleaseReason, note: str | None) -> str:
    """The reason as stored on the pool event: a code, or ``other: <the rep's words>``."""
    return OTHER_PREFIX + (note or "") if reason is ReleaseReason.OTHER else reason.value


def decode_reason(stored: str | None) -> tuple[ReleaseReason | None, str | None]:
    """(reason, free text) from a stored event reason; unknown codes come back as text."""
    if not stored:
        return None, None
    if stored.startswith(OTHER_PREFIX):
        return ReleaseReason.OTHER, stored[len(OTHER_PREFIX) :]
    try:
        return ReleaseReason(stored), None
    except ValueError:
        return None, stored


def clean_note(reason: ReleaseReason, note: str | None) -> str | None:
    if reason is not ReleaseReason.OTHER:
        return None
    text = " ".join((note or "").split())
    if not text:
        raise Invalid("pool.reason_empty")
    if len(text) > NOTE_MAX:
        raise Invalid("pool.reason_too_long", limit=NOTE_MAX)
    return text


@dataclass(frozen=True)
class ReleaseResult:
    customer_id: int
    name: str
    reason: ReleaseReason
    note: str | None
    cooldown_days: int
    former_owner: Recipient | None
    """Told when a manager released a rep's customer; None when the rep did it."""


async def release_customer(
    actor: Actor,
    customer_id: int,
    reason: ReleaseReason,
    note: str | None = None,
    *,
    now: datetime,
) -> ReleaseResult:
    """Give a customer back to the pool with a reason; the cooldown starts now."""
    note = clean_note(reason, note)
    customer = await _owned_for(actor, customer_id)
    owner_id = customer.owner_id
    pool = await team_pool(actor.team_id)
    async with in_transaction():
        changed = await Customer.filter(id=customer.id, owner_id=owner_id).update(
            owner_id=None,
            last_owner_id=owner_id,
            released_at=now,
            **{k: v for k, v in ownership_reset(now).items() if k != "owned_since"},
        )
        if changed != 1:
            raise NotFound()
        await PoolEvent.create(
            team_id=customer.team_id,
            customer_id=customer.id,
            kind=PoolEventKind.RELEASE,
            rep_id=owner_id,
            actor_id=actor.user_id,
            actor_kind=ActorKind.USER,
            reason=encode_reason(reason, note),
            created_at=now,
        )
    former = None
    if owner_id is not None and owner_id != actor.user_id:
        owner = await User.get_or_none(id=owner_id)
        former = recipient(owner) if owner else None
    return ReleaseResult(
        customer.id, customer.name, reason, note, pool.rules.reclaim_cooldown_days, former
    )
