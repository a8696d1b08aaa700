"""Planning customers: profile, owner, contact recency, pool history, then their deals."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.demo import catalog as cat
from storage.demo.catalog import District
from storage.demo.identities import Identities
from storage.demo.plan import CustomerPlan, Rep
from storage.demo.plan_deals import DealPlanner
from storage.demo.state import DAY, HOUR
from storage.models import PoolEventKind, Tier

OWNED_PROFILES = (("key", 12), ("regular", 30), ("at_risk", 8), ("potential", 50))
POOL_PROFILES = (("pool_new", 62), ("pool_returned", 27), ("pool_lapsed", 11))
OTHER_SOURCES = ("website", "cold_call", "referral", "walk_in", "partner", "import")


class CustomerPlanner(DealPlanner, Identities):
    """Customers planned one by one: who they are, who owns them, their history and deals."""

    def _plan_customer(self, wants_owner: bool, has_phone: bool) -> None:
        rng, s = self.rng, self.s
        district = rng.choices(self.spec.districts, [d.weight for d in self.spec.districts])[0]
        industry = self._pick(cat.INDUSTRIES)
        name, domain = self._company(district, industry)
        c = CustomerPlan(name, domain, district, industry, profile="pool_new")
        c.lat, c.lon = self._spot(district)
        c.address = self._address(district)
        c.phone = self._phone(district, 0.5) if has_phone else None
        if rng.random() < 0.75:
            c.email = f"{rng.choice(('info', 'sales', 'contact', 'purchase', 'service'))}@{domain}"
        c.tags = rng.sample(cat.TAGS[s], k=rng.choice((0, 1, 1, 2, 3)))
        c.note = rng.choice(cat.CUSTOMER_NOTES[s]) if rng.random() < 0.12 else None
        if industry in ("manufacturing", "logistics") and rng.random() < 0.15:
            c.radius = 600  # factories and depots: the gate can be far from the address pin
        for i in range(rng.choice((1, 2, 2, 3))):
            titles = (
                cat.DECISION_TITLES[s] if i == 0 and rng.random() < 0.4 else cat.CONTACT_TITLES[s]
            )
            title = rng.choice(titles)
            c.contacts.append((self._person_name(), title, titles is cat.DECISION_TITLES[s]))
        if len(c.contacts) > 1 and not c.contacts[0][2] and rng.random() < 0.7:
            name1, _, _ = c.contacts[1]
            c.contacts[1] = (name1, rng.choice(cat.DECISION_TITLES[s]), True)
        owner = self._pick_rep(district, industry) if wants_owner else None
        if owner is not None:
            owner.owned += 1
            c.owner = owner
            c.profile = self._pick(OWNED_PROFILES)
            self._plan_owned(c)
        else:
            c.profile = self._pick(POOL_PROFILES)
            self._plan_pool(c)
        self._compute_tier(c)
        self.customers.append(c)

    def _pick_rep(self, district: District, industry: str) -> Rep | None:
        """Mostly the rep whose territory it is; sometimes whoever has room (cap respected)."""
        free = [r for r in self.reps if r.owned < self.rules.owned_cap]
        if not free:
            return None
        local = [r for r in free if district.name in r.regions]
        if local and self.rng.random() < 0.75:
            skilled = [r for r in local if industry in r.industries]
            return self.rng.choice(skilled or local)
        return min(free, key=lambda r: (r.owned, self.rng.random()))

    def _origin(self, c: CustomerPlan, latest: datetime) -> None:
        """When and through which channel the customer entered the CRM (never after ``latest``)."""
        fitting = [k for k in self.campaigns if k.start <= latest - HOUR]
        if fitting and self.rng.random() < 0.3:
            c.campaign = self.rng.choice(fitting)
            c.source = c.campaign.channel
            c.created_at = self._between(c.campaign.start, min(latest, c.campaign.end + 14 * DAY))
        else:
            c.source = self.rng.choice(OTHER_SOURCES)
            c.created_at = latest - timedelta(days=400 * self.rng.random() ** 2)

    def _plan_owned(self, c: CustomerPlan) -> None:
        """Profile → contact recency → ownership start → won deals, in that order of constraint."""
        rng = self.rng
        expected = {"key": Tier.KEY, "regular": Tier.REGULAR, "at_risk": Tier.AT_RISK}
        policy = self.policies[expected.get(c.profile, Tier.POTENTIAL)]
        reclaim, cadence = policy.reclaim_days, policy.followup_cadence_days
        roll = rng.random()
        # A key customer left alone long enough to be reclaimed would be at risk by silence.
        if c.profile != "key":
            if self.forced_recency:  # every team shows both, however small
                c.recency = self.forced_recency.pop()
            elif roll < 0.12:
                c.recency = "due_soon" if roll < 0.07 else "overdue"
        if c.recency == "due_soon":
            clock = self._work(self.now - timedelta(days=reclaim - self._u(0.7, 2.3)))
        elif c.recency == "overdue":
            clock = self._work(self.now - timedelta(days=reclaim + self._u(1.0, 6.0)))
        else:
            clock = self._ago(0, min(cadence + 2, reclaim - 5))
        assert c.owner is not None
        if c.profile == "potential":
            if rng.random() < 0.15:  # claimed, not yet contacted: the claim starts the clock
                c.owned_since = clock
            else:  # claimed inside the no-deal window, so only silence can reclaim it
                c.contact_at = clock
                room = (clock - self.deal_window).days
                c.owned_since = clock - timedelta(days=self._u(1, max(2, room)))
        else:
            c.contact_at = clock
            c.owned_since = clock - timedelta(days=self._u(45, 420))
        c.via_assign = rng.random() < 0.25
        self._origin(c, c.owned_since - timedelta(days=self._u(0, 3)))
        if c.owned_since - c.created_at > 60 * DAY and rng.random() < 0.1:
            # another rep claimed it first and gave it back (last_owner, released_at)
            c.former = rng.choice([r for r in self.reps if r is not c.owner])
            c.left_kind = PoolEventKind.RELEASE
            c.left_at = c.owned_since - timedelta(days=self._u(1, 40))
            c.former_since = self._between(c.created_at, c.left_at - 10 * DAY)
        threshold = self.spec.key_revenue_cents
        if c.profile in ("key", "regular", "at_risk"):
            share = {"key": (1.05, 2.4), "regular": (0.04, 0.85), "at_risk": (0.05, 0.6)}
            total = threshold * self._u(*share[c.profile])
            latest = clock - HOUR
            if c.profile == "at_risk":  # its bad ratings need time after the purchase
                latest = min(latest, self.now - 21 * DAY)
            earliest = max(c.owned_since + 20 * DAY, self.now - 355 * DAY)
            self._won_deals(c, c.owner, earliest, latest, total, last_after=self.deal_window)
            first_close = min(d.closed_at for d in c.won_deals if d.closed_at)
            if first_close <= self.now - 20 * DAY:
                if c.profile == "at_risk":
                    c.ratings = [rng.choice((1, 2)) for _ in range(rng.choice((1, 1, 2)))]
                elif rng.random() < 0.45:
                    c.ratings = [
                        rng.choice((3, 4, 4, 5, 5, 5)) for _ in range(rng.choice((1, 1, 2)))
                    ]
            if rng.random() < 0.35:
                start = max(c.owned_since, max(d.closed_at or c.owned_since for d in c.deals))
                self._open_deal(c, c.owner, start)
        else:
            roll = rng.random()
            if roll < 0.55:
                self._open_deal(c, c.owner, c.owned_since)
            elif roll < 0.7 and c.contact_at and c.contact_at - c.owned_since >= 10 * DAY:
                self._lost_deal(c, c.owner, c.owned_since, c.contact_at)

    def _plan_pool(self, c: CustomerPlan) -> None:
        """Never owned, handed back, or a lapsed former customer (silent, with past revenue).

        A reclaimed customer left when the first of its two clocks ran out (see
        ``storage.reclaim_rules``): no effective follow-up, or no deal; the event names which.
        """
        rng = self.rng
        if c.profile == "pool_new":
            self._origin(c, self.now - timedelta(days=self._u(0.2, 3)))
            return
        c.former = self._pick_rep(c.district, c.industry) or rng.choice(self.reps)
        had = Tier.POTENTIAL if c.profile == "pool_returned" else Tier.REGULAR
        silence = timedelta(days=self.policies[had].reclaim_days)
        no_deal = timedelta(days=self.rules.reclaim_days_no_deal)
        roll = rng.random()
        if c.profile == "pool_lapsed":  # silent for longer than the at-risk threshold
            c.contact_at = self._ago(self.rules.tier_at_risk_silence_days + 1, 150)
            c.former_since = c.contact_at - timedelta(days=self._u(60, 300))
            if roll < 0.6:
                c.left_kind, c.left_rule = PoolEventKind.RECLAIM, "silence"
                c.left_at = c.contact_at + silence + timedelta(days=self._u(0, 0.4))
            else:
                c.left_kind = PoolEventKind.RELEASE
                c.left_at = c.contact_at + timedelta(days=self._u(1, 25))
        else:
            c.left_at = self._ago(1, 200)
            if roll < 0.3:
                c.left_kind, c.left_rule = PoolEventKind.RECLAIM, "silence"
                c.contact_at = c.left_at - silence - timedelta(days=self._u(0, 0.4))
                held = self._u(1, (no_deal - silence).days - 1)  # the deal clock ran longer
                c.former_since = c.contact_at - timedelta(days=held)
            elif roll < 0.55:
                c.left_kind, c.left_rule = PoolEventKind.RECLAIM, "no_deal"
                c.former_since = c.left_at - no_deal - timedelta(days=self._u(0, 0.4))
                c.contact_at = c.left_at - timedelta(days=self._u(1, silence.days - 1))
            else:
                c.left_kind = PoolEventKind.RELEASE
                c.former_since = c.left_at - timedelta(days=self._u(20, no_deal.days - 5))
                since = max(c.former_since + HOUR, c.left_at - silence + DAY)
                c.contact_at = self._between(since, c.left_at - HOUR)
        self._origin(c, c.former_since - timedelta(days=self._u(0, 5)))
        if c.profile == "pool_lapsed":
            total = self.spec.key_revenue_cents * self._u(0.05, 1.3)
            earliest = max(c.former_since + 20 * DAY, self.now - 355 * DAY)
            # its last deal was recent enough that silence, not the deal clock, ran out first
            recent = c.contact_at - (no_deal - silence) + DAY
            self._won_deals(c, c.former, earliest, c.contact_at - HOUR, total, last_after=recent)
        elif rng.random() < 0.25 and c.contact_at - c.former_since >= 10 * DAY:
            self._lost_deal(c, c.former, c.former_since, c.contact_at)
