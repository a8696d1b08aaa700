"""Language: Telegram's choice first, /lang to change it, menus follow."""

from __future__ import annotations

from bot.menus import MENUS
from storage.models import Role, User
from tests.support.sim import Sim


async def test_default_menus_are_published_per_language(sim: Sim) -> None:
    private = {"type": "all_private_chats"}
    english = [c["command"] for c in sim.emu.commands(private, "")]
    assert english == ["start", "help", "lang"]
    chinese = sim.emu.commands(private, "zh")
    assert chinese[1]["description"] == "查看可用功能"
    groups = [c["command"] for c in sim.emu.commands({"type": "all_group_chats"}, "")]
    assert groups == ["bindgroup", "help"]


async def test_telegram_language_is_used_until_the_user_picks_another(sim: Sim) -> None:
    hk = sim.person("Kit", lang="zh-hk")
    [reply] = await hk.send("/start")
    assert "還沒有加入團隊" in (reply.text or "")

    await hk.send("/lang")
    assert hk.buttons() == ["简体中文", "✓ 繁體中文", "English"]
    tap = await hk.tap("English")
    assert tap.changed[-1].text == "✓ Language set to English."
    assert (await User.get(telegram_id=hk.id)).language == "en"
    [reply] = await hk.send("/help")
    assert "not part of a team" in (reply.text or "")
    menu = sim.emu.commands({"type": "chat", "chat_id": hk.chat_id})
    assert [c["command"] for c in menu] == ["start", "help", "lang"]


async def test_a_rep_switching_language_gets_the_rep_menu_in_it(sim: Sim) -> None:
    rep = await sim.member(Role.REP, lang="en")
    await rep.send("/lang")
    await rep.tap("简体中文")
    menu = sim.emu.commands({"type": "chat", "chat_id": rep.chat_id})
    described = {c["command"]: c["description"] for c in menu}
    assert list(described) == list(MENUS[Role.REP])
    assert described["my"] == "我的客户（最紧急的在前）"
    assert described["lang"] == "切换语言"
    [reply] = await rep.send("/help")
    assert "销售代表" in (reply.text or "")
