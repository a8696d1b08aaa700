"""Groups: adding the bot, privacy mode, member statuses, access errors."""

from __future__ import annotations

import pytest
import telegram
from telegram.error import BadRequest, Forbidden

from bot.emulator import BotApiEmulator, SimChat, SimUser
from tests.emulator.conftest import FakeClock


@pytest.fixture
def team(emu: BotApiEmulator) -> tuple[SimChat, SimUser, SimUser]:
    owner = emu.add_user("Olga", username="olga")
    rep = emu.add_user("Pavel")
    group = emu.add_group("North team")
    emu.set_member(group, owner, "creator")
    emu.set_member(group, rep, "member")
    return group, owner, rep


async def test_adding_the_bot(
    emu: BotApiEmulator, tg: telegram.Bot, team: tuple[SimChat, SimUser, SimUser]
) -> None:
    group, owner, _ = team
    assert group.id < 0 and str(group.id).startswith("-100")  # supergroup ids
    updates = emu.add_bot_to_group(group, by=owner)
    kinds = [next(k for k in u if k != "update_id") for u in updates]
    assert kinds == ["my_chat_member", "message"]
    member_update = updates[0]["my_chat_member"]
    assert member_update["old_chat_member"]["status"] == "left"
    assert member_update["new_chat_member"]["status"] == "member"
    assert member_update["from"]["id"] == owner.id
    assert updates[1]["message"]["new_chat_members"] == [emu.bot_user.to_json()]
    received = await tg.get_updates()
    assert received[1].message.new_chat_members[0].id == emu.bot_user.id  # type: ignore[union-attr]


async def test_privacy_mode(
    emu: BotApiEmulator, tg: telegram.Bot, team: tuple[SimChat, SimUser, SimUser]
) -> None:
    group, owner, rep = team
    emu.add_bot_to_group(group, by=owner)
    assert emu.send_message(rep, "just chatting", chat=group) is None
    assert emu.send_message(rep, "/report", chat=group) is not None
    assert emu.send_message(rep, "/report@fieldcrm_bot today", chat=group) is not None
    assert emu.send_message(rep, "/report@other_bot", chat=group) is None
    assert emu.send_message(rep, "see /report", chat=group) is None
    bot_message = await tg.send_message(group.id, "Daily summary")
    assert (
        emu.send_message(rep, "thanks!", chat=group, reply_to_message_id=bot_message.message_id)
        is not None
    )
    assert [m.text for m in emu.messages(group.id)][1:3] == ["just chatting", "/report"]
    # An administrator bot sees everything.
    emu.set_member(group, emu.bot_user, "administrator", by=owner)
    assert emu.send_message(rep, "now visible", chat=group) is not None


async def test_bot_outside_the_group(
    emu: BotApiEmulator, tg: telegram.Bot, team: tuple[SimChat, SimUser, SimUser]
) -> None:
    group, owner, rep = team
    with pytest.raises(Forbidden, match="bot is not a member of the supergroup chat"):
        await tg.send_message(group.id, "hello?")
    assert emu.send_message(rep, "/start", chat=group) is None
    basic = emu.add_group("Old group", "group")
    emu.set_member(basic, owner, "creator")
    with pytest.raises(Forbidden, match="bot is not a member of the group chat"):
        await tg.send_message(basic.id, "hello?")
    emu.add_bot_to_group(basic, by=owner)
    emu.remove_bot_from_group(basic, by=owner, ban=True)
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await tg.send_message(basic.id, "hello?")


async def test_member_statuses(
    emu: BotApiEmulator, tg: telegram.Bot, team: tuple[SimChat, SimUser, SimUser]
) -> None:
    group, owner, rep = team
    emu.add_bot_to_group(group, by=owner)
    stranger = emu.add_user("Stranger")
    emu.set_member(group, rep, "administrator")
    assert (await tg.get_chat_member(group.id, owner.id)).status == "creator"
    admin = await tg.get_chat_member(group.id, rep.id)
    assert isinstance(admin, telegram.ChatMemberAdministrator) and admin.can_delete_messages
    assert (await tg.get_chat_member(group.id, stranger.id)).status == "left"
    assert (await tg.get_chat_member(group.id, emu.bot_user.id)).status == "member"
    admins = await tg.get_chat_administrators(group.id)
    assert sorted(a.user.id for a in admins) == sorted([owner.id, rep.id])
    assert await tg.get_chat_member_count(group.id) == 3
    chat = await tg.get_chat(group.id)
    assert (chat.title, chat.type) == ("North team", "supergroup")
    with pytest.raises(BadRequest, match="There are no administrators in the private chat"):
        await tg.get_chat_administrators(owner.id)


async def test_leave_chat(
    emu: BotApiEmulator, tg: telegram.Bot, team: tuple[SimChat, SimUser, SimUser]
) -> None:
    group, owner, _ = team
    emu.add_bot_to_group(group, by=owner)
    await tg.get_updates(offset=-1)
    assert await tg.leave_chat(group.id) is True
    assert group.bot_status == "left"
    (update,) = await tg.get_updates(offset=-1)
    assert update.my_chat_member.new_chat_member.status == "left"  # type: ignore[union-attr]
    with pytest.raises(Forbidden):
        await tg.send_message(group.id, "still here?")


async def test_block_and_unblock(emu: BotApiEmulator, tg: telegram.Bot) -> None:
    user = emu.add_user("Ann")
    emu.send_message(user, "/start")
    blocked = emu.block_bot(user)
    assert blocked is not None
    assert blocked["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    with pytest.raises(ValueError, match="blocked"):
        emu.send_message(user, "hi")
    emu.unblock_bot(user)
    await tg.send_message(user.id, "welcome back")


async def test_simulation_guards_against_test_bugs(
    emu: BotApiEmulator, team: tuple[SimChat, SimUser, SimUser]
) -> None:
    group, owner, _ = team
    outsider = emu.add_user("Outsider")
    with pytest.raises(ValueError, match="not a member"):
        emu.send_message(outsider, "hi", chat=group)
    with pytest.raises(ValueError, match="not a member"):
        emu.add_bot_to_group(group, by=outsider)
    with pytest.raises(ValueError, match="no message"):
        emu.send_message(owner, "re", chat=group, reply_to_message_id=42)


async def test_user_edits_arrive_as_edited_message(
    emu: BotApiEmulator, tg: telegram.Bot, clock: FakeClock
) -> None:
    user = emu.add_user("Ann")
    sent = emu.send_message(user, "visit at 10")
    assert sent is not None
    clock.advance(minutes=1)
    update = emu.edit_message(user, user.id, sent["message"]["message_id"], "visit at 11")
    assert update is not None
    edited = update["edited_message"]
    assert (edited["text"], edited["edit_date"]) == ("visit at 11", sent["message"]["date"] + 60)
    assert [e["text"] for e in emu.messages(user.id)[-1].edits] == ["visit at 10"]
    received = await tg.get_updates()
    assert received[-1].edited_message.text == "visit at 11"  # type: ignore[union-attr]
