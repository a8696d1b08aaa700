"""Users with fixed Telegram ids who already started the bot, and the menu a client shows.

The sandbox impersonates demo personas: their Telegram ids are fixed by the demo data, the
bot may write to them before they say anything, and the composer offers the command menu a
real Telegram client would resolve for them.
"""

from __future__ import annotations

import pytest
import telegram
from telegram.error import Forbidden

from bot.emulator import BotApiEmulator


async def test_a_user_with_a_fixed_id_who_started_the_bot(
    emu: BotApiEmulator, tg: telegram.Bot
) -> None:
    persona = emu.add_user("李娜", username="na_li", language_code="zh-hans", user_id=910000003)
    assert persona.id == 910000003
    assert emu.messages(persona.id) == []
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await tg.send_message(persona.id, "hello")

    started = emu.add_user("Rita", user_id=910000004, started=True)
    sent = await tg.send_message(started.id, "Your reminder")
    assert sent.chat.id == started.id
    assert [m.text for m in emu.messages(started.id)] == ["Your reminder"]  # nothing sent by her


async def test_fixed_ids_never_collide_with_generated_ones(emu: BotApiEmulator) -> None:
    emu.add_user("Pinned", user_id=10001)
    generated = emu.add_user("Next")
    assert generated.id != 10001
    with pytest.raises(ValueError, match="already a user"):
        emu.add_user("Twin", user_id=10001)
    with pytest.raises(ValueError, match="positive"):
        emu.add_user("Nobody", user_id=0)
    with pytest.raises(ValueError, match="already a user"):
        emu.add_user("Bot", user_id=emu.bot_user.id)


async def test_private_menu_falls_back_from_chat_to_language_to_default(
    emu: BotApiEmulator, tg: telegram.Bot
) -> None:
    english = emu.add_user("Rita", language_code="en", started=True)
    chinese = emu.add_user("李娜", language_code="zh-hans", started=True)
    assert emu.menu(english.id) == []
    await tg.set_my_commands([("start", "Start")])
    await tg.set_my_commands(
        [("start", "开始"), ("lang", "语言")],
        scope=telegram.BotCommandScopeAllPrivateChats(),
        language_code="zh",
    )
    await tg.set_my_commands([("help", "Help")], scope=telegram.BotCommandScopeAllPrivateChats())
    assert [c["command"] for c in emu.menu(english.id)] == ["help"]
    assert [c["description"] for c in emu.menu(chinese.id)] == ["开始", "语言"]  # zh-hans → zh
    assert [c["command"] for c in emu.menu(chinese.id, language_code="en")] == ["help"]
    await tg.set_my_commands([("team", "Team")], scope=telegram.BotCommandScopeChat(chinese.id))
    assert [c["command"] for c in emu.menu(chinese.id)] == ["team"]  # the chat's own menu wins
    assert [c["command"] for c in emu.menu(english.id)] == ["help"]


async def test_group_menu_for_members_and_administrators(
    emu: BotApiEmulator, tg: telegram.Bot
) -> None:
    owner = emu.add_user("Olga", started=True)
    rep = emu.add_user("Pavel", started=True)
    group = emu.add_group("North team")
    emu.set_member(group, owner, "creator")
    emu.set_member(group, rep, "member")
    emu.add_bot_to_group(group, by=owner)
    await tg.set_my_commands([("help", "Help")])
    assert [c["command"] for c in emu.menu(group, rep)] == ["help"]  # only the default is set
    await tg.set_my_commands([("bindgroup", "Bind")], scope=telegram.BotCommandScopeAllGroupChats())
    await tg.set_my_commands(
        [("digest", "Digest")], scope=telegram.BotCommandScopeAllChatAdministrators()
    )
    assert [c["command"] for c in emu.menu(group, rep)] == ["bindgroup"]
    assert [c["command"] for c in emu.menu(group, owner)] == ["digest"]
    await tg.set_my_commands(
        [("mine", "Mine")], scope=telegram.BotCommandScopeChatMember(group.id, rep.id)
    )
    assert [c["command"] for c in emu.menu(group.id, rep.id)] == ["mine"]
    assert [c["command"] for c in emu.menu(group, owner)] == ["digest"]
    with pytest.raises(ValueError, match="unknown chat"):
        emu.menu(-42)
