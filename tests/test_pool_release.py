"""Releasing a customer back to the pool with a reason: buttons, free text, bad input."""

from __future__ import annotations

from bot.callbacks.pool import ReleaseCustomer
from storage.models import Customer, PoolEvent, PoolEventKind, Role, Team, User
from tests.support.sim import Person, Sim


async def _owned(sim: Sim, owner: Person, name: str = "Acme") -> Customer:
    north = await Team.get(name="North")
    user = await User.get(telegram_id=owner.id)
    return await Customer.create(
        team=north, name=name, name_key=name.lower(), owner=user, owned_since=sim.clock.now()
    )


async def _release(person: Person, customer: Customer) -> list[str]:
    """Tap the Release button the customer card carries."""
    await person.send("/start")
    tap = await person.tap_data(
        person.last_message(), ReleaseCustomer(customer.id).pack(), forged=True
    )
    return [m.text or "" for m in tap.changed]


async def test_a_rep_releases_with_a_reason_button(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    acme = await _owned(sim, rob)
    [ask] = await _release(rob, acme)
    assert "Why are you giving Acme back" in ask
    assert "Out of my territory" in rob.buttons() and "Other…" in rob.buttons()

    tap = await rob.tap("Not interested")
    assert "Acme is back in the pool (Not interested)" in (tap.changed[-1].text or "")
    assert "after 30 days" in (tap.changed[-1].text or "")
    row = await Customer.get(id=acme.id)
    rep = await User.get(telegram_id=rob.id)
    assert row.owner_id is None and row.last_owner_id == rep.id
    assert row.released_at == sim.clock.now()
    [event] = await PoolEvent.filter(kind=PoolEventKind.RELEASE)
    assert event.rep_id == rep.id and event.actor_id == rep.id
    assert event.reason == "not_interested"


async def test_other_takes_free_text_and_bad_input_reprompts(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    acme = await _owned(sim, rob)
    await _release(rob, acme)

    [prompt] = await rob.send("they moved to Shenzhen")  # text where a button is expected
    assert "pick a reason with the buttons" in (prompt.text or "")
    assert (await Customer.get(id=acme.id)).owner_id is not None

    tap = await rob.tap("Other…")
    assert "Type the reason" in (tap.changed[-1].text or "")
    [again] = await rob.send_photo(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    assert "type the reason as text" in (again.text or "")
    [too_long] = await rob.send("x" * 301)
    assert "at most 300 characters" in (too_long.text or "")
    assert (await Customer.get(id=acme.id)).owner_id is not None

    [done] = await rob.send("Moved to   Shenzhen, <b>new</b> buyer")
    assert "back in the pool (Moved to Shenzhen, <b>new</b> buyer)" in (done.text or "")
    [event] = await PoolEvent.filter(kind=PoolEventKind.RELEASE)
    assert event.reason == "other: Moved to Shenzhen, <b>new</b> buyer"
    assert (await Customer.get(id=acme.id)).owner_id is None
    [after] = await rob.send("anything")
    assert "Use the menu or /help" in (after.text or "")


async def test_cancel_or_another_command_leaves_the_customer_alone(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    acme = await _owned(sim, rob)
    await _release(rob, acme)
    [cancelled] = await rob.send("/cancel")
    assert "Nothing was saved" in (cancelled.text or "")

    await _release(rob, acme)
    await rob.tap("Other…")
    [left] = await rob.send("/my")
    assert "I left the release of Acme" in (left.text or "")
    [my] = await rob.send("/my")
    assert "Acme" in (my.text or "")
    assert (await Customer.get(id=acme.id)).owner_id is not None
    assert await PoolEvent.all().count() == 0


async def test_a_manager_releases_a_reps_customer_and_the_rep_is_told(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    mia = await sim.member(Role.MANAGER, "North", name="Mia")
    await rob.send("/start")
    acme = await _owned(sim, rob)
    await _release(mia, acme)
    await mia.tap("Duplicate")
    assert "Your manager gave Acme back to the pool" in (rob.last_message().text or "")
    [event] = await PoolEvent.filter(kind=PoolEventKind.RELEASE)
    assert event.reason == "duplicate"
    assert event.actor_id == (await User.get(telegram_id=mia.id)).id


async def test_nobody_releases_what_is_not_theirs(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    sue = await sim.member(Role.REP, "North", name="Sue")
    other_manager = await sim.member(Role.MANAGER, "South", name="Sol")
    acme = await _owned(sim, rob)
    for intruder in (sue, other_manager):
        await intruder.send("/start")
        tap = await intruder.tap_data(
            intruder.last_message(), ReleaseCustomer(acme.id).pack(), forged=True
        )
        assert "Not found" in tap.toast
    assert (await Customer.get(id=acme.id)).owner_id is not None
    assert await PoolEvent.all().count() == 0
