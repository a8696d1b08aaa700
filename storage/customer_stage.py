"""Where a customer stands in the team's sales pipeline (B3), set from the card.

Deals carry their own stage; the customer's stage is the relationship's, before and between
deals: a new account at "contacted", one whose need is confirmed, one lost. The card shows
that stage's goal and checklist, so the rep always sees what to do next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, NotFound
from storage.customers import get_visible
from storage.models import Customer, PipelineStage, Role
from storage.stages import StageGuide, guide


@dataclass(frozen=True)
class StageChoice:
    customer_id: int
    customer: str
    current_id: int | None
    stages: list[StageGuide]


def may_set_stage(actor: Actor, customer: Customer) -> bool:
    """The owning rep, or the team's managers (admins too), move a customer along."""
    if actor.role is Role.REP:
        return customer.owner_id == actor.user_id
    return actor.role in (Role.MANAGER, Role.ADMIN)


async def _settable(actor: Actor, customer_id: int) -> Customer:
    customer = await get_visible(actor, customer_id)
    if not may_set_stage(actor, customer):
        raise NotFound()  # a pool customer or a colleague's: not the actor's to move
    return customer


async def stage_choice(actor: Actor, customer_id: int) -> StageChoice:
    """The team's stages in order, with the customer's current one."""
    customer = await _settable(actor, customer_id)
    stages = await PipelineStage.filter(team_id=customer.team_id).order_by("position", "id")
    return StageChoice(customer.id, customer.name, customer.stage_id, [guide(s) for s in stages])


async def set_customer_stage(
    actor: Actor, customer_id: int, stage_id: int, *, now: datetime
) -> StageGuide:
    """Move the customer to ``stage_id`` (a stage of its own team), with an audit entry."""
    async with in_transaction():
        customer = await _settable(actor, customer_id)
        stage = await PipelineStage.get_or_none(id=stage_id, team_id=customer.team_id)
        if stage is None:
            raise NotFound()
        if customer.stage_id != stage.id:
            await Customer.filter(id=customer.id).update(stage_id=stage.id, updated_at=now)
            await audit.record(
                "customer.stage",
                "customer",
                customer.id,
                now=now,
                actor=actor,
                team_id=customer.team_id,
                data={"from": customer.stage_id, "to": stage.id},
            )
    return guide(stage)
