"""The card's timeline: newest first across every kind of record, paged with More."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks.customers import CustomerTimeline
from storage.models import (
    Customer,
    FollowUp,
    FollowUpKind,
    Payment,
    PaymentStatus,
    PoolEvent,
    PoolEventKind,
    Role,
    User,
)
from tests.support.sim import START, Sim, ensure_team


async def test_more_pages_through_the_history_newest_first(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    owner = await User.get(telegram_id=rep.id)
    team = await ensure_team("North", START)
    customer = await Customer.create(
        team=team, name="Acme", name_key="acme", owner=owner, owned_since=START - timedelta(days=30)
    )
    await PoolEvent.create(
        team=team,
        customer=customer,
        kind=PoolEventKind.CLAIM,
        rep=owner,
        created_at=START - timedelta(days=30),
    )
    for day in range(1, 15):
        await FollowUp.create(
            team=team,
            customer=customer,
            rep=owner,
            kind=FollowUpKind.CALL,
            note=f"call number {day}",
            occurred_at=START - timedelta(days=day),
        )
    await Payment.create(
        team=team,
        customer=customer,
        amount_cents=250_000,
        received_on=(START - timedelta(days=2, hours=12)).date(),
        status=PaymentStatus.CONFIRMED,
    )

    [card] = await rep.send(f"/customer {customer.id}")
    text = card.text or ""
    assert text.index("call number 1") < text.index("call number 2")
    assert "payment CNY 2,500 (confirmed)" in text
    assert "call number 6" not in text

    tap = await rep.tap("More")
    [page] = tap.changed
    assert "page 2" in (page.text or "") and "call number 6" in (page.text or "")
    tap = await rep.tap("More")
    [edited] = tap.changed
    assert edited.message_id == page.message_id
    assert "page 3" in (edited.text or "") and "call number 14" in (edited.text or "")
    assert "claimed by Rob" in (edited.text or "")
    assert "🕘 More" not in rep.buttons()
    tap = await rep.tap("Newer")
    assert "page 2" in (tap.changed[0].text or "")

    far = CustomerTimeline(customer.id, 10_000).pack()
    tap = await rep.tap_data(page, far, forged=True)
    assert "Nothing more." in (rep.last_message().text or "")
    tap = await rep.tap("Card")
    assert any("Acme" in (m.text or "") and "Owner: Rob" in (m.text or "") for m in tap.changed)
