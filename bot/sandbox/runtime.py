"""The sandbox's world: the real bot, its database, and the emulator as its Telegram.

Everything is production code except what stands in for the outside world: a SQLite file of
demo data instead of the company's database, the Bot API emulator instead of Telegram, a
manual clock instead of the wall clock, and demo personas (with the Telegram ids the demo data
gave them) instead of people with phones. The bot is built by ``build_application`` and polls
the emulator over HTTP exactly as it polls Telegram, so any flow a feature adds works here
without a line of sandbox code.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from telegram import Update

from bot.application import FieldApplication, build_application, running
from bot.clock import ManualClock
from bot.context import FieldContext, lang_of
from bot.database import close_database, open_database
from bot.emulator import BotApiEmulator, SimMessage, SimUser
from bot.menus import set_user_menu
from bot.sandbox import reads
from bot.sandbox.events import EventHub
from bot.sandbox.tracker import UpdateTracker
from bot.sandbox.views import message_view
from bot.settings import Settings
from bot.updates import ChatOrderedProcessor
from scheduler.jobs import JOBS
from storage import teams, users
from storage.access import Invalid
from storage.demo import DEMO_PERSONAS, load_demo_data
from storage.models import Role

log = logging.getLogger(__name__)

TOKEN = "7000000001:SANDBOX-this-is-not-a-telegram-token"
BOT_USERNAME = "fieldcrm_sandbox_bot"
BOT_NAME = "FieldCRM"
PROCESS_TIMEOUT = 15.0
LONG_POLL_SECONDS = 10


@dataclass(frozen=True)
class SandboxOptions:
    database: Path | None = None
    """A SQLite file to use (created, or reused with its data); None: a fresh temporary one."""
    seed: int = 7
    start: datetime | None = None
    """Where the clock starts (tz-aware); None: now."""
    timezone: str = "Asia/Shanghai"
    private_chat_rate: float = 1.0
    """Production's flood limit per private chat; tests may switch it off with 0."""


@dataclass(frozen=True)
class Person:
    """Someone the visitor can act as: a demo persona, or a newcomer made in the sandbox."""

    user: SimUser
    role: Role | None
    team: str | None
    newcomer: bool = False


@dataclass(frozen=True)
class TeamGroup:
    chat_id: int
    team: str
    timezone: str


@dataclass(frozen=True)
class JobOutcome:
    job: str
    error: str | None = None


async def load_demo(now: datetime, seed: int) -> bool:
    """Fill the open database with the demo data; False if it already holds it."""
    try:
        summary = await load_demo_data(now=now, seed=seed)
    except Invalid as exc:
        if exc.code != "demo.already_loaded":
            raise
        return False
    for line in summary:
        log.debug("%s", line)
    return True


class Sandbox:
    """Start with ``async with Sandbox(options) as sandbox``; then drive ``sandbox.emu``."""

    def __init__(self, options: SandboxOptions | None = None) -> None:
        self.options = options or SandboxOptions()
        start = self.options.start or datetime.now(UTC).replace(second=0, microsecond=0)
        self.clock = ManualClock(start)
        self.emu = BotApiEmulator(TOKEN, BOT_USERNAME, BOT_NAME, clock=self.clock.now)
        self.hub = EventHub()
        self.tracker = UpdateTracker()
        self.people: dict[int, Person] = {}
        self.groups: dict[int, TeamGroup] = {}
        self.standings: dict[int, reads.Standing] = {}
        self.database_path: Path | None = None
        self.reused_database = False
        self._app: FieldApplication | None = None
        self._stack = AsyncExitStack()
        self._temp_dir: Path | None = None
        self._clock_lock = asyncio.Lock()

    @property
    def app(self) -> FieldApplication:
        if self._app is None:
            raise RuntimeError("the sandbox is not running")
        return self._app

    # ----- lifecycle -----

    async def start(self) -> None:
        """Database and demo data, the emulator, the personas, the bot, the team groups."""
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        database_url = self._database_url()
        await open_database(database_url)
        self._stack.push_async_callback(close_database)
        self.reused_database = not await load_demo(self.clock.now(), self.options.seed)
        await self.emu.start("127.0.0.1", 0)
        self._stack.push_async_callback(self.emu.stop)
        for persona in DEMO_PERSONAS:
            user = self.emu.add_user(
                persona.full_name,
                username=persona.username,
                language_code=persona.language,
                user_id=persona.telegram_id,
                started=True,
            )
            self.people[user.id] = Person(user, persona.role, persona.team)
        settings = Settings(
            bot_token=TOKEN,
            database_url=database_url,
            bot_api_url=self.emu.base_url,
            bot_file_url=self.emu.base_file_url,
            admin_ids=frozenset(p.telegram_id for p in DEMO_PERSONAS if p.role is Role.ADMIN),
            timezone=self.options.timezone,
            instance="sandbox",
            private_chat_rate=self.options.private_chat_rate,
        )
        app = build_application(settings, clock=self.clock)
        processor = app.update_processor
        if not isinstance(processor, ChatOrderedProcessor):
            raise RuntimeError("the application no longer uses ChatOrderedProcessor")
        processor.after_update(self.tracker.processed)
        self.tracker.after_each(self.refresh_people)
        await self._stack.enter_async_context(running(app))
        self._app = app
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0, timeout=LONG_POLL_SECONDS, allowed_updates=Update.ALL_TYPES
        )
        self._stack.callback(self.emu.subscribe(self._on_message))
        await self._open_team_groups()
        await self._publish_menus()
        await self.refresh_people()

    async def stop(self) -> None:
        self.hub.close()
        self._app = None
        try:
            await self._stack.aclose()
        finally:
            if self._temp_dir is not None:
                shutil.rmtree(self._temp_dir, ignore_errors=True)
                self._temp_dir = None

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def _database_url(self) -> str:
        path = self.options.database
        if path is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="fieldcrm-sandbox-"))
            path = self._temp_dir / "sandbox.sqlite3"
        path = path.expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.database_path = path
        return f"sqlite://{path}"

    async def _open_team_groups(self) -> None:
        """One group per team: its manager (who created it) and reps, the bot added and bound
        to the team — the state a team reaches after the README's onboarding steps."""
        zones = await reads.team_zones()
        for team in dict.fromkeys(p.team for p in DEMO_PERSONAS if p.team):
            managers = [p for p in DEMO_PERSONAS if p.team == team and p.role is Role.MANAGER]
            reps = [p for p in DEMO_PERSONAS if p.team == team and p.role is Role.REP]
            if not managers:
                continue
            manager = self.people[managers[0].telegram_id].user
            chat = self.emu.add_group(f"{team} · FieldCRM")
            self.emu.set_member(chat, manager, "creator")
            for rep in reps:
                self.emu.set_member(chat, self.people[rep.telegram_id].user, "member")
            for update in self.emu.add_bot_to_group(chat, by=manager):
                await self.deliver(update)
            actor = await users.actor_by_telegram_id(manager.id)
            if actor is not None:
                await teams.bind_group(actor, chat.id, chat.title or team, now=self.clock.now())
            self.groups[chat.id] = TeamGroup(chat.id, team, zones.get(team, self.options.timezone))

    async def _publish_menus(self) -> None:
        """The command menu each persona would have got when they first used the bot."""
        for person in self.people.values():
            actor = await users.actor_by_telegram_id(person.user.id)
            if actor is not None:
                await set_user_menu(self.app.bot, person.user.id, actor.role, lang_of(actor))

    # ----- acting -----

    async def deliver(self, update: dict[str, Any] | None) -> bool:
        """Wait until the bot has handled ``update``; False if it never got it or was slow."""
        return await self.tracker.wait(update, PROCESS_TIMEOUT)

    def person(self, user_id: int) -> Person:
        """A person the visitor may act as; KeyError for anyone else (including the bot)."""
        return self.people[user_id]

    def zone_of(self, chat_id: int) -> str:
        """The zone a chat's clock shows: its team's (groups, members), else the default."""
        group = self.groups.get(chat_id)
        if group is not None:
            return group.timezone
        standing = self.standings.get(chat_id)
        return (standing.timezone if standing else None) or self.options.timezone

    def add_newcomer(self, name: str, language: str) -> Person:
        """Someone who has never talked to the bot — to open invite links and onboard."""
        user = self.emu.add_user(name, language_code=language)
        person = Person(user, None, None, newcomer=True)
        self.people[user.id] = person
        self.hub.publish({"type": "people"})
        return person

    async def advance_to(self, moment: datetime) -> list[JobOutcome]:
        """Move the shared clock forward, then run every scheduled job once, as a tick would.

        Jobs are idempotent and read the clock, so reminders, warnings and digests that fell
        due in the skipped time fire now; a job that fails is reported, the others still run.
        """
        if moment.tzinfo is None:
            raise ValueError("the sandbox clock needs a tz-aware moment")
        async with self._clock_lock:
            if moment < self.clock.now():
                raise ValueError("the sandbox clock only moves forward")
            self.clock.set(moment)
            self.hub.publish({"type": "clock", "now": self.clock.now().isoformat()})
            outcomes = [await self._run_job(spec.callback) for spec in JOBS]
        self.hub.publish(
            {
                "type": "jobs",
                "now": self.clock.now().isoformat(),
                "jobs": [{"job": o.job, "error": o.error} for o in outcomes],
            }
        )
        await self.refresh_people()
        return outcomes

    async def _run_job(self, callback: Any) -> JobOutcome:
        name = str(getattr(callback, "__name__", callback))
        try:
            await callback(FieldContext(self.app))
        except Exception as exc:
            log.exception("sandbox: job %s failed", name)
            return JobOutcome(name, f"{type(exc).__name__}: {exc}")
        return JobOutcome(name)

    # ----- watching -----

    async def refresh_people(self) -> None:
        """Re-read everyone's role and team; tell the tabs when something changed."""
        fresh = await reads.standings(self.people)
        if fresh != self.standings:
            self.standings = fresh
            self.hub.publish({"type": "people"})

    def _on_message(self, event: str, chat_id: int, message: SimMessage) -> None:
        self.hub.publish(
            {"type": "message", "event": event, "message": message_view(self.emu.world, message)}
        )
