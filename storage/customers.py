"""Customers: who may see which, finding duplicates, and creating one.

Visibility is one rule used everywhere a customer is read: a rep sees the pool and their own
customers, a manager or agent their team's, an admin everyone's. Anything outside it raises
``NotFound`` — the same answer as an id that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.models import ActorKind, Contact, Customer, PoolEvent, PoolEventKind, Role, Team
from storage.normalize import name_key, normalize_email, normalize_phone

NAME_MAX = 200


def visible_customers(actor: Actor) -> QuerySet[Customer]:
    """The customers ``actor`` may see, as a query to narrow further."""
    if actor.role is Role.ADMIN:
        return Customer.all()
    if actor.team_id is None or actor.role not in (Role.MANAGER, Role.REP, Role.AGENT):
        return Customer.filter(id__in=[])
    query = Customer.filter(team_id=actor.team_id)
    if actor.role is Role.REP:
        query = query.filter(Q(owner_id=None) | Q(owner_id=actor.user_id))
    return query


async def get_visible(actor: Actor, customer_id: int) -> Customer:
    customer = await visible_customers(actor).get_or_none(id=customer_id)
    if customer is None:
        raise NotFound()
    return customer


@dataclass
class CustomerDraft:
    """What a person typed for a new customer, before normalisation."""

    name: str
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    region: str | None = None
    industry: str | None = None
    source: str | None = None
    source_campaign_id: int | None = None
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CleanCustomer:
    name: str
    name_key: str
    phone: str | None
    email: str | None


async def clean_draft(draft: CustomerDraft, team_id: int) -> CleanCustomer:
    """Validate and normalise the identifying fields, or raise Invalid with the reason."""
    name = " ".join(draft.name.split())
    if not name:
        raise Invalid("customer.name_empty")
    if len(name) > NAME_MAX:
        raise Invalid("customer.name_too_long", limit=NAME_MAX)
    team = await Team.get(id=team_id)
    phone = normalize_phone(draft.phone, team.country) if draft.phone else None
    if draft.phone and phone is None:
        raise Invalid("customer.bad_phone", phone=draft.phone)
    email = normalize_email(draft.email) if draft.email else None
    if draft.email and email is None:
        raise Invalid("customer.bad_email", email=draft.email)
    return CleanCustomer(name, name_key(name), phone, email)


async def find_duplicate(
    team_id: int, *, phone: str | None, key: str | None, email: str | None = None
) -> Customer | None:
    """An existing customer of the team with the same phone, company name or e-mail."""
    conditions = Q()
    if phone:
        conditions |= Q(phone=phone)
    if key:
        conditions |= Q(name_key=key)
    if email:
        conditions |= Q(email=email)
    if not (phone or key or email):
        return None
    return await Customer.filter(conditions, team_id=team_id).order_by("id").first()


async def create_customer(
    actor: Actor | None,
    team_id: int,
    draft: CustomerDraft,
    *,
    now: datetime,
    owner_id: int | None = None,
    actor_kind: ActorKind = ActorKind.USER,
) -> Customer:
    """Create a customer (with its first contact) unless a duplicate exists.

    Raises ``Invalid("customer.duplicate", id=…)`` naming the existing record, so the caller
    can show it instead of making a second one. With an ``owner_id`` the claim is logged as an
    assignment in the pool's history.
    """
    if actor is not None:
        actor.require(Role.ADMIN, Role.MANAGER, Role.REP)
        actor.require_team(team_id)
    clean = await clean_draft(draft, team_id)
    async with in_transaction():
        existing = await find_duplicate(
            team_id, phone=clean.phone, key=clean.name_key, email=clean.email
        )
        if existing is not None:
            raise Invalid("customer.duplicate", id=existing.id, name=existing.name)
        customer = await Customer.create(
            team_id=team_id,
            name=clean.name,
            name_key=clean.name_key,
            phone=clean.phone,
            email=clean.email,
            address=draft.address,
            latitude=draft.latitude,
            longitude=draft.longitude,
            region=draft.region,
            industry=draft.industry,
            source=draft.source,
            source_campaign_id=draft.source_campaign_id,
            tags=draft.tags,
            owner_id=owner_id,
            owned_since=now if owner_id else None,
            last_followup_at=None,
        )
        if draft.contact_name:
            await Contact.create(
                customer=customer,
                name=draft.contact_name[:128],
                phone=clean.phone,
                email=clean.email,
                is_primary=True,
            )
        if owner_id is not None:
            await PoolEvent.create(
                team_id=team_id,
                customer=customer,
                kind=PoolEventKind.ASSIGN,
                rep_id=owner_id,
                actor_id=actor.user_id if actor else None,
                actor_kind=actor_kind if actor is None else ActorKind.USER,
                reason="created",
                created_at=now,
            )
        await audit.record(
            "customer.create",
            "customer",
            customer.id,
            now=now,
            actor=actor,
            actor_kind=actor_kind,
            team_id=team_id,
        )
    return customer
