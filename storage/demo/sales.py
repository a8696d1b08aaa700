"""Writing the pipeline: opportunities and their stage history; reps' sales targets."""

from __future__ import annotations

import calendar
from datetime import timedelta

from storage.demo import catalog as cat
from storage.demo.plan import DealPlan
from storage.demo.state import OPEN_STAGES, TeamState, insert_rows
from storage.models import (
    ActorKind,
    Opportunity,
    OpportunityStageChange,
    SalesTarget,
    TargetRevision,
    TargetStatus,
)


class SalesWriter(TeamState):
    """Writes opportunities with their stage history, and this month's sales targets."""

    def _stage_path(self, deal: DealPlan) -> list[tuple[str, str | None]]:
        """Stages a deal went through, ending at its current one; (stage, note) pairs."""
        s, rng = self.s, self.rng
        if deal.stage == "won":
            top = len(OPEN_STAGES) - 1
        elif deal.stage == "lost":
            top = rng.randrange(len(OPEN_STAGES))
        else:
            top = OPEN_STAGES.index(deal.stage)
        path: list[tuple[str, str | None]] = [("lead", cat.STAGE_NOTES[s][0])]
        for i in range(1, top + 1):
            if i == top or rng.random() > 0.15:  # reps sometimes skip a step
                path.append((OPEN_STAGES[i], None))
        if deal.is_open and 1 <= top <= 3 and rng.random() < 0.12:  # a regression
            path.append((OPEN_STAGES[top + 1], None))
            path.append((OPEN_STAGES[top], cat.STAGE_NOTES[s][1]))
        if deal.stage == "won":
            path.append(("won", None))
        elif deal.stage == "lost":
            path.append(("lost", deal.lost_reason))
        return path

    async def _write_opportunities(self) -> None:
        s, rng = self.s, self.rng
        deals = [(c, d) for c in self.customers for d in c.deals]
        rows, histories = [], []
        for c, d in deals:
            path = self._stage_path(d)
            end = d.closed_at or d.created_at + (self.now - d.created_at) * self._u(0.3, 1.0)
            steps = sorted(self._between(d.created_at, end) for _ in path[1:-1])
            times = [d.created_at, *steps, end] if len(path) > 1 else [d.created_at]
            histories.append((d, path, times))
            if d.is_open:
                close_on = self.today + timedelta(days=rng.randint(-20, 120))
            else:
                assert d.closed_at is not None
                close_on = self._day(d.closed_at) + timedelta(days=rng.randint(-15, 20))
            product = cat.PRODUCTS[d.product][s]
            rows.append(
                Opportunity(
                    team_id=self.team.id,
                    customer_id=c.id,
                    owner_id=d.owner.user.id,
                    title=rng.choice(cat.OPPORTUNITY_TITLES[s]).format(product=product),
                    need=rng.choice(cat.NEEDS[s]),
                    amount_cents=d.amount_cents,
                    currency=self.spec.currency,
                    expected_close_on=close_on,
                    competitors=rng.sample(cat.COMPETITORS[s], k=rng.choice((0, 1, 1, 2))),
                    decision_maker=c.decision_maker,
                    source=d.source,
                    campaign_id=d.campaign.id if d.campaign else None,
                    stage_id=self.stages[d.stage].id,
                    stage_changed_at=times[-1],
                    lost_reason=d.lost_reason,
                    closed_at=d.closed_at,
                    created_at=d.created_at,
                )
            )
        ids = await insert_rows(Opportunity, rows, team_id=self.team.id)
        changes = []
        for (d, path, times), pk in zip(histories, ids, strict=True):
            d.id = pk
            previous: str | None = None
            for (stage, note), at in zip(path, times, strict=True):
                changes.append(
                    OpportunityStageChange(
                        opportunity_id=pk,
                        from_stage_id=self.stages[previous].id if previous else None,
                        to_stage_id=self.stages[stage].id,
                        actor_id=d.owner.user.id,
                        actor_kind=ActorKind.USER,
                        note=note,
                        changed_at=at,
                    )
                )
                previous = stage
        await OpportunityStageChange.bulk_create(changes)
        self.counts["opportunities"] = len(rows)
        self.counts["open"] = sum(1 for _, d in deals if d.is_open)
        self.counts["won"] = sum(1 for _, d in deals if d.stage == "won")
        self.counts["lost"] = sum(1 for _, d in deals if d.stage == "lost")

    async def _write_targets(self) -> None:
        """This month's targets in every state of the negotiation, each with its revisions."""
        s, rng = self.s, self.rng
        start = self.today.replace(day=1)
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        month_start = self._at(start, 0)
        statuses = [
            TargetStatus.APPROVED,
            TargetStatus.PROPOSED,
            TargetStatus.RETURNED,
            TargetStatus.ADJUSTMENT_REQUESTED,
        ]
        statuses += [TargetStatus.APPROVED] * (len(self.reps) - len(statuses))
        rng.shuffle(statuses)
        comments = cat.TARGET_COMMENTS[s]
        rows, revisions = [], []
        for rep, status in zip(self.reps, statuses, strict=False):
            revenue = self._money(self._u(300_000, 800_000))
            proposed = {
                "revenue_cents": revenue,
                "payments_cents": revenue * rng.randint(70, 90) // 100 // 10_000 * 10_000,
                "new_customers": rng.randint(3, 8),
                "visits": rng.randint(20, 40),
            }
            reasoning = rng.choice(cat.TARGET_REASONING[s])
            proposed_at = month_start - timedelta(days=self._u(3, 6))
            decided_at = proposed_at + timedelta(days=self._u(0.2, 1.5))
            values = dict(proposed)
            history = [(rep.user.id, TargetStatus.PROPOSED, dict(proposed), reasoning, proposed_at)]
            if status in (TargetStatus.APPROVED, TargetStatus.ADJUSTMENT_REQUESTED):
                if rng.random() < 0.4:  # the manager raised it before approving
                    values["revenue_cents"] = values["revenue_cents"] * 11 // 10 // 10_000 * 10_000
                history.append(
                    (self.manager.id, TargetStatus.APPROVED, dict(values), comments[0], decided_at)
                )
            elif status is TargetStatus.RETURNED:
                history.append(
                    (self.manager.id, TargetStatus.RETURNED, dict(values), comments[1], decided_at)
                )
            if status is TargetStatus.ADJUSTMENT_REQUESTED:
                asked = self._between(month_start, self.now)
                lower = dict(
                    values, revenue_cents=values["revenue_cents"] * 8 // 10 // 10_000 * 10_000
                )
                history.append((rep.user.id, status, lower, comments[2], asked))
            approved = status in (TargetStatus.APPROVED, TargetStatus.ADJUSTMENT_REQUESTED)
            rows.append(
                SalesTarget(
                    team_id=self.team.id,
                    rep_id=rep.user.id,
                    period_start=start,
                    period_end=end,
                    reasoning=reasoning,
                    status=status,
                    approved_by_id=self.manager.id if approved else None,
                    approved_at=decided_at if approved else None,
                    created_at=proposed_at,
                    **values,
                )
            )
            revisions.append(history)
        ids = await insert_rows(SalesTarget, rows, team_id=self.team.id)
        await TargetRevision.bulk_create(
            [
                TargetRevision(
                    target_id=pk,
                    actor_id=actor,
                    to_status=to,
                    values=values,
                    comment=comment,
                    created_at=at,
                )
                for pk, history in zip(ids, revisions, strict=True)
                for actor, to, values, comment, at in history
            ]
        )
        self.counts["targets"] = len(rows)
