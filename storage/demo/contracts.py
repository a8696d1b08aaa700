"""Writing contracts and their money: items, decisions, milestones, installments, payments."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from storage.demo import catalog as cat
from storage.demo.plan import ContractPlan, DealPlan, InstallmentPlan, ReceivedPayment
from storage.demo.state import DAY, HOUR, MINUTE, TeamState, insert_rows
from storage.models import (
    ActorKind,
    Contract,
    ContractDecision,
    ContractItem,
    ContractStatus,
    Installment,
    InstallmentStatus,
    Milestone,
    MilestoneStatus,
    Payment,
    PaymentPlan,
    PaymentStatus,
)


class ContractWriter(TeamState):
    """Writes a contract per won deal, with its items, approvals, milestones and money plan."""

    def _items(self, deal: DealPlan) -> list[tuple[str, int, int]]:
        """Line items (name, quantity, unit price) that add up exactly to the deal's amount."""
        s, rng = self.s, self.rng
        items: list[tuple[str, int, int]] = []
        left = deal.amount_cents
        for index in dict.fromkeys((deal.product, rng.randrange(len(cat.PRODUCTS)))):
            label, yuan = cat.PRODUCTS[index][s], cat.PRODUCTS[index][2]
            unit = round(yuan * self.spec.money_scale) * 100
            quantity = int(left * self._u(0.3, 0.6)) // unit
            if quantity < 1:
                continue
            items.append((str(label), quantity, unit))
            left -= quantity * unit
        items.append((rng.choice(cat.SERVICES)[s], 1, left))
        return items

    async def _write_contracts(self) -> None:
        """A contract per won deal, numbered per year in signing order, with its money plan."""
        s, rng = self.s, self.rng
        won = sorted(
            ((c, d) for c in self.customers for d in c.won_deals),
            key=lambda pair: pair[1].closed_at or self.now,
        )
        recent = self.now - 10 * DAY
        pending = [(d.closed_at or self.now) > recent and rng.random() < 0.5 for _, d in won]
        if won and not any(pending):  # the manager always has an approval waiting
            pending[-1] = True
        sequence: Counter[int] = Counter()
        plans: list[ContractPlan] = []
        for (c, d), waiting in zip(won, pending, strict=True):
            assert d.closed_at is not None
            signed = self._day(d.closed_at)
            sequence[signed.year] += 1
            plan = ContractPlan(
                customer=c,
                deal=d,
                number=f"{self.spec.contract_prefix}-{signed.year}-{sequence[signed.year]:04d}",
                signed=signed,
                starts=signed + timedelta(days=rng.randint(0, 10)),
                delivery=signed + timedelta(days=rng.randint(7, 40)),
                approved_at=None if waiting else min(d.closed_at + self._u(2, 48) * HOUR, self.now),
            )
            plan.installments = self._installments(plan)
            plan.milestones = self._milestones(plan)
            plans.append(plan)
        rows = [
            Contract(
                team_id=self.team.id,
                customer_id=p.customer.id,
                opportunity_id=p.deal.id,
                owner_id=p.deal.owner.user.id,
                number=p.number,
                title=f"{p.customer.name} · {cat.PRODUCTS[p.deal.product][s]}",
                amount_cents=p.deal.amount_cents,
                currency=self.spec.currency,
                signed_on=p.signed,
                starts_on=p.starts,
                ends_on=p.starts + timedelta(days=364),
                delivery_on=p.delivery,
                status=self._contract_status(p),
                approved_by_id=self.manager.id if p.approved_at else None,
                approved_at=p.approved_at,
                created_at=p.deal.closed_at,
            )
            for p in plans
        ]
        for plan, pk in zip(
            plans, await insert_rows(Contract, rows, team_id=self.team.id), strict=True
        ):
            plan.id = pk
        await ContractItem.bulk_create(
            [
                ContractItem(
                    contract_id=p.id,
                    name=name,
                    quantity=quantity,
                    unit_price_cents=unit,
                    amount_cents=quantity * unit,
                )
                for p in plans
                for name, quantity, unit in self._items(p.deal)
            ]
        )
        await ContractDecision.bulk_create([d for p in plans for d in self._decisions(p)])
        await Milestone.bulk_create(
            [
                Milestone(contract_id=p.id, title=title, due_on=due, status=status, done_at=done)
                for p in plans
                for title, due, status, done in p.milestones
            ]
        )
        plan_ids = await insert_rows(
            PaymentPlan,
            [
                PaymentPlan(
                    contract_id=p.id,
                    total_cents=p.deal.amount_cents,
                    currency=self.spec.currency,
                    created_at=p.approved_at or p.deal.closed_at,
                )
                for p in plans
            ],
            contract__team_id=self.team.id,
        )
        await self._write_installments(plans, plan_ids)
        self.counts["contracts"] = len(rows)
        self.counts["contracts_pending"] = sum(1 for p in plans if p.approved_at is None)

    def _contract_status(self, plan: ContractPlan) -> ContractStatus:
        if plan.approved_at is None:
            return ContractStatus.PENDING_APPROVAL
        if plan.starts > self.today:
            return ContractStatus.APPROVED
        settled = all(i.status is InstallmentStatus.PAID for i in plan.installments)
        delivered = all(m[2] is MilestoneStatus.DONE for m in plan.milestones)
        if settled and delivered and plan.signed < self.today - timedelta(days=120):
            return ContractStatus.COMPLETED
        return ContractStatus.ACTIVE

    def _decisions(self, plan: ContractPlan) -> list[ContractDecision]:
        """Submitted by the rep, approved by the manager — now and then rejected once first."""
        comments = cat.CONTRACT_COMMENTS[self.s]
        rep, manager = plan.deal.owner.user.id, self.manager.id
        submitted = (plan.deal.closed_at or self.now) + 30 * MINUTE
        steps = [(rep, ContractStatus.PENDING_APPROVAL, comments[0], submitted)]
        if plan.approved_at is not None:
            if self.rng.random() < 0.08:  # sent back over the discount, then resubmitted
                rejected = self._between(submitted, plan.approved_at)
                resubmitted = self._between(rejected, plan.approved_at)
                steps.append((manager, ContractStatus.REJECTED, comments[2], rejected))
                steps.append((rep, ContractStatus.PENDING_APPROVAL, comments[0], resubmitted))
            steps.append((manager, ContractStatus.APPROVED, comments[1], plan.approved_at))
        return [
            ContractDecision(
                contract_id=plan.id, actor_id=actor, to_status=to, comment=text, decided_at=at
            )
            for actor, to, text, at in steps
        ]

    def _milestones(
        self, plan: ContractPlan
    ) -> list[tuple[str, date, MilestoneStatus, datetime | None]]:
        """Delivery, installation, acceptance, follow-up visit — most done once they fall due."""
        result = []
        count = self.rng.randint(2, 4)
        for title, offset in zip(cat.MILESTONES[self.s][:count], (0, 7, 21, 60), strict=False):
            due = plan.delivery + timedelta(days=offset)
            done = plan.approved_at is not None and due <= self.today and self.rng.random() < 0.85
            status = MilestoneStatus.DONE if done else MilestoneStatus.PENDING
            result.append((title, due, status, min(self._at(due, 16), self.now) if done else None))
        return result

    def _installments(self, plan: ContractPlan) -> list[InstallmentPlan]:
        """Installments summing exactly to the amount: a deposit, then after delivery."""
        rng, amount = self.rng, plan.deal.amount_cents
        shares: tuple[float, ...]
        if amount < self.spec.key_revenue_cents * 0.1:
            shares = rng.choice(((1.0,), (0.5, 0.5)))
        else:
            shares = rng.choice(((0.3, 0.7), (0.3, 0.4, 0.3), (0.3, 0.3, 0.3, 0.1)))
        amounts = [int(amount * share) // 100 * 100 for share in shares[:-1]]
        amounts.append(amount - sum(amounts))
        dues = [plan.signed + timedelta(days=rng.randint(7, 15))]
        for i in range(1, len(amounts)):
            after_delivery = plan.delivery + timedelta(days=15 + 60 * (i - 1))
            dues.append(max(after_delivery, dues[-1] + timedelta(days=20)))
        result = []
        for seq, (part, due) in enumerate(zip(amounts, dues, strict=True), start=1):
            installment = InstallmentPlan(seq, due, part)
            if plan.approved_at is not None:
                installment.payments = self._payments(installment, plan.signed)
            old = due < self.today - timedelta(days=150)
            installment.written_off = not installment.paid and old and rng.random() < 0.3
            result.append(installment)
        return result

    def _payments(self, installment: InstallmentPlan, signed: date) -> list[ReceivedPayment]:
        """Mostly paid around the due date; some partly, some not at all, some awaiting review."""
        rng = self.rng
        roll, awaiting = rng.random(), False
        if installment.due > self.today:
            if roll > 0.08:  # a few pay early
                return []
            share = 1.0
        elif roll < 0.84:
            share = 1.0
        elif roll < 0.9:
            share = self._u(0.3, 0.7)
        elif roll < 0.95:  # reported by the rep, not yet confirmed (if it is recent)
            share, awaiting = 1.0, installment.due >= self.today - timedelta(days=20)
        else:
            return []
        total = installment.amount if share == 1.0 else int(installment.amount * share) // 100 * 100
        parts = [total]
        if share == 1.0 and rng.random() < 0.15:  # paid in two transfers
            parts = [total // 200 * 100, total - total // 200 * 100]
        result = []
        for part in parts:
            received = installment.due + timedelta(days=rng.randint(-5, 12))
            if received > self.today:  # not that late after all: somewhere up to today
                earliest = min(installment.due, self.today - timedelta(days=5))
                received = self.today - timedelta(days=rng.randint(0, (self.today - earliest).days))
            received = max(received, signed)
            reported = self._at(received, rng.randint(10, 19), rng.randint(0, 59))
            if reported > self.now:
                reported = self.now - timedelta(minutes=self._u(5, 90))
            booked = rng.random() < 0.08  # booked by finance through the inbound webhook
            waiting = (received >= self.today - timedelta(days=2) or awaiting) and not booked
            receipt = None if booked or rng.random() < 0.15 else self._file_id("receipt")
            confirmed = None if waiting else min(reported + self._u(1, 60) * HOUR, self.now)
            result.append(ReceivedPayment(part, received, reported, booked, confirmed, receipt))
        return result

    async def _write_installments(self, plans: list[ContractPlan], plan_ids: list[int]) -> None:
        rows: list[Installment] = []
        owners: list[tuple[ContractPlan, InstallmentPlan]] = []
        for plan, plan_id in zip(plans, plan_ids, strict=True):
            for inst in plan.installments:
                reminded = self._at(inst.due - timedelta(days=3), 9)
                notified = self._at(inst.due + DAY, 9)
                overdue = inst.due < self.today and inst.status in (
                    InstallmentStatus.PENDING,
                    InstallmentStatus.PARTIAL,
                )
                rows.append(
                    Installment(
                        plan_id=plan_id,
                        seq=inst.seq,
                        due_on=inst.due,
                        amount_cents=inst.amount,
                        paid_cents=inst.paid,
                        status=inst.status,
                        reminded_at=reminded if reminded <= self.now else None,
                        overdue_notified_at=notified if overdue and notified <= self.now else None,
                    )
                )
                owners.append((plan, inst))
                self.counts["installments_overdue"] += overdue
        ids = await insert_rows(Installment, rows, plan__contract__team_id=self.team.id)
        payments = []
        for (plan, inst), inst_id in zip(owners, ids, strict=True):
            for p in inst.payments:
                self.serial += 1
                payments.append(
                    Payment(
                        team_id=self.team.id,
                        customer_id=plan.customer.id,
                        contract_id=plan.id,
                        installment_id=inst_id,
                        amount_cents=p.amount,
                        currency=self.spec.currency,
                        received_on=p.received,
                        status=p.status,
                        reported_by_id=None if p.booked else plan.deal.owner.user.id,
                        source=ActorKind.WEBHOOK if p.booked else ActorKind.USER,
                        receipt_file_id=p.receipt,
                        confirmed_by_id=self.manager.id
                        if p.confirmed_at and not p.booked
                        else None,
                        confirmed_at=p.confirmed_at,
                        external_ref=f"FIN-{p.received.year}-{self.serial:05d}"
                        if p.booked
                        else None,
                        created_at=p.reported_at,
                    )
                )
        await Payment.bulk_create(payments)
        self.counts["installments"] = len(rows)
        self.counts["payments"] = len(payments)
        self.counts["payments_reported"] = sum(p.status is PaymentStatus.REPORTED for p in payments)
