"""A step refused after its button was tapped still tells the person why, and keeps the
buttons to try again; nothing is half-written."""

from __future__ import annotations

import pytest

from storage.models import Customer, Lead, Role, Team
from tests.support.sim import Person, Sim


async def at_the_summary(sim: Sim) -> Person:
    """A rep with a lead for Acme Trading at its summary, Save offered."""
    rob = await sim.member(Role.REP, name="Rob")
    await rob.send("/start")
    await rob.send("/lead")
    await rob.send("Ann")
    await rob.send("Acme Trading")
    await rob.send("+86 139 0000 0000")
    await rob.tap("Skip")
    await rob.tap("Skip")
    assert rob.buttons() == ["💾 Save", "✏️ Edit", "✖ Cancel"]
    return rob


async def someone_adds_acme_meanwhile() -> None:
    team = await Team.get(name="North")
    await Customer.create(team=team, name="ACME Trading Co., Ltd.", name_key="acmetrading")


async def test_a_duplicate_created_meanwhile_is_shown_on_the_save_button(sim: Sim) -> None:
    rob = await at_the_summary(sim)
    await someone_adds_acme_meanwhile()

    tap = await rob.tap("Save")
    assert tap.answer is not None and tap.answer["show_alert"]
    assert "already known: ACME Trading Co., Ltd." in tap.toast
    assert rob.buttons() == ["💾 Save", "✏️ Edit", "✖ Cancel"]  # still there: edit or cancel
    assert await Lead.all().count() == 0

    await rob.tap("Edit")
    await rob.tap("company")
    await rob.send("Beta Works")
    await rob.tap("Save")
    assert await Lead.filter(company="Beta Works").count() == 1


async def test_a_refusal_the_tap_can_no_longer_show_comes_as_a_message(
    sim: Sim, caplog: pytest.LogCaptureFixture
) -> None:
    rob = await at_the_summary(sim)
    await someone_adds_acme_meanwhile()
    sim.emu.fail_next(
        "answerCallbackQuery",
        error_code=400,
        description="Bad Request: query is too old and response timeout expired",
    )

    tap = await rob.tap("Save")
    said = "\n".join(m.text or "" for m in tap.changed)
    assert "This lead is already known: ACME Trading Co., Ltd." in said
    assert "Nothing was saved" in said
    assert not any("could not tell the user" in r.message for r in caplog.records)
    assert await Lead.all().count() == 0
