"""`fieldcrm demo-data`: the data set the sandbox, demos and benchmarks stand on.

Each test checks something a person clicking through the sandbox would notice if it were wrong:
people in the right teams, customers on the right map, deals whose history makes sense, money
that adds up, and a second load that refuses instead of doubling everything.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from geopy.distance import geodesic
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from bot.database import tortoise_config
from storage.access import Invalid
from storage.demo import DEMO_PERSONAS, load_demo_data
from storage.demo import loader as demo
from storage.models import (
    ActorKind,
    AuditLog,
    CalendarEntry,
    CheckIn,
    Contract,
    ContractItem,
    Customer,
    FollowUp,
    Installment,
    Lead,
    LeadStatus,
    Opportunity,
    OpportunityStageChange,
    Payment,
    PaymentPlan,
    PaymentStatus,
    PipelineStage,
    PoolEvent,
    PortalAccount,
    Role,
    SalesTarget,
    TargetRevision,
    Team,
    TeamRules,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketRating,
    TicketStatus,
    TierPolicy,
    User,
)
from storage.normalize import name_key, normalize_phone
from storage.reclaim_rules import ReclaimClock, reclaim_deadline
from storage.tickets_common import Deadline
from storage.tiering import TierMetrics, TierThresholds, collect_metrics, decide_tier
from tests.support.database import SqliteTemplate, backends

NOW = datetime(2026, 3, 18, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai and Taipei, a Wednesday
SMALL = 60

# Written out here rather than taken from the catalog, so a wrong catalog entry fails the test.
CITY_BOXES = {  # city as written in addresses -> (south, north, west, east)
    "上海市": (30.6, 31.9, 120.8, 122.1),
    "深圳市": (22.4, 22.9, 113.7, 114.5),
    "广州市": (22.8, 23.4, 113.1, 113.7),
    "臺北市": (24.95, 25.21, 121.45, 121.67),
}
TEAMS = {  # name -> (time zone, country, currency, cities)
    "华东 East": ("Asia/Shanghai", "CN", "CNY", {"上海市"}),
    "华南 South": ("Asia/Shanghai", "CN", "CNY", {"深圳市", "广州市"}),
    "台北 Taipei": ("Asia/Taipei", "TW", "TWD", {"臺北市"}),
}
PHONE = {"CNY": re.compile(r"^\+86\d{10,11}$"), "TWD": re.compile(r"^\+886\d{8,9}$")}
COUNTED = (Team, User, Customer, Opportunity, Contract, Payment, Ticket, Lead, AuditLog)


async def _connect(url: str) -> None:
    EXECUTOR_CACHE.clear()  # generated SQL is cached per connection name, across dialects
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)


async def _load_into(url: str) -> list[str]:
    await _connect(url)
    try:
        return await load_demo_data(now=NOW, customers_per_team=SMALL)
    finally:
        await Tortoise.close_connections()


@pytest.fixture(scope="module", params=backends())
def demo_database(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[str]]]:
    """One loaded database per backend, shared by the tests that only read it.

    Loading is the slow part, so the read-only checks share a load instead of each doing
    their own; tests that write (a second load, a failing load) use the ``db`` fixture.
    """
    template = request.getfixturevalue(f"{request.param}_template")
    for url in template.fresh():
        yield url, asyncio.run(_load_into(url))


@pytest.fixture
async def loaded(demo_database: tuple[str, list[str]]) -> AsyncIterator[list[str]]:
    """The shared demo database, connected for this test; the load's summary lines."""
    url, summary = demo_database
    await _connect(url)
    try:
        yield summary
    finally:
        await Tortoise.close_connections()


async def _counts() -> dict[str, int]:
    return {model.__name__: await model.all().count() for model in COUNTED}


async def test_three_teams_in_their_cities_with_their_people(loaded: list[str]) -> None:
    teams = {t.name: t for t in await Team.all()}
    assert {name: (t.timezone, t.country, t.currency) for name, t in teams.items()} == {
        name: (zone, country, currency) for name, (zone, country, currency, _) in TEAMS.items()
    }
    for name, team in teams.items():
        roles = Counter(u.role for u in await User.filter(team_id=team.id))
        assert roles[Role.MANAGER] == 1 and roles[Role.AGENT] == 1
        assert 4 <= roles[Role.REP] <= 6
        portal = await PortalAccount.filter(user__team_id=team.id).prefetch_related("customer")
        assert len(portal) == roles[Role.CUSTOMER] >= 1
        assert all(p.customer.team_id == team.id for p in portal)
        assert any(name in line for line in loaded)
    admins = await User.filter(role=Role.ADMIN)
    assert len(admins) == 1 and admins[0].team_id is None


async def test_personas_describe_the_users_that_exist(loaded: list[str]) -> None:
    names = {t.id: t.name for t in await Team.all()}
    users = {u.telegram_id: u for u in await User.all()}
    assert len(users) == len(DEMO_PERSONAS)
    for persona in DEMO_PERSONAS:
        user = users[persona.telegram_id]
        assert (user.full_name, user.username, user.role, user.language) == (
            persona.full_name,
            persona.username,
            persona.role,
            persona.language,
        )
        assert names.get(user.team_id or 0) == persona.team
    languages = Counter((p.team, p.language) for p in DEMO_PERSONAS)
    assert languages[("台北 Taipei", "zh-hant")] >= 4
    assert any(p.language == "en" and p.role is Role.REP for p in DEMO_PERSONAS)
    reps = [users[p.telegram_id] for p in DEMO_PERSONAS if p.role is Role.REP]
    assert all(rep.regions and rep.industries for rep in reps)


async def test_customers_sit_inside_their_city(loaded: list[str]) -> None:
    for team in await Team.all():
        cities = TEAMS[team.name][3]
        customers = await Customer.filter(team_id=team.id)
        assert len(customers) == SMALL
        assert len({c.name_key for c in customers}) == SMALL  # no accidental duplicates
        for c in customers:
            city = next(city for city in CITY_BOXES if (c.address or "").startswith(city))
            assert city in cities
            south, north, west, east = CITY_BOXES[city]
            assert c.latitude is not None and c.longitude is not None
            assert south <= c.latitude <= north and west <= c.longitude <= east, c.name
            assert c.region and c.region in (c.address or "")
            assert c.name_key == name_key(c.name)


async def test_owned_customers_belong_to_reps_of_their_team_and_the_rest_is_pool(
    loaded: list[str],
) -> None:
    reps = {u.id: u for u in await User.filter(role=Role.REP)}
    for team in await Team.all():
        due_soon = overdue = 0
        customers = await Customer.filter(team_id=team.id)
        policies = {p.tier: p.reclaim_days for p in await TierPolicy.filter(team_id=team.id)}
        rules = await TeamRules.get(team_id=team.id)
        warning = timedelta(days=rules.reclaim_warning_days)
        owned = [c for c in customers if c.owner_id is not None]
        pool = [c for c in customers if c.owner_id is None]
        assert 0.4 * len(customers) <= len(owned) <= 0.7 * len(customers)
        assert all(c.owned_since is None for c in pool)
        for c in owned:
            assert c.owner_id in reps and reps[c.owner_id].team_id == team.id
            assert c.owned_since is not None
            due = reclaim_deadline(
                ReclaimClock(c.owned_since, c.last_followup_at, c.last_deal_at),
                reclaim_days=policies[c.tier],
                no_deal_days=rules.reclaim_days_no_deal,
            )
            due_soon += NOW < due <= NOW + warning
            overdue += due <= NOW
        # the warning and the sweep have work, but the first sweep does not empty the team
        assert due_soon >= 1 and 1 <= overdue <= max(4, 0.2 * len(owned))
        claims = await PoolEvent.filter(team_id=team.id, kind__in=["claim", "assign"])
        assert {e.customer_id for e in claims} >= {c.id for c in owned}
        # whoever gave a customer back is its last owner, with the time it happened
        left = {
            e.customer_id: e
            for e in await PoolEvent.filter(team_id=team.id, kind__in=["release", "reclaim"])
        }
        returned = [c for c in customers if c.last_owner_id is not None]
        assert {c.id for c in returned} == set(left) and any(c.owner_id is None for c in returned)
        for c in returned:
            assert (left[c.id].rep_id, left[c.id].created_at) == (c.last_owner_id, c.released_at)
            assert reps[c.last_owner_id].team_id == team.id and c.released_at <= NOW


async def test_last_followup_is_the_last_effective_one(loaded: list[str]) -> None:
    latest: dict[int, datetime] = {}
    for f in await FollowUp.filter(effective=True):
        latest[f.customer_id] = max(latest.get(f.customer_id, f.occurred_at), f.occurred_at)
    customers = await Customer.exclude(last_followup_at=None)
    assert customers
    for c in customers:
        assert latest[c.id] == c.last_followup_at
    assert all(f.occurred_at <= NOW for f in await FollowUp.all())


async def test_phones_are_normalised_and_unique_within_a_team(loaded: list[str]) -> None:
    missing = total = 0
    for team in await Team.all():
        phones = [c.phone for c in await Customer.filter(team_id=team.id)]
        present = [p for p in phones if p]
        assert len(present) == len(set(present))
        assert all(PHONE[team.currency].match(p) for p in present)
        assert all(normalize_phone(p, team.country) == p for p in present)
        missing += len(phones) - len(present)
        total += len(phones)
    assert 0 < missing <= 0.1 * total


async def test_opportunity_stages_and_history_agree(loaded: list[str]) -> None:
    stages = {s.id: s for s in await PipelineStage.all()}
    history: dict[int, list[OpportunityStageChange]] = defaultdict(list)
    for change in await OpportunityStageChange.all().order_by("changed_at", "id"):
        history[change.opportunity_id].append(change)
    used: dict[int, set[str]] = defaultdict(set)
    for o in await Opportunity.all():
        stage = stages[o.stage_id]
        assert stage.team_id == o.team_id
        used[o.team_id].add(stage.code)
        changes = history[o.id]
        assert changes[0].from_stage_id is None
        assert changes[-1].to_stage_id == o.stage_id
        assert o.stage_changed_at == changes[-1].changed_at <= NOW
        assert all(a.to_stage_id == b.from_stage_id for a, b in pairwise(changes))
        assert (o.closed_at is not None) == (stage.is_won or stage.is_lost)
        assert (o.lost_reason is not None) == stage.is_lost
    for team_id, codes in used.items():
        assert codes == {s.code for s in stages.values() if s.team_id == team_id}


async def test_contract_money_adds_up(loaded: list[str]) -> None:
    confirmed: Counter[int] = Counter()
    for p in await Payment.filter(status=PaymentStatus.CONFIRMED):
        assert p.installment_id is not None
        confirmed[p.installment_id] += p.amount_cents
    contracts = {c.id: c for c in await Contract.all()}
    items: Counter[int] = Counter()
    for item in await ContractItem.all():
        assert item.amount_cents == item.quantity * item.unit_price_cents > 0
        items[item.contract_id] += item.amount_cents
    plans = await PaymentPlan.all().prefetch_related("installments")
    assert len(plans) == len(contracts)
    for plan in plans:
        contract = contracts[plan.contract_id]
        installments = list(plan.installments)
        assert sum(i.amount_cents for i in installments) == plan.total_cents
        assert plan.total_cents == contract.amount_cents == items[contract.id]
        assert plan.currency == contract.currency
        for i in installments:
            assert i.paid_cents == confirmed[i.id]
    teams = {t.id: t.currency for t in await Team.all()}
    assert all(c.currency == teams[c.team_id] for c in contracts.values())
    statuses = {c.status for c in contracts.values()}
    assert {"pending_approval", "active"} <= statuses
    assert await Installment.filter(due_on__lt=NOW.date(), status="pending").exists()


async def test_tiers_are_what_the_nightly_recompute_would_find(loaded: list[str]) -> None:
    tiers: Counter[str] = Counter()
    for team in await Team.all():
        thresholds = TierThresholds.of(await TeamRules.get(team_id=team.id))
        metrics = await collect_metrics(team.id, NOW)
        for c in await Customer.filter(team_id=team.id):
            tiers[c.tier] += 1
            figures = metrics.get(c.id, TierMetrics())
            assert c.tier_reason["revenue_12m_cents"] == figures.revenue_cents
            if not c.tier_overridden:
                assert (c.tier, c.tier_reason["rule"]) == decide_tier(figures, thresholds, NOW)
            has_won = await Opportunity.filter(customer_id=c.id, stage__is_won=True).exists()
            assert c.won == has_won
    assert set(tiers) == {"key", "regular", "potential", "at_risk"}


async def test_checkins_measure_the_distance_to_the_customer(loaded: list[str]) -> None:
    checkins = await CheckIn.all().prefetch_related("customer")
    radius = {r.team_id: r.checkin_radius_m for r in await TeamRules.all()}
    assert checkins
    for ch in checkins:
        c = ch.customer
        measured = geodesic((c.latitude, c.longitude), (ch.latitude, ch.longitude)).meters
        assert ch.distance_m == pytest.approx(measured, abs=0.1)
        assert ch.distance_m is not None
        outside = ch.distance_m > (c.checkin_radius_m or radius[ch.team_id])
        assert ("outside_radius" in ch.flags) == outside
        assert ch.flagged == bool(ch.flags)
    assert any(ch.flagged for ch in checkins)
    calendar = await CalendarEntry.all()
    assert any(e.starts_at > NOW for e in calendar) and any(e.status == "done" for e in calendar)


async def test_tickets_follow_their_sla_and_history(loaded: list[str]) -> None:
    policies = {(p.team_id, p.tier): p for p in await TierPolicy.all()}
    rated = {r.ticket_id for r in await TicketRating.all()}
    for t in await Ticket.all().prefetch_related("customer", "events"):
        policy = policies[(t.team_id, t.customer.tier)]
        assert t.first_response_due_at - t.created_at == timedelta(
            minutes=policy.sla_first_response_minutes
        )
        assert t.resolution_due_at - t.created_at == timedelta(
            minutes=policy.sla_resolution_minutes
        )
        changes = sorted((e for e in t.events if e.to_status), key=lambda e: e.created_at)
        assert (changes[-1].to_status if changes else TicketStatus.NEW) == t.status
        if t.id in rated:
            assert t.status is TicketStatus.CLOSED and t.resolved_at is not None
    assert await TicketEvent.filter(kind="breached").exists()
    assert await Ticket.filter(opened_by__role=Role.CUSTOMER).exists()
    # A breach or escalation names its deadline, as the SLA sweep writes it (the history says
    # "escalated to the manager (first-response)", never a raw key).
    sla_kinds = (TicketEventKind.BREACHED, TicketEventKind.ESCALATED)
    named = {e.text for e in await TicketEvent.filter(kind__in=sla_kinds)}
    assert named and named <= {d.value for d in Deadline}


async def test_every_rep_has_a_target_for_this_month(loaded: list[str]) -> None:
    targets = await SalesTarget.all()
    reps = await User.filter(role=Role.REP)
    assert {t.rep_id for t in targets} == {r.id for r in reps}
    assert len({t.status for t in targets}) >= 3
    revised = {r.target_id for r in await TargetRevision.all()}
    assert revised == {t.id for t in targets}
    leads = await Lead.all()
    assert {lead.status for lead in leads} == set(LeadStatus)
    for lead in leads:
        converted = lead.status is LeadStatus.CONVERTED
        assert (lead.customer_id is not None) == converted == (lead.converted_at is not None)
        assert (lead.assignee_id is None) == (lead.status is LeadStatus.NEW)


async def test_the_load_is_recorded_once_in_the_audit_log(loaded: list[str]) -> None:
    entries = await AuditLog.filter(action="demo.load")
    assert len(entries) == 1
    assert entries[0].actor_kind is ActorKind.SYSTEM and entries[0].data["seed"] == 7


async def test_loading_twice_refuses_and_changes_nothing(db: str) -> None:
    await load_demo_data(now=NOW, customers_per_team=SMALL)
    before = await _counts()
    with pytest.raises(Invalid) as refused:
        await load_demo_data(now=NOW + timedelta(days=1), customers_per_team=SMALL)
    assert refused.value.code == "demo.already_loaded"
    assert await _counts() == before


async def test_a_failure_half_way_leaves_nothing_behind(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo._TeamLoader, "_write_tickets", broken)
    with pytest.raises(RuntimeError):
        await load_demo_data(now=NOW, customers_per_team=SMALL)
    assert set((await _counts()).values()) == {0}


async def _customer_facts() -> list[tuple[str, ...]]:
    rows = await Customer.all().order_by("team__name", "id").prefetch_related("team")
    return [(c.team.name, c.name, c.phone or "", c.region or "", c.tier) for c in rows]


async def test_the_same_seed_gives_the_same_customers(
    db: str, sqlite_template: SqliteTemplate
) -> None:
    await load_demo_data(now=NOW, seed=3, customers_per_team=SMALL)
    first = await _customer_facts()
    for seed, same in ((3, True), (4, False)):
        for url in sqlite_template.fresh():  # a second, empty database
            await Tortoise.close_connections()
            await _connect(url)
            await load_demo_data(now=NOW, seed=seed, customers_per_team=SMALL)
            again = await _customer_facts()
            await Tortoise.close_connections()
        assert (again == first) is same


async def test_the_full_size_loads_in_seconds(db: str) -> None:
    started = time.perf_counter()
    summary = await load_demo_data(now=NOW)
    elapsed = time.perf_counter() - started
    assert elapsed < 20, f"a full load took {elapsed:.1f}s"
    for team in await Team.all():
        assert await Customer.filter(team_id=team.id).count() == 300
        assert 50 <= await Lead.filter(team_id=team.id).count() <= 70
    assert len(summary) == 2 + 5 * len(TEAMS) + 1
