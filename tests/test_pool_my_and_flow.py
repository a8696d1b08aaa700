"""/my orders a rep's customers by urgency; /poolflow shows managers how the pool moved."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks.customers import OpenCustomer
from storage.models import Customer, PoolEvent, PoolEventKind, Role, Team, TeamRules, User
from tests.support.sim import Sim
from tests.test_pool_factories import open_deal

DAY = timedelta(days=1)


async def test_my_customers_most_urgent_first_with_their_state(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    north = await Team.get(name="North")
    owner = await User.get(telegram_id=rob.id)
    now = sim.clock.now()

    async def own(name: str, **fields: object) -> Customer:
        return await Customer.create(
            team=north, name=name, name_key=name.lower(), owner=owner, **fields
        )

    calm = await own("Calm", owned_since=now - 5 * DAY, last_followup_at=now - DAY)
    soon = await own("Soon", owned_since=now - 28 * DAY)
    await own("Overdue", owned_since=now - 31 * DAY)
    await own("Locked", owned_since=now - 40 * DAY, locked=True)
    deal = await own("Deal", owned_since=now - 40 * DAY)
    await open_deal(deal, owner, now)
    await own("Ext", owned_since=now - 40 * DAY, extended_until=now + 10 * DAY)
    await Customer.create(team=north, name="Pool Co", name_key="pool co")

    [reply] = await rob.send("/my")
    text = reply.text or ""
    order = [text.index(name) for name in ("Overdue", "Soon", "Calm", "Ext", "Deal", "Locked")]
    assert order == sorted(order), text
    assert "6/150 owned · 1/3 locked" in text
    assert "overdue — reclaimed at the next sweep" in text
    assert "back to the pool on 2026-03-04 09:00" in text  # Soon, in Shanghai time
    assert "extended until 2026-03-12 09:00" in text
    assert "paused (open deal, contract or payment)" in text
    assert "Pool Co" not in text
    buttons = [b for row in (reply.reply_markup or {})["inline_keyboard"] for b in row]
    data = {b["text"]: b["callback_data"] for b in buttons}
    assert data["2. Soon"] == OpenCustomer(soon.id).pack()
    assert data["3. Calm"] == OpenCustomer(calm.id).pack()


async def test_my_is_paged(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    north = await Team.get(name="North")
    owner = await User.get(telegram_id=rob.id)
    for n in range(10):
        await Customer.create(
            team=north,
            name=f"Co {n}",
            name_key=f"co {n}",
            owner=owner,
            owned_since=sim.clock.now() - timedelta(days=n),
        )
    [first] = await rob.send("/my")
    assert "1. Co 9" in (first.text or "") and "9. " not in (first.text or "")
    tap = await rob.tap("›")
    assert "9. Co 1" in (tap.changed[-1].text or "") and "10. Co 0" in (tap.changed[-1].text or "")


async def test_pool_flow_per_rep_bounces_and_caps(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, "North", name="Mia")
    rob = await sim.member(Role.REP, "North", name="Rob")
    sue = await sim.member(Role.REP, "North", name="Sue")
    north = await Team.get(name="North")
    await TeamRules.filter(team_id=north.id).update(owned_cap=1)
    rob_user, sue_user = await User.get(telegram_id=rob.id), await User.get(telegram_id=sue.id)
    hot = await Customer.create(team=north, name="Hot Potato", name_key="hot potato")
    await Customer.create(team=north, name="Held", name_key="held", owner=sue_user)
    now = sim.clock.now()
    log = [
        (PoolEventKind.CLAIM, rob_user, 1),
        (PoolEventKind.RELEASE, rob_user, 1),
        (PoolEventKind.CLAIM, sue_user, 2),
        (PoolEventKind.RECLAIM, sue_user, 3),
        (PoolEventKind.ASSIGN, rob_user, 4),
        (PoolEventKind.CLAIM, rob_user, 20),  # outside the 7-day window
    ]
    for kind, rep, days_ago in log:
        await PoolEvent.create(
            team=north, customer=hot, kind=kind, rep=rep, created_at=now - days_ago * DAY
        )

    [week] = await mia.send("/poolflow")
    text = week.text or ""
    assert "Pool flow, last 7 days" in text and "1 in the pool" in text
    assert "Rob: claimed 1 · assigned 1 · released 1 · reclaimed 0" in text
    assert "Sue: claimed 1 · assigned 0 · released 0 · reclaimed 1" in text
    assert "Hot Potato: taken 3× · back 2×" in text
    assert "Reps at their cap" in text and "Sue: 1/1" in text

    tap = await mia.tap("30 days")
    assert "Rob: claimed 2" in (tap.changed[-1].text or "")
    tap = await mia.tap("Today")
    assert "Nothing moved in this period" in (tap.changed[-1].text or "")

    [refused] = await rob.send("/poolflow")
    assert "not available for your role" in (refused.text or "")
