"""The web chat's API for voice messages and live locations, and the picker's suggestion."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.sandbox import reads
from bot.sandbox.runtime import Sandbox
from bot.sandbox.web import ACTION_HEADER, SandboxServer
from storage.demo import DEMO_PERSONAS
from storage.models import Role
from tests.emulator.test_voice_and_live_location import wav
from tests.support.sandbox import START, load_demo_database, running_copy

REP = next(p for p in DEMO_PERSONAS if p.role is Role.REP and p.language == "en")
WRITE = {ACTION_HEADER: "1"}


def place(customer_id: int, name: str) -> reads.Place:
    return reads.Place(customer_id, name, None, 31.2, 121.4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("📍 Check-in at Acme Trading\n\nTap below", 2),  # the longest name wins
        ("Check-in at ACME", 1),  # case does not matter
        ("Beta and Acme", 3),  # equally long: the earliest mention
        ("Nothing named here", None),
        (None, None),
    ],
)
def test_the_picker_suggests_the_customer_the_text_names(text: str | None, expected: int) -> None:
    places = [place(1, "Acme"), place(2, "Acme Trading"), place(3, "Beta"), place(4, " ")]
    assert reads.named_place(places, text) == expected


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sandbox-live") / "demo.sqlite3"
    assert load_demo_database(path, START)
    return path


@pytest.fixture
async def sandbox(demo_database: Path, tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running_copy(demo_database, tmp_path, START) as running:
        yield running


@pytest.fixture
async def session(sandbox: Sandbox) -> AsyncIterator[aiohttp.ClientSession]:
    server = SandboxServer(sandbox, "127.0.0.1", 0)
    await server.start()
    try:
        async with aiohttp.ClientSession(base_url=server.url) as client:
            yield client
    finally:
        await server.stop()


async def post(
    session: aiohttp.ClientSession, path: str, body: dict[str, Any], status: int = 200
) -> Any:
    async with session.post(path, json=body, headers=WRITE) as response:
        assert response.status == status, await response.text()
        return await response.json()


async def messages(session: aiohttp.ClientSession, chat: int) -> list[dict[str, Any]]:
    async with session.get(f"/api/chats/{chat}") as response:
        return list((await response.json())["messages"])


async def test_a_voice_message_is_sent_shown_and_played(
    session: aiohttp.ClientSession,
) -> None:
    rep = REP.telegram_id

    async def upload(data: bytes, name: str, mime: str, status: int = 200) -> Any:
        form = aiohttp.FormData()
        form.add_field("user", str(rep))
        form.add_field("file", data, filename=name, content_type=mime)
        async with session.post(f"/api/chats/{rep}/voice", data=form, headers=WRITE) as r:
            assert r.status == status, await r.text()
            return await r.json()

    recording = wav(2)
    assert (await upload(recording, "memo.wav", "audio/wav"))["handled"] is True
    sent = next(m for m in await messages(session, rep) if m["voice"])
    assert (sent["voice"]["duration"], sent["voice"]["mime_type"]) == (2, "audio/wav")
    async with session.get(f"/api/files/{sent['voice']['file_id']}") as response:
        assert response.headers["Content-Type"] == "audio/wav"
        assert "media-src 'self'" in response.headers["Content-Security-Policy"]
        assert await response.read() == recording

    refused = await upload(b"name,phone\n", "leads.csv", "text/csv", 400)
    assert "send it as a file" in refused["error"]


async def test_a_live_location_moves_and_stops_through_the_api(
    session: aiohttp.ClientSession, sandbox: Sandbox
) -> None:
    rep = REP.telegram_id
    point = {"user": rep, "latitude": 31.23, "longitude": 121.47, "accuracy": 10}
    await post(session, f"/api/chats/{rep}/location", {**point, "live_period": 30}, 400)
    await post(session, f"/api/chats/{rep}/location", {**point, "live_period": 3600})
    shared = next(m for m in await messages(session, rep) if m["location"])
    assert shared["live_until"] == shared["date"] + 3600
    live = f"/api/chats/{rep}/live/{shared['message_id']}"

    moved = await post(session, live, {**point, "latitude": 31.25})
    assert moved["delivered"] is True and moved["handled"] is True
    now = next(m for m in await messages(session, rep) if m["message_id"] == shared["message_id"])
    assert now["location"]["latitude"] == 31.25 and now["edit_date"] is not None

    await post(session, f"{live}/stop", {"user": rep})
    now = next(m for m in await messages(session, rep) if m["message_id"] == shared["message_id"])
    assert now["live_until"] is None and "live_period" not in now["location"]
    refused = await post(session, live, point, 400)
    assert "not a live location" in refused["error"]
    someone_else = next(p.telegram_id for p in DEMO_PERSONAS if p.telegram_id != rep)
    await post(session, f"{live}/stop", {"user": someone_else}, 400)


async def test_the_places_suggest_the_customer_the_bots_last_message_names(
    session: aiohttp.ClientSession, sandbox: Sandbox
) -> None:
    rep = REP.telegram_id
    places = await reads.places_for(rep)
    named = places[-1]
    async with session.get(f"/api/people/{rep}/places", params={"chat": rep}) as response:
        assert (await response.json())["suggested"] is None
    await sandbox.app.bot.send_message(rep, f"📍 Check-in at {named.name}")
    async with session.get(f"/api/people/{rep}/places", params={"chat": rep}) as response:
        assert (await response.json())["suggested"] == named.customer_id
    async with session.get(f"/api/people/{rep}/places") as response:
        assert (await response.json())["suggested"] is None
