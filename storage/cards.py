"""The 360° customer card (A2): everything known about one customer, as the actor may see it.

``customer_card`` reads a fixed list of queries — the customer, the team's rules, contacts,
follow-ups, tasks, deals, contracts with their installments, tickets, ratings, check-ins, the
tier's figures and the first timeline page — each bounded, none per row, so a card costs the
same whatever the customer's history. A rep looking at a pool customer gets the basics only,
with the phone, e-mail and contact names masked: the full card opens once they claim it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tortoise.functions import Count, Sum

from storage.access import Actor, NotFound
from storage.customers import visible_customers
from storage.models import (
    Contact,
    Contract,
    ContractStatus,
    Customer,
    Installment,
    InstallmentStatus,
    Opportunity,
    Role,
    Task,
    TaskStatus,
    TeamRules,
    Ticket,
    TicketRating,
    TicketStatus,
    Tier,
)
from storage.normalize import mask_name, mask_phone
from storage.stages import StageGuide, guide
from storage.tiering import TierMetrics, TierThresholds, collect_metrics, decide_tier
from storage.timeline import Activity, TimelinePage, entries, recent_activity

LIST_LIMIT = 5
"""Rows shown per section; one more is read to know whether there are more."""
DEALS_READ = 50
CONTRACTS_READ = 5


@dataclass(frozen=True)
class ContactLine:
    name: str
    title: str | None
    phone: str | None
    email: str | None
    primary: bool
    decision_maker: bool


@dataclass(frozen=True)
class TaskLine:
    title: str
    due_at: datetime
    priority: str
    assignee: str
    overdue: bool


@dataclass(frozen=True)
class DealLine:
    title: str
    stage: str
    probability: int
    amount_cents: int
    currency: str
    expected_close_on: date

    @property
    def weighted_cents(self) -> int:
        return self.amount_cents * self.probability // 100


@dataclass(frozen=True)
class ContractLine:
    number: str
    status: str
    amount_cents: int
    currency: str
    paid_cents: int = 0
    outstanding_cents: int = 0
    overdue_cents: int = 0
    installments: int = 0
    installments_paid: int = 0
    installments_overdue: int = 0


@dataclass(frozen=True)
class TicketLine:
    id: int
    category: str
    status: str
    opened_at: datetime
    late: bool


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


@dataclass(frozen=True)
class Deals:
    open: list[DealLine] = field(default_factory=list)
    won: int = 0
    lost: int = 0
    pipeline: dict[str, int] = field(default_factory=dict)
    weighted: dict[str, int] = field(default_factory=dict)


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
    return await _history(card, now)


async def _history(card: CustomerCard, now: datetime) -> CustomerCard:
    """Contact history, tasks, deals, contracts with installments, tickets, ratings."""
    cid = card.id
    tasks = (
        await Task.filter(customer_id=cid, status=TaskStatus.OPEN)
        .select_related("assignee")
        .order_by("due_at", "id")
        .limit(LIST_LIMIT + 1)
    )
    deals = (
        await Opportunity.filter(customer_id=cid)
        .select_related("stage")
        .order_by("-created_at", "-id")
        .limit(DEALS_READ)
    )
    contracts = (
        await Contract.filter(customer_id=cid)
        .exclude(status__in=(ContractStatus.CANCELLED, ContractStatus.REJECTED))
        .order_by("-created_at", "-id")
        .limit(CONTRACTS_READ)
    )
    installments = await Installment.filter(
        plan__contract_id__in=[c.id for c in contracts]
    ).select_related("plan")
    tickets = (
        await Ticket.filter(customer_id=cid)
        .exclude(status__in=(TicketStatus.RESOLVED, TicketStatus.CLOSED))
        .order_by("-created_at", "-id")
        .limit(LIST_LIMIT + 1)
    )
    ratings = (
        await TicketRating.filter(customer_id=cid)
        .annotate(s=Sum("score"), n=Count("id"))
        .values("s", "n")
    )
    activity = await recent_activity(cid, now)

    rating_sum = int(ratings[0]["s"] or 0) if ratings else 0
    rating_count = int(ratings[0]["n"] or 0) if ratings else 0
    return replace(
        card,
        activity=activity,
        tasks=[
            TaskLine(t.title, t.due_at, t.priority.value, str(t.assignee), t.due_at < now)
            for t in tasks[:LIST_LIMIT]
        ],
        more_tasks=len(tasks) > LIST_LIMIT,
        deals=_deals(deals),
        contracts=_contracts(contracts, installments, card.today),
        tickets=[
            TicketLine(
                t.id, t.category.value, t.status.value, t.created_at, t.resolution_due_at < now
            )
            for t in tickets[:LIST_LIMIT]
        ],
        more_tickets=len(tickets) > LIST_LIMIT,
        rating_avg=rating_sum / rating_count if rating_count else None,
        ratings=rating_count,
    )


def _deals(rows: list[Opportunity]) -> Deals:
    open_deals: list[DealLine] = []
    pipeline: dict[str, int] = defaultdict(int)
    weighted: dict[str, int] = defaultdict(int)
    won = lost = 0
    for deal in rows:
        if deal.stage.is_won:
            won += 1
        elif deal.stage.is_lost:
            lost += 1
        else:
            line = DealLine(
                deal.title,
                deal.stage.code,
                deal.stage.probability,
                deal.amount_cents,
                deal.currency,
                deal.expected_close_on,
            )
            open_deals.append(line)
            pipeline[deal.currency] += line.amount_cents
            weighted[deal.currency] += line.weighted_cents
    open_deals.sort(key=lambda d: d.expected_close_on)
    return Deals(open_deals, won, lost, dict(pipeline), dict(weighted))


def _contracts(
    rows: list[Contract], installments: list[Installment], today: date
) -> list[ContractLine]:
    by_contract: dict[int, list[Installment]] = defaultdict(list)
    for item in installments:
        by_contract[item.plan.contract_id].append(item)
    lines = []
    for contract in rows:
        items = by_contract.get(contract.id, [])
        unpaid = [
            i for i in items if i.status in (InstallmentStatus.PENDING, InstallmentStatus.PARTIAL)
        ]
        overdue = [i for i in unpaid if i.due_on < today]
        lines.append(
            ContractLine(
                contract.number,
                contract.status.value,
                contract.amount_cents,
                contract.currency,
                paid_cents=sum(i.paid_cents for i in items),
                outstanding_cents=sum(i.amount_cents - i.paid_cents for i in unpaid),
                overdue_cents=sum(i.amount_cents - i.paid_cents for i in overdue),
                installments=len(items),
                installments_paid=sum(1 for i in items if i.status is InstallmentStatus.PAID),
                installments_overdue=len(overdue),
            )
        )
    return lines
