"""The world half of the web chat's API: who is there, where they stand, and what time it is.

``routes`` gathers every endpoint of the page: these, and the chats' (``chat_api``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web

from bot.sandbox import reads
from bot.sandbox.chat_api import ChatApi
from bot.sandbox.requests import JSON, acting_person, integer, json_body, number, problem
from bot.sandbox.runtime import Person, Sandbox
from bot.sandbox.views import chat_view, user_view

LANGUAGES = ("en", "zh-hans", "zh-hant")
ROLE_ORDER = ("admin", "manager", "rep", "agent", "customer")
MAX_ADVANCE = timedelta(days=400)
NAME_LIMIT = 64


def routes(sandbox: Sandbox) -> list[web.RouteDef]:
    return [*WorldApi(sandbox).routes(), *ChatApi(sandbox).routes()]


class WorldApi:
    """``/api/state``, ``/api/people``, ``/api/geo``, ``/api/clock`` for one sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/api/state", self.state),
            web.post("/api/people", self.add_newcomer),
            web.get("/api/people/{user_id}/places", self.places),
            web.get("/api/geo/offset", self.offset),
            web.get("/api/clock", self.get_clock),
            web.post("/api/clock", self.move_clock),
        ]

    async def state(self, request: web.Request) -> web.Response:
        """Everything the page needs to draw its sidebar."""
        people = sorted(self.sandbox.people.values(), key=self._person_order)
        return web.json_response(
            {
                "bot": user_view(self.sandbox.emu.bot_user),
                "now": self.sandbox.clock.now().isoformat(),
                "default_timezone": self.sandbox.options.timezone,
                "languages": list(LANGUAGES),
                "people": [self._person_view(p) for p in people],
                "groups": [self._group_view(chat_id) for chat_id in self.sandbox.groups],
            }
        )

    async def add_newcomer(self, request: web.Request) -> web.Response:
        """A new Telegram user, to open invite links with."""
        body = await json_body(request)
        name = " ".join(str(body.get("name") or "").split())
        if not name or len(name) > NAME_LIMIT:
            raise problem(400, f"a name of 1 to {NAME_LIMIT} characters, please")
        language = str(body.get("language") or "en")
        if language not in LANGUAGES:
            raise problem(400, f"language must be one of {', '.join(LANGUAGES)}")
        person = self.sandbox.add_newcomer(name, language)
        return web.json_response(self._person_view(person), status=201)

    async def places(self, request: web.Request) -> web.Response:
        """Customer locations to prefill the location picker with; ``?chat=`` suggests the
        one the bot's latest message in that chat names (the check-in asks for it by name)."""
        person = acting_person(self.sandbox, request.match_info["user_id"])
        found = await reads.places_for(person.user.id)
        chat = request.query.get("chat")
        last_words = self._last_bot_text(integer(chat, "chat")) if chat else None
        return web.json_response(
            {
                "suggested": reads.named_place(found, last_words),
                "places": [
                    {
                        "customer_id": p.customer_id,
                        "name": p.name,
                        "address": p.address,
                        "latitude": p.latitude,
                        "longitude": p.longitude,
                    }
                    for p in found
                ],
            }
        )

    def _last_bot_text(self, chat_id: int) -> str | None:
        shown = [m for m in self.sandbox.emu.bot_messages(chat_id) if not m.deleted]
        return (shown[-1].text or shown[-1].caption) if shown else None

    async def offset(self, request: web.Request) -> web.Response:
        """A point moved by a distance in a direction (the picker's slider)."""
        query: JSON = dict(request.query)
        latitude = number(query, "latitude", low=-90, high=90)
        longitude = number(query, "longitude", low=-180, high=180)
        distance = number(query, "distance_km", low=0, high=reads.MAX_OFFSET_KM)
        bearing = number(query, "bearing", low=0, high=360, default=0)
        moved = reads.offset_point(latitude, longitude, distance, bearing)
        return web.json_response({"latitude": moved[0], "longitude": moved[1]})

    async def get_clock(self, request: web.Request) -> web.Response:
        return web.json_response({"now": self.sandbox.clock.now().isoformat()})

    async def move_clock(self, request: web.Request) -> web.Response:
        """Move time forward (by minutes, or to a moment), then run every job once."""
        body = await json_body(request)
        now = self.sandbox.clock.now()
        if body.get("advance_minutes") not in (None, ""):
            limit = MAX_ADVANCE.total_seconds() / 60
            target = now + timedelta(minutes=number(body, "advance_minutes", low=0, high=limit))
        else:
            target = self._moment(body)
        if target < now:
            raise problem(400, "the sandbox clock only moves forward")
        if target - now > MAX_ADVANCE:
            raise problem(400, "move at most 400 days at a time")
        outcomes = await self.sandbox.advance_to(target)
        return web.json_response(
            {
                "now": self.sandbox.clock.now().isoformat(),
                "jobs": [{"job": o.job, "error": o.error} for o in outcomes],
            }
        )

    def _moment(self, body: JSON) -> datetime:
        """``to`` with an offset, or wall time in ``timezone`` (the page's datetime-local)."""
        raw = str(body.get("to") or "")
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise problem(400, "to must be a date and time like 2026-03-02T18:30") from None
        if moment.tzinfo is None:
            try:
                zone = ZoneInfo(str(body.get("timezone") or self.sandbox.options.timezone))
            except (ZoneInfoNotFoundError, ValueError):
                raise problem(400, "timezone must be an IANA time zone") from None
            moment = moment.replace(tzinfo=zone)
        return moment

    def _person_view(self, person: Person) -> JSON:
        user = person.user
        standing = self.sandbox.standings.get(user.id)
        return {
            "id": user.id,
            "name": user.full_name,
            "username": user.username,
            "language": user.language_code,
            "role": standing.role if standing else None,
            "team": standing.team if standing else person.team,
            "timezone": self.sandbox.zone_of(user.id),
            "newcomer": person.newcomer,
        }

    def _person_order(self, person: Person) -> tuple[int, int, int]:
        standing = self.sandbox.standings.get(person.user.id)
        role = standing.role if standing else None
        rank = ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)
        return (int(person.newcomer), rank, person.user.id)

    def _group_view(self, chat_id: int) -> JSON:
        group = self.sandbox.groups[chat_id]
        view = chat_view(self.sandbox.emu.world, self.sandbox.emu.world.chats[chat_id])
        return {
            "id": chat_id,
            "title": view["title"],
            "team": group.team,
            "timezone": group.timezone,
            "members": [m["id"] for m in view["members"]],
        }
