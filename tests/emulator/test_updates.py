"""getUpdates (offset, limit, timeout, allowed_updates, conflicts) and webhook delivery."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import telegram
from aiohttp import web
from telegram.error import Conflict

from bot.emulator import BotApiEmulator, SimUser
from tests.emulator.conftest import Raw


async def test_offset_and_limit(emu: BotApiEmulator, tg: telegram.Bot) -> None:
    user = emu.add_user("Ann")
    ids = [emu.send_message(user, f"m{i}")["update_id"] for i in range(5)]  # type: ignore[index]
    assert [u.update_id for u in await tg.get_updates(limit=2)] == ids[:2]
    # Without a new offset the same updates come again (they are not confirmed yet).
    assert [u.update_id for u in await tg.get_updates(limit=2)] == ids[:2]
    # offset confirms everything before it.
    assert [u.update_id for u in await tg.get_updates(offset=ids[2])] == ids[2:]
    assert [u.update_id for u in await tg.get_updates()] == ids[2:]
    # A negative offset keeps only the last -offset updates.
    assert [u.update_id for u in await tg.get_updates(offset=-1)] == ids[-1:]
    assert [u.update_id for u in await tg.get_updates()] == ids[-1:]
    assert await tg.get_updates(offset=ids[-1] + 1) == ()
    assert emu.updates.pending_count == 0


async def test_limit_is_clamped(raw: Raw, emu: BotApiEmulator) -> None:
    user = emu.add_user("Ann")
    for i in range(3):
        emu.send_message(user, str(i))
    status, body = await raw.get("getUpdates", limit="0")
    assert status == 200 and len(body["result"]) == 1  # clamped to 1 like telegram-bot-api
    status, body = await raw.get("getUpdates", limit="1000")
    assert len(body["result"]) == 3


async def test_timeout_returns_empty_when_nothing_arrives(tg: telegram.Bot) -> None:
    assert await tg.get_updates(timeout=0) == ()
    assert await tg.get_updates(timeout=1) == ()  # waits ~1 s, then an empty list


async def test_long_poll_wakes_up_on_new_update(emu: BotApiEmulator, tg: telegram.Bot) -> None:
    user = emu.add_user("Ann")
    poll = asyncio.create_task(tg.get_updates(timeout=30))
    await emu.updates.wait_for_long_poll()  # the request is parked, waiting
    emu.send_message(user, "ping")
    updates = await asyncio.wait_for(poll, 5)
    assert [u.message.text for u in updates] == ["ping"]  # type: ignore[union-attr]


async def test_second_long_poll_terminates_the_first(
    emu: BotApiEmulator, tg: telegram.Bot, raw: Raw
) -> None:
    first = asyncio.create_task(tg.get_updates(timeout=30))
    parked = await emu.updates.wait_for_long_poll()
    # A second bot instance polling with the same token:
    second = asyncio.create_task(raw.get("getUpdates", timeout="30"))
    with pytest.raises(Conflict) as exc_info:
        await asyncio.wait_for(first, 5)
    assert exc_info.value.message == (
        "Conflict: terminated by other getUpdates request; make sure that only one bot "
        "instance is running"
    )
    await emu.updates.wait_for_long_poll(other_than=parked)
    await emu.stop()  # stop() releases the parked poll
    assert await asyncio.wait_for(second, 5) == (200, {"ok": True, "result": []})


async def test_allowed_updates_filter_at_creation(emu: BotApiEmulator, tg: telegram.Bot) -> None:
    user = emu.add_user("Ann")
    await tg.get_updates(allowed_updates=["callback_query"])
    assert emu.send_message(user, "ignored") is None
    assert emu.messages(user.id)[-1].text == "ignored"  # the user still sees it sent
    await tg.get_updates(allowed_updates=[])  # back to the default
    assert emu.send_message(user, "delivered") is not None


class Receiver:
    """A tiny webhook endpoint that records what Telegram would POST."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.arrived = asyncio.Event()
        self.fail_first = 0
        self.reply: dict[str, Any] | None = None

    async def handle(self, request: web.Request) -> web.Response:
        if self.fail_first > 0:
            self.fail_first -= 1
            return web.Response(status=500)
        body = await request.json()
        self.received.append((body, request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        self.arrived.set()
        if self.reply is not None:
            return web.json_response(self.reply)
        return web.Response(text="ok")


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    rec = Receiver()
    app = web.Application()
    app.router.add_post("/hook", rec.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield rec, f"http://127.0.0.1:{port}/hook"
    await runner.cleanup()


async def test_webhook_delivery_with_secret(
    emu: BotApiEmulator, tg: telegram.Bot, receiver: tuple[Receiver, str], rita: SimUser
) -> None:
    rec, url = receiver
    assert await tg.set_webhook(url, secret_token="s3cr3t_-", drop_pending_updates=True)
    assert emu.requests[-1].description == "Webhook was set"
    info = await tg.get_webhook_info()
    assert info.url == url and info.pending_update_count == 0
    update = emu.send_message(rita, "via webhook")
    await asyncio.wait_for(rec.arrived.wait(), 5)
    body, secret = rec.received[0]
    assert body == update and secret == "s3cr3t_-"
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await tg.get_updates()
    assert await tg.delete_webhook()
    assert emu.requests[-1].description == "Webhook was deleted"
    assert await tg.get_updates() == ()


async def test_webhook_retries_after_errors(
    emu: BotApiEmulator, tg: telegram.Bot, receiver: tuple[Receiver, str], rita: SimUser
) -> None:
    rec, url = receiver
    rec.fail_first = 2
    await tg.set_webhook(url, drop_pending_updates=True)
    update = emu.send_message(rita, "retry me")
    await asyncio.wait_for(rec.arrived.wait(), 5)
    assert [body for body, _ in rec.received] == [update]
    info = await tg.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert info.pending_update_count == 0


async def test_webhook_reply_can_call_a_method(
    emu: BotApiEmulator, tg: telegram.Bot, receiver: tuple[Receiver, str], rita: SimUser
) -> None:
    rec, url = receiver
    rec.reply = {"method": "sendMessage", "chat_id": rita.id, "text": "answered inline"}
    answered = asyncio.Event()
    emu.subscribe(lambda event, chat_id, m: answered.set() if m.from_bot else None)
    await tg.set_webhook(url)
    emu.send_message(rita, "hi")
    await asyncio.wait_for(answered.wait(), 5)
    assert emu.bot_messages(rita.id)[-1].text == "answered inline"


async def test_webhook_url_rules(raw: Raw) -> None:
    _, body = await raw.form("setWebhook", url="http://example.com/hook")
    assert (
        body["description"] == "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    )
    _, body = await raw.form("setWebhook", url="https://example.com:8080/hook")
    assert body["description"] == (
        "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
    )
    _, body = await raw.form("setWebhook", url="https://example.com/hook", secret_token="has space")
    assert body["description"] == "Bad Request: secret token contains unallowed characters"


async def test_set_webhook_terminates_long_poll(
    emu: BotApiEmulator, tg: telegram.Bot, receiver: tuple[Receiver, str]
) -> None:
    _, url = receiver
    poll = asyncio.create_task(tg.get_updates(timeout=30))
    await emu.updates.wait_for_long_poll()
    await tg.set_webhook(url)
    with pytest.raises(Conflict, match="terminated by setWebhook request"):
        await asyncio.wait_for(poll, 5)


async def test_json_body_update_shape(emu: BotApiEmulator, raw: Raw) -> None:
    user = emu.add_user("Ann", last_name="Lee")
    update = emu.send_message(user, "hello @fieldcrm_bot")
    _, body = await raw.json("getUpdates")
    assert body["result"] == [update]
    message = json.loads(json.dumps(update))["message"]
    assert message["entities"] == [{"offset": 6, "length": 13, "type": "mention"}]
    assert message["chat"] == {
        "id": user.id,
        "type": "private",
        "first_name": "Ann",
        "last_name": "Lee",
    }


async def test_bad_arguments_in_get_updates(raw: Raw) -> None:
    status, body = await raw.get("getUpdates", offset="latest")
    assert (status, body["description"]) == (
        400,
        'Bad Request: parameter "offset" must be of type Integer',
    )
