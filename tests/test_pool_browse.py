"""Browsing the pool: a masked, paged, filterable list and previews under a daily cap."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks.pool import PoolFilterPick, PoolPage, PreviewPoolCustomer
from storage.models import Contact, Customer, PoolView, Role, Team, TeamRules, Tier, User
from storage.pool import FilterField
from tests.support.sim import Sim, ensure_team


async def _pool_customers(team: Team) -> None:
    specs = [
        ("浦东机械", "浦东", "manufacturing", Tier.KEY, "+8613812345678", "王小明"),
        ("Acme Trading", "Pudong", "retail", Tier.POTENTIAL, "+8613900001111", "John Smith"),
        ("Beta Foods", "Minhang", "food", Tier.REGULAR, None, None),
    ]
    for name, region, industry, tier, phone, contact in specs:
        row = await Customer.create(
            team=team,
            name=name,
            name_key=name.lower(),
            region=region,
            industry=industry,
            tier=tier,
            phone=phone,
            address=f"{region} road 1",
        )
        if contact:
            await Contact.create(customer=row, name=contact, phone=phone, is_primary=True)


async def test_a_rep_browses_the_pool_with_contacts_masked(sim: Sim) -> None:
    rep = await sim.member(Role.REP, "North", name="Rob")
    north = await Team.get(name="North")
    await _pool_customers(north)
    south = await ensure_team("South", sim.clock.now())
    await Customer.create(team=south, name="South Secret", name_key="south secret")
    owner = await User.get(telegram_id=rep.id)
    await Customer.create(team=north, name="Owned Co", name_key="owned co", owner=owner)

    [listing] = await rep.send("/pool")
    text = listing.text or ""
    assert "3 customers" in text
    assert "浦东机械" in text and "Acme Trading" in text and "Beta Foods" in text
    assert "South Secret" not in text and "Owned Co" not in text
    assert "+86 138****5678" in text and "13812345678" not in text
    assert "王**" in text and "J*** S****" in text and "John Smith" not in text
    assert "Claim 1" in " ".join(rep.buttons())

    [searched] = await rep.send("/pool 浦东")
    found = searched.text or ""
    assert "Public pool — 1 customer\n" in found and "浦东机械" in found

    await rep.send("/pool")
    await rep.tap("Industry")
    tap = await rep.tap("retail")
    narrowed = tap.changed[-1].text or ""
    assert "Acme Trading" in narrowed and "Beta Foods" not in narrowed
    assert "industry retail" in narrowed
    tap = await rep.tap("Clear filters")
    assert "3 customers" in (tap.changed[-1].text or "")


async def test_previews_are_masked_and_capped_per_day(sim: Sim) -> None:
    rep = await sim.member(Role.REP, "North", name="Rob")
    north = await Team.get(name="North")
    await _pool_customers(north)
    await TeamRules.filter(team_id=north.id).update(pool_view_daily_cap=2)
    await rep.send("/pool")

    tap = await rep.tap("🔍 1")
    [card] = tap.changed
    assert "J*** S****" in (card.text or "") and "+86 139****1111" in (card.text or "")
    assert "Previews left today: 1" in (card.text or "")
    assert "Claim" in " ".join(rep.buttons())
    await rep.tap("🔍 1", chat=None)  # the same customer again: not counted twice
    assert await PoolView.all().count() == 1

    await rep.send("/pool")
    await rep.tap("🔍 2")
    await rep.send("/pool")
    tap = await rep.tap("🔍 3")
    assert "daily limit" in tap.toast
    assert await PoolView.all().count() == 2

    sim.clock.advance(timedelta(days=1))
    await rep.send("/pool")
    tap = await rep.tap("🔍 3")
    assert "Previews left today: 1" in (tap.changed[-1].text or "")


async def test_a_manager_sees_the_pool_with_assign_buttons_and_no_cap(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, "North", name="Mia")
    north = await Team.get(name="North")
    await _pool_customers(north)
    await TeamRules.filter(team_id=north.id).update(pool_view_daily_cap=0)
    await manager.send("/pool")
    assert "Assign 1" in " ".join(manager.buttons())
    tap = await manager.tap("🔍 3")
    assert "王**" in (tap.changed[-1].text or "") and "Previews left" not in (
        tap.changed[-1].text or ""
    )


async def test_pool_is_for_reps_and_managers_only(sim: Sim) -> None:
    agent = await sim.member(Role.AGENT, "North")
    [reply] = await agent.send("/pool")
    assert "not available for your role" in (reply.text or "")


async def test_forged_preview_and_filter_buttons_reveal_nothing(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    sue = await sim.member(Role.REP, "North", name="Sue")
    north = await Team.get(name="North")
    south = await ensure_team("South", sim.clock.now())
    secret = await Customer.create(
        team=south, name="South Secret", name_key="s", phone="+8613700000000"
    )
    sues = await Customer.create(
        team=north, name="Sue's", name_key="sues", owner=await User.get(telegram_id=sue.id)
    )
    await _pool_customers(north)
    await rob.send("/pool")
    listing = rob.last_message()
    tap = await rob.tap_data(listing, PreviewPoolCustomer(secret.id).pack(), forged=True)
    assert "Not found" in tap.toast and tap.changed == []
    tap = await rob.tap_data(listing, PreviewPoolCustomer(sues.id).pack(), forged=True)
    assert "Sue was faster" in tap.toast and tap.changed == []
    tap = await rob.tap_data(listing, PoolFilterPick(FilterField.REGION, 99).pack(), forged=True)
    assert tap.toast == "" and tap.changed == []  # an unknown value: the same, unfiltered list
    tap = await rob.tap_data(listing, PoolPage(50).pack(), forged=True)
    assert tap.toast == "" and "3 customers" in (rob.last_message().text or "")
    assert await PoolView.all().count() == 0
