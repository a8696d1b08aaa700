"""The chat half of the web chat's API: read a chat, and act in it as a person.

Every action goes through the emulator's simulation API — the same calls a user story in the
tests makes — and returns once the bot has handled the resulting update, so the answer is
already in the chat (and on its way to every tab through ``/api/events``). Requests name the
acting person explicitly (``user``); the emulator refuses what a real client could not do
(writing into someone else's chat, or into a group one is not in) and that comes back as 400.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import quote

from aiohttp import BodyPartReader, web

from bot.emulator import SimChat
from bot.emulator.files import audio_duration, image_size
from bot.emulator.limits import MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, is_live_period
from bot.sandbox.requests import JSON, acting_person, integer, json_body, number, problem
from bot.sandbox.runtime import Sandbox
from bot.sandbox.views import chat_view, message_view

IMAGE_TYPES = {b"\x89PNG": "image/png", b"GIF8": "image/gif", b"\xff\xd8\xff": "image/jpeg"}
AUDIO_EXTENSIONS = (".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac", ".wav", ".webm", ".flac")
MAX_ACCURACY_METERS = 1500  # Telegram's limit for horizontal_accuracy
PHONE_LIMIT = 32


class ChatApi:
    """``/api/chats/…`` and ``/api/files/…`` for one running sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.emu = sandbox.emu

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/api/chats/{chat_id}", self.chat),
            web.get("/api/chats/{chat_id}/menu", self.menu),
            web.post("/api/chats/{chat_id}/messages", self.send_text),
            web.post("/api/chats/{chat_id}/tap", self.tap),
            web.post("/api/chats/{chat_id}/location", self.send_location),
            web.post("/api/chats/{chat_id}/live/{message_id}", self.move_live),
            web.post("/api/chats/{chat_id}/live/{message_id}/stop", self.stop_live),
            web.post("/api/chats/{chat_id}/contact", self.send_contact),
            web.post("/api/chats/{chat_id}/photo", self.send_photo),
            web.post("/api/chats/{chat_id}/document", self.send_document),
            web.post("/api/chats/{chat_id}/voice", self.send_voice),
            web.get("/api/files/{file_id}", self.file),
        ]

    # ----- reading -----

    async def chat(self, request: web.Request) -> web.Response:
        """A chat's header data and its messages (edits applied, deletions left out)."""
        chat = self._chat(request)
        messages = [message_view(self.emu.world, m) for m in self.emu.messages(chat.id)]
        return web.json_response(
            {
                "chat": chat_view(self.emu.world, chat),
                "timezone": self.sandbox.zone_of(chat.id),
                "messages": [m for m in messages if not m["deleted"]],
            }
        )

    async def menu(self, request: web.Request) -> web.Response:
        """The command menu this person sees in this chat (Telegram's scope resolution)."""
        chat = self._chat(request)
        person = acting_person(self.sandbox, request.query.get("user"))
        return web.json_response({"commands": self.emu.menu(chat.id, person.user)})

    async def file(self, request: web.Request) -> web.StreamResponse:
        """A file's bytes: images inline, anything else as a download (never rendered here)."""
        record = self.emu.files.get(request.match_info["file_id"])
        if record is None:
            raise problem(404, "no such file")
        content_type = next(
            (kind for magic, kind in IMAGE_TYPES.items() if record.data.startswith(magic)), None
        )
        inline = content_type is not None and "download" not in request.query
        name = record.file_name or posixpath.basename(record.file_path)
        headers = {
            "Cache-Control": "private, max-age=86400, immutable",
            "Content-Disposition": ("inline" if inline else "attachment")
            + f"; filename*=UTF-8''{quote(name)}",
        }
        return web.Response(
            body=record.data,
            content_type=content_type or record.mime_type or "application/octet-stream",
            headers=headers,
        )

    # ----- acting -----

    async def send_text(self, request: web.Request) -> web.Response:
        """Type a message or a /command (optionally as a reply)."""
        body = await json_body(request)
        chat, person = self._chat(request), acting_person(self.sandbox, body.get("user"))
        text = str(body.get("text") or "").strip()
        if not text:
            raise problem(400, "type a message first")
        if len(text) > MAX_TEXT_LENGTH:
            raise problem(400, f"a message holds at most {MAX_TEXT_LENGTH} characters")
        reply_to = body.get("reply_to")
        reply_id = None if reply_to in (None, "") else integer(reply_to, "reply_to")
        return await self._act(
            lambda: self.emu.send_message(
                person.user, text, chat=chat.id, reply_to_message_id=reply_id
            )
        )

    async def tap(self, request: web.Request) -> web.Response:
        """Press an inline button; the answer is the bot's toast or alert, if any."""
        body = await json_body(request)
        chat, person = self._chat(request), acting_person(self.sandbox, body.get("user"))
        message_id = integer(body.get("message_id"), "message_id")
        data = str(body.get("data") or "")
        try:
            update = self.emu.tap(person.user, chat.id, message_id, data)
        except ValueError:
            raise problem(409, "This button is no longer on the message.") from None
        handled = await self.sandbox.deliver(update)
        answer = self.emu.callback_answer(str(update["callback_query"]["id"]))
        return web.json_response({"delivered": True, "handled": handled, "answer": answer})

    async def send_location(self, request: web.Request) -> web.Response:
        """A location; with ``live_period`` (seconds) a live one, to move and stop later."""
        body = await json_body(request)
        chat, person = self._chat(request), acting_person(self.sandbox, body.get("user"))
        latitude, longitude, accuracy = self._point(body)
        live_period = None
        if body.get("live_period") not in (None, ""):
            live_period = integer(body.get("live_period"), "live_period")
            if not is_live_period(live_period):
                raise problem(400, "share a live location for 1 minute to 24 hours")
        return await self._act(
            lambda: self.emu.send_location(
                person.user,
                latitude,
                longitude,
                horizontal_accuracy=accuracy,
                live_period=live_period,
                chat=chat.id,
            )
        )

    async def move_live(self, request: web.Request) -> web.Response:
        """The person's live location moves (an ``edited_message`` for the bot)."""
        body = await json_body(request)
        chat, person = self._chat(request), acting_person(self.sandbox, body.get("user"))
        message_id = integer(request.match_info["message_id"], "message id")
        latitude, longitude, accuracy = self._point(body)
        return await self._act(
            lambda: self.emu.move_live_location(
                person.user, chat.id, message_id, latitude, longitude, horizontal_accuracy=accuracy
            )
        )

    async def stop_live(self, request: web.Request) -> web.Response:
        """The person stops sharing their live location."""
        body = await json_body(request)
        chat, person = self._chat(request), acting_person(self.sandbox, body.get("user"))
        message_id = integer(request.match_info["message_id"], "message id")
        return await self._act(
            lambda: self.emu.stop_live_location(person.user, chat.id, message_id)
        )

    async def send_contact(self, request: web.Request) -> web.Response:
        """Share one's own phone number (a ``request_contact`` keyboard button)."""
        body = await json_body(request)
        chat, person = self._chat(request), acting_person(self.sandbox, body.get("user"))
        phone = str(body.get("phone_number") or "").strip()
        if not phone or len(phone) > PHONE_LIMIT:
            raise problem(400, "enter a phone number")
        user = person.user
        return await self._act(
            lambda: self.emu.send_contact(
                user, phone, user.first_name, chat=chat.id, last_name=user.last_name
            )
        )

    async def send_photo(self, request: web.Request) -> web.Response:
        chat = self._chat(request)
        form = await self._upload(request)
        person, data = acting_person(self.sandbox, form.get("user")), form["data"]
        if image_size(data) is None:
            raise problem(400, "only JPEG, PNG and GIF images go as photos; send it as a file")
        caption = self._caption(form)
        return await self._act(
            lambda: self.emu.send_photo(person.user, data, caption=caption, chat=chat.id)
        )

    async def send_document(self, request: web.Request) -> web.Response:
        chat = self._chat(request)
        form = await self._upload(request)
        person, data = acting_person(self.sandbox, form.get("user")), form["data"]
        caption = self._caption(form)
        name = posixpath.basename(str(form.get("filename") or "file").replace("\\", "/"))[:255]
        mime = str(form.get("content_type") or "application/octet-stream")
        return await self._act(
            lambda: self.emu.send_document(
                person.user, data, name or "file", mime, caption=caption, chat=chat.id
            )
        )

    async def send_voice(self, request: web.Request) -> web.Response:
        """An audio file sent as a voice message (its length read from OGG/WAV headers)."""
        chat = self._chat(request)
        form = await self._upload(request)
        person, data = acting_person(self.sandbox, form.get("user")), form["data"]
        mime = str(form.get("content_type") or "")
        name = str(form.get("filename") or "").lower()
        if not (
            mime.startswith("audio/")
            or name.endswith(AUDIO_EXTENSIONS)
            or audio_duration(data) is not None
        ):
            raise problem(400, "only audio files go as voice messages; send it as a file")
        caption = self._caption(form)
        return await self._act(
            lambda: self.emu.send_voice(
                person.user,
                data,
                mime_type=mime if mime.startswith("audio/") else "audio/ogg",
                caption=caption,
                chat=chat.id,
            )
        )

    # ----- helpers -----

    def _point(self, body: JSON) -> tuple[float, float, float | None]:
        """Latitude, longitude and the optional accuracy of a location request."""
        latitude = number(body, "latitude", low=-90, high=90)
        longitude = number(body, "longitude", low=-180, high=180)
        accuracy = None
        if body.get("accuracy") not in (None, ""):
            accuracy = number(body, "accuracy", low=0, high=MAX_ACCURACY_METERS)
        return latitude, longitude, accuracy

    async def _act(self, action: Callable[[], JSON | None]) -> web.Response:
        try:
            update = action()
        except ValueError as exc:  # the emulator: a real client could not do this
            raise problem(400, str(exc)) from None
        handled = await self.sandbox.deliver(update)
        return web.json_response({"delivered": update is not None, "handled": handled})

    async def _upload(self, request: web.Request) -> JSON:
        """A multipart form: ``user``, optional ``caption``, one ``file``."""
        if not request.content_type.startswith("multipart/"):
            raise problem(400, "upload the file as multipart/form-data")
        form: JSON = {}
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "file":
                form["data"] = bytes(await part.read())
                form["filename"] = part.filename
                form["content_type"] = part.headers.get("Content-Type")
            elif part.name in ("user", "caption"):
                form[part.name] = await part.text()
        if not form.get("data"):
            raise problem(400, "choose a non-empty file")
        return form

    def _caption(self, form: JSON) -> str | None:
        caption = str(form.get("caption") or "").strip()
        if len(caption) > MAX_CAPTION_LENGTH:
            raise problem(400, f"a caption holds at most {MAX_CAPTION_LENGTH} characters")
        return caption or None

    def _chat(self, request: web.Request) -> SimChat:
        """A chat the visitor may open: a person's private chat or a group."""
        chat_id = integer(request.match_info["chat_id"], "chat id")
        chat = self.emu.world.chats.get(chat_id)
        if chat is None or (chat.type == "private" and chat_id not in self.sandbox.people):
            raise problem(404, "no such chat")
        return chat
