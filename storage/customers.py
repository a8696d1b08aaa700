"""Customers: who may see which, finding duplicates, creating one, and /find.

Visibility is one rule used everywhere a customer is read: a rep sees the pool and their own
customers, a manager or agent their team's, an admin everyone's. Anything outside it raises
``NotFound`` — the same answer as an id that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.invites import IssuedInvite, create_invite
from storage.models import (
    ActorKind,
    Contact,
    Customer,
    PoolEvent,
    PoolEventKind,
    Role,
    Team,
    Tier,
)
from storage.normalize import name_key, normalize_email, normalize_phone
from storage.paging import Page, paginate

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


# ----- /newcustomer: one field at a time, then the whole draft -----

CONTACT_MAX = 128
ADDRESS_MAX = 500
LABEL_MAX = 64


def clean_company(raw: str) -> str:
    """A company name as it will be stored, or Invalid."""
    name = " ".join(raw.split())
    if not name:
        raise Invalid("customer.name_empty")
    if len(name) > NAME_MAX:
        raise Invalid("customer.name_too_long", limit=NAME_MAX)
    return name


def clean_text(raw: str, limit: int) -> str:
    """A contact name, address, region or industry: trimmed, not empty, not too long."""
    text = " ".join(raw.split())
    if not text:
        raise Invalid("customer.text_empty")
    if len(text) > limit:
        raise Invalid("customer.text_too_long", limit=limit)
    return text


async def team_country(team_id: int | None) -> str:
    team = await Team.get_or_none(id=team_id) if team_id is not None else None
    return team.country if team is not None else "CN"


async def clean_phone(team_id: int, raw: str) -> str:
    """The number in E.164 for the team's country, or Invalid naming what was typed."""
    phone = normalize_phone(raw, await team_country(team_id))
    if phone is None:
        raise Invalid("customer.bad_phone", phone=raw.strip()[:40])
    return phone


@dataclass(frozen=True)
class Duplicate:
    """An existing customer the new one would repeat; ``visible`` says whether to link it."""

    customer_id: int
    name: str
    visible: bool


async def check_duplicate(
    actor: Actor, *, phone: str | None = None, name: str | None = None
) -> Duplicate | None:
    """The team's customer with this phone or company name, shown instead of a second one."""
    if actor.team_id is None:
        raise NotFound()
    existing = await find_duplicate(
        actor.team_id, phone=phone, key=name_key(name) if name else None
    )
    if existing is None:
        return None
    visible = await visible_customers(actor).filter(id=existing.id).exists()
    return Duplicate(existing.id, existing.name, visible)


@dataclass(frozen=True)
class NewCustomer:
    """What /newcustomer produced: the new customer, or the duplicate that stopped it."""

    customer_id: int | None
    name: str
    owned: bool
    duplicate: Duplicate | None = None


async def register_customer(actor: Actor, draft: CustomerDraft, *, now: datetime) -> NewCustomer:
    """Save a customer typed by a rep (owned by them) or a manager (into the pool)."""
    actor.require(Role.MANAGER, Role.REP)
    if actor.team_id is None:
        raise NotFound()
    owner_id = actor.user_id if actor.role is Role.REP else None
    try:
        customer = await create_customer(actor, actor.team_id, draft, now=now, owner_id=owner_id)
    except Invalid as exc:
        if exc.code != "customer.duplicate":
            raise
        duplicate = await check_duplicate(actor, phone=draft.phone, name=draft.name)
        if duplicate is None:  # matched on e-mail only: report it the same way
            existing = await Customer.get(id=int(str(exc.params["id"])))
            visible = await visible_customers(actor).filter(id=existing.id).exists()
            duplicate = Duplicate(existing.id, existing.name, visible)
        return NewCustomer(None, draft.name, False, duplicate)
    return NewCustomer(customer.id, customer.name, owner_id is not None)


async def team_values(actor: Actor, field_name: str, limit: int = 8) -> list[str]:
    """The team's most used regions or industries, offered as buttons in the form."""
    if field_name not in ("region", "industry") or actor.team_id is None:
        return []
    rows = (
        await Customer.filter(team_id=actor.team_id, **{f"{field_name}__not_isnull": True})
        .exclude(**{field_name: ""})
        .group_by(field_name)
        .annotate(n=Count("id"))
        .order_by("-n", field_name)
        .limit(limit)
        .values_list(field_name, flat=True)
    )
    return [str(value) for value in rows]


async def invite_for_customer(actor: Actor, customer_id: int, *, now: datetime) -> IssuedInvite:
    """A one-time link for a contact of a customer the actor sees (reps: their own only)."""
    customer = await get_visible(actor, customer_id)
    return await create_invite(
        actor, Role.CUSTOMER, customer.team_id, customer_id=customer.id, now=now
    )


# ----- /find -----

FIND_MIN_DIGITS = 4
FIND_MAX = 100
_PHONE_LIKE = re.compile(r"[\d\s+().-]+")


@dataclass(frozen=True)
class CustomerHit:
    id: int
    name: str
    region: str | None
    tier: Tier
    owner_name: str | None
    mine: bool


async def find_customers(actor: Actor, text: str, page: int = 0) -> Page[CustomerHit]:
    """Customers visible to ``actor`` whose name, phone (or its last digits), contact or
    e-mail matches ``text`` — a page of them, ordered by name."""
    text = " ".join(text.split())[:FIND_MAX]
    if not text:
        raise Invalid("customers.find_usage")
    conditions = Q(name__icontains=text)
    key = name_key(text)
    if key:
        conditions |= Q(name_key__contains=key)
    contacts = Q(name__icontains=text)
    digits = re.sub(r"\D", "", text)
    phone = normalize_phone(text, await team_country(actor.team_id)) if digits else None
    if phone:
        conditions |= Q(phone=phone)
        contacts |= Q(phone=phone)
    if len(digits) >= FIND_MIN_DIGITS and _PHONE_LIKE.fullmatch(text):
        conditions |= Q(phone__endswith=digits)
        contacts |= Q(phone__endswith=digits)
    if "@" in text:
        conditions |= Q(email__icontains=text)
        contacts |= Q(email__icontains=text)
    conditions |= Q(id__in=Subquery(Contact.filter(contacts).values("customer_id")))
    query = (
        visible_customers(actor).filter(conditions).select_related("owner").order_by("name", "id")
    )
    found = await paginate(query, page)
    hits = [
        CustomerHit(
            c.id,
            c.name,
            c.region,
            c.tier,
            str(c.owner) if c.owner is not None else None,
            c.owner_id == actor.user_id,
        )
        for c in found.items
    ]
    return Page(hits, found.number, found.total, found.size)
