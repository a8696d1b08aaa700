"""The business half of the customer card: open tasks, deals, contracts with their
installments, open tickets and ratings — read for a card ``storage.cards`` has assembled.

Each section is one bounded query (none per row), so it costs the same whatever the history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from tortoise.functions import Count, Sum

from storage.models import (
    Contract,
    ContractStatus,
    Installment,
    InstallmentStatus,
    Opportunity,
    Task,
    TaskStatus,
    Ticket,
    TicketRating,
    TicketStatus,
)
from storage.stages import StageGuide, guide
from storage.timeline import recent_activity

if TYPE_CHECKING:
    from storage.cards import CustomerCard

LIST_LIMIT = 5
"""Rows shown per section; one more is read to know whether there are more."""
DEALS_READ = 50
CONTRACTS_READ = 5


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
    stage: StageGuide
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
class Deals:
    open: list[DealLine] = field(default_factory=list)
    won: int = 0
    lost: int = 0
    pipeline: dict[str, int] = field(default_factory=dict)
    weighted: dict[str, int] = field(default_factory=dict)


async def with_history(card: CustomerCard, now: datetime) -> CustomerCard:
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
                guide(deal.stage),
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
