"""The card and its timeline name a team's own stages as the team named them, and show a
visit once — as the check-in, not again as the follow-up the check-in recorded."""

from __future__ import annotations

from datetime import date, timedelta

from storage.models import (
    CheckIn,
    Customer,
    FollowUp,
    FollowUpKind,
    Opportunity,
    OpportunityStageChange,
    PipelineStage,
    Role,
    User,
)
from tests.support.sim import START, Sim, ensure_team


async def test_a_visit_shows_once_and_a_custom_stage_by_its_name(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    owner = await User.get(telegram_id=rob.id)
    team = await ensure_team("North", START)
    customer = await Customer.create(
        team=team, name="Acme", name_key="acme", owner=owner, owned_since=START - timedelta(days=9)
    )
    visited = START - timedelta(days=1)
    checkin = await CheckIn.create(
        team=team,
        rep=owner,
        customer=customer,
        latitude=31.2,
        longitude=121.5,
        distance_m=40.0,
        checked_in_at=visited,
    )
    await FollowUp.create(
        team=team,
        customer=customer,
        rep=owner,
        kind=FollowUpKind.VISIT,
        note="Met the buyer",
        effective=True,
        checkin_id=checkin.id,
        occurred_at=visited,
    )
    await FollowUp.create(
        team=team,
        customer=customer,
        rep=owner,
        kind=FollowUpKind.CALL,
        note="Asked for a quote",
        occurred_at=START - timedelta(days=2),
    )
    pilot = await PipelineStage.create(
        team=team, code="c0a1b2c3", name="Pilot running", position=3, probability=55
    )
    deal = await Opportunity.create(
        team=team,
        customer=customer,
        owner=owner,
        title="Forklifts",
        amount_cents=100_000_00,
        expected_close_on=date(2026, 4, 1),
        stage=pilot,
        stage_changed_at=START - timedelta(days=3),
    )
    await OpportunityStageChange.create(
        opportunity=deal, to_stage=pilot, actor=owner, changed_at=START - timedelta(days=3)
    )

    [card] = await rob.send(f"/customer {customer.id}")
    text = card.text or ""
    assert "Forklifts — Pilot running 55%" in text
    assert "deal “Forklifts” moved to Pilot running by Rob" in text
    assert "stage.c0a1b2c3" not in text
    assert text.count("check-in by Rob, 40 m away") == 1
    assert "visit by Rob: Met the buyer" not in text  # the check-in says it already
    assert "call by Rob: Asked for a quote" in text  # other follow-ups are still there
