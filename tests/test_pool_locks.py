"""Locks (the rep's own call, capped) and the once-per-customer extension a manager decides."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks.pool import DecideExtension, LockCustomer, RequestExtension
from storage.models import Customer, PoolEvent, PoolEventKind, Role, Team, TeamRules, User
from tests.support.sim import Person, Sim


async def _owned(owner: Person, name: str) -> Customer:
    north = await Team.get(name="North")
    user = await User.get(telegram_id=owner.id)
    return await Customer.create(team=north, name=name, name_key=name.lower(), owner=user)


async def _tap(person: Person, data: str) -> tuple[str, list[str]]:
    """Tap a card button (its data) from the person's chat."""
    if not person.sim.emu.bot_messages(person.chat_id):
        await person.send("/start")
    tap = await person.tap_data(person.last_message(), data, forged=True)
    return tap.toast, [m.text or "" for m in tap.changed]


async def test_a_rep_locks_up_to_the_cap_and_unlocks(sim: Sim) -> None:
    rob = await sim.member(Role.REP, "North", name="Rob")
    north = await Team.get(name="North")
    await TeamRules.filter(team_id=north.id).update(lock_cap=1)
    acme, beta = await _owned(rob, "Acme"), await _owned(rob, "Beta")

    toast, _ = await _tap(rob, LockCustomer(acme.id, True).pack())
    assert "Acme is locked" in toast and "1/1 lock used" in toast
    toast, _ = await _tap(rob, LockCustomer(beta.id, True).pack())
    assert "You already use your 1 lock" in toast
    assert not (await Customer.get(id=beta.id)).locked
    toast, _ = await _tap(rob, LockCustomer(acme.id, False).pack())
    assert "Acme is unlocked (0/1" in toast
    await _tap(rob, LockCustomer(beta.id, True).pack())
    assert (await Customer.get(id=beta.id)).locked
    kinds = [e.kind for e in await PoolEvent.all().order_by("id")]
    assert kinds == [PoolEventKind.LOCK, PoolEventKind.UNLOCK, PoolEventKind.LOCK]

    sue = await sim.member(Role.REP, "North", name="Sue")
    toast, _ = await _tap(sue, LockCustomer(acme.id, True).pack())
    assert "Not found" in toast
    assert not (await Customer.get(id=acme.id)).locked


async def test_extension_goes_to_the_group_and_only_a_manager_of_the_team_decides(
    sim: Sim,
) -> None:
    mia = await sim.member(Role.MANAGER, "North", name="Mia")
    rob = await sim.member(Role.REP, "North", name="Rob")
    sol = await sim.member(Role.MANAGER, "South", name="Sol")
    group = sim.group("North sales", mia, rob, sol)
    await group.add_bot(by=mia)
    await mia.send("/bindgroup", chat=group.chat)
    await rob.send("/start")
    acme = await _owned(rob, "Acme")

    _, texts = await _tap(rob, RequestExtension(acme.id).pack())
    assert "went to your manager" in texts[-1]
    request = group.last_message()
    assert "Rob asks to keep Acme (potential) longer" in (request.text or "")
    assert "approving adds 30 days" in (request.text or "")

    tap = await rob.tap("Approve", chat=group.chat)
    assert "not available for your role" in tap.toast
    tap = await sol.tap("Approve", chat=group.chat)
    assert "Not found" in tap.toast
    assert (await Customer.get(id=acme.id)).extended_until is None

    tap = await mia.tap("Approve", chat=group.chat)
    until = sim.clock.now() + timedelta(days=30)
    assert "Mia extended Acme for Rob until 2026-04-01 09:00" in (tap.changed[-1].text or "")
    assert "was approved: it stays yours until 2026-04-01 09:00" in (rob.last_message().text or "")
    row = await Customer.get(id=acme.id)
    assert row.extension_used and row.extended_until == until

    again = await mia.tap_data(request, DecideExtension(acme.id, False).pack(), forged=True)
    assert "already had its extension" in again.toast
    toast, _ = await _tap(rob, RequestExtension(acme.id).pack())
    assert "already had its extension (until 2026-04-01 09:00)" in toast
    [event] = await PoolEvent.filter(kind=PoolEventKind.EXTEND)
    assert event.reason == "approved"


async def test_without_a_group_managers_are_asked_privately_and_can_decline(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, "North", name="Mia")
    rob = await sim.member(Role.REP, "North", name="Rob")
    await mia.send("/start")
    acme = await _owned(rob, "Acme")
    await _tap(rob, RequestExtension(acme.id).pack())
    toast, _ = await _tap(rob, RequestExtension(acme.id).pack())
    assert "already waiting for your manager" in toast

    assert "Rob asks to keep Acme" in (mia.last_message().text or "")
    tap = await mia.tap("Decline")
    assert "Mia declined the extension of Acme for Rob" in (tap.changed[-1].text or "")
    assert "declined your extension of Acme" in (rob.last_message().text or "")
    row = await Customer.get(id=acme.id)
    assert row.extension_used and row.extended_until is None
    toast, _ = await _tap(rob, RequestExtension(acme.id).pack())
    assert "was already declined" in toast
