"""The team group: the bot greets it, a manager binds it, removal unbinds it."""

from __future__ import annotations

from storage.models import Role, Team
from tests.support.sim import Sim


async def test_manager_binds_the_team_group(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, "North", name="Mia")
    rep = await sim.member(Role.REP, "North", name="Rob")
    group = sim.group("North sales", manager, rep)

    [hello] = await group.add_bot(by=manager)
    assert "/bindgroup" in (hello.text or "")

    [refused] = await rep.send("/bindgroup", chat=group.chat)
    assert "not available for your role" in (refused.text or "")
    assert (await Team.get(name="North")).group_chat_id is None

    [bound] = await manager.send("/bindgroup", chat=group.chat)
    assert "receives the digests and alerts of team North" in (bound.text or "")
    team = await Team.get(name="North")
    assert team.group_chat_id == group.id and team.group_title == "North sales"

    [again] = await manager.send("/bindgroup", chat=group.chat)
    assert "already bound" in (again.text or "")
    [overview] = await manager.send("/team")
    assert "North sales" in (overview.text or "")


async def test_a_group_serves_one_team_and_a_team_one_group(sim: Sim) -> None:
    north = await sim.member(Role.MANAGER, "North", name="Mia")
    south = await sim.member(Role.MANAGER, "South", name="Sol")
    first = sim.group("Sales floor", north, south)
    await first.add_bot(by=north)
    await north.send("/bindgroup", chat=first.chat)

    [taken] = await south.send("/bindgroup", chat=first.chat)
    assert "already belongs to team North" in (taken.text or "")
    assert (await Team.get(name="South")).group_chat_id is None

    second = sim.group("North only", north)
    await second.add_bot(by=north)
    [moved] = await north.send("/bindgroup", chat=second.chat)
    assert "now uses this group" in (moved.text or "")
    assert "another group" in (first.last_message().text or "")
    assert (await Team.get(name="North")).group_chat_id == second.id


async def test_removing_the_bot_unbinds_the_group(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, "North", name="Mia")
    group = sim.group("North sales", manager)
    await group.add_bot(by=manager)
    await manager.send("/bindgroup", chat=group.chat)
    await sim.deliver(sim.emu.remove_bot_from_group(group.chat, by=manager.user))
    assert (await Team.get(name="North")).group_chat_id is None


async def test_bindgroup_in_a_private_chat_explains_where_to_send_it(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, "North")
    [reply] = await manager.send("/bindgroup")
    assert "inside your team's group" in (reply.text or "")
