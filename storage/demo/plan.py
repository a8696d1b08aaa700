"""What is decided about a team before any row is written: reps, customers, deals, contracts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from storage.demo.catalog import District
from storage.models import (
    InstallmentStatus,
    MilestoneStatus,
    PaymentStatus,
    PoolEventKind,
    Tier,
    User,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(eq=False)
class Rep:
    """A team member as the generator needs them: id, territory and current load."""

    user: User
    regions: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    owned: int = 0
    locked: int = 0


@dataclass
class CampaignPlan:
    """A campaign already written: its id, and the moments it ran between."""

    id: int
    name: str
    channel: str
    start: datetime
    end: datetime


@dataclass(eq=False)
class DealPlan:
    """An opportunity: planned with the customer, because won deals decide the tier."""

    owner: Rep
    created_at: datetime
    amount_cents: int
    product: int
    stage: str = "lead"
    closed_at: datetime | None = None
    lost_reason: str | None = None
    campaign: CampaignPlan | None = None
    source: str | None = None
    id: int = 0

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(eq=False)
class CustomerPlan:
    """Everything decided about a customer before its row is written."""

    name: str
    domain: str
    district: District
    industry: str
    profile: str
    lat: float = 0.0
    lon: float = 0.0
    phone: str | None = None
    email: str | None = None
    address: str = ""
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    contacts: list[tuple[str, str, bool]] = field(default_factory=list)
    created_at: datetime = EPOCH  # set by _origin
    source: str = "website"
    campaign: CampaignPlan | None = None
    owner: Rep | None = None
    owned_since: datetime | None = None
    via_assign: bool = False
    contact_at: datetime | None = None  # last effective follow-up
    recency: str = "normal"
    former: Rep | None = None  # the previous owner, if it went back to the pool once
    former_since: datetime | None = None
    left_at: datetime | None = None
    left_kind: PoolEventKind | None = None
    left_rule: str | None = None  # which reclaim clock ran out: "silence" or "no_deal"
    deals: list[DealPlan] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)
    tier: Tier = Tier.POTENTIAL
    tier_reason: dict[str, Any] = field(default_factory=dict)
    overridden: bool = False
    reclaim_due_at: datetime | None = None  # derived by the sweep, not stored; drives the plan
    warned_at: datetime | None = None
    locked_at: datetime | None = None
    portal: User | None = None
    radius: int | None = None  # a check-in radius for large sites; None uses the team's
    id: int = 0

    @property
    def won_deals(self) -> list[DealPlan]:
        return [d for d in self.deals if d.stage == "won"]

    @property
    def decision_maker(self) -> str:
        for name, title, is_dm in self.contacts:
            if is_dm:
                return f"{name}（{title}）"
        return self.contacts[0][0] if self.contacts else ""


@dataclass
class ReceivedPayment:
    """Money received against an installment; only confirmed payments count as paid."""

    amount: int
    received: date
    reported_at: datetime
    booked: bool  # entered by the finance system (inbound webhook), not reported by a rep
    confirmed_at: datetime | None
    receipt: str | None

    @property
    def status(self) -> PaymentStatus:
        return PaymentStatus.CONFIRMED if self.confirmed_at else PaymentStatus.REPORTED


@dataclass
class InstallmentPlan:
    seq: int
    due: date
    amount: int
    payments: list[ReceivedPayment] = field(default_factory=list)
    written_off: bool = False

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.payments if p.confirmed_at is not None)

    @property
    def status(self) -> InstallmentStatus:
        if self.paid >= self.amount:
            return InstallmentStatus.PAID
        if self.paid:
            return InstallmentStatus.PARTIAL
        return InstallmentStatus.WRITTEN_OFF if self.written_off else InstallmentStatus.PENDING


@dataclass
class ContractPlan:
    """A won deal's contract, decided in full before any of its rows is written."""

    customer: CustomerPlan
    deal: DealPlan
    number: str
    signed: date
    starts: date
    delivery: date
    approved_at: datetime | None  # None: still waiting for the manager
    installments: list[InstallmentPlan] = field(default_factory=list)
    milestones: list[tuple[str, date, MilestoneStatus, datetime | None]] = field(
        default_factory=list
    )
    id: int = 0
