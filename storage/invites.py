"""One-time invite links: who may invite whom, and redeeming a link exactly once."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, NotAllowed, NotFound
from storage.models import ActorKind, Customer, Invite, PortalAccount, Role, Team, User

STAFF_INVITE_TTL = timedelta(days=7)
CUSTOMER_INVITE_TTL = timedelta(days=30)
_CODE_ATTEMPTS = 5
_CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,32}")

# Which roles each role may hand out. Customers come from a rep's or manager's own customers.
INVITABLE: dict[Role, tuple[Role, ...]] = {
    Role.ADMIN: (Role.MANAGER, Role.REP, Role.AGENT),
    Role.MANAGER: (Role.REP, Role.AGENT, Role.CUSTOMER),
    Role.REP: (Role.CUSTOMER,),
}


def invitable_roles(actor: Actor) -> tuple[Role, ...]:
    return INVITABLE.get(actor.role, ()) if actor.role else ()


def new_code() -> str:
    """16 URL-safe characters: fits a ``/start`` deep-link parameter, unguessable."""
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class IssuedInvite:
    code: str
    role: Role
    team_name: str
    team_timezone: str
    expires_at: datetime
    customer_name: str | None


async def create_invite(
    actor: Actor | None,
    role: Role,
    team_id: int,
    *,
    now: datetime,
    customer_id: int | None = None,
) -> IssuedInvite:
    """Issue a one-time code; ``actor`` None means the operator on the command line."""
    if actor is not None:
        if role not in invitable_roles(actor):
            raise NotAllowed()
        actor.require_team(team_id)
    team = await Team.get_or_none(id=team_id)
    if team is None:
        raise NotFound()
    customer_name = None
    if role is Role.CUSTOMER:
        customer_name = await _check_customer(actor, team_id, customer_id)
    elif customer_id is not None:
        raise NotAllowed()
    ttl = CUSTOMER_INVITE_TTL if role is Role.CUSTOMER else STAFF_INVITE_TTL
    for _ in range(_CODE_ATTEMPTS):
        try:
            async with in_transaction():
                invite = await Invite.create(
                    code=new_code(),
                    role=role,
                    team_id=team_id,
                    customer_id=customer_id,
                    created_by_id=actor.user_id if actor else None,
                    created_at=now,
                    expires_at=now + ttl,
                )
                await audit.record(
                    "invite.create",
                    "invite",
                    invite.id,
                    now=now,
                    actor=actor,
                    team_id=team_id,
                    data={"role": role.value, "customer_id": customer_id},
                )
            return IssuedInvite(
                invite.code, role, team.name, team.timezone, invite.expires_at, customer_name
            )
        except IntegrityError:  # a code collision: astronomically rare, try another code
            continue
    raise RuntimeError("could not generate a unique invite code")


async def _check_customer(actor: Actor | None, team_id: int, customer_id: int | None) -> str:
    """The customer's name if the actor may invite for it; reps only for their own."""
    if customer_id is None:
        raise NotFound()
    customer = await Customer.get_or_none(id=customer_id, team_id=team_id)
    if customer is None:
        raise NotFound()
    if actor is not None and actor.role is Role.REP and customer.owner_id != actor.user_id:
        raise NotFound()
    return customer.name


class RedeemOutcome(StrEnum):
    JOINED = "joined"
    ALREADY_JOINED = "already_joined"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"
    HAS_ROLE = "has_role"


@dataclass(frozen=True)
class RedeemResult:
    outcome: RedeemOutcome
    role: Role | None = None
    team_name: str | None = None
    customer_name: str | None = None


async def redeem_invite(actor: Actor, code: str, *, now: datetime) -> RedeemResult:
    """Join the team behind ``code``; the code is consumed by one conditional update.

    Two people opening the same link at once: the update that flips ``used_at`` from NULL
    counts one row for exactly one of them, the other is told the link was used.
    """
    if not _CODE_SHAPE.fullmatch(code):
        return RedeemResult(RedeemOutcome.UNKNOWN)
    invite = await Invite.get_or_none(code=code).select_related("team", "customer")
    if invite is None:
        return RedeemResult(RedeemOutcome.UNKNOWN)
    joined = RedeemResult(
        RedeemOutcome.JOINED,
        invite.role,
        invite.team.name,
        invite.customer.name if invite.customer else None,
    )
    if invite.used_at is not None:
        if invite.used_by_id == actor.user_id:
            return replace(joined, outcome=RedeemOutcome.ALREADY_JOINED)
        return RedeemResult(RedeemOutcome.USED)
    if invite.expires_at <= now:
        return RedeemResult(RedeemOutcome.EXPIRED)
    if actor.role is not None:
        if _same_membership(actor, invite):
            return replace(joined, outcome=RedeemOutcome.ALREADY_JOINED)
        current = await Team.get_or_none(id=actor.team_id) if actor.team_id else None
        return RedeemResult(RedeemOutcome.HAS_ROLE, actor.role, current.name if current else None)
    try:
        await _consume(invite, actor, now=now)
    except _Lost as lost:
        return RedeemResult(lost.outcome)
    return joined


def _same_membership(actor: Actor, invite: Invite) -> bool:
    """Opening a link for what one already is: say so rather than refuse."""
    if actor.role is not invite.role or actor.team_id != invite.team_id:
        return False
    return invite.role is not Role.CUSTOMER or actor.customer_id == invite.customer_id


class _Lost(Exception):
    """Raised inside the redeeming transaction to roll it back when a race was lost."""

    def __init__(self, outcome: RedeemOutcome) -> None:
        self.outcome = outcome


async def _consume(invite: Invite, actor: Actor, *, now: datetime) -> None:
    async with in_transaction():
        claimed = await Invite.filter(id=invite.id, used_at=None).update(
            used_at=now, used_by_id=actor.user_id
        )
        if claimed != 1:
            raise _Lost(RedeemOutcome.USED)
        joined = await User.filter(id=actor.user_id, role=None).update(
            role=invite.role, team_id=invite.team_id
        )
        if joined != 1:
            raise _Lost(RedeemOutcome.HAS_ROLE)
        if invite.role is Role.CUSTOMER and invite.customer_id is not None:
            await PortalAccount.create(
                user_id=actor.user_id, customer_id=invite.customer_id, created_at=now
            )
        await audit.record(
            "invite.redeem",
            "user",
            actor.user_id,
            now=now,
            actor=actor,
            team_id=invite.team_id,
            data={"invite_id": invite.id, "role": invite.role.value},
        )


async def purge_expired_invites(*, now: datetime, keep: timedelta = timedelta(days=30)) -> int:
    """Delete unused invites that expired more than ``keep`` ago; returns how many."""
    count = await Invite.filter(used_at=None, expires_at__lt=now - keep).delete()
    if count:
        await audit.record(
            "invite.purge",
            "invite",
            "*",
            now=now,
            actor_kind=ActorKind.SCHEDULER,
            data={"count": count},
        )
    return count
