"""Writing customers: the customer rows, their contacts, and the pool events behind them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from storage.demo import catalog as cat
from storage.demo.identities import Identities
from storage.demo.plan import CustomerPlan, Rep
from storage.demo.state import DAY, insert_rows
from storage.models import ActorKind, Contact, Customer, PoolEvent, PoolEventKind, User
from storage.normalize import name_key


class CustomerWriter(Identities):
    """Writes the planned customers, their contacts and their pool history."""

    def _customer_stage(self, c: CustomerPlan) -> int | None:
        if c.owner is None or not c.deals:
            return None
        open_deals = [d for d in c.deals if d.is_open]
        if open_deals:
            return self.stages[open_deals[-1].stage].id
        return self.stages["won" if c.won_deals else "lost"].id

    async def _write_customers(self) -> None:
        computed = datetime.combine(self.today, time(2), tzinfo=self.zone).astimezone(UTC)
        if computed > self.now:
            computed -= DAY
        rows = [
            Customer(
                team_id=self.team.id,
                name=c.name,
                name_key=name_key(c.name),
                phone=c.phone,
                email=c.email,
                address=c.address,
                latitude=c.lat,
                longitude=c.lon,
                region=c.district.name,
                industry=c.industry,
                tags=c.tags,
                note=c.note,
                tier=c.tier,
                tier_reason=c.tier_reason,
                tier_overridden=c.overridden,
                tier_override_reason=cat.OVERRIDE_REASON[self.s] if c.overridden else None,
                tier_computed_at=computed,
                owner_id=c.owner.user.id if c.owner else None,
                owned_since=c.owned_since,
                locked=c.locked_at is not None,
                won=bool(c.won_deals),
                last_followup_at=c.contact_at,
                last_deal_at=max((d.closed_at for d in c.won_deals if d.closed_at), default=None),
                last_owner_id=c.former.user.id if c.former else None,
                released_at=c.left_at,
                reclaim_warned_at=c.warned_at,
                source_campaign_id=c.campaign.id if c.campaign else None,
                source=c.source,
                stage_id=self._customer_stage(c),
                checkin_radius_m=c.radius,
                created_at=c.created_at,
            )
            for c in self.customers
        ]
        ids = await insert_rows(Customer, rows, team_id=self.team.id)
        for c, pk in zip(self.customers, ids, strict=True):
            c.id = pk
        contacts = []
        for c in self.customers:
            for i, (person, title, is_dm) in enumerate(c.contacts):
                contacts.append(
                    Contact(
                        customer_id=c.id,
                        name=person,
                        title=title,
                        phone=self._phone(None, 0) if self.rng.random() < 0.85 else None,
                        email=f"{self.rng.choice(('buyer', 'admin', 'ops', 'it', 'finance'))}"
                        f"{self.rng.randint(1, 99)}@{c.domain}"
                        if self.rng.random() < 0.4
                        else None,
                        is_primary=i == 0,
                        is_decision_maker=is_dm,
                        created_at=c.created_at,
                    )
                )
        await Contact.bulk_create(contacts)

    async def _write_pool_events(self) -> None:
        s, rows = self.s, []

        def event(
            c: CustomerPlan,
            kind: PoolEventKind,
            rep: Rep | None,
            at: datetime,
            actor: User | None,
            actor_kind: ActorKind = ActorKind.USER,
            reason: str | None = None,
        ) -> None:
            rows.append(
                PoolEvent(
                    team_id=self.team.id,
                    customer_id=c.id,
                    kind=kind,
                    rep_id=rep.user.id if rep else None,
                    actor_id=actor.id if actor else None,
                    actor_kind=actor_kind,
                    reason=reason,
                    created_at=at,
                )
            )

        for c in self.customers:
            if c.former and c.former_since and c.left_at:  # an earlier owner, then the pool
                event(c, PoolEventKind.CLAIM, c.former, c.former_since, c.former.user)
                if c.left_kind is PoolEventKind.RECLAIM and c.contact_at:
                    warned = c.left_at - timedelta(days=self.rules.reclaim_warning_days)
                    event(c, PoolEventKind.WARN, c.former, warned, None, ActorKind.SCHEDULER)
                    if c.left_rule == "no_deal":
                        days = self.rules.reclaim_days_no_deal
                        reason = cat.RECLAIM_NO_DEAL_REASON[s].format(days=days)
                    else:
                        reason = cat.RECLAIM_REASON[s].format(days=(c.left_at - c.contact_at).days)
                    kind, actor_kind = PoolEventKind.RECLAIM, ActorKind.SCHEDULER
                    event(c, kind, c.former, c.left_at, None, actor_kind, reason)
                else:
                    reason = self.rng.choice(cat.RELEASE_REASONS[s])
                    kind, actor = PoolEventKind.RELEASE, c.former.user
                    event(c, kind, c.former, c.left_at, actor, reason=reason)
            if c.owner and c.owned_since:
                if c.via_assign:
                    reason = self.rng.choice(cat.ASSIGN_REASONS[s])
                    kind, actor = PoolEventKind.ASSIGN, self.manager
                    event(c, kind, c.owner, c.owned_since, actor, reason=reason)
                else:
                    event(c, PoolEventKind.CLAIM, c.owner, c.owned_since, c.owner.user)
                if c.locked_at:
                    reason = cat.LOCK_REASON[s]
                    event(c, PoolEventKind.LOCK, c.owner, c.locked_at, c.owner.user, reason=reason)
                if c.warned_at:
                    event(c, PoolEventKind.WARN, c.owner, c.warned_at, None, ActorKind.SCHEDULER)
        rows.sort(key=lambda e: e.created_at)
        await PoolEvent.bulk_create(rows)
        self.counts["pool_events"] = len(rows)
