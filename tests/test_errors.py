"""When something fails, the user hears about it in their language and can carry on."""

from __future__ import annotations

import pytest

from tests.support.sim import Sim


async def test_an_unexpected_failure_is_apologised_for(
    sim: Sim, caplog: pytest.LogCaptureFixture
) -> None:
    zh = sim.person("Zhou", lang="zh-cn")
    sim.emu.fail_next("sendMessage", error_code=400, description="Bad Request: simulated failure")
    [apology] = await zh.send("/start")
    assert "抱歉" in (apology.text or "")
    assert any("unhandled error in update" in r.message for r in caplog.records)
    [reply] = await zh.send("/help")
    assert "还没有加入团队" in (reply.text or "")


async def test_flood_limit_answers_are_retried(sim: Sim) -> None:
    person = sim.person("Fay")
    sim.emu.fail_next("sendMessage", error_code=429, retry_after=1)
    [reply] = await person.send("/start")
    assert "FieldCRM" in (reply.text or "")
    statuses = [r.status for r in sim.emu.requests_for("sendMessage")]
    assert statuses[-2:] == [429, 200]
