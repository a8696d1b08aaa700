"""Who sees which card, and how much of it: reps, managers, agents, strangers, forged buttons."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks.customers import CustomerTimeline, OpenCustomer
from storage.models import Contact, Customer, FollowUp, FollowUpKind, Role, Team, User
from tests.support.sim import START, Person, Sim, ensure_team


async def _customer(
    team: str, name: str, owner: Person | None = None, phone: str = "+8613812345678"
) -> Customer:
    row = await ensure_team(team, START)
    owner_row = await User.get(telegram_id=owner.id) if owner else None
    customer = await Customer.create(
        team=row,
        name=name,
        name_key=name.lower(),
        phone=phone,
        email="li.ming@example.cn",
        region="Pudong",
        industry="Retail",
        owner=owner_row,
        owned_since=START - timedelta(days=3) if owner else None,
    )
    await Contact.create(customer=customer, name="Li Ming", phone=phone, is_primary=True)
    return customer


async def test_a_rep_sees_a_pool_card_masked_and_their_own_in_full(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    pool = await _customer("North", "Harbour Foods", phone="+8613812345678")
    mine = await _customer("North", "Acme Trading", owner=rep, phone="+8613900001111")
    rep_row = await User.get(telegram_id=rep.id)
    await FollowUp.create(
        team_id=mine.team_id,
        customer=mine,
        rep=rep_row,
        kind=FollowUpKind.VISIT,
        note="Met the buyer, wants a quote",
        occurred_at=sim.clock.now() - timedelta(hours=5),
    )

    [card] = await rep.send(f"/customer {pool.id}")
    text = card.text or ""
    assert "Harbour Foods" in text and "In the public pool" in text
    assert "13812345678" not in text and "+86 138****5678" in text
    assert "Li Ming" not in text and "L* M***" in text
    assert "li.ming@example.cn" not in text and "l***@example.cn" in text
    assert "masked" in text and "Timeline" not in text
    assert rep.buttons() == ["🙋 Claim"]

    [card] = await rep.send(f"/customer {mine.id}")
    text = card.text or ""
    assert "+8613900001111" in text and "Li Ming" in text
    assert "Owner: Rob" in text
    assert "Last follow-up" in text and "Met the buyer" in text
    assert "Timeline" in text and "visit by Rob" in text
    labels = rep.buttons()
    assert {"↩️ Release", "🔒 Lock", "⏳ Request extension", "🔗 Invite contact"} <= set(labels)
    assert "🙋 Claim" not in labels and "👥 Assign" not in labels

    # A pool customer's history stays hidden even with a forged timeline button.
    tap = await rep.tap_data(card, CustomerTimeline(pool.id, 0).pack(), forged=True)
    assert "Not found" in tap.toast


async def test_a_manager_and_an_agent_see_every_customer_of_their_team(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    manager = await sim.member(Role.MANAGER, name="Mia")
    agent = await sim.member(Role.AGENT, name="Ann")
    pool = await _customer("North", "Harbour Foods")
    owned = await _customer("North", "Acme Trading", owner=rep, phone="+8613900001111")

    for customer, owner_line in ((pool, "In the public pool"), (owned, "Owner: Rob")):
        [card] = await manager.send(f"/customer {customer.id}")
        assert owner_line in (card.text or "") and "Li Ming" in (card.text or "")
        assert {"👥 Assign", "⭐ Set tier"} <= set(manager.buttons())
        [card] = await agent.send(f"/customer {customer.id}")
        assert "Li Ming" in (card.text or "")
    assert agent.buttons() == [] or "👥 Assign" not in agent.buttons()


async def test_what_a_role_may_not_see_is_not_found_like_a_wrong_id(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    rita = await sim.member(Role.REP, name="Rita")
    stranger = await sim.member(Role.REP, "South", name="Sam")
    south_manager = await sim.member(Role.MANAGER, "South", name="Sue")
    robs = await _customer("North", "Acme Trading", owner=rob)

    [wrong] = await rita.send("/customer 999999")
    [theirs] = await rita.send(f"/customer {robs.id}")
    [foreign] = await stranger.send(f"/customer {robs.id}")
    [managed] = await south_manager.send(f"/customer {robs.id}")
    assert wrong.text == theirs.text == foreign.text == managed.text
    assert "Not found" in (wrong.text or "")

    await stranger.send("/customer")
    tap = await stranger.tap_data(
        stranger.last_message(), OpenCustomer(robs.id).pack(), forged=True
    )
    assert "Not found" in tap.toast
    assert len([m for m in stranger.messages() if "Acme" in (m.text or "")]) == 0


async def test_people_without_a_team_role_are_refused(sim: Sim) -> None:
    team = await Team.get_or_none(name="North") or await ensure_team("North", sim.clock.now())
    customer = await Customer.create(team=team, name="Acme", name_key="acme")
    stranger = sim.person("Sam")
    [reply] = await stranger.send(f"/customer {customer.id}")
    assert "invite link" in (reply.text or "")
    [usage] = await (await sim.member(Role.REP)).send("/customer abc")
    assert "/customer ID" in (usage.text or "")


async def test_a_card_tapped_in_a_group_arrives_in_private(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, name="Mia")
    customer = await _customer("North", "Acme Trading")
    await manager.send("/start")
    group = sim.group("North team", manager)
    await group.add_bot(by=manager)
    await manager.send("/bindgroup", chat=group.chat)
    notice = group.last_message()

    tap = await manager.tap_data(notice, OpenCustomer(customer.id).pack(), forged=True)
    assert "private chat" in tap.toast
    assert not any("Acme" in (m.text or "") for m in sim.emu.bot_messages(group.id))
    assert "Acme Trading" in (manager.last_message().text or "")
    assert await manager.send(f"/customer {customer.id}", chat=group.chat) == []
