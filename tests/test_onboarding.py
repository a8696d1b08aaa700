"""Onboarding: a stranger, an admin who builds a team, a manager and a rep joining by link."""

from __future__ import annotations

from bot.menus import MENUS
from storage.models import Customer, Invite, PortalAccount, Role, Team, User
from tests.support.sim import Sim


async def test_a_stranger_is_told_how_to_join(sim: Sim) -> None:
    stranger = sim.person("Sam")
    [reply] = await stranger.send("/start")
    assert "not part of a team yet" in (reply.text or "")
    [reply] = await stranger.send("/team")
    assert "invite link" in (reply.text or "")
    user = await User.get(telegram_id=stranger.id)
    assert user.role is None


async def test_admin_creates_a_team_and_invites_a_manager_who_invites_a_rep(sim: Sim) -> None:
    admin = sim.admin
    [greeting] = await admin.send("/start")
    assert "admin" in (greeting.text or "")

    [ask] = await admin.send("/newteam")
    assert "called" in (ask.text or "")
    [zones] = await admin.send("North Shanghai")
    assert "time zone" in (zones.text or "")
    tap = await admin.tap("Asia/Shanghai")
    assert any("created" in (m.text or "") for m in tap.changed)
    team = await Team.get(name="North Shanghai")
    assert team.timezone == "Asia/Shanghai"

    await admin.send("/invite")
    tap = await admin.tap("manager")
    link_text = tap.changed[-1].text or ""
    assert "t.me/fieldcrm_bot?start=" in link_text
    code = link_text.split("start=")[1].split()[0]

    mia = sim.person("Mia", lang="zh-hans")
    [joined] = await mia.send(f"/start {code}")
    assert "北" in (joined.text or "") or "North Shanghai" in (joined.text or "")
    manager = await User.get(telegram_id=mia.id)
    assert manager.role is Role.MANAGER and manager.team_id == team.id
    menu = sim.emu.commands({"type": "chat", "chat_id": mia.chat_id})
    assert [c["command"] for c in menu] == list(MENUS[Role.MANAGER])
    assert {c["command"]: c["description"] for c in menu}["help"] == "查看可用功能"

    await mia.send("/invite")
    tap = await mia.tap("销售代表")
    rep_code = (tap.changed[-1].text or "").split("start=")[1].split()[0]
    rob = sim.person("Rob")
    await rob.send(f"/start {rep_code}")
    rep = await User.get(telegram_id=rob.id)
    assert rep.role is Role.REP and rep.team_id == team.id
    rep_menu = sim.emu.commands({"type": "chat", "chat_id": rob.chat_id})
    assert [c["command"] for c in rep_menu] == list(MENUS[Role.REP])

    [overview] = await mia.send("/team")
    assert "Rob" in (overview.text or "") and "Mia" in (overview.text or "")

    # The link worked once: a second person gets a clear answer, the first is reminded.
    eve = sim.person("Eve")
    [refused] = await eve.send(f"/start {rep_code}")
    assert "already been used" in (refused.text or "")
    assert (await User.get(telegram_id=eve.id)).role is None
    [again] = await rob.send(f"/start {rep_code}")
    assert "already in team" in (again.text or "")
    assert await Invite.filter(used_at__not_isnull=True).count() == 2


async def test_a_rep_invites_a_contact_of_their_customer(sim: Sim) -> None:
    rep = await sim.member(Role.REP, "North", name="Rob")
    team = await Team.get(name="North")
    owner = await User.get(telegram_id=rep.id)
    customer = await Customer.create(team=team, name="Acme 上海", name_key="acme", owner=owner)
    other = await Customer.create(team=team, name="Pool Co", name_key="pool co")

    [usage] = await rep.send("/invite customer")
    assert "/invite customer ID" in (usage.text or "")
    [refused] = await rep.send(f"/invite customer {other.id}")
    assert "Not found" in (refused.text or "")
    [link] = await rep.send(f"/invite customer {customer.id}")
    assert "Acme 上海" in (link.text or "")
    code = (link.text or "").split("start=")[1].split()[0]

    buyer = sim.person("Bea", lang="zh-tw")
    [welcome] = await buyer.send(f"/start {code}")
    assert "Acme 上海" in (welcome.text or "")
    user = await User.get(telegram_id=buyer.id)
    assert user.role is Role.CUSTOMER
    assert (await PortalAccount.get(user=user)).customer_id == customer.id
    menu = sim.emu.commands({"type": "chat", "chat_id": buyer.chat_id})
    assert [c["command"] for c in menu] == ["newticket", "mytickets", "help", "lang"]
    [refused] = await buyer.send("/team")
    assert "不認識 /team" in (refused.text or "")
