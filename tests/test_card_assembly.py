"""Assembling the 360° card: every section from its records, a bounded number of queries
whatever the history, the next step, payment status, and a message that fits Telegram."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.i18n import Lang
from bot.render import MESSAGE_LIMIT
from bot.views.customers import card_keyboard, card_text
from storage import users
from storage.access import Actor
from storage.cards import customer_card
from storage.models import (
    CalendarEntry,
    CheckIn,
    Contact,
    Contract,
    ContractStatus,
    Customer,
    FollowUp,
    FollowUpKind,
    Installment,
    InstallmentStatus,
    Opportunity,
    OpportunityStageChange,
    Payment,
    PaymentPlan,
    PaymentStatus,
    PipelineStage,
    PoolEvent,
    PoolEventKind,
    Role,
    Task,
    Team,
    Ticket,
    TicketRating,
    TicketStatus,
    User,
)
from tests.support.sim import ensure_team
from tests.test_tiering_recompute import counting_statements

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DAY = timedelta(days=1)


async def _actor(telegram_id: int, role: Role, team: Team) -> Actor:
    await User.create(telegram_id=telegram_id, full_name=f"P{telegram_id}", role=role, team=team)
    actor = await users.actor_by_telegram_id(telegram_id)
    assert actor is not None
    return actor


async def _history(team: Team, customer: Customer, rep: User, times: int) -> None:
    """``times`` of everything a customer can accumulate."""
    stages = {s.code: s for s in await PipelineStage.filter(team=team)}
    for i in range(times):
        at = NOW - (i + 1) * DAY
        await Contact.create(customer=customer, name=f"Contact {i}", title="Buyer")
        await FollowUp.create(
            team=team,
            customer=customer,
            rep=rep,
            kind=FollowUpKind.CALL,
            note=f"call {i}",
            occurred_at=at,
        )
        await PoolEvent.create(
            team=team, customer=customer, kind=PoolEventKind.CLAIM, rep=rep, created_at=at
        )
        deal = await Opportunity.create(
            team=team,
            customer=customer,
            owner=rep,
            title=f"Deal {i}",
            amount_cents=100_000_00,
            expected_close_on=date(2026, 4, 1 + i % 28),
            stage=stages["proposal"],
            stage_changed_at=at,
        )
        await OpportunityStageChange.create(
            opportunity=deal, to_stage=stages["proposal"], actor=rep, changed_at=at
        )
        await Task.create(
            team=team, assignee=rep, customer=customer, title=f"Task {i}", due_at=NOW + i * DAY
        )
        contract = await Contract.create(
            team=team,
            customer=customer,
            owner=rep,
            number=f"C-{customer.id}-{i}",
            amount_cents=30_000_00,
            status=ContractStatus.ACTIVE,
            created_at=at,
        )
        plan = await PaymentPlan.create(contract=contract, total_cents=30_000_00, created_at=at)
        await Installment.create(
            plan=plan,
            seq=1,
            due_on=date(2026, 1, 15),
            amount_cents=10_000_00,
            paid_cents=10_000_00,
            status=InstallmentStatus.PAID,
        )
        await Installment.create(
            plan=plan,
            seq=2,
            due_on=date(2026, 2, 15),
            amount_cents=10_000_00,
            paid_cents=4_000_00,
            status=InstallmentStatus.PARTIAL,
        )
        await Installment.create(plan=plan, seq=3, due_on=date(2026, 5, 15), amount_cents=10_000_00)
        await Payment.create(
            team=team,
            customer=customer,
            contract=contract,
            amount_cents=14_000_00,
            received_on=at.date(),
            status=PaymentStatus.CONFIRMED,
        )
        ticket = await Ticket.create(
            team=team,
            customer=customer,
            description="broken",
            status=TicketStatus.IN_PROGRESS,
            created_at=at,
            first_response_due_at=at,
            resolution_due_at=at + 2 * DAY,
        )
        await TicketRating.create(ticket=ticket, customer=customer, score=4, created_at=at)
        await CheckIn.create(
            team=team,
            rep=rep,
            customer=customer,
            latitude=31.2,
            longitude=121.5,
            distance_m=120.0 + i,
            checked_in_at=at,
        )
        await CalendarEntry.create(
            team=team,
            rep=rep,
            customer=customer,
            title=f"Visit {i}",
            starts_at=NOW + (i + 2) * DAY,
            ends_at=NOW + (i + 2) * DAY + timedelta(hours=1),
        )


async def test_every_section_of_a_busy_customer(db: str) -> None:
    north = await ensure_team("North", NOW)
    manager = await _actor(1, Role.MANAGER, north)
    rep = await User.create(telegram_id=2, full_name="Rob", role=Role.REP, team=north)
    customer = await Customer.create(
        team=north,
        name="Acme Trading",
        name_key="acmetrading",
        owner=rep,
        owned_since=NOW - 90 * DAY,
        phone="+8613812345678",
        tags=["vip"],
    )
    await _history(north, customer, rep, 3)
    await FollowUp.create(
        team=north,
        customer=customer,
        rep=rep,
        kind=FollowUpKind.MEETING,
        note="demo",
        next_step="Send the quote",
        next_step_at=NOW + timedelta(hours=20),
        occurred_at=NOW - DAY,
    )

    card = await customer_card(manager, customer.id, NOW)

    assert not card.masked and card.ownership.owner == "Rob"
    assert len(card.contacts) == 3 and card.tags == ["vip"]
    assert card.activity is not None and card.activity.next_step is not None
    assert (card.activity.next_step.text, card.activity.next_step.planned) == (
        "Send the quote",
        False,
    )
    assert len(card.tasks) == 3 and card.tasks[0].title == "Task 0"
    assert len(card.deals.open) == 3
    assert card.deals.pipeline == {"CNY": 300_000_00}
    assert card.deals.weighted == {"CNY": 150_000_00}
    [first, *_] = card.contracts
    assert (first.paid_cents, first.outstanding_cents, first.overdue_cents) == (
        14_000_00,
        16_000_00,
        6_000_00,
    )
    assert (first.installments_paid, first.installments_overdue, first.installments) == (1, 1, 3)
    assert len(card.tickets) == 3 and card.ratings == 3 and card.rating_avg == 4.0
    assert card.activity.checkins_total == 3 and card.activity.checkins[0].distance_m == 120.0
    assert card.timeline is not None and card.timeline.has_more
    assert card.tier.metrics is not None and card.tier.metrics.paid_cents == 3 * 14_000_00
    assert card.actions.assign and card.actions.override_tier and not card.actions.claim

    text = card_text(Lang.EN, card, NOW)
    for expected in (
        "Acme Trading",
        "Open tasks",
        "Deals",
        "Proposal 50%",
        "Contracts and payments",
        "overdue CNY 6,000",
        "Service",
        "Check-ins: 3",
        "Next: 2026-03-03 05:00 · Send the quote",
        "Timeline",
    ):
        assert expected in text, text
    assert len(text) < MESSAGE_LIMIT
    labels = [b.text for row in card_keyboard(Lang.EN, card).inline_keyboard for b in row]
    assert "👥 Assign" in labels and "🕘 More" in labels


async def test_the_next_step_is_the_earliest_planned_entry_or_next_step(db: str) -> None:
    north = await ensure_team("North", NOW)
    manager = await _actor(1, Role.MANAGER, north)
    rep = await User.create(telegram_id=2, full_name="Rob", role=Role.REP, team=north)
    customer = await Customer.create(team=north, name="Acme", name_key="acme", owner=rep)
    await FollowUp.create(
        team=north,
        customer=customer,
        rep=rep,
        kind=FollowUpKind.CALL,
        next_step="Call back",
        next_step_at=NOW + 5 * DAY,
        occurred_at=NOW - DAY,
    )
    await CalendarEntry.create(
        team=north,
        rep=rep,
        customer=customer,
        title="Site visit",
        starts_at=NOW + 2 * DAY,
        ends_at=NOW + 2 * DAY + timedelta(hours=1),
    )
    await CalendarEntry.create(  # in the past: not next
        team=north,
        rep=rep,
        customer=customer,
        title="Old",
        starts_at=NOW - 2 * DAY,
        ends_at=NOW - 2 * DAY + timedelta(hours=1),
    )
    card = await customer_card(manager, customer.id, NOW)
    assert card.activity is not None and card.activity.next_step is not None
    assert (card.activity.next_step.text, card.activity.next_step.planned) == ("Site visit", True)


async def test_an_empty_customer_shows_only_what_exists(db: str) -> None:
    north = await ensure_team("North", NOW)
    manager = await _actor(1, Role.MANAGER, north)
    customer = await Customer.create(team=north, name="Blank Co", name_key="blank")
    text = card_text(Lang.EN, await customer_card(manager, customer.id, NOW), NOW)
    assert "Blank Co" in text and "In the public pool" in text
    for absent in ("Open tasks", "Deals", "Contracts", "Service", "Check-ins", "Timeline"):
        assert absent not in text


@pytest.mark.parametrize("lang", list(Lang))
async def test_a_huge_card_stays_under_the_telegram_limit(db: str, lang: Lang) -> None:
    north = await ensure_team("North", NOW)
    manager = await _actor(1, Role.MANAGER, north)
    rep = await User.create(telegram_id=2, full_name="R" * 200, role=Role.REP, team=north)
    customer = await Customer.create(
        team=north,
        name="名" * 200,
        name_key="big",
        owner=rep,
        address="路" * 500,
        tags=["t" * 60] * 30,
    )
    await _history(north, customer, rep, 8)
    card = await customer_card(manager, customer.id, NOW)
    assert len(card_text(lang, card, NOW)) <= MESSAGE_LIMIT


async def test_the_number_of_queries_does_not_grow_with_the_history(db: str) -> None:
    north = await ensure_team("North", NOW)
    manager = await _actor(1, Role.MANAGER, north)
    rep = await User.create(telegram_id=2, full_name="Rob", role=Role.REP, team=north)
    small = await Customer.create(team=north, name="Small", name_key="small", owner=rep)
    big = await Customer.create(team=north, name="Big", name_key="big", owner=rep)
    await _history(north, small, rep, 1)
    await _history(north, big, rep, 12)
    counts = []
    for customer in (small, big):
        with counting_statements() as statements:
            await customer_card(manager, customer.id, NOW)
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert counts[0] <= 30
