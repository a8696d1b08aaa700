"""Browsing the public pool (A1): the paged, filtered list and the masked preview.

A pool customer is one of the team's customers with no owner. Before a claim nobody sees its
contact data in clear — phones, e-mails and contact names are masked here, in storage, so no
view can leak them — and each preview a rep opens counts against their daily view cap
(``TeamRules.pool_view_daily_cap``), which stops a rep from scraping the pool.

Ownership changes live in ``storage.pool_claims`` (claim, release), ``storage.pool_assign``
(managers), ``storage.pool_locks`` (lock, extension); ``/my`` in ``storage.pool_mine``, the
flow report in ``storage.pool_flow`` and the scheduled sweep in ``storage.reclaim``.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from storage.access import Actor, Invalid, NotFound
from storage.models import (
    Contact,
    Customer,
    PoolEvent,
    PoolEventKind,
    PoolView,
    Role,
    Tier,
    User,
)
from storage.normalize import mask_name, mask_phone
from storage.paging import Page, paginate
from storage.pool_rules import local_day, team_pool

SEARCH_MAX = 64
OPTIONS_MAX = 24


class FilterField(StrEnum):
    REGION = "region"
    INDUSTRY = "industry"
    TIER = "tier"


@dataclass(frozen=True)
class PoolFilter:
    """What the list is narrowed to; every part optional."""

    region: str | None = None
    industry: str | None = None
    tier: Tier | None = None
    text: str | None = None

    @property
    def active(self) -> bool:
        return any((self.region, self.industry, self.tier, self.text))


@dataclass(frozen=True)
class PoolEntry:
    """One line of the pool list: enough to choose, nothing to call."""

    id: int
    name: str
    tier: Tier
    region: str | None
    industry: str | None
    phone: str
    contact: str
    in_pool_since: datetime | None


@dataclass(frozen=True)
class PoolList:
    page: Page[PoolEntry]
    filter: PoolFilter
    can_claim: bool
    """Reps claim from the list; managers assign instead."""
    timezone: str


@dataclass(frozen=True)
class MaskedContact:
    name: str
    title: str | None
    phone: str


@dataclass(frozen=True)
class PoolPreview:
    id: int
    name: str
    tier: Tier
    region: str | None
    industry: str | None
    phone: str
    email: str
    tags: list[str]
    contacts: list[MaskedContact]
    in_pool_since: datetime | None
    last_exit: PoolEventKind | None
    """How it last left an owner: released, reclaimed (None: never owned)."""
    last_reason: str | None
    views_left: int | None
    """Previews the rep may still open today (None: not capped, e.g. managers)."""
    can_claim: bool
    timezone: str


def clean_filter(
    region: str | None = None,
    industry: str | None = None,
    tier: str | None = None,
    text: str | None = None,
) -> PoolFilter:
    """A filter from what was typed or tapped; unknown tiers and blank parts are dropped."""
    words = " ".join((text or "").split())
    if len(words) > SEARCH_MAX:
        raise Invalid("pool.search_too_long", limit=SEARCH_MAX)
    known_tier = Tier(tier) if tier in {t.value for t in Tier} else None
    return PoolFilter(region or None, industry or None, known_tier, words or None)


def mask_email(email: str | None) -> str:
    """``jane.doe@acme.com`` → ``j***@acme.com``."""
    if not email or "@" not in email:
        return "—"
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _pool_query(actor: Actor) -> QuerySet[Customer]:
    actor.require(Role.REP, Role.MANAGER)
    if actor.team_id is None:
        raise NotFound()
    return Customer.filter(team_id=actor.team_id, owner_id=None)


def _narrow(query: QuerySet[Customer], flt: PoolFilter) -> QuerySet[Customer]:
    if flt.region:
        query = query.filter(region=flt.region)
    if flt.industry:
        query = query.filter(industry=flt.industry)
    if flt.tier:
        query = query.filter(tier=flt.tier)
    if flt.text:
        query = query.filter(
            Q(name__icontains=flt.text)
            | Q(region__icontains=flt.text)
            | Q(industry__icontains=flt.text)
            | Q(address__icontains=flt.text)
        )
    return query


async def list_pool(actor: Actor, flt: PoolFilter, page: int, *, now: datetime) -> PoolList:
    """One page of the team's pool, narrowed by ``flt``, contact data masked."""
    query = _narrow(_pool_query(actor), flt).order_by("name", "id")
    pool = await team_pool(actor.team_id)
    found = await paginate(query, page)
    contacts = await _primary_contacts([c.id for c in found.items])
    entries = [
        PoolEntry(
            c.id,
            c.name,
            c.tier,
            c.region,
            c.industry,
            mask_phone(c.phone),
            mask_name(contacts.get(c.id)),
            c.released_at,
        )
        for c in found.items
    ]
    return PoolList(
        Page(entries, found.number, found.total, found.size),
        flt,
        actor.role is Role.REP,
        pool.team.timezone,
    )


async def _primary_contacts(customer_ids: list[int]) -> dict[int, str]:
    """Each customer's primary contact name (else its first), in one query."""
    names: dict[int, str] = {}
    rows = await Contact.filter(customer_id__in=customer_ids).order_by("-is_primary", "id")
    for contact in rows:
        names.setdefault(contact.customer_id, contact.name)
    return names


async def filter_options(actor: Actor, which: FilterField) -> list[str]:
    """The values a filter button can offer: what the pool actually holds."""
    if which is FilterField.TIER:
        _pool_query(actor)
        return [tier.value for tier in Tier]
    column = which.value
    values = (
        await _pool_query(actor)
        .filter(**{f"{column}__not_isnull": True})
        .exclude(**{column: ""})
        .distinct()
        .order_by(column)
        .limit(OPTIONS_MAX)
        .values_list(column, flat=True)
    )
    return [str(v) for v in values]


async def preview_customer(actor: Actor, customer_id: int, *, now: datetime) -> PoolPreview:
    """The masked pool card; for a rep it counts once per customer and day against the cap."""
    customer = await _pool_query(actor).get_or_none(id=customer_id)
    if customer is None:
        await raise_taken(actor, customer_id)
        raise NotFound()
    pool = await team_pool(actor.team_id)
    views_left = None
    if actor.role is Role.REP:
        cap, zone = pool.rules.pool_view_daily_cap, pool.team.timezone
        views_left = await _count_view(actor, customer.id, cap, now, zone)
    contacts = await Contact.filter(customer_id=customer.id).order_by("-is_primary", "id").limit(5)
    exit_event = (
        await PoolEvent.filter(
            customer_id=customer.id, kind__in=(PoolEventKind.RELEASE, PoolEventKind.RECLAIM)
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return PoolPreview(
        id=customer.id,
        name=customer.name,
        tier=customer.tier,
        region=customer.region,
        industry=customer.industry,
        phone=mask_phone(customer.phone),
        email=mask_email(customer.email),
        tags=list(customer.tags or []),
        contacts=[MaskedContact(mask_name(c.name), c.title, mask_phone(c.phone)) for c in contacts],
        in_pool_since=customer.released_at,
        last_exit=exit_event.kind if exit_event else None,
        last_reason=exit_event.reason if exit_event else None,
        views_left=views_left,
        can_claim=actor.role is Role.REP,
        timezone=pool.team.timezone,
    )


async def _count_view(actor: Actor, customer_id: int, cap: int, now: datetime, zone: str) -> int:
    """Record today's view of this customer (once); refuse a new one past the cap."""
    today = local_day(now, zone)
    seen_today = PoolView.filter(user_id=actor.user_id, viewed_on=today)
    if not await seen_today.filter(customer_id=customer_id).exists():
        if await seen_today.count() >= cap:
            raise Invalid("pool.view_cap", cap=cap)
        with suppress(IntegrityError):  # the same preview opened twice at once: one row is enough
            await PoolView.create(user_id=actor.user_id, customer_id=customer_id, viewed_on=today)
    return max(0, cap - await seen_today.count())


async def raise_taken(actor: Actor, customer_id: int) -> None:
    """A pool action on a customer someone already owns: say who has it (same team only).

    Only the owner's name is told, not the customer's: a stale button's holder knows which
    customer it was, and a forged id learns nothing more than who is busy. Returns quietly
    when the customer is not the team's at all, so the caller answers "not found" exactly as
    for an id that does not exist.
    """
    if actor.team_id is None:
        return
    customer = await Customer.get_or_none(
        id=customer_id, team_id=actor.team_id, owner_id__not_isnull=True
    )
    if customer is None or customer.owner_id is None:
        return
    if customer.owner_id == actor.user_id:
        raise Invalid("pool.already_yours", customer=customer.name)
    owner = await User.get_or_none(id=customer.owner_id)
    raise Invalid("pool.taken", name=str(owner) if owner else "?")
