"""One form at a time: starting a new form puts the previous one to sleep, restarts keep it."""

from __future__ import annotations

from storage.models import Customer, Lead, Role
from tests.support.sim import Sim


async def test_a_newer_form_takes_the_input_and_the_abandoned_one_stays_quiet(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, "North", name="Mia")
    [ask] = await manager.send("/lead")
    assert "name" in (ask.text or "")
    [ask] = await manager.send("/newcustomer")
    assert "company" in (ask.text or "")

    replies = await manager.send("Harbour Logistics")
    assert any("contact person" in (m.text or "") for m in replies)
    await manager.send("/cancel")

    [reply] = await manager.send("Somebody")
    assert "Use the menu or /help" in (reply.text or "")
    assert await Lead.all().count() == 0 and await Customer.all().count() == 0


async def test_a_command_that_is_not_a_form_leaves_the_form_open(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, "North", name="Mia")
    await manager.send("/newcustomer")
    await manager.send("/help")
    replies = await manager.send("Harbour Logistics")
    assert any("contact person" in (m.text or "") for m in replies)


async def test_the_current_form_survives_a_restart(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, "North", name="Mia")
    await manager.send("/lead")
    await manager.send("/newcustomer")
    await sim.restart()
    replies = await manager.send("Harbour Logistics")
    assert any("contact person" in (m.text or "") for m in replies)
