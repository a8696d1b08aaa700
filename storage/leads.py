"""Leads (B1, D3): who sees which, entering one, its card, working it, converting it.

Visibility: a rep sees the leads assigned to them, a manager their team's, an admin all;
anything else answers ``NotFound``, exactly like a wrong id.

Where a new lead goes: a lead a **manager** enters (and every imported lead) is routed by the
team's rules (``storage.assignment``); a lead a **rep** enters is theirs — they found it — and
is assigned to them at once, whatever their load.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.assignment import (
    OPEN_STATUSES,
    LeadFacts,
    followup_task,
    followup_title,
)
from storage.assignment_store import Router, RoutingOutcome, managers_of
from storage.customers import CustomerDraft, create_customer, visible_customers
from storage.lead_import_checks import LeadDraft, check_draft, find_known
from storage.models import (
    Lead,
    LeadStatus,
    Role,
    Task,
    TaskStatus,
    Team,
    TeamRules,
)
from storage.paging import Page, paginate

WORKABLE = (LeadStatus.NEW, *OPEN_STATUSES)
REASON_MAX = 500


def visible_leads(actor: Actor) -> QuerySet[Lead]:
    """The leads ``actor`` may see, as a query to narrow further."""
    if actor.role is Role.ADMIN:
        return Lead.all()
    if actor.team_id is None or actor.role not in (Role.MANAGER, Role.REP):
        return Lead.filter(id__in=[])
    query = Lead.filter(team_id=actor.team_id)
    return query.filter(assignee_id=actor.user_id) if actor.role is Role.REP else query


async def get_visible_lead(actor: Actor, lead_id: int) -> Lead:
    lead = await visible_leads(actor).get_or_none(id=lead_id)
    if lead is None:
        raise NotFound()
    return lead


@dataclass(frozen=True)
class CreatedLead:
    lead_id: int
    assignee_id: int | None
    assignee: str | None
    self_assigned: bool
    reason: dict[str, Any]
    outcome: RoutingOutcome


async def create_lead(
    actor: Actor, draft: LeadDraft, *, now: datetime, rng: random.Random
) -> CreatedLead:
    """Save a new lead unless the team knows it already; route it (manager) or keep it (rep)."""
    lead = (await check_draft(actor, draft)).lead
    team_id = actor.team_id or 0
    title = followup_title(lead.name, lead.company)
    outcome = RoutingOutcome(team_id)
    async with in_transaction():
        found = await find_known(
            team_id, [lead.phone or ""], [lead.email or ""], [lead.company_key]
        )
        if (known := found.match(lead)) is not None:
            raise Invalid("leads.duplicate", name=known.name)
        router = None
        if actor.role is Role.REP:
            reason = {"strategy": "self", "rep_id": actor.user_id, "rep": actor.full_name}
            fields: dict[str, Any] = {
                "status": LeadStatus.ASSIGNED,
                "assignee_id": actor.user_id,
                "assigned_at": now,
                "assignment_reason": {**reason, "at": now.isoformat()},
            }
        else:
            router = await Router.open(team_id, now=now, rng=rng)
            decision = router.decide(LeadFacts(lead.region, lead.industry))
            fields = router.lead_fields(decision)
            if decision.rep_id is None:
                outcome.wait(decision)
                outcome.managers = await managers_of(team_id)
        row = await Lead.create(
            team_id=team_id,
            name=lead.name,
            company=lead.company,
            company_key=lead.company_key,
            phone=lead.phone,
            email=lead.email,
            region=lead.region,
            industry=lead.industry,
            campaign_id=lead.campaign_id,
            source=lead.source,
            **fields,
        )
        assignee_id = row.assignee_id
        if assignee_id is not None:
            hours = (await TeamRules.get(team_id=team_id)).lead_followup_hours
            task = followup_task(team_id, row.id, assignee_id, title, now, hours, actor.user_id)
            await task.save()
        if router is not None:
            if assignee_id is not None:
                outcome.add(router.tally(assignee_id), row.id)
            await router.save()
        data = {"assignee_id": assignee_id, "reason": row.assignment_reason}
        await audit.record(
            "lead.create", "lead", row.id, now=now, actor=actor, team_id=team_id, data=data
        )
    return CreatedLead(
        row.id,
        assignee_id,
        row.assignment_reason.get("rep"),
        actor.role is Role.REP,
        row.assignment_reason,
        outcome,
    )


# ----- the card and its actions ------------------------------------------------------------


@dataclass(frozen=True)
class TaskInfo:
    id: int
    title: str
    due_at: datetime
    status: TaskStatus


@dataclass(frozen=True)
class LeadCard:
    lead: Lead
    timezone: str
    assignee: str | None
    campaign: str | None
    customer: str | None
    task: TaskInfo | None
    manager_view: bool


async def _cards(leads: list[Lead], manager_view: bool) -> list[LeadCard]:
    team_ids = {lead.team_id for lead in leads}
    zones = dict(await Team.filter(id__in=team_ids).values_list("id", "timezone"))
    tasks: dict[int, TaskInfo] = {}
    rows = (
        await Task.filter(lead_id__in=[lead.id for lead in leads])
        .order_by("id")
        .values("id", "lead_id", "title", "due_at", "status")
    )
    for row in rows:  # the newest task of each lead wins
        tasks[row["lead_id"]] = TaskInfo(row["id"], row["title"], row["due_at"], row["status"])
    return [
        LeadCard(
            lead,
            zones.get(lead.team_id, "UTC"),
            str(lead.assignee) if lead.assignee else None,
            lead.campaign.name if lead.campaign else None,
            lead.customer.name if lead.customer else None,
            tasks.get(lead.id),
            manager_view,
        )
        for lead in leads
    ]


async def lead_card(actor: Actor, lead_id: int) -> LeadCard:
    lead = await visible_leads(actor).get_or_none(id=lead_id)
    if lead is None:
        raise NotFound()
    await lead.fetch_related("assignee", "campaign", "customer")
    [card] = await _cards([lead], actor.role in (Role.MANAGER, Role.ADMIN))
    return card


async def cards_for(lead_ids: list[int]) -> list[LeadCard]:
    """Cards for the assignee's notice (no actor: the router already decided who sees them)."""
    leads = await Lead.filter(id__in=lead_ids).select_related("assignee", "campaign", "customer")
    return await _cards(sorted(leads, key=lambda lead: lead.id), False)


async def lead_task(actor: Actor, lead_id: int) -> LeadCard:
    card = await lead_card(actor, lead_id)
    if card.task is None:
        raise Invalid("leads.no_task")
    return card


async def _transition(
    actor: Actor, lead_id: int, *, now: datetime, allowed: tuple[LeadStatus, ...], **changes: Any
) -> Lead:
    """Move a visible lead on from one of ``allowed`` statuses, exactly once."""
    lead = await get_visible_lead(actor, lead_id)
    if lead.status not in allowed:
        raise Invalid(f"leads.already_{lead.status.value}")
    moved = await Lead.filter(id=lead.id, status=lead.status).update(**changes)
    if moved != 1:
        raise Invalid("leads.changed_meanwhile")
    return lead


async def mark_contacted(actor: Actor, lead_id: int, *, now: datetime) -> LeadCard:
    """The rep reached the lead: the follow-up task is done."""
    async with in_transaction():
        lead = await _transition(
            actor, lead_id, now=now, allowed=(LeadStatus.ASSIGNED,), status=LeadStatus.CONTACTED
        )
        await Task.filter(lead_id=lead.id, status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE, completed_at=now
        )
        await audit.record(
            "lead.contacted", "lead", lead.id, now=now, actor=actor, team_id=lead.team_id
        )
    return await lead_card(actor, lead_id)


async def disqualify(actor: Actor, lead_id: int, reason: str, *, now: datetime) -> LeadCard:
    """Close a lead as not worth pursuing, with the reason; its open tasks are cancelled."""
    text = " ".join(reason.split())
    if not text:
        raise Invalid("leads.reason_empty")
    if len(text) > REASON_MAX:
        raise Invalid("leads.reason_too_long", limit=REASON_MAX)
    async with in_transaction():
        lead = await _transition(
            actor,
            lead_id,
            now=now,
            allowed=WORKABLE,
            status=LeadStatus.DISQUALIFIED,
            disqualified_reason=text,
        )
        await Task.filter(lead_id=lead.id, status=TaskStatus.OPEN).update(
            status=TaskStatus.CANCELLED, completed_at=now
        )
        await audit.record(
            "lead.disqualify",
            "lead",
            lead.id,
            now=now,
            actor=actor,
            team_id=lead.team_id,
            data={"reason": text},
        )
    return await lead_card(actor, lead_id)


@dataclass(frozen=True)
class Conversion:
    lead_id: int
    customer_id: int
    customer_name: str
    existed: bool
    visible: bool


async def convert_lead(actor: Actor, lead_id: int, *, now: datetime) -> Conversion:
    """Make the lead a customer owned by its rep, keeping source, campaign and history.

    A customer that already exists (same phone, e-mail or company) is linked instead.
    """
    async with in_transaction():
        lead = await _transition(
            actor,
            lead_id,
            now=now,
            allowed=WORKABLE,
            status=LeadStatus.CONVERTED,
            converted_at=now,
        )
        draft = CustomerDraft(
            name=lead.company or lead.name,
            contact_name=lead.name,
            phone=lead.phone,
            email=lead.email,
            region=lead.region,
            industry=lead.industry,
            source=lead.source or "lead",
            source_campaign_id=lead.campaign_id,
        )
        try:
            customer = await create_customer(
                actor, lead.team_id, draft, now=now, owner_id=lead.assignee_id
            )
            customer_id, customer_name, existed = customer.id, customer.name, False
        except Invalid as error:
            if error.code != "customer.duplicate":
                raise
            customer_id, customer_name = int(str(error.params["id"])), str(error.params["name"])
            existed = True
        await Lead.filter(id=lead.id).update(customer_id=customer_id)
        await Task.filter(lead_id=lead.id, customer_id=None).update(customer_id=customer_id)
        await Task.filter(lead_id=lead.id, status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE, completed_at=now
        )
        await audit.record(
            "lead.convert",
            "lead",
            lead.id,
            now=now,
            actor=actor,
            team_id=lead.team_id,
            data={"customer_id": customer_id, "existed": existed},
        )
    visible = await visible_customers(actor).filter(id=customer_id).exists()
    return Conversion(lead.id, customer_id, customer_name, existed, visible)


# ----- lists -------------------------------------------------------------------------------


async def my_open_leads(actor: Actor, page: int) -> Page[Lead]:
    """A rep's leads still to work, oldest assignment first."""
    actor.require(Role.REP)
    query = visible_leads(actor).filter(status__in=OPEN_STATUSES).order_by("assigned_at", "id")
    return await paginate(query, page)


async def recent_assignments(actor: Actor, page: int) -> Page[Lead]:
    """The team's latest assignments: who got which lead (the card says why)."""
    actor.require(Role.MANAGER, Role.ADMIN)
    query = visible_leads(actor).filter(assigned_at__not_isnull=True)
    return await paginate(query.select_related("assignee").order_by("-assigned_at", "-id"), page)


async def waiting_leads(actor: Actor, page: int) -> Page[Lead]:
    """Leads no rep could take yet, oldest first, with the reason."""
    actor.require(Role.MANAGER, Role.ADMIN)
    query = visible_leads(actor).filter(status=LeadStatus.NEW, assignee_id=None)
    return await paginate(query.order_by("id"), page)


async def waiting_count(actor: Actor) -> int:
    return await visible_leads(actor).filter(status=LeadStatus.NEW, assignee_id=None).count()
