"""The nightly job: once per team and local night, in the team's own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from scheduler.tiering import due_period, recompute_tiers
from storage.models import (
    Customer,
    JobRun,
    Opportunity,
    PipelineStage,
    Role,
    Team,
    Tier,
    User,
)
from tests.support.sim import START, Sim, ensure_team


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (datetime(2026, 3, 2, 17, 59, tzinfo=UTC), "Asia/Shanghai", None),  # 01:59 local
        (datetime(2026, 3, 2, 18, 0, tzinfo=UTC), "Asia/Shanghai", "7:2026-03-03"),
        (datetime(2026, 3, 2, 1, 0, tzinfo=UTC), "Asia/Shanghai", "7:2026-03-02"),
        (datetime(2026, 3, 2, 1, 0, tzinfo=UTC), "America/New_York", "7:2026-03-01"),  # 20:00
        (datetime(2026, 3, 2, 6, 59, tzinfo=UTC), "America/New_York", None),  # 01:59 local
        (datetime(2026, 3, 2, 7, 0, tzinfo=UTC), "America/New_York", "7:2026-03-02"),
        (datetime(2026, 3, 8, 6, 59, tzinfo=UTC), "America/New_York", None),  # DST starts 02:00
        (datetime(2026, 3, 8, 7, 0, tzinfo=UTC), "America/New_York", "7:2026-03-08"),  # 03:00
    ],
)
def test_the_period_is_the_teams_local_night(
    moment: datetime, zone: str, expected: str | None
) -> None:
    assert due_period(7, zone, moment) == expected


async def test_the_job_recomputes_each_team_once_a_night(sim: Sim) -> None:
    north = await ensure_team("North", START)
    rep = await sim.member(Role.REP, name="Rob")
    owner = await User.get(telegram_id=rep.id)
    won = await PipelineStage.get(team=north, code="won")
    customer = await Customer.create(team=north, name="Acme", name_key="acme", owner=owner)

    async def win(amount: int) -> None:
        await Opportunity.create(
            team=north,
            customer=customer,
            owner=owner,
            title="deal",
            amount_cents=amount,
            expected_close_on=date(2026, 3, 1),
            stage=won,
            stage_changed_at=sim.clock.now(),
            closed_at=sim.clock.now(),
        )

    await win(100_00)
    await sim.run_job(recompute_tiers)  # 09:00 in Shanghai: tonight's run is due
    row = await Customer.get(id=customer.id)
    assert row.tier is Tier.REGULAR and row.tier_computed_at == START
    run = await JobRun.get(job="tiering", period=f"{north.id}:2026-03-02")
    assert run.result["customers"] == 1

    await win(60_000_000)
    sim.clock.advance(timedelta(hours=3))
    await sim.run_job(recompute_tiers)  # same local day: already done
    assert (await Customer.get(id=customer.id)).tier is Tier.REGULAR

    sim.clock.set(datetime(2026, 3, 2, 17, 30, tzinfo=UTC))  # 01:30 on the 3rd: too early
    await sim.run_job(recompute_tiers)
    assert (await Customer.get(id=customer.id)).tier is Tier.REGULAR

    sim.clock.set(datetime(2026, 3, 2, 18, 30, tzinfo=UTC))  # 02:30 on the 3rd
    await sim.run_job(recompute_tiers)
    assert (await Customer.get(id=customer.id)).tier is Tier.KEY
    assert await JobRun.filter(job="tiering").count() == 2


async def test_teams_in_other_zones_wait_for_their_own_night(sim: Sim) -> None:
    north = await ensure_team("North", START)
    west = await ensure_team("West", START)
    await Team.filter(id=west.id).update(timezone="America/Los_Angeles")
    for team in (north, west):
        await Customer.create(team=team, name=f"C {team.name}", name_key=f"c{team.id}")
    sim.clock.set(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))  # 17:30 Shanghai, 01:30 LA
    await sim.run_job(recompute_tiers)
    assert await Customer.filter(team=north, tier_computed_at__not_isnull=True).count() == 1
    assert await Customer.filter(team=west, tier_computed_at__not_isnull=True).count() == 0
    sim.clock.advance(timedelta(hours=1))  # 02:30 in Los Angeles
    await sim.run_job(recompute_tiers)
    assert await Customer.filter(team=west, tier_computed_at__not_isnull=True).count() == 1
    periods = set(await JobRun.filter(job="tiering").values_list("period", flat=True))
    assert periods == {f"{north.id}:2026-03-02", f"{west.id}:2026-03-02"}
