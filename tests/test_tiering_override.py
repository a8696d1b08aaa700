"""A manager pins a tier with a reason; it survives the nightly run until removed."""

from __future__ import annotations

from bot.callbacks.customers import OverrideTier, RemoveOverride
from storage.models import AuditLog, Customer, Role, Tier
from storage.tiering import recompute_tiers
from tests.support.sim import START, Sim, ensure_team


async def test_a_manager_overrides_a_tier_and_removes_the_override(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, name="Mia")
    team = await ensure_team("North", START)
    customer = await Customer.create(team=team, name="Acme", name_key="acme")

    await manager.send(f"/customer {customer.id}")
    tap = await manager.tap("Set tier")
    assert "Set the tier of Acme" in (tap.changed[-1].text or "")
    [reply] = await manager.send("now")
    assert "tap one of the tiers" in (reply.text or "")
    tap = await manager.tap("Key")
    assert "Why Key?" in (tap.changed[-1].text or "")
    [reply] = await manager.share_location(31.2, 121.4)
    assert "type the reason" in (reply.text or "")
    [reply] = await manager.send("r" * 501)
    assert "at most 500 characters" in (reply.text or "")
    saved, card = await manager.send("Flagship store, CEO relationship")
    assert "Acme is now Key" in (saved.text or "")
    assert "Set by a manager: “Flagship store, CEO relationship”" in (card.text or "")
    assert "⭐ Remove override" in manager.buttons()

    row = await Customer.get(id=customer.id)
    assert row.tier is Tier.KEY and row.tier_overridden
    assert row.tier_override_reason == "Flagship store, CEO relationship"
    entry = await AuditLog.get(action="customer.tier_override")
    assert entry.data == {"from": "potential", "to": "key", "reason": row.tier_override_reason}

    await recompute_tiers(team.id, sim.clock.now())  # the night passes: the pin holds
    assert (await Customer.get(id=customer.id)).tier is Tier.KEY

    tap = await manager.tap("Remove override")
    assert "Override removed" in tap.toast
    assert any("Tier: Potential" in (m.text or "") for m in tap.changed)
    row = await Customer.get(id=customer.id)
    assert row.tier is Tier.POTENTIAL and not row.tier_overridden
    assert row.tier_override_reason is None and row.tier_reason["rule"] == "no_revenue"
    assert await AuditLog.filter(action="customer.tier_override_removed").count() == 1


async def test_reps_and_other_teams_cannot_override(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    south_manager = await sim.member(Role.MANAGER, "South", name="Sue")
    team = await ensure_team("North", START)
    customer = await Customer.create(team=team, name="Acme", name_key="acme")

    [card] = await rep.send(f"/customer {customer.id}")
    assert "⭐ Set tier" not in rep.buttons()
    tap = await rep.tap_data(card, OverrideTier(customer.id).pack(), forged=True)
    assert "not available for your role" in tap.toast

    await south_manager.send("/find x")
    message = south_manager.last_message()
    tap = await south_manager.tap_data(message, OverrideTier(customer.id).pack(), forged=True)
    assert "Not found" in tap.toast
    tap = await south_manager.tap_data(message, RemoveOverride(customer.id).pack(), forged=True)
    assert "Not found" in tap.toast
    assert not (await Customer.get(id=customer.id)).tier_overridden
    assert await AuditLog.filter(action__startswith="customer.tier").count() == 0
