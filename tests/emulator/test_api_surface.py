"""The HTTP surface: tokens, method lookup, encodings, spec validation, error shapes."""

from __future__ import annotations

import json

import pytest
import telegram
from telegram.error import BadRequest, EndPointNotFound, InvalidToken

from bot.emulator import BotApiEmulator, SimUser, load_spec
from tests.emulator.conftest import Raw


async def test_get_me_through_ptb(tg: telegram.Bot) -> None:
    me = await tg.get_me()
    assert me.is_bot is True
    assert me.id == 123456
    assert me.username == "fieldcrm_bot"
    assert me.first_name == "FieldCRM"
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False  # privacy mode is on by default


async def test_wrong_token_is_401(emu: BotApiEmulator, raw: Raw) -> None:
    status, body = await raw.get("getMe", token="123456:WRONG")
    assert status == 401
    assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    bot = telegram.Bot("123456:WRONG", base_url=emu.base_url)
    with pytest.raises(InvalidToken):
        await bot.initialize()


async def test_unknown_method_is_404(tg: telegram.Bot, raw: Raw) -> None:
    status, body = await raw.get("sendTelepathy")
    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found"}
    with pytest.raises(EndPointNotFound):
        await tg.do_api_request("sendTelepathy")


async def test_method_names_are_case_insensitive(raw: Raw) -> None:
    status, body = await raw.get("GETME")
    assert status == 200 and body["result"]["username"] == "fieldcrm_bot"


async def test_all_encodings_are_accepted(emu: BotApiEmulator, raw: Raw, rita: SimUser) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    status, body = await raw.form(
        "sendMessage",
        chat_id=str(rita.id),
        text="form",
        reply_markup=markup,
        disable_notification=True,
    )
    assert status == 200 and body["result"]["reply_markup"] == markup
    status, body = await raw.json("sendMessage", chat_id=rita.id, text="json", reply_markup=markup)
    assert status == 200 and body["result"]["text"] == "json"
    status, body = await raw.get("sendMessage", chat_id=str(rita.id), text="query")
    assert status == 200 and body["result"]["text"] == "query"
    assert [m.text for m in emu.bot_messages(rita.id)] == ["form", "json", "query"]


async def test_unknown_parameter(raw: Raw, rita: SimUser) -> None:
    status, body = await raw.form("sendMessage", chat_id=rita.id, text="x", txet="typo")
    assert status == 400
    assert body["description"] == 'Bad Request: unknown parameter "txet" for method sendMessage'


async def test_missing_required_parameters(raw: Raw, rita: SimUser) -> None:
    status, body = await raw.form("sendMessage", chat_id=rita.id)
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    status, body = await raw.form("sendMessage", text="x")
    assert body["description"] == "Bad Request: chat_id is empty"
    status, body = await raw.form("sendPhoto", chat_id=rita.id)
    assert body["description"] == "Bad Request: there is no photo in the request"
    status, body = await raw.form("sendVenue", chat_id=rita.id, latitude=1, longitude=2)
    assert body["description"] == 'Bad Request: parameter "title" is required'


async def test_type_mismatches(raw: Raw, rita: SimUser) -> None:
    status, body = await raw.form("deleteMessage", chat_id=rita.id, message_id="seven")
    assert (status, body["description"]) == (
        400,
        'Bad Request: parameter "message_id" must be of type Integer',
    )
    status, body = await raw.form(
        "sendMessage", chat_id=rita.id, text="x", disable_notification="maybe"
    )
    assert (
        body["description"]
        == 'Bad Request: parameter "disable_notification" must be of type Boolean'
    )
    status, body = await raw.form(
        "sendMessage",
        chat_id=rita.id,
        text="x",
        reply_markup={"inline_keyboard": [[{"text": 5, "url": []}]]},
    )
    assert body["description"] == (
        'Bad Request: can\'t parse inline keyboard button: Field "url" must be of type String'
    )
    status, body = await raw.form(
        "sendMessage",
        chat_id=rita.id,
        text="x",
        reply_markup={"inline_keyboard": [[{"callback_data": "a"}]]},
    )
    assert body["description"] == (
        "Bad Request: can't parse inline keyboard button: Can't find field \"text\""
    )
    status, body = await raw.form(
        "sendMessage",
        chat_id=rita.id,
        text="x",
        reply_markup={"inline_keyboard": [[{"text": "a", "colour": 1}]]},
    )
    assert body["description"] == (
        'Bad Request: can\'t parse inline keyboard button: Unknown field "colour"'
    )
    status, body = await raw.form("sendMessage", chat_id=rita.id, text="x", reply_markup="{oops")
    assert body["description"] == "Bad Request: can't parse reply_markup JSON object"


async def test_integers_and_booleans_accept_telegram_spellings(raw: Raw, rita: SimUser) -> None:
    status, body = await raw.form(
        "sendMessage",
        chat_id=f" {rita.id}",
        text="x",
        disable_notification="1",
        protect_content="false",
    )
    assert status == 200, body


async def test_abstract_types_are_resolved_by_discriminator(raw: Raw, emu: BotApiEmulator) -> None:
    commands = [{"command": "start", "description": "Start"}]
    status, body = await raw.form(
        "setMyCommands", commands=commands, scope={"type": "all_private_chats"}
    )
    assert status == 200, body
    assert emu.commands({"type": "all_private_chats"}) == commands
    status, body = await raw.form("setMyCommands", commands=commands, scope={"type": "everyone"})
    assert body["description"] == (
        'Bad Request: can\'t parse BotCommandScope: Unsupported type "everyone" for BotCommandScope'
    )


async def test_spec_methods_without_implementation(raw: Raw, rita: SimUser) -> None:
    # Returns True in the spec → accepted after validation.
    status, body = await raw.form("setMessageReaction", chat_id=rita.id, message_id=1)
    assert (status, body) == (200, {"ok": True, "result": True})
    # Returns an object → refused, never faked.
    status, body = await raw.form("sendDice", chat_id=rita.id)
    assert (status, body["description"]) == (
        400,
        "Bad Request: method not supported by the emulator",
    )


async def test_ptb_error_translation(tg: telegram.Bot, rita: SimUser) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await tg.send_message(999, "x")


async def test_every_request_is_recorded(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser
) -> None:
    await tg.send_message(rita.id, "hello")
    with pytest.raises(BadRequest):
        await tg.send_message(rita.id, "<b>", parse_mode="HTML")
    sent = emu.requests_for("sendMessage")
    assert [r.ok for r in sent] == [True, False]
    assert sent[0].params is not None and sent[0].params["chat_id"] == rita.id
    assert sent[0].result["text"] == "hello"
    assert sent[1].description == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )


async def test_responses_conform_to_the_spec(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser
) -> None:
    """Every successful result validates (strictly) against the method's return type."""
    group = emu.add_group("North team")
    emu.set_member(group, rita, "creator")
    emu.add_bot_to_group(group, by=rita)
    sent = await tg.send_message(rita.id, "<b>hi</b> /help", parse_mode="HTML")
    await tg.edit_message_text("edited", rita.id, sent.message_id)
    await tg.send_photo(rita.id, b"\x89PNG fake", caption="pic")
    await tg.send_location(rita.id, 55.75, 37.61)
    await tg.send_venue(rita.id, 55.75, 37.61, "Office", "Main st 1")
    await tg.get_chat(group.id)
    await tg.get_chat_member(group.id, rita.id)
    await tg.get_chat_administrators(group.id)
    await tg.get_updates()
    await tg.get_webhook_info()
    spec = load_spec()
    checked = 0
    for request in emu.requests:
        if not request.ok:
            continue
        returns = spec.method(request.method).returns  # type: ignore[union-attr]
        problems = [spec.check(request.result, t) for t in returns]
        assert any(p == [] for p in problems), (
            request.method,
            problems,
            json.dumps(request.result),
        )
        checked += 1
    assert checked >= 10


async def test_ptb_defaults_on_methods_without_them_are_ignored_like_telegram(
    emu: BotApiEmulator,
) -> None:
    """PTB adds Defaults' parse_mode to editMessageReplyMarkup; other unknowns still fail."""
    user = emu.add_user("Ann")
    emu.send_message(user, "hi")
    status, body = await emu.call(
        "sendMessage", {"chat_id": str(user.id), "text": "x", "reply_markup": _KEYBOARD}
    )
    assert status == 200
    message_id = str(body["result"]["message_id"])
    status, body = await emu.call(
        "editMessageReplyMarkup",
        {"chat_id": str(user.id), "message_id": message_id, "parse_mode": "HTML"},
    )
    assert status == 200, body
    status, body = await emu.call(
        "editMessageReplyMarkup",
        {"chat_id": str(user.id), "message_id": message_id, "colour": "red"},
    )
    assert status == 400 and "unknown parameter" in body["description"]


_KEYBOARD = '{"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]}'
