"""The state one team's load carries, and the small random helpers every stage draws on."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from tortoise.models import Model

from storage.demo.catalog import DEMO_PERSONAS, TeamSpec
from storage.demo.plan import CampaignPlan, CustomerPlan, Rep
from storage.models import PipelineStage, Role, Task, Team, TeamRules, Tier, TierPolicy, User

OPEN_STAGES = ("lead", "contacted", "need_confirmed", "proposal", "negotiation")
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)

M = TypeVar("M", bound=Model)


async def insert_rows(model: type[M], rows: Sequence[M], **scope: Any) -> list[int]:
    """Write ``rows`` with one ``bulk_create`` and return their new ids in the same order.

    ``bulk_create`` does not read ids back, so they are re-read: ``scope`` selects the rows of a
    team created in this transaction (nobody else can see it yet, let alone write for it), the
    table held none of them before, and ids grow in insertion order on SQLite and PostgreSQL.
    """
    if not rows:
        return []
    await model.bulk_create(rows)
    ids: list[Any] = await model.filter(**scope).order_by("id").values_list("id", flat=True)
    if len(ids) != len(rows):
        raise RuntimeError(f"{model.__name__}: wrote {len(rows)} rows, read back {len(ids)}")
    return [int(i) for i in ids]


class TeamState:
    """One team's load in progress: who and what it is for, its random source, its tallies.

    The planners and writers are mixins over this state; ``load`` (in ``storage.demo.loader``)
    runs them in foreign-key order. ``rules``, ``policies``, ``stages`` and ``deal_window`` are
    set by the team setup, before anything is planned.
    """

    rules: TeamRules
    policies: dict[Tier, TierPolicy]
    stages: dict[str, PipelineStage]
    deal_window: datetime  # an owned customer's last deal (or claim) falls after this

    def __init__(
        self,
        spec: TeamSpec,
        team: Team,
        rng: random.Random,
        now: datetime,
        people: dict[int, User],
    ) -> None:
        self.spec, self.team, self.rng, self.now = spec, team, rng, now
        self.zone = ZoneInfo(spec.timezone)
        self.today = now.astimezone(self.zone).date()
        self.s = spec.script
        self.key = spec.contract_prefix.lower()
        mine = [p for p in DEMO_PERSONAS if p.team == spec.name]
        self.manager = next(people[p.telegram_id] for p in mine if p.role is Role.MANAGER)
        self.agent = next(people[p.telegram_id] for p in mine if p.role is Role.AGENT)
        self.reps = [Rep(people[p.telegram_id]) for p in mine if p.role is Role.REP]
        self.portal_users = [people[p.telegram_id] for p in mine if p.role is Role.CUSTOMER]
        self.customers: list[CustomerPlan] = []
        self.campaigns: list[CampaignPlan] = []
        self.names: set[str] = set()
        self.domains: set[str] = set()
        self.phones: set[str] = set()
        self.forced_recency = ["overdue", "due_soon"]
        self.tasks: list[Task] = []  # lead follow-ups first, then each rep's own to-dos
        self.counts: Counter[str] = Counter()
        self.serial = 0  # numbers placeholder file ids and finance references

    # -- small helpers ------------------------------------------------------------------------

    def _u(self, low: float, high: float) -> float:
        return self.rng.uniform(low, high)

    def _pick(self, weighted: Sequence[tuple[str, int]]) -> str:
        return self.rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]

    def _between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        return start + (end - start) * self.rng.random()

    def _work(self, moment: datetime) -> datetime:
        """The same local day at a plausible working hour, and never in the future."""
        local = moment.astimezone(self.zone)
        if not 9 <= local.hour < 18:
            local = local.replace(hour=self.rng.randint(9, 17), minute=self.rng.randint(0, 59))
        result = local.astimezone(UTC)
        while result > self.now - 5 * MINUTE:
            result -= DAY
        return result

    def _ago(self, low_days: float, high_days: float) -> datetime:
        return self._work(self.now - timedelta(days=self._u(low_days, high_days)))

    def _day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def _at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)

    def _money(self, yuan: float) -> int:
        """Cents in the team's currency for a price in yuan, rounded to 100 units."""
        return max(1, round(yuan * self.spec.money_scale / 100)) * 100 * 100

    def _round_up(self, cents: float) -> int:
        return max(1, math.ceil(cents / 10_000)) * 10_000

    def _file_id(self, kind: str) -> str:
        """A placeholder Telegram file id: unique and recognisable, never fetchable."""
        self.serial += 1
        return f"demo_{kind}_{self.key}_{self.serial:05d}"
