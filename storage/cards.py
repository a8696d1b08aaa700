"""The 360° customer card (A2): everything known about one customer, as the actor may see it.

``customer_card`` reads a fixed list of queries — the customer, the team's rules, contacts,
follow-ups, tasks, deals, contracts with their installments, tickets, ratings, check-ins, the
tier's figures and the first timeline page — each bounded, none per row, so a card costs the
same whatever the customer's history. A rep looking at a pool customer gets the basics only,
with the phone, e-mail and contact names masked: the full card opens once they claim it.
The business sections (tasks, deals, contracts, tickets, ratings) are read in
``storage.cards_history``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from storage.access import Actor, NotFound
from storage.cards_history import ContractLine, Deals, TaskLine, TicketLine, with_history
from storage.customer_stage import may_set_stage
from storage.customers import visible_customers
from storage.models import Contact, Customer, Role, TeamRules, Tier
from storage.normalize import mask_name, mask_phone
from storage.stages import StageGuide, guide
from storage.tiering import TierMetrics, TierThresholds, collect_metrics, decide_tier
from storage.timeline import Activity, TimelinePage, entries


@dataclass(frozen=True)
class ContactLine:
    name: str
    title: str | None
    phone: str | None
    email: str | None
    primary: bool
    decision_maker: bool


@dataclass(frozen=True)
class TierView:
    tier: Tier
    rule: str | None
    overridden: bool
    override_reason: str | None
    computed_at: datetime | None
    metrics: TierMetrics | None
    """The rule's figures as of now (None on a masked card)."""
    thresholds: TierThresholds
    suggested: Tier | None = None
    """What the rule gives today when it differs from the stored tier (shown as a hint)."""


@dataclass(frozen=True)
class Ownership:
    owner: str | None
    mine: bool
    owned_since: datetime | None
    locked: bool
    extension_used: bool
    extended_until: datetime | None
    extension_requested: bool


@dataclass(frozen=True)
class CardActions:
    """Which buttons apply to this actor on this card."""

    claim: bool = False
    release: bool = False
    lock: bool = False
    unlock: bool = False
    request_extension: bool = False
    assign: bool = False
    override_tier: bool = False
    remove_override: bool = False
    invite: bool = False
    more_timeline: bool = False
    log_followup: bool = False
    plan_visit: bool = False
    check_in: bool = False
    set_stage: bool = False


@dataclass(frozen=True)
class CustomerCard:
    id: int
    name: str
    masked: bool
    timezone: str
    currency: str
    today: date
    address: str | None
    location: tuple[float, float] | None
    region: str | None
    industry: str | None
    tags: list[str]
    phone: str | None
    email: str | None
    contacts: list[ContactLine]
    tier: TierView
    ownership: Ownership
    campaign: str | None
    source: str | None
    actions: CardActions
    activity: Activity | None = None
    tasks: list[TaskLine] = field(default_factory=list)
    more_tasks: bool = False
    deals: Deals = field(default_factory=Deals)
    contracts: list[ContractLine] = field(default_factory=list)
    tickets: list[TicketLine] = field(default_factory=list)
    more_tickets: bool = False
    rating_avg: float | None = None
    ratings: int = 0
    timeline: TimelinePage | None = None
    stage: StageGuide | None = None
    """Where the customer stands in the team's pipeline, with its goal and next actions."""


def mask_email(email: str | None) -> str | None:
    """``li.ming@acme.cn`` → ``l***@acme.cn``."""
    if not email:
        return None
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _actions(actor: Actor, customer: Customer, *, has_more: bool) -> CardActions:
    rep_owner = actor.role is Role.REP and customer.owner_id == actor.user_id
    manages = actor.role in (Role.MANAGER, Role.ADMIN)
    return CardActions(
        claim=actor.role is Role.REP and customer.owner_id is None,
        release=rep_owner,
        lock=rep_owner and not customer.locked,
        unlock=rep_owner and customer.locked,
        request_extension=rep_owner
        and not customer.extension_used
        and customer.extension_requested_at is None,
        assign=actor.role is Role.MANAGER,
        override_tier=manages,
        remove_override=manages and customer.tier_overridden,
        invite=rep_owner or actor.role is Role.MANAGER,
        more_timeline=has_more,
        log_followup=rep_owner,
        plan_visit=rep_owner,
        check_in=rep_owner,
        set_stage=may_set_stage(actor, customer),
    )


def _contact(c: Contact, masked: bool) -> ContactLine:
    if not masked:
        return ContactLine(c.name, c.title, c.phone, c.email, c.is_primary, c.is_decision_maker)
    phone = mask_phone(c.phone) if c.phone else None
    return ContactLine(
        mask_name(c.name), c.title, phone, mask_email(c.email), c.is_primary, c.is_decision_maker
    )


async def customer_card(actor: Actor, customer_id: int, now: datetime) -> CustomerCard:
    """The card of ``customer_id`` as ``actor`` may see it, or NotFound."""
    customer = (
        await visible_customers(actor)
        .filter(id=customer_id)
        .select_related("owner", "source_campaign", "team", "stage")
        .first()
    )
    if customer is None:
        raise NotFound()
    zone = customer.team.timezone
    thresholds = TierThresholds.of(await TeamRules.get(team_id=customer.team_id))
    contacts = await Contact.filter(customer_id=customer.id).order_by("-is_primary", "id")
    masked = actor.role is Role.REP and customer.owner_id is None
    location = None
    if not masked and customer.latitude is not None and customer.longitude is not None:
        location = (customer.latitude, customer.longitude)
    card = CustomerCard(
        id=customer.id,
        name=customer.name,
        masked=masked,
        timezone=zone,
        currency=customer.team.currency,
        today=now.astimezone(ZoneInfo(zone)).date(),
        address=customer.address,
        location=location,
        region=customer.region,
        industry=customer.industry,
        tags=list(customer.tags or []),
        phone=(mask_phone(customer.phone) if masked else customer.phone)
        if customer.phone
        else None,
        email=mask_email(customer.email) if masked else customer.email,
        contacts=[_contact(c, masked) for c in contacts],
        tier=TierView(customer.tier, None, False, None, None, None, thresholds),
        ownership=Ownership(
            str(customer.owner) if customer.owner is not None else None,
            customer.owner_id is not None and customer.owner_id == actor.user_id,
            customer.owned_since,
            customer.locked,
            customer.extension_used,
            customer.extended_until,
            customer.extension_requested_at is not None,
        ),
        campaign=customer.source_campaign.name if customer.source_campaign else None,
        source=customer.source,
        actions=_actions(actor, customer, has_more=False),
    )
    if masked:
        return card
    metrics = (await collect_metrics(customer.team_id, now, [customer.id])).get(
        customer.id, TierMetrics()
    )
    suggested, _rule = decide_tier(metrics, thresholds, now)
    reason = customer.tier_reason if isinstance(customer.tier_reason, dict) else {}
    tier = TierView(
        customer.tier,
        str(reason["rule"]) if reason.get("rule") else None,
        customer.tier_overridden,
        customer.tier_override_reason,
        customer.tier_computed_at,
        metrics,
        thresholds,
        None if customer.tier_overridden or suggested is customer.tier else suggested,
    )
    timeline = await entries(customer.id, zone, 0)
    actions = _actions(actor, customer, has_more=timeline.has_more)
    stage = guide(customer.stage) if customer.stage is not None else None
    card = replace(card, tier=tier, actions=actions, timeline=timeline, stage=stage)
    return await with_history(card, now)
