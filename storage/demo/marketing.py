"""Writing marketing: campaigns, leads (with their import batch and tasks), campaign members."""

from __future__ import annotations

from datetime import timedelta

from storage.demo import catalog as cat
from storage.demo.identities import Identities
from storage.demo.plan import CampaignPlan, CustomerPlan, Rep
from storage.demo.state import DAY, HOUR, insert_rows
from storage.models import (
    Campaign,
    CampaignMember,
    ImportBatch,
    ImportStatus,
    Lead,
    LeadStatus,
    MemberStatus,
    Task,
    TaskPriority,
    TaskStatus,
)
from storage.normalize import name_key


class MarketingWriter(Identities):
    """Writes campaigns, the leads they brought and who each campaign reached."""

    async def _campaigns(self) -> None:
        templates = list(cat.CAMPAIGNS[self.spec.name])
        chosen = templates if self.rng.random() < 0.6 else templates[:3]
        rows: list[Campaign] = []
        for template in chosen:
            starts_on = self.today - timedelta(days=self.rng.randint(20, 170))
            days = self.rng.randint(*template.days)
            ends_on = starts_on + timedelta(days=days - 1)
            season = cat.SEASONS[self.s][(starts_on.month % 12) // 3]
            name = template.name.format(year=starts_on.year, season=season)
            cost = self._money(self._u(*template.cost_yuan))
            rows.append(
                Campaign(
                    team_id=self.team.id,
                    name=name,
                    channel=template.channel,
                    cost_cents=cost,
                    currency=self.spec.currency,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    created_at=self._at(starts_on, 9) - 14 * DAY,
                )
            )
        ids = await insert_rows(Campaign, rows, team_id=self.team.id)
        for row, pk in zip(rows, ids, strict=True):
            self.campaigns.append(
                CampaignPlan(
                    pk,
                    row.name,
                    str(row.channel),
                    self._at(row.starts_on, 9),
                    self._at(row.ends_on or row.starts_on, 18),
                )
            )
        self.counts["campaigns"] = len(rows)

    def _lead_assignee(self, region: str, industry: str) -> Rep:
        local = [r for r in self.reps if region in r.regions]
        skilled = [r for r in local if industry in r.industries]
        return self.rng.choice(skilled or local or self.reps)

    async def _write_leads(self) -> None:
        """Leads in every status; converted ones point at the customer they became."""
        s, rng = self.s, self.rng
        count = max(15, round(len(self.customers) / 5))
        statuses = rng.choices(
            (
                LeadStatus.NEW,
                LeadStatus.ASSIGNED,
                LeadStatus.CONTACTED,
                LeadStatus.QUALIFIED,
                LeadStatus.CONVERTED,
                LeadStatus.DISQUALIFIED,
            ),
            (20, 25, 20, 10, 15, 10),
            k=count,
        )
        statuses[: len(LeadStatus)] = list(LeadStatus)  # each status at least once
        recent = [c for c in self.customers if c.owner and c.created_at >= self.now - 200 * DAY]
        converted = rng.sample(recent, k=min(len(recent), statuses.count(LeadStatus.CONVERTED)))
        exhibition = next((k for k in self.campaigns if k.channel == "exhibition"), None)
        batch_at = exhibition.end + 2 * DAY if exhibition else None
        batch: ImportBatch | None = None
        if batch_at and batch_at <= self.now - DAY:
            batch = await ImportBatch.create(
                team_id=self.team.id,
                user_id=self.manager.id,
                file_name=cat.IMPORT_FILE[s].format(date=self._day(batch_at).isoformat()),
                status=ImportStatus.DONE,
                started_at=batch_at,
                finished_at=batch_at + 40 * timedelta(seconds=1),
            )
        leads: list[Lead] = []
        plans: list[tuple[LeadStatus, CustomerPlan | None, Rep | None]] = []
        pool = [c for c in self.customers if c.owner is None and c.phone]
        duplicates = 2  # new leads for companies already in the pool: dedupe has work to do
        for status in statuses:
            c = converted.pop() if status is LeadStatus.CONVERTED and converted else None
            if status is LeadStatus.CONVERTED and c is None:
                status = LeadStatus.CONTACTED
            imported = (
                batch is not None
                and status in (LeadStatus.CONTACTED, LeadStatus.QUALIFIED, LeadStatus.DISQUALIFIED)
                and rng.random() < 0.5
            )
            duplicate = None
            if status is LeadStatus.NEW and duplicates and pool:
                duplicate, duplicates = rng.choice(pool), duplicates - 1
            if c is not None:
                created = c.created_at - timedelta(days=self._u(1, 10))
                if c.campaign:
                    created = max(created, c.campaign.start)
                region, industry, company = c.district.name, c.industry, c.name
                phone, email, campaign, source = c.phone, c.email, c.campaign, c.source
            else:
                district = rng.choices(
                    self.spec.districts, [d.weight for d in self.spec.districts]
                )[0]
                region, industry = district.name, self._pick(cat.INDUSTRIES)
                company, domain = self._company(district, industry)
                phone = self._phone(None, 0) if rng.random() < 0.9 else None
                email = (
                    f"{rng.choice(('sales', 'info', 'ceo', 'buyer'))}@{domain}"
                    if rng.random() < 0.5
                    else None
                )
                if duplicate is not None:  # someone already in the pool, asking again
                    company, phone, region = (
                        duplicate.name,
                        duplicate.phone,
                        duplicate.district.name,
                    )
                    industry = duplicate.industry
                ages = {
                    LeadStatus.NEW: (0.05, 3),
                    LeadStatus.ASSIGNED: (0.1, 2),
                    LeadStatus.CONTACTED: (3, 45),
                    LeadStatus.QUALIFIED: (7, 90),
                    LeadStatus.DISQUALIFIED: (3, 120),
                }
                low, high = ages[status]
                created = self.now - timedelta(days=self._u(low, high))
                if imported and batch_at is not None:
                    created, campaign, source = batch_at, exhibition, "import"
                else:
                    fitting = [k for k in self.campaigns if k.start <= created]
                    campaign = rng.choice(fitting) if fitting and rng.random() < 0.55 else None
                    source = (
                        campaign.channel
                        if campaign
                        else rng.choice(("website", "manual", "referral"))
                    )
            rep = None
            if status is not LeadStatus.NEW:
                rep = (
                    c.owner if c is not None and c.owner else self._lead_assignee(region, industry)
                )
            assigned_at = (
                min(created + timedelta(minutes=self._u(1, 60)), self.now) if rep else None
            )
            leads.append(
                Lead(
                    team_id=self.team.id,
                    name=self._person_name(),
                    company=company,
                    company_key=name_key(company),
                    phone=phone,
                    email=email,
                    region=region,
                    industry=industry,
                    campaign_id=campaign.id if campaign else None,
                    source=source,
                    status=status,
                    assignee_id=rep.user.id if rep else None,
                    assigned_at=assigned_at,
                    customer_id=c.id if c else None,
                    converted_at=c.created_at if c else None,
                    import_batch_id=batch.id if imported and batch else None,
                    note=rng.choice(cat.LEAD_NOTES[s]),
                    disqualified_reason=rng.choice(cat.DISQUALIFY_REASONS[s])
                    if status is LeadStatus.DISQUALIFIED
                    else None,
                    created_at=created,
                )
            )
            plans.append((status, c, rep))
        ids = await insert_rows(Lead, leads, team_id=self.team.id)
        if batch is not None:
            imported_rows = sum(1 for lead in leads if lead.source == "import")
            await ImportBatch.filter(id=batch.id).update(
                total_rows=imported_rows + 2, imported_rows=imported_rows, failed_rows=2
            )
        hours = timedelta(hours=self.rules.lead_followup_hours)
        for lead, pk, (status, c, rep) in zip(leads, ids, plans, strict=True):
            if rep is None or lead.assigned_at is None:
                continue
            due = lead.assigned_at + hours
            done = status is not LeadStatus.ASSIGNED
            self.tasks.append(
                Task(
                    team_id=self.team.id,
                    assignee_id=rep.user.id,
                    customer_id=c.id if c else None,
                    lead_id=pk,
                    title=cat.LEAD_TASK[s].format(company=lead.company),
                    priority=TaskPriority.HIGH,
                    status=TaskStatus.DONE if done else TaskStatus.OPEN,
                    due_at=due,
                    remind_at=due - 2 * HOUR,
                    reminded_at=due - 2 * HOUR if due - 2 * HOUR <= self.now else None,
                    completed_at=min(lead.assigned_at + self._u(1, 20) * HOUR, self.now)
                    if done
                    else None,
                    created_at=lead.assigned_at,
                )
            )
        await self._write_members(leads, ids, plans)
        self.counts["leads"] = len(leads)

    async def _write_members(
        self,
        leads: list[Lead],
        ids: list[int],
        plans: list[tuple[LeadStatus, CustomerPlan | None, Rep | None]],
    ) -> None:
        """Who each campaign reached and how far they came (its statistics and ROI read this)."""
        rng = self.rng
        by_id = {k.id: k for k in self.campaigns}
        rows, covered = [], set()
        progress = {LeadStatus.CONVERTED: MemberStatus.CONVERTED}
        for lead, pk, (status, c, _) in zip(leads, ids, plans, strict=True):
            if lead.campaign_id is None:
                continue
            campaign = by_id[lead.campaign_id]
            rows.append(
                CampaignMember(
                    campaign_id=campaign.id,
                    lead_id=pk,
                    customer_id=c.id if c else None,
                    status=progress.get(status, MemberStatus.RESPONDED),
                    interactions=rng.randint(1, 8),
                    joined_at=max(min(lead.created_at, self.now), campaign.start),
                )
            )
            if c is not None:
                covered.add(c.id)
        for c in self.customers:
            if c.campaign and c.id not in covered:
                rows.append(
                    CampaignMember(
                        campaign_id=c.campaign.id,
                        customer_id=c.id,
                        status=MemberStatus.CONVERTED if c.won_deals else MemberStatus.RESPONDED,
                        interactions=rng.randint(1, 10),
                        joined_at=c.created_at,
                    )
                )
        for campaign in self.campaigns:  # existing customers invited to events and fairs
            if campaign.channel not in ("exhibition", "event"):
                continue
            for c in rng.sample(self.customers, k=min(len(self.customers), 8)):
                invited = campaign.start - timedelta(days=self._u(3, 20))
                if c.campaign is campaign or c.created_at > invited:
                    continue
                rows.append(
                    CampaignMember(
                        campaign_id=campaign.id,
                        customer_id=c.id,
                        status=rng.choice((MemberStatus.INVITED, MemberStatus.ATTENDED)),
                        interactions=rng.randint(0, 3),
                        joined_at=invited,
                    )
                )
        await CampaignMember.bulk_create(rows)
