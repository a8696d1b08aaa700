"""User stories through the real application and the Bot API emulator.

``Sim`` runs the production ``Application`` (built by ``build_application``) polling the
emulator over HTTP. People are emulator users; ``send``/``tap``/``share_location`` enqueue
an update and wait — on an event, never a sleep — until the application has fully handled
it, then return what the bot sent or edited in that chat meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from tortoise.transactions import in_transaction

from bot.application import FieldApplication, build_application, running
from bot.clock import ManualClock
from bot.context import FieldContext
from bot.emulator import BotApiEmulator, SimChat, SimMessage, SimUser
from bot.settings import Settings
from storage.models import Role, Team, User

TOKEN = "123456789:TEST-token-for-the-emulator-0000"
PROCESS_TIMEOUT = 15.0
ADMIN_NAME = "Ada"
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai


def _button_texts(message: SimMessage) -> list[tuple[str, str | None]]:
    markup = message.reply_markup or {}
    return [
        (button.get("text", ""), button.get("callback_data"))
        for row in markup.get("inline_keyboard", [])
        for button in row
    ]


@dataclass
class Sim:
    emu: BotApiEmulator
    settings: Settings
    clock: ManualClock
    app: FieldApplication | None = None
    _stack: AsyncExitStack | None = None
    _waiting: dict[int, asyncio.Future[None]] = field(default_factory=dict)
    _names: dict[str, Person] = field(default_factory=dict)

    # ----- lifecycle -----

    async def start(self) -> None:
        app = build_application(self.settings, clock=self.clock)
        app.update_processor.after_update(self._processed)  # type: ignore[attr-defined]
        stack = AsyncExitStack()
        await stack.enter_async_context(running(app))
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES
        )
        self.app, self._stack = app, stack

    async def stop(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
        self.app, self._stack = None, None

    async def restart(self) -> None:
        """Stop the bot and start a new process-equivalent on the same database."""
        await self.stop()
        await self.start()

    async def _processed(self, update: object) -> None:
        if isinstance(update, Update):
            future = self._waiting.pop(update.update_id, None)
            if future is not None and not future.done():
                future.set_result(None)

    async def deliver(self, update: dict[str, Any] | None) -> None:
        """Wait until the application has handled ``update`` (None: Telegram drops it)."""
        if update is None:
            return
        future = asyncio.get_running_loop().create_future()
        self._waiting[update["update_id"]] = future
        try:
            await asyncio.wait_for(future, PROCESS_TIMEOUT)
        finally:
            self._waiting.pop(update["update_id"], None)

    async def run_job(self, callback: Any) -> None:
        """Run a scheduled job's callback now, as the JobQueue would."""
        assert self.app is not None
        await callback(FieldContext(self.app))

    # ----- people -----

    def person(self, name: str, *, lang: str = "en", username: str | None = None) -> Person:
        """A Telegram user who has not talked to the bot yet."""
        user = self.emu.add_user(first_name=name, username=username, language_code=lang)
        person = Person(self, user)
        self._names[name] = person
        return person

    @property
    def admin(self) -> Person:
        """The person whose Telegram id the settings list as an admin."""
        return self._names[ADMIN_NAME]

    async def member(
        self, role: Role, team: str = "North", *, name: str | None = None, lang: str = "en"
    ) -> Person:
        """A user already in ``team`` with ``role`` — set up directly, for stories that
        are not about onboarding. The team is created with its defaults if needed."""
        person = self.person(name or f"{role.value.title()}{len(self._names)}", lang=lang)
        team_row = await ensure_team(team, self.clock.now())
        async with in_transaction():
            await User.create(
                telegram_id=person.user.id,
                username=person.user.username,
                full_name=person.user.first_name,
                telegram_language=lang,
                role=role,
                team=team_row,
            )
        return person

    def group(self, title: str, *members: Person) -> Group:
        chat = self.emu.add_group(title)
        for member in members:
            self.emu.set_member(chat, member.user, "member")
        return Group(self, chat)


async def ensure_team(name: str, now: datetime) -> Team:
    from storage import teams

    existing = await teams.team_by_name(name)
    return existing or await teams.create_team(None, name, "Asia/Shanghai", now=now)


@dataclass
class Person:
    sim: Sim
    user: SimUser

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def chat_id(self) -> int:
        return self.user.id

    def messages(self) -> list[SimMessage]:
        return self.sim.emu.bot_messages(self.chat_id)

    def last_message(self, chat: int | None = None) -> SimMessage:
        messages = self.sim.emu.bot_messages(chat or self.chat_id)
        assert messages, "the bot has not sent anything to this chat"
        return messages[-1]

    async def _act(self, chat_id: int, update: dict[str, Any] | None) -> list[SimMessage]:
        before = {m.message_id: m.content_snapshot() for m in self.sim.emu.messages(chat_id)}
        await self.sim.deliver(update)
        return [
            m
            for m in self.sim.emu.bot_messages(chat_id)
            if m.message_id not in before or before[m.message_id] != m.content_snapshot()
        ]

    async def send(self, text: str, chat: SimChat | None = None) -> list[SimMessage]:
        """Type ``text`` (or a /command) and return what the bot sent or edited in reply."""
        chat_id = chat.id if chat else self.chat_id
        update = self.sim.emu.send_message(self.user, text, chat=chat)
        return await self._act(chat_id, update)

    async def tap(self, label: str, chat: SimChat | None = None) -> Tap:
        """Tap the newest inline button whose text contains ``label``."""
        chat_id = chat.id if chat else self.chat_id
        for message in reversed(self.sim.emu.bot_messages(chat_id)):
            for text, data in _button_texts(message):
                if label in text and data is not None:
                    return await self.tap_data(message, data)
        raise AssertionError(f"no button {label!r} in chat {chat_id}")

    async def tap_data(self, message: SimMessage, data: str, *, forged: bool = False) -> Tap:
        """Tap a button by its callback data; ``forged`` sends data no button carries."""
        emu = self.sim.emu
        if forged:
            update = emu.tap_raw(self.user, message.chat_id, message.message_id, data)
        else:
            update = emu.tap(self.user, message.chat_id, message.message_id, data)
        changed = await self._act(message.chat_id, update)
        query_id = update["callback_query"]["id"] if update else ""
        return Tap(emu.callback_answer(query_id), changed)

    def buttons(self, chat: int | None = None) -> list[str]:
        """Labels of the inline buttons of the bot's newest message."""
        return [text for text, _ in _button_texts(self.last_message(chat))]

    async def share_location(
        self, latitude: float, longitude: float, **kwargs: Any
    ) -> list[SimMessage]:
        update = self.sim.emu.send_location(self.user, latitude, longitude, **kwargs)
        return await self._act(self.chat_id, update)

    async def send_photo(self, data: bytes, **kwargs: Any) -> list[SimMessage]:
        update = self.sim.emu.send_photo(self.user, data, **kwargs)
        return await self._act(self.chat_id, update)

    async def send_voice(self, data: bytes, **kwargs: Any) -> list[SimMessage]:
        update = self.sim.emu.send_voice(self.user, data, **kwargs)
        return await self._act(self.chat_id, update)

    async def send_document(
        self, data: bytes, file_name: str, mime_type: str, **kwargs: Any
    ) -> list[SimMessage]:
        update = self.sim.emu.send_document(self.user, data, file_name, mime_type, **kwargs)
        return await self._act(self.chat_id, update)


@dataclass
class Group:
    sim: Sim
    chat: SimChat

    @property
    def id(self) -> int:
        return self.chat.id

    async def add_bot(self, by: Person) -> list[SimMessage]:
        before = len(self.sim.emu.bot_messages(self.id))
        for update in self.sim.emu.add_bot_to_group(self.chat, by=by.user):
            await self.sim.deliver(update)
        return self.sim.emu.bot_messages(self.id)[before:]

    def last_message(self) -> SimMessage:
        messages = self.sim.emu.bot_messages(self.id)
        assert messages, "the bot has not sent anything to this group"
        return messages[-1]


@dataclass(frozen=True)
class Tap:
    answer: dict[str, Any] | None
    changed: list[SimMessage]

    @property
    def toast(self) -> str:
        return (self.answer or {}).get("text") or ""


@asynccontextmanager
async def simulation(database_url: str, **emulator_options: Any) -> AsyncIterator[Sim]:
    """An emulator, an admin, and the running bot on ``database_url`` (already open)."""
    clock = ManualClock(START)
    emu = BotApiEmulator(TOKEN, bot_username="fieldcrm_bot", clock=clock.now, **emulator_options)
    async with emu:
        admin = emu.add_user(first_name=ADMIN_NAME, username="ada_admin", language_code="en")
        settings = replace(
            Settings(),
            bot_token=TOKEN,
            database_url=database_url,
            bot_api_url=emu.base_url,
            bot_file_url=emu.base_file_url,
            admin_ids=frozenset({admin.id}),
            private_chat_rate=0,
        )
        sim = Sim(emu, settings, clock)
        sim._names[ADMIN_NAME] = Person(sim, admin)
        await sim.start()
        try:
            yield sim
        finally:
            await sim.stop()
