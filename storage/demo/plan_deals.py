"""Planning deals and what they decide: the tier, stage coverage, locks, reclaim dates."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.demo import catalog as cat
from storage.demo.plan import CustomerPlan, DealPlan, Rep
from storage.demo.state import DAY, HOUR, OPEN_STAGES, TeamState
from storage.models import Tier
from storage.reclaim_rules import ReclaimClock, reclaim_deadline
from storage.tiering import TierMetrics, TierThresholds, decide_tier, reason_json, window_start


class DealPlanner(TeamState):
    """Deals planned with their customer, and what the whole team's deals decide."""

    def _deal(self, c: CustomerPlan, owner: Rep, created: datetime, cents: int) -> DealPlan:
        first = not c.deals
        deal = DealPlan(
            owner=owner,
            created_at=created,
            amount_cents=cents,
            product=self.rng.randrange(len(cat.PRODUCTS)),
            campaign=c.campaign if first else None,
            source=c.source if first else "existing_customer",
        )
        c.deals.append(deal)
        return deal

    def _won_deals(
        self,
        c: CustomerPlan,
        owner: Rep,
        earliest: datetime,
        latest: datetime,
        total: float,
        *,
        last_after: datetime | None = None,
    ) -> None:
        """One or two won deals worth ``total``, the last one closed after ``last_after``."""
        parts = [total]
        if total > self.spec.key_revenue_cents * 0.2 and self.rng.random() < 0.4:
            first = total * self._u(0.3, 0.6)
            parts = [first, total - first]
        last = self._work(self._between(max(earliest, last_after or earliest), latest))
        closes = [last]
        if len(parts) == 2:
            closes.insert(0, self._work(self._between(earliest, last - 10 * DAY)))
        for amount, closed in zip(parts, closes, strict=True):
            created = max(
                c.owned_since or c.former_since or earliest, closed - self._u(15, 90) * DAY
            )
            deal = self._deal(c, owner, min(created, closed - HOUR), self._round_up(amount))
            deal.stage, deal.closed_at = "won", closed

    def _open_deal(self, c: CustomerPlan, owner: Rep, start: datetime) -> None:
        created = self._work(self._between(start, self.now - HOUR))
        share = self._u(0.03, 0.9) * self.spec.key_revenue_cents
        self._deal(c, owner, max(created, start), self._round_up(share))

    def _lost_deal(self, c: CustomerPlan, owner: Rep, start: datetime, end: datetime) -> None:
        created = self._between(start, end - 8 * DAY)
        share = self._u(0.03, 0.7) * self.spec.key_revenue_cents
        deal = self._deal(c, owner, created, self._round_up(share))
        deal.stage = "lost"
        deal.closed_at = self._between(created + 3 * DAY, end)
        deal.lost_reason = self.rng.choice(cat.LOST_REASONS[self.s])

    def _compute_tier(self, c: CustomerPlan) -> None:
        """The product's tier rule (``storage.tiering``) applied to the customer's planned facts.

        So the nightly recompute finds the tier stored here. Confirmed payments only matter for
        customers without won revenue in the window, and the demo has none of those.
        """
        revenue = sum(
            d.amount_cents
            for d in c.won_deals
            if d.closed_at and d.closed_at >= window_start(self.now)
        )
        metrics = TierMetrics(
            revenue_cents=revenue,
            last_contact_at=c.contact_at,
            open_opportunities=sum(1 for d in c.deals if d.is_open),
            rating_sum=sum(c.ratings),
            rating_count=len(c.ratings),
        )
        thresholds = TierThresholds.of(self.rules)
        c.tier, rule = decide_tier(metrics, thresholds, self.now)
        rating = metrics.avg_rating
        c.tier_reason = reason_json(rule, thresholds) | {  # and the figures that led there
            "revenue_12m_cents": revenue,
            "days_since_contact": metrics.days_silent(self.now),
            "open_opportunities": metrics.open_opportunities,
            "avg_rating": round(rating, 2) if rating is not None else None,
            "ratings": len(c.ratings),
        }

    def _ensure_coverage(self) -> None:
        """Add the few deals chance left out, so even a small team shows every stage."""
        owned = [c for c in self.customers if c.owner and c.owned_since]
        spare = sorted(owned, key=lambda c: (bool(c.deals), c.profile != "potential"))
        history = [
            c
            for c in spare
            if c.contact_at and c.owned_since and c.owned_since + 30 * DAY < c.contact_at
        ]  # long enough between claim and last contact to have closed something
        if history and not any(c.won_deals for c in self.customers):
            c = history[0]
            assert c.owner and c.owned_since and c.contact_at
            total = self.spec.key_revenue_cents * 0.3
            start, end = c.owned_since + 20 * DAY, c.contact_at - HOUR
            self._won_deals(c, c.owner, start, end, total, last_after=self.deal_window)
            self._compute_tier(c)
        if history and not any(d.stage == "lost" for c in self.customers for d in c.deals):
            c = history[-1]
            assert c.owner and c.owned_since and c.contact_at
            self._lost_deal(c, c.owner, c.owned_since, c.contact_at)
        missing = len(OPEN_STAGES) - sum(1 for c in self.customers for d in c.deals if d.is_open)
        for c in [c for c in spare if not any(d.is_open for d in c.deals)][: max(0, missing)]:
            assert c.owner and c.owned_since
            closes = [d.closed_at for d in c.deals if d.closed_at]
            self._open_deal(c, c.owner, max([c.owned_since, *closes]))

    def _plan_team_wide(self) -> None:
        """Decisions that need the whole team: stage coverage, locks, overrides, reclaim dates."""
        rng = self.rng
        open_deals = [d for c in self.customers for d in c.deals if d.is_open]
        for i, deal in enumerate(open_deals):  # every stage shows up, then a realistic funnel
            deal.stage = (
                OPEN_STAGES[i]
                if i < len(OPEN_STAGES)
                else rng.choices(OPEN_STAGES, (20, 25, 22, 18, 15))[0]
            )
        owned = [c for c in self.customers if c.owner is not None]
        for c in owned:
            c.tier_reason["open_opportunities"] = sum(1 for d in c.deals if d.is_open)
            negotiating = [d for d in c.deals if d.stage == "negotiation"]
            if negotiating and c.owner and c.owner.locked < 1 and rng.random() < 0.6:
                c.owner.locked += 1
                c.locked_at = self._between(negotiating[0].created_at, self.now - HOUR)
        overridable = [c for c in owned if c.tier is Tier.REGULAR and c.recency == "normal"]
        if overridable:
            chosen = rng.choice(overridable)
            chosen.tier, chosen.overridden = Tier.KEY, True
        warning = timedelta(days=self.rules.reclaim_warning_days)
        for c in owned:
            assert c.owned_since is not None
            last_deal = max((d.closed_at for d in c.won_deals if d.closed_at), default=None)
            c.reclaim_due_at = reclaim_deadline(
                ReclaimClock(c.owned_since, c.contact_at, last_deal),
                reclaim_days=self.policies[c.tier].reclaim_days,
                no_deal_days=self.rules.reclaim_days_no_deal,
            )
            if c.reclaim_due_at <= self.now:  # warned on time; the reclaim sweep has not run
                c.warned_at = c.reclaim_due_at - warning
                self.counts["reclaim_overdue"] += 1
            elif c.reclaim_due_at <= self.now + warning:
                self.counts["reclaim_warn"] += 1
        self.counts["owned"] = len(owned)
        self.counts["pool"] = len(self.customers) - len(owned)
        self.counts["customers"] = len(self.customers)
        self.counts["locked"] = sum(1 for c in owned if c.locked_at)
