"""429 Too Many Requests: injected on demand and computed in strict flood mode."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import telegram
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.emulator import BotApiEmulator, SimUser
from tests.emulator.conftest import TOKEN, FakeClock, Raw

# PTB itself reads its deprecated int ``retry_after`` while building RetryAfter.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def retry_after(emu: BotApiEmulator) -> int:
    """The retry_after Telegram sent (read from the record: PTB's attribute is deprecated)."""
    return int(emu.requests[-1].response["parameters"]["retry_after"])


async def test_fail_next_injects_retry_after(
    emu: BotApiEmulator, tg: telegram.Bot, raw: Raw, rita: SimUser
) -> None:
    emu.fail_next("sendMessage", retry_after=7)
    with pytest.raises(RetryAfter):
        await tg.send_message(rita.id, "first try")
    assert emu.requests[-1].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    await tg.send_message(rita.id, "second try")  # only the next call fails
    assert [m.text for m in emu.bot_messages(rita.id)] == ["second try"]


async def test_fail_next_other_codes(
    emu: BotApiEmulator, tg: telegram.Bot, raw: Raw, rita: SimUser
) -> None:
    emu.fail_next("SENDMESSAGE", error_code=403, description="Forbidden: user is deactivated")
    with pytest.raises(Forbidden, match="user is deactivated"):
        await tg.send_message(rita.id, "x")
    emu.fail_next("editMessageText", error_code=400)
    status, body = await raw.form("editMessageText", chat_id=rita.id, message_id=1, text="x")
    assert status == 400 and body["description"].startswith("Bad Request: ")


@pytest.fixture
async def strict(clock: FakeClock) -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator(token=TOKEN, clock=clock, strict_flood=True)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def strict_bot(strict: BotApiEmulator) -> AsyncIterator[telegram.Bot]:
    bot = telegram.Bot(TOKEN, base_url=strict.base_url, base_file_url=strict.base_file_url)
    async with bot:
        yield bot


async def test_strict_mode_per_chat_limit(
    strict: BotApiEmulator, strict_bot: telegram.Bot, clock: FakeClock
) -> None:
    user = strict.add_user("Ann")
    strict.send_message(user, "hi")
    for i in range(3):  # a short burst is tolerated
        await strict_bot.send_message(user.id, f"burst {i}")
    with pytest.raises(RetryAfter):
        await strict_bot.send_message(user.id, "one too many")
    assert retry_after(strict) == 1
    clock.advance(seconds=1)
    await strict_bot.send_message(user.id, "after waiting")
    # Other chats are not affected by this chat's limit.
    bob = strict.add_user("Bob")
    strict.send_message(bob, "hi")
    await strict_bot.send_message(bob.id, "hello Bob")


async def test_strict_mode_group_limit(
    strict: BotApiEmulator, strict_bot: telegram.Bot, clock: FakeClock
) -> None:
    owner = strict.add_user("Owner")
    group = strict.add_group("Sales", "group")
    strict.set_member(group, owner, "creator")
    strict.add_bot_to_group(group, by=owner)
    for i in range(20):
        await strict_bot.send_message(group.id, f"report {i}")
        clock.advance(seconds=1)  # stay under one per second per chat
    with pytest.raises(RetryAfter):
        await strict_bot.send_message(group.id, "21st this minute")
    assert retry_after(strict) == 40  # the first of the 20 leaves the window in 40 s
    clock.advance(seconds=40)
    await strict_bot.send_message(group.id, "a new minute")


async def test_strict_mode_global_limit(strict: BotApiEmulator, strict_bot: telegram.Bot) -> None:
    users = [strict.add_user(f"U{i}") for i in range(31)]
    for user in users:
        strict.send_message(user, "hi")
    for user in users[:30]:
        await strict_bot.send_message(user.id, "broadcast")
    with pytest.raises(RetryAfter):
        await strict_bot.send_message(users[30].id, "broadcast")


async def test_strict_mode_does_not_count_failed_validation(
    strict: BotApiEmulator, strict_bot: telegram.Bot
) -> None:
    user = strict.add_user("Ann")
    strict.send_message(user, "hi")
    for _ in range(5):
        with pytest.raises(BadRequest):
            await strict_bot.send_message(user.id, "<b>", parse_mode="HTML")
    await strict_bot.send_message(user.id, "fine")
