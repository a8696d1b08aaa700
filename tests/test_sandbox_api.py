"""The sandbox's web API without a browser: what the web chat can see and do.

Each test runs the real sandbox (the production bot on demo data, the emulator as Telegram)
and its web server on a free port, and talks to it over HTTP like the page does: reading chats,
acting as a persona, following the live event stream, moving the clock.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from geopy.distance import geodesic

from bot.i18n import Lang, t
from bot.render import plain_text
from bot.sandbox.runtime import BOT_USERNAME, Sandbox
from bot.sandbox.web import ACTION_HEADER, STATIC_DIR, SandboxServer
from scheduler.jobs import JOBS
from storage.demo import DEMO_PERSONAS
from storage.models import Customer, JobRun, Role, Team, User
from tests.support.sandbox import START, load_demo_database, png, running_copy

ADMIN = next(p for p in DEMO_PERSONAS if p.role is Role.ADMIN)
MANAGER = next(p for p in DEMO_PERSONAS if p.role is Role.MANAGER)
REP = next(p for p in DEMO_PERSONAS if p.role is Role.REP and p.team == MANAGER.team)
WRITE = {ACTION_HEADER: "1"}
Event = dict[str, Any]


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated and filled once; every test gets its own copy (loading takes seconds)."""
    path = tmp_path_factory.mktemp("sandbox") / "demo.sqlite3"
    assert load_demo_database(path, START)
    return path


@pytest.fixture
async def sandbox(demo_database: Path, tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running_copy(demo_database, tmp_path, START) as running:
        yield running


class Web:
    """The page's side of the API."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def get(self, path: str, **params: Any) -> Any:
        async with self.session.get(path, params=params) as response:
            assert response.status == 200, await response.text()
            return await response.json()

    async def post(self, path: str, body: dict[str, Any], status: int = 200) -> Any:
        async with self.session.post(path, json=body, headers=WRITE) as response:
            assert response.status == status, await response.text()
            return await response.json()

    async def say(self, person: int, text: str, chat: int | None = None) -> Any:
        return await self.post(
            f"/api/chats/{chat or person}/messages", {"user": person, "text": text}
        )

    async def messages(self, chat: int) -> list[dict[str, Any]]:
        return list((await self.get(f"/api/chats/{chat}"))["messages"])

    async def last_bot_message(self, chat: int) -> dict[str, Any]:
        return [m for m in await self.messages(chat) if m["from_bot"]][-1]


@pytest.fixture
async def web(sandbox: Sandbox) -> AsyncIterator[Web]:
    server = SandboxServer(sandbox, "127.0.0.1", 0)
    await server.start()
    try:
        async with aiohttp.ClientSession(base_url=server.url) as session:
            yield Web(session)
    finally:
        await server.stop()


class EventStream:
    """``/api/events`` as the page's EventSource reads it."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response

    async def next(self, wanted: Callable[[Event], bool], within: float = 15.0) -> Event:
        async with asyncio.timeout(within):
            while True:
                line = await self.response.content.readline()
                if line.startswith(b"data: "):
                    event: Event = json.loads(line[len(b"data: ") :])
                    if wanted(event):
                        return event


@pytest.fixture
async def events(web: Web) -> AsyncIterator[EventStream]:
    async with web.session.get("/api/events") as response:
        stream = EventStream(response)
        await stream.next(lambda e: e["type"] == "hello")
        yield stream


def bot_says(chat: int, event: str = "new") -> Callable[[Event], bool]:
    return lambda e: (
        e["type"] == "message"
        and e["event"] == event
        and e["message"]["chat_id"] == chat
        and e["message"]["from_bot"]
    )


async def test_personas_and_team_groups_are_listed(web: Web) -> None:
    state = await web.get("/api/state")
    people = {p["id"]: p for p in state["people"]}
    assert set(people) == {p.telegram_id for p in DEMO_PERSONAS}
    assert people[ADMIN.telegram_id]["role"] == "admin"
    for persona in DEMO_PERSONAS:
        shown = people[persona.telegram_id]
        assert (shown["name"], shown["role"], shown["team"]) == (
            persona.full_name,
            persona.role.value,
            persona.team,
        )
    taipei = next(p for p in DEMO_PERSONAS if p.team and "Taipei" in p.team)
    assert people[taipei.telegram_id]["timezone"] == "Asia/Taipei"
    assert state["bot"]["username"] == BOT_USERNAME
    assert datetime.fromisoformat(state["now"]) == START

    groups = {g["team"]: g for g in state["groups"]}
    assert set(groups) == {p.team for p in DEMO_PERSONAS if p.team}
    east = groups[MANAGER.team]
    expected = {
        p.telegram_id
        for p in DEMO_PERSONAS
        if p.team == MANAGER.team and p.role in (Role.MANAGER, Role.REP)
    }
    assert set(east["members"]) == expected
    team = await Team.get(name=MANAGER.team)
    assert team.group_chat_id == east["id"]  # bound to the team, digests go there
    chat = await web.get(f"/api/chats/{east['id']}")
    assert chat["chat"]["bot_present"] is True
    assert chat["messages"][0]["service"] == {"kind": "new_chat_members", "users": ["FieldCRM"]}
    assert chat["messages"][1]["text"] == plain_text(t(Lang.ZH_HANS, "group.hello"), 4096)


async def test_a_command_is_answered_through_the_api_and_the_live_events(
    web: Web, events: EventStream
) -> None:
    admin = ADMIN.telegram_id
    result = await web.say(admin, "/start")
    assert result == {"delivered": True, "handled": True}
    greeting = plain_text(t(Lang.ZH_HANS, "start.admin", name=ADMIN.full_name), 4096)

    mine = await events.next(lambda e: e["type"] == "message" and e["message"]["chat_id"] == admin)
    assert mine["message"]["text"] == "/start" and not mine["message"]["from_bot"]
    answer = await events.next(bot_says(admin))
    assert answer["message"]["text"] == greeting
    utf16_offset = len(greeting[: greeting.index("管理员")].encode("utf-16-le")) // 2
    assert {"type": "bold", "offset": utf16_offset, "length": 3} in [
        {k: e[k] for k in ("type", "offset", "length")} for e in answer["message"]["entities"]
    ]
    assert (await web.last_bot_message(admin))["text"] == greeting


async def test_the_command_menu_is_the_one_telegram_would_show(web: Web) -> None:
    def names(menu: dict[str, Any]) -> list[str]:
        return [c["command"] for c in menu["commands"]]

    admin, rep = ADMIN.telegram_id, REP.telegram_id
    assert "newteam" in names(await web.get(f"/api/chats/{admin}/menu", user=admin))
    assert "newteam" not in names(await web.get(f"/api/chats/{rep}/menu", user=rep))
    group = (await web.get("/api/state"))["groups"][0]["id"]
    assert "bindgroup" in names(await web.get(f"/api/chats/{group}/menu", user=rep))


async def test_tapping_a_button_edits_the_answer_in_place(
    sandbox: Sandbox, web: Web, events: EventStream
) -> None:
    admin = ADMIN.telegram_id
    await web.say(admin, "/lang")
    question = await web.last_bot_message(admin)
    english = next(
        b
        for row in question["reply_markup"]["inline_keyboard"]
        for b in row
        if "English" in b["text"]
    )
    tapped = await web.post(
        f"/api/chats/{admin}/tap",
        {"user": admin, "message_id": question["message_id"], "data": english["callback_data"]},
    )
    assert tapped["handled"] is True and tapped["answer"] is not None  # the spinner stopped

    edited = await events.next(bot_says(admin, "edited"))
    assert edited["message"]["message_id"] == question["message_id"]
    assert edited["message"]["text"] == plain_text(t(Lang.EN, "lang.set"))
    assert edited["message"]["edit_date"] is not None
    messages = await web.messages(admin)
    assert [m["message_id"] for m in messages if m["from_bot"]] == [question["message_id"]]
    assert (await User.get(telegram_id=admin)).language == "en"

    refused = await web.post(
        f"/api/chats/{admin}/tap",
        {"user": admin, "message_id": question["message_id"], "data": "no-such-button"},
        status=409,
    )
    assert "no longer" in refused["error"]


async def test_sharing_a_location_near_a_customer(web: Web) -> None:
    rep = REP.telegram_id
    places = (await web.get(f"/api/people/{rep}/places"))["places"]
    assert places
    owned = await Customer.filter(id__in=[p["customer_id"] for p in places]).prefetch_related(
        "owner"
    )
    assert {c.owner.telegram_id for c in owned if c.owner} == {rep}
    shop = places[0]
    moved = await web.get(
        "/api/geo/offset",
        latitude=shop["latitude"],
        longitude=shop["longitude"],
        distance_km=2,
        bearing=90,
    )
    distance = geodesic(
        (shop["latitude"], shop["longitude"]), (moved["latitude"], moved["longitude"])
    )
    assert distance.km == pytest.approx(2.0, abs=0.01)
    assert moved["longitude"] > shop["longitude"]  # east

    result = await web.post(
        f"/api/chats/{rep}/location",
        {
            "user": rep,
            "latitude": moved["latitude"],
            "longitude": moved["longitude"],
            "accuracy": 12,
        },
    )
    assert result["handled"] is True
    messages = await web.messages(rep)
    sent = next(m for m in messages if m["location"])
    assert sent["location"] == {
        "latitude": moved["latitude"],
        "longitude": moved["longitude"],
        "horizontal_accuracy": 12,
    }
    assert messages[-1]["from_bot"] and messages[-1]["message_id"] > sent["message_id"]

    await web.post(
        f"/api/chats/{rep}/location", {"user": rep, "latitude": 91, "longitude": 0}, status=400
    )


async def test_uploading_a_photo_and_a_document(web: Web) -> None:
    rep = REP.telegram_id

    async def upload(kind: str, data: bytes, name: str, mime: str, status: int = 200) -> Any:
        form = aiohttp.FormData(quote_fields=False)  # as browsers send names: raw UTF-8
        form.add_field("user", str(rep))
        form.add_field("caption", "Storefront")
        form.add_field("file", data, filename=name, content_type=mime)
        async with web.session.post(f"/api/chats/{rep}/{kind}", data=form, headers=WRITE) as r:
            assert r.status == status, await r.text()
            return await r.json()

    image = png(64, 48)
    assert (await upload("photo", image, "shop.png", "image/png"))["handled"] is True
    photo = next(m for m in await web.messages(rep) if m["photo"])
    assert (photo["photo"]["width"], photo["photo"]["height"], photo["caption"]) == (
        64,
        48,
        "Storefront",
    )
    async with web.session.get(f"/api/files/{photo['photo']['file_id']}") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "image/png"
        assert response.headers["Content-Disposition"].startswith("inline")
        assert await response.read() == image

    sheet = b"name,phone\n\xe5\x8d\x8e\xe4\xbf\xa1,13800000000\n"
    await upload("document", sheet, "../leads 3月.csv", "text/csv")
    document = next(m for m in await web.messages(rep) if m["document"])
    assert document["document"]["file_name"] == "leads 3月.csv"
    async with web.session.get(f"/api/files/{document['document']['file_id']}") as response:
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert await response.read() == sheet

    refused = await upload("photo", b"<html>not an image</html>", "x.png", "image/png", 400)
    assert "send it as a file" in refused["error"]


async def test_bot_html_reaches_the_page_as_text_and_entities(
    sandbox: Sandbox, web: Web, events: EventStream
) -> None:
    admin = ADMIN.telegram_id
    await sandbox.app.bot.send_message(
        admin, "<b>bold</b> &lt;script&gt;alert(1)&lt;/script&gt; <i>&lt;img onerror=x&gt;</i>"
    )
    event = await events.next(bot_says(admin))
    assert event["message"]["text"] == "bold <script>alert(1)</script> <img onerror=x>"
    assert [e["type"] for e in event["message"]["entities"]] == ["bold", "italic"]

    page_code = "\n".join(p.read_text() for p in STATIC_DIR.glob("*.js"))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in page_code, f"the page must build DOM nodes, not parse HTML ({sink})"
    assert "script-src 'self'" in (await web.session.get("/")).headers["Content-Security-Policy"]


async def test_advancing_the_clock_runs_every_job(web: Web, events: EventStream) -> None:
    assert not await JobRun.exists()
    moved = await web.post("/api/clock", {"advance_minutes": 24 * 60})
    assert datetime.fromisoformat(moved["now"]) == START + timedelta(days=1)
    assert [j["job"] for j in moved["jobs"]] == [spec.callback.__name__ for spec in JOBS]
    assert [j for j in moved["jobs"] if j["error"]] == []
    assert await JobRun.filter(job="purge_invites").exists()
    clock = await events.next(lambda e: e["type"] == "clock")
    assert datetime.fromisoformat(clock["now"]) == START + timedelta(days=1)

    to = await web.post("/api/clock", {"to": "2026-03-04T18:30", "timezone": "Asia/Taipei"})
    assert datetime.fromisoformat(to["now"]) == datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
    back = await web.post("/api/clock", {"to": "2026-03-01T09:00"}, status=400)
    assert "forward" in back["error"]
    assert datetime.fromisoformat((await web.get("/api/clock"))["now"]) == datetime(
        2026, 3, 4, 10, 30, tzinfo=UTC
    )


async def test_a_newcomer_opens_an_invite_link_and_joins(web: Web, events: EventStream) -> None:
    manager = MANAGER.telegram_id
    await web.say(manager, "/invite")
    offer = await web.last_bot_message(manager)
    first = offer["reply_markup"]["inline_keyboard"][0][0]
    await web.post(
        f"/api/chats/{manager}/tap",
        {"user": manager, "message_id": offer["message_id"], "data": first["callback_data"]},
    )
    link = await web.last_bot_message(manager)
    code = re.search(rf"t\.me/{BOT_USERNAME}\?start=(\S+)", link["text"])
    assert code is not None

    nora = await web.post("/api/people", {"name": "Nora", "language": "en"}, status=201)
    assert (nora["role"], nora["newcomer"]) == (None, True)
    await web.say(nora["id"], f"/start {code.group(1)}")
    welcome = await web.last_bot_message(nora["id"])
    assert "华东 East" in welcome["text"]
    await events.next(lambda e: e["type"] == "people")
    people = {p["id"]: p for p in (await web.get("/api/state"))["people"]}
    assert (people[nora["id"]]["role"], people[nora["id"]]["team"]) == ("rep", MANAGER.team)

    await web.post("/api/people", {"name": "", "language": "en"}, status=400)
    await web.post("/api/people", {"name": "Otto", "language": "klingon"}, status=400)


async def test_speaking_in_the_team_group(web: Web) -> None:
    group = next(g for g in (await web.get("/api/state"))["groups"] if g["team"] == MANAGER.team)
    result = await web.say(MANAGER.telegram_id, "/bindgroup", chat=group["id"])
    assert result["handled"] is True
    answer = await web.last_bot_message(group["id"])
    assert answer["text"] == plain_text(t(Lang.ZH_HANS, "group.already", team=MANAGER.team), 4096)
    chatter = await web.say(REP.telegram_id, "morning all", chat=group["id"])
    assert chatter == {"delivered": False, "handled": False}  # privacy mode: not for the bot
    assert (await web.messages(group["id"]))[-1]["sender"]["id"] == REP.telegram_id


async def test_nobody_writes_where_they_could_not(web: Web) -> None:
    admin, rep = ADMIN.telegram_id, REP.telegram_id
    stranger = await web.post(
        f"/api/chats/{admin}/messages", {"user": rep, "text": "hi"}, status=400
    )
    assert "another user's private chat" in stranger["error"]
    group = (await web.get("/api/state"))["groups"][0]["id"]
    await web.post(f"/api/chats/{group}/messages", {"user": admin, "text": "/help"}, status=400)
    await web.post("/api/chats/42/messages", {"user": admin, "text": "hi"}, status=404)
    await web.post(f"/api/chats/{admin}/messages", {"user": 7, "text": "hi"}, status=404)
    await web.post(f"/api/chats/{admin}/messages", {"user": admin, "text": " "}, status=400)


async def test_the_server_refuses_cross_site_writes_and_foreign_hosts(web: Web) -> None:
    admin = ADMIN.telegram_id
    async with web.session.post(
        f"/api/chats/{admin}/messages", json={"user": admin, "text": "/start"}
    ) as response:
        assert response.status == 403
    async with web.session.get("/api/state", headers={"Host": "evil.example:8080"}) as response:
        assert response.status == 421
    assert await web.messages(admin) == []
