"""/settings: a manager edits their team's rules; bad values are refused with the range;
reps, agents and other teams' managers change nothing."""

from __future__ import annotations

from bot.callbacks.customers import EditRule, PickRuleValue, SettingsSection
from storage.models import AuditLog, LeadRouting, Role, TeamRules, Tier, TierPolicy
from tests.support.sim import START, Sim, ensure_team


async def test_a_manager_changes_a_pool_rule_after_a_bad_value(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, name="Mia")
    team = await ensure_team("North", START)

    [sections] = await manager.send("/settings")
    assert "Rules of team North" in (sections.text or "")
    tap = await manager.tap("Public pool")
    [listing] = tap.changed
    assert "Claims per rep per day: 10" in (listing.text or "")

    tap = await manager.tap("Claims per rep per day")
    prompt = tap.changed[-1].text or ""
    assert "Now: 10" in prompt and "from 1 to 1000" in prompt
    for bad in ("lots", "0", "5000", "12.5"):
        [error] = await manager.send(bad)
        assert "whole number from 1 to 1000" in (error.text or ""), bad
    assert (await TeamRules.get(team=team)).daily_claim_cap == 10

    saved, updated = await manager.send("12")
    assert "Saved: Claims per rep per day = 12" in (saved.text or "")
    assert "Claims per rep per day: 12" in (updated.text or "")
    assert (await TeamRules.get(team=team)).daily_claim_cap == 12
    entry = await AuditLog.get(action="settings.update")
    assert entry.data == {"rule": "daily_claim_cap", "old": 10, "new": 12}
    [after] = await manager.send("15")  # the form is over: text is not a value any more
    assert "Use the menu or /help" in (after.text or "")


async def test_tier_rules_money_choices_kinds_and_service_levels(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, name="Mia")
    team = await ensure_team("North", START)
    await manager.send("/settings")

    await manager.tap("Tier rules")
    await manager.tap("Key: revenue in 12 months from")
    [error] = await manager.send("0.001")
    assert "at most two decimals" in (error.text or "")
    await manager.send("600,000")
    rules = await TeamRules.get(team=team)
    assert rules.tier_key_revenue_cents == 60_000_000
    await manager.tap("Regular: revenue in 12 months from")
    [error] = await manager.send("700000")
    assert "cannot be below the regular one" in (error.text or "")
    await manager.send("/cancel")
    await manager.tap("At risk: average rating below")
    await manager.send("3.5")
    assert (await TeamRules.get(team=team)).tier_at_risk_rating_below == 3.5

    await manager.tap("‹ Sections")
    await manager.tap("Leads")
    await manager.tap("Lead assignment")
    tap = await manager.tap("By region")
    assert any("Saved: Lead assignment = By region" in (m.text or "") for m in tap.changed)
    assert (await TeamRules.get(team=team)).lead_routing is LeadRouting.TERRITORY

    await manager.tap("‹ Sections")
    await manager.tap("Follow-ups")
    await manager.tap("Effective follow-up kinds")
    tap = await manager.tap("e-mail")
    assert "✓ e-mail" in manager.buttons()
    assert (await TeamRules.get(team=team)).effective_followup_kinds == [
        "call",
        "visit",
        "meeting",
        "email",
    ]
    await manager.send("visit")
    assert (await TeamRules.get(team=team)).effective_followup_kinds == ["visit"]
    await manager.tap("Effective follow-up kinds")
    tap = await manager.tap("visit")
    assert "At least one kind" in tap.toast
    await manager.send("/cancel")
    await manager.tap("Check-in photo required")
    await manager.tap("No")
    assert (await TeamRules.get(team=team)).checkin_photo_required is False

    await manager.tap("‹ Sections")
    await manager.tap("Key customers")
    await manager.tap("Key: reclaim after days without follow-up")
    await manager.send("75")
    policy = await TierPolicy.get(team=team, tier=Tier.KEY)
    assert policy.reclaim_days == 75
    await manager.tap("Key: first response within (minutes)")
    [error] = await manager.send("999999")
    assert "from 5 to 43200" in (error.text or "")
    [error] = await manager.send("2000")
    assert "cannot be shorter than the first-response time" in (error.text or "")
    await manager.send("/cancel")
    assert await AuditLog.filter(action="settings.update").count() == 7


async def test_an_admin_picks_the_team_first(sim: Sim) -> None:
    north = await ensure_team("North", START)
    await ensure_team("South", START)
    admin = sim.admin
    await admin.send("/start")
    [picker] = await admin.send("/settings")
    assert "Pick a team" in (picker.text or "") and {"North", "South"} <= set(admin.buttons())
    tap = await admin.tap("North")
    assert "Rules of team North" in (tap.changed[-1].text or "")
    await admin.tap("After-sales")
    await admin.tap("Alert on ratings below")
    await admin.send("2")
    assert (await TeamRules.get(team=north)).low_rating_alert_below == 2


async def test_reps_agents_and_other_teams_change_nothing(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    agent = await sim.member(Role.AGENT, name="Ann")
    south_manager = await sim.member(Role.MANAGER, "South", name="Sue")
    north = await ensure_team("North", START)

    for person in (rep, agent):
        [refused] = await person.send("/settings")
        assert "not available for your role" in (refused.text or "")

    [own] = await south_manager.send("/settings")
    assert "South" in (own.text or "")
    for forged in (SettingsSection(north.id, "pool"), EditRule(north.id, "owned_cap")):
        tap = await south_manager.tap_data(own, forged.pack(), forged=True)
        assert "Not found" in tap.toast, forged
    picked = PickRuleValue(north.id, "checkin_photo_required", "no").pack()
    tap = await south_manager.tap_data(own, picked, forged=True)
    assert "no longer active" in tap.toast  # outside a form: the stale-button answer
    await south_manager.tap("Follow-ups")
    await south_manager.tap("Check-in photo required")  # inside their own form…
    tap = await south_manager.tap_data(own, picked, forged=True)
    assert "Not found" in tap.toast  # …another team's value is still refused
    await south_manager.send("/cancel")
    tap = await rep.tap_data(
        rep.last_message(), EditRule(north.id, "owned_cap").pack(), forged=True
    )
    assert "not available for your role" in tap.toast
    tap = await south_manager.tap_data(own, EditRule(north.id, "no_such_rule").pack(), forged=True)
    assert "Not found" in tap.toast
    assert (await TeamRules.get(team=north)).checkin_photo_required is True
    assert await AuditLog.filter(action="settings.update").count() == 0


async def test_a_manager_moves_the_daily_digest_to_another_hour(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, name="Mia")
    team = await ensure_team("North", START)
    await manager.send("/settings")
    tap = await manager.tap("Follow-ups & visits")
    assert "Daily digest at (hour): 18" in (tap.changed[-1].text or "")
    await manager.tap("Daily digest at (hour)")
    [error] = await manager.send("25")
    assert "from 0 to 23" in (error.text or "")
    saved, _updated = await manager.send("17")
    assert "Saved: Daily digest at (hour) = 17" in (saved.text or "")
    await team.refresh_from_db()
    assert team.digest_hour == 17
    entry = await AuditLog.get(action="settings.update")
    assert entry.data == {"rule": "digest_hour", "old": 18, "new": 17}
