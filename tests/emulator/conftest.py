"""Fixtures for the Bot API emulator's own tests: a running emulator, a controllable clock,
a real python-telegram-bot ``Bot`` pointed at it, and a raw HTTP helper."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
import telegram

from bot.emulator import BotApiEmulator, SimUser

TOKEN = "123456:TEST-TOKEN"


class FakeClock:
    """A tz-aware UTC clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def emu(clock: FakeClock) -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator(token=TOKEN, clock=clock, webhook_retry_delay=0.05)
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def tg(emu: BotApiEmulator) -> AsyncIterator[telegram.Bot]:
    bot = telegram.Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url)
    async with bot:
        yield bot


@pytest.fixture
def rita(emu: BotApiEmulator) -> SimUser:
    """A user who has started the bot."""
    user = emu.add_user("Rita", username="rita")
    emu.send_message(user, "/start")
    return user


class Raw:
    """Plain HTTP calls, to check exact status codes and JSON bodies."""

    def __init__(self, emu: BotApiEmulator, session: aiohttp.ClientSession) -> None:
        self.emu = emu
        self.session = session

    def url(self, method: str, token: str = TOKEN) -> str:
        return f"{self.emu.base_url}{token}/{method}"

    async def form(self, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
        async with self.session.post(self.url(method), data=data) as response:
            return response.status, await response.json()

    async def json(self, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        async with self.session.post(self.url(method), json=params) as response:
            return response.status, await response.json()

    async def get(self, method: str, token: str = TOKEN, **params: str) -> tuple[int, Any]:
        async with self.session.get(self.url(method, token), params=params) as response:
            return response.status, await response.json()


@pytest.fixture
async def raw(emu: BotApiEmulator) -> AsyncIterator[Raw]:
    async with aiohttp.ClientSession() as session:
        yield Raw(emu, session)


# A valid 2x1 PNG (red, blue); the header gives the emulator real dimensions.
PNG_2X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000010802000000"
    "7b401de80000000f4944415478da63f8cfc0f09f0100060201ffa3f1"
    "2d1a0000000049454e44ae426082"
)
