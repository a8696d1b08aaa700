"""`fieldcrm demo-data`: a realistic, deterministic data set for demos, the sandbox and benchmarks.

Why it is built the way it is:

- **Planned around the features.** Every scheduled job and report needs rows in the state it acts
  on, so the plan puts them there on purpose: a few owned customers are inside the reclaim warning
  window and a few are past their reclaim date; deals sit in every pipeline stage, some stale or
  past their close date; some installments, milestones, tasks and tickets are late.
- **Consistent with itself.** A job that recomputes something from the raw rows must agree with
  what was stored: the tier follows the team's rule from the stored won deals, contact dates and
  ratings (``tier_reason`` shows the inputs); the reclaim deadline the sweep derives — the last
  effective follow-up (or the claim) plus the tier's reclaim days — falls where the plan wants
  it, and customers not yet won are held for less than the team's no-deal window; pool events
  match ``owner``, ``last_owner`` and ``released_at``; installments add up to their plan and
  their paid amounts to the confirmed payments; ticket SLA deadlines come from the tier policy;
  every opportunity's stage history ends at its stage.
- **Deterministic.** One ``random.Random`` per team derived from ``seed``, every date relative to
  ``now``: the same seed and ``now`` give the same data. Sets are never iterated, so string
  hashing cannot reorder anything.
- **Fast and atomic.** Rows are planned in memory and written table by table with
  ``bulk_create`` inside one transaction; a failure leaves nothing behind.
- **Telegram-free.** Personas carry fake Telegram ids (910000001…) so a sandbox can impersonate
  them; file ids of photos and receipts are placeholders, not real Telegram files.

Where things are (each module holds one kind of thing):

- ``loader`` — ``load_demo_data``: one transaction, the personas, then each team in turn
  through ``_TeamLoader``, which runs the stages below in foreign-key order.
- ``plan`` — the planning dataclasses; ``plan_customers`` and ``plan_deals`` fill them.
- ``state`` — one team's load state and the random, time and money helpers; ``identities``
  invents names, phones, companies, addresses and map points.
- writers by business area: ``people`` (persona users, portal accounts), ``customers``
  (customers, contacts, pool events), ``sales`` (opportunities, stage history, sales targets),
  ``contracts`` (contracts, items, approvals, milestones, installments, payments), ``field``
  (follow-ups, calendar, check-ins, tasks), ``marketing`` (campaigns, leads, members) and
  ``service`` (tickets, their events and ratings).
- ``catalog`` — the static data: places, teams and personas, names, products, phrases.
"""

from __future__ import annotations

from storage.demo.catalog import DEMO_PERSONAS, DemoPersona
from storage.demo.loader import MIN_CUSTOMERS, load_demo_data

__all__ = ["DEMO_PERSONAS", "MIN_CUSTOMERS", "DemoPersona", "load_demo_data"]
