"""A restart in the middle of a form resumes it where the user left off."""

from __future__ import annotations

from storage.models import BotConversation, Team
from tests.support.sim import Sim


async def test_newteam_form_survives_a_restart(sim: Sim) -> None:
    admin = sim.admin
    await admin.send("/newteam")
    await admin.send("Harbour")
    assert await BotConversation.filter(name="newteam").count() == 1

    await sim.restart()

    tap = await admin.tap("Asia/Shanghai")
    assert any("Team Harbour created" in (m.text or "") for m in tap.changed)
    assert await Team.filter(name="Harbour").count() == 1
    assert await BotConversation.filter(name="newteam").count() == 0


async def test_cancelled_form_stays_cancelled_after_a_restart(sim: Sim) -> None:
    admin = sim.admin
    await admin.send("/newteam")
    [reply] = await admin.send("/cancel")
    assert "Nothing was saved" in (reply.text or "")
    await sim.restart()
    [reply] = await admin.send("Harbour")
    assert "Use the menu or /help" in (reply.text or "")
    assert await Team.filter(name="Harbour").count() == 0
