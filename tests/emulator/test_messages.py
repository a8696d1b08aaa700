"""Sending, editing, deleting and callback queries, checked through a real PTB Bot."""

from __future__ import annotations

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, ReplyParameters
from telegram.error import BadRequest, Forbidden

from bot.emulator import BotApiEmulator, SimUser
from tests.emulator.conftest import PNG_2X1, FakeClock, Raw


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.upper(), callback_data=d) for d in data]])


def last_description(emu: BotApiEmulator) -> str | None:
    return emu.requests[-1].description


async def test_send_message_html_entities_and_date(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser, clock: FakeClock
) -> None:
    message = await tg.send_message(
        rita.id, "Visit <b>Café 😀</b> <a href='t.me/x'>link</a>", parse_mode="HTML"
    )
    assert message.text == "Visit Café 😀 link"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        ("bold", 6, 7),
        ("text_link", 14, 4),
    ]
    assert message.entities[1].url == "http://t.me/x"
    assert message.date == clock.now.replace(microsecond=0)
    assert message.from_user.id == emu.bot_user.id  # type: ignore[union-attr]
    stored = emu.bot_messages(rita.id)[-1]
    assert stored.message_id == message.message_id and stored.text == message.text


async def test_message_ids_increase_per_chat(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser
) -> None:
    bob = emu.add_user("Bob")
    emu.send_message(bob, "hi")
    first = await tg.send_message(rita.id, "a")
    second = await tg.send_message(rita.id, "b")
    other = await tg.send_message(bob.id, "c")
    assert second.message_id == first.message_id + 1
    assert other.message_id == 2  # bob's chat: his "hi" was 1


async def test_text_length_limits(emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser) -> None:
    await tg.send_message(rita.id, "я" * 4096)
    await tg.send_message(rita.id, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest) as exc_info:
        await tg.send_message(rita.id, "x" * 4097)
    assert exc_info.value.message == "Message is too long"
    assert last_description(emu) == "Bad Request: message is too long"
    with pytest.raises(BadRequest, match="Message text is empty"):
        await tg.send_message(rita.id, "")
    with pytest.raises(BadRequest, match="Text must be non-empty"):
        await tg.send_message(rita.id, " \n ")


async def test_bad_html_fails_like_telegram(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser
) -> None:
    cases = {
        "Total < 5": 'Unsupported start tag "" at byte offset 6',
        "<blink>x</blink>": 'Unsupported start tag "blink" at byte offset 0',
        "<b>open": 'Can\'t find end tag corresponding to start tag "b"',
        "<b><i>x</b></i>": 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"',
    }
    for html, message in cases.items():
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await tg.send_message(rita.id, html, parse_mode="HTML")
        assert last_description(emu) == f"Bad Request: can't parse entities: {message}"
    sent = await tg.send_message(rita.id, "Tom & Jerry &copy;", parse_mode="HTML")
    assert sent.text == "Tom & Jerry &copy;"  # Telegram keeps unknown '&' literally


async def test_callback_data_limits(emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser) -> None:
    await tg.send_message(rita.id, "ok", reply_markup=keyboard("é" * 32))  # 64 bytes
    with pytest.raises(BadRequest) as exc_info:
        await tg.send_message(rita.id, "too long", reply_markup=keyboard("x" * 65))
    assert exc_info.value.message == "Button_data_invalid"  # PTB capitalizes the description
    assert last_description(emu) == "Bad Request: BUTTON_DATA_INVALID"


async def test_inline_button_needs_exactly_one_action(
    emu: BotApiEmulator, tg: telegram.Bot, raw: Raw, rita: SimUser
) -> None:
    status, body = await raw.form(
        "sendMessage",
        chat_id=rita.id,
        text="x",
        reply_markup={"inline_keyboard": [[{"text": "plain"}]]},
    )
    assert (status, body["description"]) == (
        400,
        (
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard"
        ),
    )
    two = {"text": "t", "url": "https://a.io", "callback_data": "d"}
    status, body = await raw.form(
        "sendMessage", chat_id=rita.id, text="x", reply_markup={"inline_keyboard": [[two]]}
    )
    assert status == 400 and "exactly one of" in body["description"]
    too_many = InlineKeyboardMarkup(
        [[InlineKeyboardButton(str(i), callback_data=str(i)) for i in range(8)] for _ in range(13)]
    )
    with pytest.raises(BadRequest, match="Reply markup is too long"):
        await tg.send_message(rita.id, "x", reply_markup=too_many)


async def test_caption_limit(emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser) -> None:
    await tg.send_photo(rita.id, PNG_2X1, caption="c" * 1024)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await tg.send_photo(rita.id, PNG_2X1, caption="c" * 1025)


async def test_forbidden_and_missing_chats(emu: BotApiEmulator, tg: telegram.Bot) -> None:
    stranger = emu.add_user("Stranger")
    with pytest.raises(Forbidden) as exc_info:
        await tg.send_message(stranger.id, "hello?")
    assert exc_info.value.message == "Forbidden: bot can't initiate conversation with a user"
    emu.send_message(stranger, "hi")
    await tg.send_message(stranger.id, "now we talk")
    emu.block_bot(stranger)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await tg.send_message(stranger.id, "still there?")
    with pytest.raises(BadRequest, match="Chat not found"):
        await tg.send_message(424242, "x")


async def test_edit_message_text_rules(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser, clock: FakeClock
) -> None:
    sent = await tg.send_message(rita.id, "v1", reply_markup=keyboard("a"))
    clock.advance(seconds=30)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await tg.edit_message_text("v1", rita.id, sent.message_id, reply_markup=keyboard("a"))
    assert last_description(emu) == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    edited = await tg.edit_message_text("<i>v2</i>", rita.id, sent.message_id, parse_mode="HTML")
    assert edited.text == "v2" and edited.reply_markup is None  # no markup → keyboard removed
    assert edited.edit_date == clock.now.replace(microsecond=0)
    stored = emu.bot_messages(rita.id)[-1]
    assert [e["text"] for e in stored.edits] == ["v1"] and stored.text == "v2"
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await tg.edit_message_text("x", rita.id, 999)
    photo = await tg.send_photo(rita.id, PNG_2X1)
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await tg.edit_message_text("x", rita.id, photo.message_id)
    captioned = await tg.edit_message_caption(rita.id, photo.message_id, caption="new caption")
    assert captioned.caption == "new caption"  # type: ignore[union-attr]
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await tg.edit_message_text("x", rita.id, 1)  # rita's own /start


async def test_edit_reply_markup_and_delete(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser
) -> None:
    sent = await tg.send_message(rita.id, "pick", reply_markup=keyboard("a", "b"))
    updated = await tg.edit_message_reply_markup(
        rita.id, sent.message_id, reply_markup=keyboard("c")
    )
    assert updated.reply_markup == keyboard("c")  # type: ignore[union-attr]
    assert await tg.delete_message(rita.id, sent.message_id) is True
    assert emu.bot_messages(rita.id)[-1].deleted is True
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await tg.delete_message(rita.id, sent.message_id)
    a = await tg.send_message(rita.id, "a")
    assert await tg.delete_messages(rita.id, [a.message_id, 9999]) is True


async def test_callback_query_round_trip(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser, clock: FakeClock
) -> None:
    sent = await tg.send_message(rita.id, "Approve?", reply_markup=keyboard("yes", "no"))
    update = emu.tap(rita, rita.id, sent.message_id, "yes")
    query = update["callback_query"]
    assert query["data"] == "yes" and query["from"]["id"] == rita.id
    assert query["message"]["message_id"] == sent.message_id
    assert (
        query["chat_instance"]
        == emu.tap(rita, rita.id, sent.message_id, "no")["callback_query"]["chat_instance"]
    )
    assert await tg.answer_callback_query(query["id"], "Done!", show_alert=True) is True
    assert emu.callback_answer(query["id"]) == {
        "text": "Done!",
        "show_alert": True,
        "url": None,
        "cache_time": 0,
    }
    with pytest.raises(BadRequest, match="Query is too old"):
        await tg.answer_callback_query(query["id"])  # twice
    late = emu.tap(rita, rita.id, sent.message_id, "no")["callback_query"]
    clock.advance(minutes=15, seconds=1)
    with pytest.raises(BadRequest) as exc_info:
        await tg.answer_callback_query(late["id"])
    assert last_description(emu) == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    assert "too old" in exc_info.value.message
    with pytest.raises(BadRequest):
        await tg.answer_callback_query("12345")
    fresh = emu.tap(rita, rita.id, sent.message_id, "no")["callback_query"]
    with pytest.raises(BadRequest, match="Message_too_long"):
        await tg.answer_callback_query(fresh["id"], "x" * 201)


async def test_tap_requires_a_real_button(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser
) -> None:
    sent = await tg.send_message(rita.id, "Approve?", reply_markup=keyboard("yes"))
    with pytest.raises(ValueError, match="no button"):
        emu.tap(rita, rita.id, sent.message_id, "admin:delete_all")
    forged = emu.tap_raw(rita, rita.id, sent.message_id, "admin:delete_all")
    assert forged["callback_query"]["data"] == "admin:delete_all"
    gone = emu.tap_raw(rita, rita.id, 999, "x")["callback_query"]["message"]
    assert gone == {
        "chat": {"id": rita.id, "type": "private", "first_name": "Rita", "username": "rita"},
        "message_id": 999,
        "date": 0,
    }


async def test_other_content_types(
    emu: BotApiEmulator, tg: telegram.Bot, raw: Raw, rita: SimUser
) -> None:
    location = await tg.send_location(rita.id, 52.52, 13.405, horizontal_accuracy=15)
    assert location.location.latitude == 52.52  # type: ignore[union-attr]
    venue = await tg.send_venue(rita.id, 52.52, 13.405, "HQ", "Unter den Linden 1")
    assert venue.venue.title == "HQ" and venue.location is not None  # type: ignore[union-attr]
    with pytest.raises(BadRequest, match="Wrong location specified"):
        await tg.send_location(rita.id, 130.0, 52.0)
    album = await tg.send_media_group(
        rita.id, [InputMediaPhoto(PNG_2X1, caption="one"), InputMediaPhoto(PNG_2X1)]
    )
    assert len(album) == 2 and album[0].media_group_id == album[1].media_group_id
    assert album[0].caption == "one"
    single = [{"type": "photo", "media": album[0].photo[-1].file_id}]
    status, body = await raw.form("sendMediaGroup", chat_id=rita.id, media=single)
    assert status == 400 and "2-10" in body["description"]
    mixed = [*single, {"type": "document", "media": "attach://f"}]
    status, body = await raw.form("sendMediaGroup", chat_id=rita.id, media=mixed)
    assert body["description"] == (
        "Bad Request: can't use the media of the specified type in the album"
    )
    copied = await tg.copy_message(rita.id, rita.id, location.message_id)
    assert emu.world.find_message(rita.id, copied.message_id).location is not None  # type: ignore[union-attr]
    forwarded = await tg.forward_message(rita.id, rita.id, 1)
    assert forwarded.forward_origin.sender_user.id == rita.id  # type: ignore[union-attr]
    assert await tg.send_chat_action(rita.id, "typing") is True
    status, body = await raw.form("sendChatAction", chat_id=rita.id, action="dance")
    assert body["description"] == "Bad Request: wrong parameter action in request"
    reply = await tg.send_message(rita.id, "re", reply_parameters=ReplyParameters(1))
    assert reply.reply_to_message.message_id == 1  # type: ignore[union-attr]
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await tg.send_message(rita.id, "re", reply_parameters=ReplyParameters(999))


async def test_commands_descriptions_and_menu(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser
) -> None:
    await tg.set_my_commands([("start", "Start"), ("help", "Help")])
    await tg.set_my_commands([("start", "Начать")], language_code="ru")
    await tg.set_my_commands([("report", "Report")], scope=telegram.BotCommandScopeChat(rita.id))
    assert [c["command"] for c in emu.commands()] == ["start", "help"]
    assert emu.commands(language_code="ru") == [{"command": "start", "description": "Начать"}]
    assert emu.commands({"type": "chat", "chat_id": rita.id})[0]["command"] == "report"
    assert [c.command for c in await tg.get_my_commands()] == ["start", "help"]
    await tg.delete_my_commands()
    assert emu.commands() == []
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await tg.set_my_commands([("Start", "Upper case is not allowed")])
    await tg.set_my_description("Field CRM")
    await tg.set_my_short_description("CRM")
    await tg.set_my_name("FieldCRM Bot")
    assert (await tg.get_my_name()).name == "FieldCRM Bot"
    await tg.set_chat_menu_button(rita.id, telegram.MenuButtonCommands())
    assert isinstance(await tg.get_chat_menu_button(rita.id), telegram.MenuButtonCommands)
