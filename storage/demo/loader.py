"""`fieldcrm demo-data`: the load, one team at a time, and its printable summary."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Invalid
from storage.demo import catalog as cat
from storage.demo.catalog import DEMO_PERSONAS, TEAMS, TeamSpec
from storage.demo.contracts import ContractWriter
from storage.demo.customers import CustomerWriter
from storage.demo.field import FieldWriter
from storage.demo.marketing import MarketingWriter
from storage.demo.people import PortalWriter, persona_user
from storage.demo.plan_customers import CustomerPlanner
from storage.demo.sales import SalesWriter
from storage.demo.service import TicketWriter
from storage.models import ActorKind, PipelineStage, Role, Team, TeamRules, TierPolicy, User
from storage.teams import check_timezone, create_team

MIN_CUSTOMERS = 20
"""Below this a team cannot show every pipeline stage, tier and reclaim state at once."""


async def load_demo_data(
    *,
    now: datetime,
    seed: int = 7,
    customers_per_team: int = 300,
    timezone: str = "Asia/Shanghai",
) -> list[str]:
    """Fill an empty, migrated database with three demo teams; return a printable summary.

    ``timezone`` is the operator's zone (``FIELDCRM_TIMEZONE``): it is only used to state the
    moment of the load in the summary and the audit entry. The teams keep their cities' zones —
    a Shanghai team in another zone would show every visit at the wrong hour.

    Raises ``Invalid("demo.already_loaded")`` and writes nothing if a demo team exists.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    check_timezone(timezone)
    if customers_per_team < MIN_CUSTOMERS:
        raise Invalid("demo.too_few_customers", minimum=MIN_CUSTOMERS)
    now = now.astimezone(UTC)
    async with in_transaction():
        if await Team.exists(name__in=[spec.name for spec in TEAMS]):
            raise Invalid("demo.already_loaded")
        people = {
            p.telegram_id: await persona_user(p, None, now) for p in DEMO_PERSONAS if not p.team
        }
        admin = people[DEMO_PERSONAS[0].telegram_id]
        lines = [
            f"FieldCRM demo data, seed {seed}, as of "
            f"{now.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M} ({timezone})",
            f"Admin: {admin.full_name} @{admin.username} (telegram {admin.telegram_id})",
        ]
        totals: Counter[str] = Counter()
        for spec in TEAMS:
            team = await create_team(None, spec.name, spec.timezone, now=now)
            for persona in DEMO_PERSONAS:
                if persona.team == spec.name:
                    people[persona.telegram_id] = await persona_user(persona, team, now)
            loader = _TeamLoader(spec, team, random.Random(f"{seed}/{spec.name}"), now, people)
            counts = await loader.load(customers_per_team)
            totals.update(counts)
            lines.extend(_team_summary(spec, counts))
        await audit.record(
            "demo.load",
            "demo",
            seed,
            now=now,
            actor_kind=ActorKind.SYSTEM,
            data={
                "seed": seed,
                "customers_per_team": customers_per_team,
                "timezone": timezone,
                "teams": [spec.name for spec in TEAMS],
                "counts": dict(sorted(totals.items())),
            },
        )
    first, last = DEMO_PERSONAS[0].telegram_id, DEMO_PERSONAS[-1].telegram_id
    lines.append(
        f"Sandbox personas: telegram ids {first}–{last} (storage.demo.DEMO_PERSONAS); "
        f"list {first} in FIELDCRM_ADMIN_IDS to act as the admin."
    )
    return lines


def _team_summary(spec: TeamSpec, c: Counter[str]) -> list[str]:
    return [
        f"Team {spec.name} ({spec.timezone}, {spec.currency}): 1 manager, {c['reps']} reps, "
        f"1 agent, {c['portal_users']} portal customers; {c['customers']} customers "
        f"({c['owned']} owned, {c['pool']} in the pool)",
        f"  pool: {c['reclaim_warn']} due for reclaim within 3 days, {c['reclaim_overdue']} "
        f"overdue, {c['locked']} locked; {c['pool_events']} pool events",
        f"  sales: {c['opportunities']} opportunities ({c['open']} open, {c['won']} won, "
        f"{c['lost']} lost), {c['leads']} leads, {c['campaigns']} campaigns, "
        f"{c['followups']} follow-ups, {c['checkins']} check-ins ({c['checkins_flagged']} flagged)",
        f"  after-sales: {c['contracts']} contracts ({c['contracts_pending']} pending approval), "
        f"{c['installments']} installments ({c['installments_overdue']} overdue), "
        f"{c['payments']} payments ({c['payments_reported']} awaiting confirmation), "
        f"{c['tickets']} tickets ({c['tickets_open']} open, {c['tickets_breached']} SLA breached)",
        f"  planning: {c['tasks']} tasks ({c['tasks_overdue']} overdue), "
        f"{c['calendar']} calendar entries, {c['targets']} sales targets",
    ]


class _TeamLoader(
    CustomerPlanner,
    CustomerWriter,
    PortalWriter,
    SalesWriter,
    ContractWriter,
    FieldWriter,
    MarketingWriter,
    TicketWriter,
):
    """Plans and writes one team's data; ``load`` runs the stages in foreign-key order."""

    async def load(self, size: int) -> Counter[str]:
        await self._team_setup()
        await self._campaigns()
        # Exact shares rather than coin flips, so even a small team shows both sides.
        owned = [i < round(size * 0.55) for i in range(size)]
        phoneless = [i < max(1, round(size * 0.05)) for i in range(size)]
        self.rng.shuffle(owned)
        self.rng.shuffle(phoneless)
        for wants_owner, has_phone in zip(owned, (not p for p in phoneless), strict=True):
            self._plan_customer(wants_owner, has_phone)
        self._ensure_coverage()
        self._plan_team_wide()
        await self._write_customers()
        await self._write_portal()
        await self._write_pool_events()
        await self._write_opportunities()
        await self._write_contracts()
        followups = await self._write_followups()
        await self._write_calendar_and_checkins(followups)
        await self._write_leads()
        await self._write_tasks()
        await self._write_tickets()
        await self._write_targets()
        return self.counts

    async def _team_setup(self) -> None:
        """Currency, thresholds, stage guidance and each person's territory."""
        spec = self.spec
        await Team.filter(id=self.team.id).update(currency=spec.currency, country=spec.country)
        await TeamRules.filter(team_id=self.team.id).update(
            tier_key_revenue_cents=spec.key_revenue_cents
        )
        self.rules = await TeamRules.get(team_id=self.team.id)
        # An owned customer's last deal (or its claim) stays inside the no-deal window, with
        # ten days to spare, so the deal clock never runs out before the planned silence.
        self.deal_window = self.now - timedelta(days=self.rules.reclaim_days_no_deal - 10)
        self.policies = {p.tier: p for p in await TierPolicy.filter(team_id=self.team.id)}
        self.stages = {s.code: s for s in await PipelineStage.filter(team_id=self.team.id)}
        for code, guide in cat.STAGE_GUIDE.items():
            goal, checklist = guide[self.s]
            await PipelineStage.filter(id=self.stages[code].id).update(
                goal=goal, checklist=list(checklist)
            )
        await User.filter(team_id=self.team.id, role=Role.AGENT).update(
            industries=[code for code, _ in cat.INDUSTRIES]
        )
        # Neighbouring districts go to the same rep: a territory is a contiguous stretch.
        districts = [d.name for d in spec.districts]
        industries = [code for code, _ in cat.INDUSTRIES]
        size, extra = divmod(len(districts), len(self.reps))
        start = 0
        for i, rep in enumerate(self.reps):
            end = start + size + (1 if i < extra else 0)
            rep.regions = districts[start:end]
            rep.industries = [industries[(3 * i + j) % len(industries)] for j in range(3)]
            start = end
            await User.filter(id=rep.user.id).update(
                regions=rep.regions, industries=rep.industries, lead_capacity=40 + 5 * i
            )
        self.counts["reps"] = len(self.reps)
