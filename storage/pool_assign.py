"""Managers assign a customer to a rep of their team, or move it to another rep (A1).

The rep's owned cap applies to assignments too, unless the manager confirms an override —
that is a deliberate decision, so it is recorded on the event. A reassignment writes two
events (RELEASE for the previous owner, ASSIGN for the new one) so the flow per rep adds up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Count
from tortoise.transactions import in_transaction

from storage.access import Actor, Invalid, NotFound
from storage.models import ActorKind, Customer, PoolEvent, PoolEventKind, Role, User
from storage.pool_claims import ownership_reset
from storage.pool_rules import Recipient, recipient, team_customer, team_pool

REASSIGNED = "reassigned"
OVERRIDE = "over_cap"


@dataclass(frozen=True)
class RepLoad:
    user_id: int
    name: str
    owned: int
    cap: int

    @property
    def at_cap(self) -> bool:
        return self.owned >= self.cap


@dataclass(frozen=True)
class AssignChoice:
    customer_id: int
    name: str
    owner_name: str | None
    reps: list[RepLoad]


async def rep_loads(team_id: int, cap: int, rep_ids: list[int] | None = None) -> list[RepLoad]:
    """The team's active reps with how many customers each owns (won ones not counted)."""
    reps = User.filter(team_id=team_id, role=Role.REP, is_active=True)
    if rep_ids is not None:
        reps = reps.filter(id__in=rep_ids)
    people = await reps.order_by("full_name", "id")
    rows = (
        await Customer.filter(owner_id__in=[p.id for p in people], won=False)
        .annotate(n=Count("id"))
        .group_by("owner_id")
        .values("owner_id", "n")
    )
    owned = {int(row["owner_id"]): int(row["n"]) for row in rows}
    return [RepLoad(p.id, str(p), owned.get(p.id, 0), cap) for p in people]


async def assign_choices(actor: Actor, customer_id: int) -> AssignChoice:
    """Who the manager can give this customer to, with each rep's load."""
    customer = await team_customer(actor, customer_id)
    pool = await team_pool(customer.team_id)
    reps = await rep_loads(customer.team_id, pool.rules.owned_cap)
    owner = await User.get_or_none(id=customer.owner_id) if customer.owner_id else None
    others = [rep for rep in reps if rep.user_id != customer.owner_id]
    return AssignChoice(customer.id, customer.name, str(owner) if owner else None, others)


@dataclass(frozen=True)
class AssignResult:
    customer_id: int
    name: str
    rep_id: int
    rep_name: str
    owned: int
    cap: int
    needs_override: bool
    """True when nothing changed because the rep is at their cap: ask the manager first."""
    rep: Recipient | None = None
    previous: Recipient | None = None
    previous_name: str | None = None


async def assign_customer(
    actor: Actor, customer_id: int, rep_id: int, *, override: bool = False, now: datetime
) -> AssignResult:
    """Give the customer to ``rep_id`` (from the pool or from another rep)."""
    customer = await team_customer(actor, customer_id)
    rep = await User.get_or_none(id=rep_id, team_id=customer.team_id, role=Role.REP, is_active=True)
    if rep is None:
        raise NotFound()
    if customer.owner_id == rep.id:
        raise Invalid("pool.already_owner", customer=customer.name, name=str(rep))
    pool = await team_pool(customer.team_id)
    [load] = await rep_loads(customer.team_id, pool.rules.owned_cap, [rep.id])
    result = AssignResult(
        customer.id, customer.name, rep.id, str(rep), load.owned, load.cap, load.at_cap
    )
    if load.at_cap and not override:
        return result
    previous_id = customer.owner_id
    changes = {"owner_id": rep.id, **ownership_reset(now)}
    if previous_id is not None:
        changes.update(last_owner_id=previous_id, released_at=now)
    async with in_transaction():
        moved = await Customer.filter(
            id=customer.id, team_id=customer.team_id, owner_id=previous_id
        ).update(**changes)
        if moved != 1:
            raise Invalid("pool.changed_meanwhile", customer=customer.name)
        events = []
        if previous_id is not None:
            events.append(
                PoolEvent(
                    team_id=customer.team_id,
                    customer_id=customer.id,
                    kind=PoolEventKind.RELEASE,
                    rep_id=previous_id,
                    actor_id=actor.user_id,
                    actor_kind=ActorKind.USER,
                    reason=REASSIGNED,
                    created_at=now,
                )
            )
        events.append(
            PoolEvent(
                team_id=customer.team_id,
                customer_id=customer.id,
                kind=PoolEventKind.ASSIGN,
                rep_id=rep.id,
                actor_id=actor.user_id,
                actor_kind=ActorKind.USER,
                reason=OVERRIDE if load.at_cap else None,
                created_at=now,
            )
        )
        await PoolEvent.bulk_create(events)
    previous = await User.get_or_none(id=previous_id) if previous_id else None
    return AssignResult(
        customer.id,
        customer.name,
        rep.id,
        str(rep),
        load.owned + (0 if customer.won else 1),
        load.cap,
        needs_override=False,
        rep=recipient(rep),
        previous=recipient(previous) if previous else None,
        previous_name=str(previous) if previous else None,
    )
