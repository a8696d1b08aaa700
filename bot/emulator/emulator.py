"""``BotApiEmulator``: a Telegram Bot API server for one bot, plus the simulated humans.

The bot under test talks HTTP to it exactly as to ``api.telegram.org``; tests and the web
sandbox drive the humans through the methods of :class:`SimulationMixin` (and
:class:`SharingMixin`: voice, live locations) and read the chats back with
:meth:`BotApiEmulator.messages`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.emulator.errors import ApiError, bad_request, not_found
from bot.emulator.files import FileStore
from bot.emulator.flood import FloodControl
from bot.emulator.menus import resolve_menu
from bot.emulator.methods import REGISTRY
from bot.emulator.methods.bot_settings import scope_key
from bot.emulator.methods.registry import Described
from bot.emulator.server import RawParams, build_app
from bot.emulator.sharing import SharingMixin
from bot.emulator.spec import UploadedFile, load_spec
from bot.emulator.state import Listener, SimChat, SimMessage, SimUser, World
from bot.emulator.updates import UpdateQueue

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class RecordedRequest:
    """One API call as the emulator saw it."""

    method: str
    raw: dict[str, Any]  # parameters as sent (files summarised)
    params: dict[str, Any] | None  # decoded parameters, None if validation failed
    response: dict[str, Any]
    status: int

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def description(self) -> str | None:
        return self.response.get("description")


def _summarise(raw: RawParams) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, UploadedFile):
            out[key] = {
                "filename": value.filename,
                "content_type": value.content_type,
                "size": len(value.data),
            }
        else:
            out[key] = value
    return out


class BotApiEmulator(SharingMixin):
    """An in-process Telegram Bot API for one bot token."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "fieldcrm_bot",
        bot_name: str = "FieldCRM",
        clock: Clock | None = None,
        strict_flood: bool = False,
        *,
        privacy_mode: bool = True,
        webhook_retry_delay: float = 1.0,
    ) -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("token must look like '<bot id>:<secret>'")
        self.token = token
        self.spec = load_spec()
        self.clock: Clock = clock or _utc_now
        self.bot_user = SimUser(int(bot_id), bot_name, username=bot_username, is_bot=True)
        self.world = World(self.bot_user, self.clock)
        self.files = FileStore(self.bot_user.id)
        self.updates = UpdateQueue(
            self.spec.update_types(), self.world.now, webhook_retry_delay=webhook_retry_delay
        )
        self.updates.on_webhook_reply = self._on_webhook_reply
        self.flood = FloodControl(strict_flood)
        self.privacy_mode = privacy_mode
        self.requests: list[RecordedRequest] = []
        self._runner: web.AppRunner | None = None
        self._address: tuple[str, int] | None = None

    # ----- lifecycle -----

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve the Bot API on ``host:port`` (0 = any free port)."""
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        self.updates.reopen()
        if self.updates.webhook is not None:  # restarted: resume delivery
            self.updates.set_webhook(self.updates.webhook)
        runner = web.AppRunner(build_app(self), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound = runner.addresses[0]
        self._address = (host, int(bound[1]))

    async def stop(self) -> None:
        """Release long polls, stop webhook delivery and close the server."""
        await self.updates.close()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def _origin(self) -> str:
        if self._address is None:
            raise RuntimeError("emulator not started")
        host, port = self._address
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)`` (PTB appends the token)."""
        return f"{self._origin}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``."""
        return f"{self._origin}/file/bot"

    # ----- API dispatch -----

    async def call(self, method: str, raw: RawParams) -> tuple[int, dict[str, Any]]:
        """Run one API call; returns (HTTP status, JSON body) and records it."""
        spec = self.spec.method(method)
        params: dict[str, Any] | None = None
        try:
            if spec is None:
                raise not_found()
            method = spec.name
            injected = self.flood.take_injected(method)
            if injected is not None:
                raise injected
            params = self.spec.validate_params(spec, raw)
            handler = REGISTRY.get(method)
            if handler is not None:
                result = await handler(self, params)
            elif spec.returns == ("Boolean",):
                result = True
            else:
                raise bad_request("method not supported by the emulator")
            body: dict[str, Any] = {"ok": True, "result": result}
            if isinstance(result, Described):
                body = {"ok": True, "result": result.result, "description": result.description}
            status = 200
        except ApiError as error:
            body, status = error.to_json(), error.error_code
        except Exception as exc:  # an emulator bug: make it loud, but answer like Telegram
            log.exception("emulator failed on %s", method)
            body = {
                "ok": False,
                "error_code": 500,
                "description": f"Internal Server Error: emulator bug: {exc!r}",
            }
            status = 500
        self.record(method, raw, params, body, status)
        return status, body

    def record(
        self,
        method: str,
        raw: RawParams,
        params: dict[str, Any] | None,
        body: dict[str, Any],
        status: int,
    ) -> None:
        self.requests.append(RecordedRequest(method, _summarise(raw), params, body, status))

    async def _on_webhook_reply(self, reply: dict[str, Any]) -> None:
        method = reply.pop("method")
        raw: RawParams = {k: v if isinstance(v, str) else json.dumps(v) for k, v in reply.items()}
        await self.call(method, raw)

    def bot_info(self) -> dict[str, Any]:
        """The getMe result."""
        info = self.bot_user.to_json()
        info.update(
            {
                "can_join_groups": True,
                "can_read_all_group_messages": not self.privacy_mode,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        )
        return info

    # ----- reading what happened -----

    def messages(self, chat_id: int | SimChat) -> list[SimMessage]:
        """Every message of a chat in order (deleted ones flagged), edits applied."""
        chat = self.world.chats.get(chat_id.id if isinstance(chat_id, SimChat) else int(chat_id))
        return list(chat.messages.values()) if chat else []

    def bot_messages(self, chat_id: int | SimChat) -> list[SimMessage]:
        return [m for m in self.messages(chat_id) if m.from_bot]

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        record = self.world.callback_queries.get(query_id)
        return None if record is None else record.answer

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        return list(self.world.commands.get((scope_key(scope), language_code), []))

    def menu(
        self,
        chat_id: int | SimChat,
        user: SimUser | int | None = None,
        language_code: str | None = None,
    ) -> list[dict[str, Any]]:
        """The command menu ``user`` sees in a chat, resolved through the scopes and languages
        like a Telegram client does (``commands`` reads one exact scope instead)."""
        chat = self.world.chats.get(chat_id.id if isinstance(chat_id, SimChat) else int(chat_id))
        if chat is None:
            raise ValueError(f"unknown chat {chat_id!r}")
        person = self.world.users.get(user) if isinstance(user, int) else user
        if chat.type == "private" and person is None:
            person = chat.user
        return resolve_menu(self.world, chat, person, language_code)

    def file_bytes(self, file_id: str) -> bytes:
        record = self.files.get(file_id)
        if record is None:
            raise KeyError(f"unknown file_id {file_id!r}")
        return record.data

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """``listener(event, chat_id, message)`` on every new/edited/deleted message."""
        return self.world.subscribe(listener)

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        retry_after: int = 1,
        description: str | None = None,
    ) -> None:
        """Make the next call of ``method`` fail (429 ``RetryAfter`` by default)."""
        self.flood.fail_next(method, error_code, retry_after, description)

    def requests_for(self, method: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method.lower() == method.lower()]
