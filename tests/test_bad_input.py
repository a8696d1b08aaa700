"""Bad input never crashes and never half-writes: each case gets a clear, translated answer."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks import PickInvite
from storage.models import Invite, Role, Team
from tests.support.sim import Sim, ensure_team


async def test_unknown_command_and_stray_messages(sim: Sim) -> None:
    rep = await sim.member(Role.REP)
    [reply] = await rep.send("/frobnicate now")
    assert "I don't know /frobnicate" in (reply.text or "")
    [reply] = await rep.send("hello?")
    assert "Use the menu or /help" in (reply.text or "")
    [reply] = await rep.share_location(31.23, 121.47)
    assert "Use the menu or /help" in (reply.text or "")


async def test_a_user_without_a_role_is_told_how_to_join_whatever_they_send(sim: Sim) -> None:
    stranger = sim.person("Sam", lang="zh-hans")
    for text in ("/invite", "/newteam", "/frobnicate", "hi"):
        [reply] = await stranger.send(text)
        assert "邀请链接" in (reply.text or ""), text


async def test_roles_are_enforced_on_commands(sim: Sim) -> None:
    rep = await sim.member(Role.REP)
    [reply] = await rep.send("/newteam")
    assert "not available for your role" in (reply.text or "")
    [reply] = await rep.send("/team")
    assert "not available for your role" in (reply.text or "")
    assert await Team.all().count() == 1


async def test_team_name_form_rejects_what_it_cannot_use(sim: Sim) -> None:
    admin = sim.admin
    await admin.send("/newteam")
    # A 10,000-character paste reaches a bot as 4096-character messages (clients split it).
    paste = "名" * 10_000
    for start in range(0, len(paste), 4096):
        [reply] = await admin.send(paste[start : start + 4096])
        assert "at most 100 characters" in (reply.text or "")
    [reply] = await admin.share_location(31.2, 121.4)
    assert "type the team's name" in (reply.text or "")
    [reply] = await admin.send_photo(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    assert "type the team's name" in (reply.text or "")
    await ensure_team("North", sim.clock.now())
    [reply] = await admin.send("North")
    assert "already exists" in (reply.text or "")
    [reply] = await admin.send("<b>South & Co</b>")
    assert "&lt;b&gt;" not in (reply.text or "") and "<b>South & Co</b>" in (reply.text or "")
    [reply] = await admin.send("Mars/Olympus")
    assert "not a time zone I know" in (reply.text or "")
    await admin.send("/cancel")
    assert await Team.filter(name="<b>South & Co</b>").count() == 0
    [reply] = await admin.send("Asia/Tokyo")
    assert "Use the menu or /help" in (reply.text or "")


async def test_stale_and_forged_buttons_change_nothing(sim: Sim) -> None:
    admin = sim.admin
    await admin.send("/lang")
    message = admin.last_message()
    tap = await admin.tap_data(message, "1lang|klingon", forged=True)
    assert tap.toast == "This button is no longer active."
    tap = await admin.tap_data(message, "0old|1", forged=True)
    assert tap.toast == "This button is no longer active."

    north = await ensure_team("North", sim.clock.now())
    south = await ensure_team("South", sim.clock.now())
    manager = await sim.member(Role.MANAGER, "North")
    await manager.send("/invite")
    invite_message = manager.last_message()
    forged = PickInvite(Role.REP, south.id).pack()
    tap = await manager.tap_data(invite_message, forged, forged=True)
    assert "Not found" in tap.toast
    assert await Invite.filter(team_id=south.id).count() == 0
    promote = PickInvite(Role.MANAGER, north.id).pack()
    tap = await manager.tap_data(invite_message, promote, forged=True)
    assert "not available for your role" in tap.toast
    assert await Invite.all().count() == 0


async def test_an_expired_or_mangled_link(sim: Sim) -> None:
    manager = await sim.member(Role.MANAGER, "North")
    await manager.send("/invite")
    tap = await manager.tap("sales rep")
    code = (tap.changed[-1].text or "").split("start=")[1].split()[0]
    sim.clock.advance(timedelta(days=8))
    late = sim.person("Late")
    [reply] = await late.send(f"/start {code}")
    assert "expired" in (reply.text or "")
    [reply] = await late.send("/start " + code[:-3])
    assert "not valid" in (reply.text or "")
    [reply] = await late.send("/start " + "z" * 300)
    assert "not valid" in (reply.text or "")
