"""Factories shared by the pool and reclaim tests (this module holds no tests of its own)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from storage.access import Actor
from storage.models import (
    Contract,
    ContractStatus,
    Customer,
    Installment,
    InstallmentStatus,
    Opportunity,
    PaymentPlan,
    PipelineStage,
    Role,
    Team,
    Tier,
    User,
)
from storage.teams import create_team, team_by_name
from storage.users import to_actor

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
_ids = itertools.count(9_000_001)


async def team(name: str = "North", now: datetime = NOW) -> Team:
    return await team_by_name(name) or await create_team(None, name, "Asia/Shanghai", now=now)


async def person(team_row: Team | None, role: Role, name: str, **fields: Any) -> User:
    return await User.create(
        telegram_id=next(_ids),
        full_name=name,
        role=role,
        team=team_row,
        telegram_language="en",
        **fields,
    )


def as_actor(user: User) -> Actor:
    return to_actor(user)


async def customer(
    team_row: Team,
    name: str,
    *,
    owner: User | None = None,
    owned_since: datetime | None = None,
    tier: Tier = Tier.POTENTIAL,
    **fields: Any,
) -> Customer:
    return await Customer.create(
        team=team_row,
        name=name,
        name_key=name.lower(),
        owner=owner,
        owned_since=owned_since if owned_since is not None else (NOW if owner else None),
        tier=tier,
        **fields,
    )


async def open_deal(row: Customer, owner: User, now: datetime = NOW) -> Opportunity:
    stage = await PipelineStage.filter(team_id=row.team_id, code="proposal").first()
    assert stage is not None
    return await Opportunity.create(
        team_id=row.team_id,
        customer=row,
        owner=owner,
        title="Deal",
        expected_close_on=date(2026, 6, 1),
        stage=stage,
        stage_changed_at=now,
    )


async def running_contract(
    row: Customer,
    owner: User,
    *,
    ends_on: date | None = None,
    status: ContractStatus = ContractStatus.ACTIVE,
) -> Contract:
    return await Contract.create(
        team_id=row.team_id,
        customer=row,
        owner=owner,
        number=f"C-{row.id}-{next(_ids)}",
        status=status,
        ends_on=ends_on,
    )


async def pending_installment(row: Customer, owner: User, now: datetime = NOW) -> Installment:
    contract = await running_contract(row, owner, status=ContractStatus.COMPLETED)
    plan = await PaymentPlan.create(contract=contract, total_cents=1000, created_at=now)
    return await Installment.create(
        plan=plan,
        seq=1,
        due_on=date(2026, 4, 1),
        amount_cents=1000,
        status=InstallmentStatus.PENDING,
    )
