"""What the pool's rules need besides the deadline: the team's day, tier windows, pauses.

The reclaim deadline itself is ``storage.reclaim_rules`` (shared with the card); this module
holds the other pieces every pool function reads — the team's local calendar day (daily caps
and view counts reset at the team's midnight, not UTC's), each tier's reclaim window, who may
be told about the pool, the team's customer a manager acts on, and which customers are paused
(an open deal, a running contract or money still to collect stops the reclaim clock).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from storage.access import Actor, NotFound
from storage.defaults import TIER_LEVELS
from storage.models import (
    Contract,
    ContractStatus,
    Customer,
    Installment,
    InstallmentStatus,
    Opportunity,
    Role,
    Team,
    TeamRules,
    Tier,
    TierPolicy,
    User,
)
from storage.reclaim_rules import ReclaimClock, reclaim_deadline

RUNNING_CONTRACT = (ContractStatus.APPROVED, ContractStatus.ACTIVE)
OPEN_INSTALLMENT = (InstallmentStatus.PENDING, InstallmentStatus.PARTIAL)


class ReleaseReason(StrEnum):
    """Why a rep gave a customer back; ``OTHER`` comes with the rep's own words."""

    NOT_INTERESTED = "not_interested"
    WRONG_CONTACT = "wrong_contact"
    DUPLICATE = "duplicate"
    OUT_OF_TERRITORY = "territory"
    OTHER = "other"


@dataclass(frozen=True)
class Recipient:
    """Someone to tell: their private chat (or a group) and their language preference."""

    chat_id: int
    language: str | None


def recipient(user: User) -> Recipient:
    return Recipient(user.telegram_id, user.language or user.telegram_language)


def local_day(moment: datetime, zone: str) -> date:
    """The team's calendar day at ``moment``."""
    return moment.astimezone(ZoneInfo(zone)).date()


def day_start(moment: datetime, zone: str) -> datetime:
    """The UTC instant at which the team's current calendar day began (DST-safe)."""
    day = local_day(moment, zone)
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(moment.tzinfo)


@dataclass(frozen=True)
class TeamPool:
    """A team's pool settings, read once per call."""

    team: Team
    rules: TeamRules
    reclaim_days: dict[Tier, int]

    def deadline(self, customer: Customer) -> datetime | None:
        """When ``customer`` falls back to the pool if nothing happens (None: not owned)."""
        if customer.owner_id is None or customer.owned_since is None:
            return None
        clock = ReclaimClock(customer.owned_since, customer.last_followup_at, customer.last_deal_at)
        return reclaim_deadline(
            clock,
            reclaim_days=self.reclaim_days[customer.tier],
            no_deal_days=self.rules.reclaim_days_no_deal,
        )


def tier_windows(policies: Iterable[TierPolicy]) -> dict[Tier, int]:
    """Reclaim days per tier; a tier without a policy row keeps the default window."""
    days = {tier: levels.reclaim_days for tier, levels in TIER_LEVELS.items()}
    days.update({policy.tier: policy.reclaim_days for policy in policies})
    return days


async def team_pool(team_id: int | None) -> TeamPool:
    if team_id is None:
        raise NotFound()
    rules = await TeamRules.get_or_none(team_id=team_id).select_related("team")
    if rules is None:
        raise NotFound()
    policies = await TierPolicy.filter(team_id=team_id)
    return TeamPool(rules.team, rules, tier_windows(policies))


async def team_customer(actor: Actor, customer_id: int) -> Customer:
    """A customer of the manager's own team; any other answers "not found", like a wrong id."""
    actor.require(Role.MANAGER)
    if actor.team_id is None:
        raise NotFound()
    customer = await Customer.get_or_none(id=customer_id, team_id=actor.team_id)
    if customer is None:
        raise NotFound()
    return customer


async def managers_of(team_id: int) -> list[User]:
    return await User.filter(team_id=team_id, role=Role.MANAGER, is_active=True).order_by("id")


async def team_audience(team: Team) -> list[Recipient]:
    """Where team news goes: the bound group, else each manager privately."""
    managers = await managers_of(team.id)
    if team.group_chat_id is not None:
        language = recipient(managers[0]).language if managers else None
        return [Recipient(team.group_chat_id, language)]
    return [recipient(manager) for manager in managers]


async def team_audiences(teams: Sequence[Team]) -> dict[int, list[Recipient]]:
    """``team_audience`` for several teams, with one query for all their managers."""
    managers = await User.filter(
        team_id__in=[t.id for t in teams], role=Role.MANAGER, is_active=True
    ).order_by("id")
    audiences: dict[int, list[Recipient]] = {}
    for team in teams:
        mine = [m for m in managers if m.team_id == team.id]
        if team.group_chat_id is not None:
            language = recipient(mine[0]).language if mine else None
            audiences[team.id] = [Recipient(team.group_chat_id, language)]
        else:
            audiences[team.id] = [recipient(m) for m in mine]
    return audiences


async def paused_ids(customer_ids: Iterable[int], today: date) -> set[int]:
    """Which of these customers have their reclaim clock paused, and so are never reclaimed.

    Three ``IN`` queries whatever the number of ids; the sweep says the same in SQL.
    """
    ids = list(customer_ids)
    if not ids:
        return set()
    deals = await Opportunity.filter(customer_id__in=ids, closed_at=None).values_list(
        "customer_id", flat=True
    )
    contracts = await Contract.filter(
        Q(ends_on=None) | Q(ends_on__gte=today),
        customer_id__in=ids,
        status__in=RUNNING_CONTRACT,
    ).values_list("customer_id", flat=True)
    money = await Installment.filter(
        plan__contract__customer_id__in=ids, status__in=OPEN_INSTALLMENT
    ).values_list("plan__contract__customer_id", flat=True)
    return {int(i) for i in (*deals, *contracts, *money)}  # type: ignore[call-overload]
