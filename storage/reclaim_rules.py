"""When an owned customer falls back to the pool: the rule, as pure time arithmetic.

A customer is overdue when its owner let either clock run out: no effective follow-up for the
tier's ``reclaim_days``, or no deal for the team's ``reclaim_days_no_deal``. Both clocks start
no earlier than the day the current owner got the customer. The reclaim sweep expresses the
same rule in SQL with per-tier cutoffs (``max(a, b) <= c`` ⇔ ``a <= c and b <= c``), so the
card, /my and the sweep always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ReclaimClock:
    owned_since: datetime
    last_followup_at: datetime | None
    last_deal_at: datetime | None


def reclaim_deadline(clock: ReclaimClock, *, reclaim_days: int, no_deal_days: int) -> datetime:
    """The moment the customer becomes overdue, if nothing happens before."""
    followup_base = max(clock.owned_since, clock.last_followup_at or clock.owned_since)
    deal_base = max(clock.owned_since, clock.last_deal_at or clock.owned_since)
    return min(
        followup_base + timedelta(days=reclaim_days), deal_base + timedelta(days=no_deal_days)
    )


def cutoffs(now: datetime, *, reclaim_days: int, no_deal_days: int) -> tuple[datetime, datetime]:
    """(follow-up cutoff, deal cutoff): a clock whose base is at or before its cutoff is out."""
    return now - timedelta(days=reclaim_days), now - timedelta(days=no_deal_days)
