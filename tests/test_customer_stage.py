"""The owner (or a manager) moves a customer along the pipeline from the card; the card then
shows that stage's goal and next actions. Nobody else can, and forged buttons change nothing."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks.followups import PickCustomerStage, SetCustomerStage
from storage.models import AuditLog, Customer, PipelineStage, Role, User
from tests.support.sim import START, Person, Sim, ensure_team


async def _owned(sim: Sim, rep: Person, name: str) -> Customer:
    team = await ensure_team("North", START)
    owner = await User.get(telegram_id=rep.id)
    since = START - timedelta(days=3)
    return await Customer.create(
        team=team, name=name, name_key=name.lower(), owner=owner, owned_since=since
    )


async def test_the_owner_sets_the_stage_and_the_card_says_what_to_do_next(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    acme = await _owned(sim, rob, "Acme")
    [card] = await rob.send(f"/customer {acme.id}")
    assert "Stage:" not in (card.text or "")

    tap = await rob.tap("🧭 Stage")
    [choice] = tap.changed
    assert "Where does Acme stand now?" in (choice.text or "")
    assert rob.buttons()[:3] == ["Lead", "Contacted", "Need confirmed"]

    tap = await rob.tap("Need confirmed")
    assert tap.toast == "Stage: Need confirmed"
    text = tap.changed[-1].text or ""
    assert "🧭 Stage: Need confirmed" in text
    assert "Confirm the need, the budget, the decision maker and the timeline." in text
    assert "Identify the decision maker" in text
    stage = await PipelineStage.get(team_id=acme.team_id, code="need_confirmed")
    assert (await Customer.get(id=acme.id)).stage_id == stage.id
    entry = await AuditLog.get(action="customer.stage")
    assert entry.data == {"from": None, "to": stage.id}

    await rob.tap("🧭 Stage")
    assert "✓ Need confirmed" in rob.buttons()


async def test_only_the_owner_or_a_manager_moves_a_customer(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    sue = await sim.member(Role.REP, name="Sue")
    mia = await sim.member(Role.MANAGER, name="Mia")
    acme = await _owned(sim, rob, "Acme")
    lead = await PipelineStage.get(team_id=acme.team_id, code="lead")
    south = await ensure_team("South", START)
    foreign = await PipelineStage.filter(team_id=south.id).first()
    assert foreign is not None

    await sue.send("/start")
    tap = await sue.tap_data(
        sue.last_message(), SetCustomerStage(acme.id, lead.id).pack(), forged=True
    )
    assert "Not found" in tap.toast
    tap = await sue.tap_data(sue.last_message(), PickCustomerStage(acme.id).pack(), forged=True)
    assert "Not found" in tap.toast

    await mia.send(f"/customer {acme.id}")
    assert "🧭 Stage" in mia.buttons()
    forged = SetCustomerStage(acme.id, foreign.id).pack()
    tap = await mia.tap_data(mia.last_message(), forged, forged=True)
    assert "Not found" in tap.toast
    assert (await Customer.get(id=acme.id)).stage_id is None

    await mia.tap("🧭 Stage")
    tap = await mia.tap("Lead")
    assert tap.toast == "Stage: Lead"
    assert (await Customer.get(id=acme.id)).stage_id == lead.id
