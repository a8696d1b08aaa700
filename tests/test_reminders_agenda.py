"""The morning agenda: at each rep's hour in the team's zone, once per local day, today's only;
found for every rep at once with a fixed number of statements."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from scheduler.calendar import send_agendas
from storage.calendar_reminders import due_agendas
from storage.calendar_time import to_utc
from storage.models import CalendarEntry, CalendarKind, CalendarStatus, Role, Team, User
from tests.support.sim import Person, Sim, ensure_team
from tests.test_calendar_plan import utc
from tests.test_calendar_support import owned, planned, rep
from tests.test_tiering_recompute import counting_statements

TUE, WED = date(2026, 3, 3), date(2026, 3, 4)


def agendas(person: Person) -> list[str]:
    return [m.text or "" for m in person.messages() if (m.text or "").startswith("☀️")]


async def test_the_agenda_comes_at_each_reps_hour_once_a_day(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    amy = await rep(sim, "Amy")
    bob = await rep(sim, "Bob")
    await User.filter(telegram_id=amy.id).update(agenda_hour=7)
    acme = await owned(sim, rob, "Acme", address="88 Century Ave")
    await planned(rob, await owned(sim, rob, "Beta"), utc(TUE, 15), kind=CalendarKind.MEETING)
    await planned(rob, acme, utc(TUE, 10))
    dropped = await planned(rob, acme, utc(TUE, 12))
    await CalendarEntry.filter(id=dropped.id).update(status=CalendarStatus.CANCELLED)
    await planned(rob, acme, utc(WED, 9))
    await planned(amy, await owned(sim, amy, "Zeta"), utc(TUE, 9))

    # Tuesday 06:59: nobody's hour yet — and Monday's agenda, never sent, is not sent now.
    sim.clock.set(utc(TUE, 6, 59))
    await sim.run_job(send_agendas)
    assert agendas(rob) == agendas(amy) == []

    sim.clock.set(utc(TUE, 7, 0))
    await sim.run_job(send_agendas)
    [amys] = agendas(amy)
    assert "Your day — Tue 3 Mar" in amys and "Zeta" in amys
    assert agendas(rob) == []

    sim.clock.set(utc(TUE, 8, 0))
    await sim.run_job(send_agendas)
    await sim.run_job(send_agendas)
    [robs] = agendas(rob)
    assert "Your day — Tue 3 Mar: 2 planned" in robs
    assert robs.index("10:00–11:00 🚗 Visit · Acme") < robs.index("15:00–16:00 🤝 Meeting · Beta")
    assert "88 Century Ave" in robs and "12:00" not in robs and "Wed" not in robs
    assert {"10:00 Acme", "15:00 Beta"} <= set(rob.buttons())
    assert len(agendas(amy)) == 1 and agendas(bob) == []
    for person in (rob, amy, bob):
        assert (await User.get(telegram_id=person.id)).agenda_sent_on == TUE

    await sim.restart()
    sim.clock.set(utc(TUE, 9, 0))
    await sim.run_job(send_agendas)
    assert len(agendas(rob)) == 1 and len(agendas(amy)) == 1

    # The bot was down on Wednesday morning: started at 15:00, it still sends Wednesday's.
    sim.clock.set(utc(WED, 15, 0))
    await sim.run_job(send_agendas)
    await sim.run_job(send_agendas)
    assert len(agendas(rob)) == 2 and "Wed 4 Mar" in agendas(rob)[-1]
    assert len(agendas(amy)) == 1  # nothing planned for Amy on Wednesday


async def test_the_agenda_hour_is_local_to_each_team(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    berlin = await rep(sim, "Ben", team="Berlin")
    await Team.filter(name="Berlin").update(timezone="Europe/Berlin")
    await planned(rob, await owned(sim, rob, "Acme"), utc(TUE, 10))
    ben_customer = await owned(sim, berlin, "Brandt GmbH")
    await planned(berlin, ben_customer, to_utc(TUE, 10 * 60, "Europe/Berlin"))
    sim.clock.set(to_utc(TUE, 8 * 60, "Asia/Shanghai"))  # 01:00 in Berlin
    await sim.run_job(send_agendas)
    assert len(agendas(rob)) == 1 and agendas(berlin) == []
    sim.clock.set(to_utc(TUE, 8 * 60, "Europe/Berlin"))
    await sim.run_job(send_agendas)
    assert len(agendas(berlin)) == 1 and "10:00–11:00" in agendas(berlin)[0]


@pytest.mark.parametrize("reps", [3, 30])
async def test_due_agendas_take_the_same_statements_for_any_number_of_reps(
    db: str, reps: int
) -> None:
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    teams = [await ensure_team(name, start) for name in ("North", "South")]
    for number in range(reps):
        team = teams[number % 2]
        user = await User.create(
            telegram_id=10_000 + number, full_name=f"Rep {number}", role=Role.REP, team=team
        )
        if number % 3:  # some have a day planned, the rest an empty one
            await CalendarEntry.create(
                team=team,
                rep=user,
                starts_at=utc(TUE, 9 + number % 8),
                ends_at=utc(TUE, 10 + number % 8),
            )
    with counting_statements() as statements:
        due = await due_agendas(utc(TUE, 8, 30))
    assert len(due) == len([n for n in range(reps) if n % 3])
    assert len(statements) == 4, statements  # teams, reps, entries, one stamp for empty days
    assert await User.filter(agenda_sent_on=TUE).count() == reps - len(due)
