"""A crawler through every menu: what a curious user of each role would hit by tapping around.

On the demo data set, one persona per role (each of the three languages at least once) sends
every command of their role's menu, then taps every inline button the bot answered with,
breadth-first to depth 2. After every step: no apology from the global error handler (nor an
error logged), no raw i18n key, unformatted ``{placeholder}``, ``snake_case`` code or empty
"()" in a text, label or toast, and no Bot API call the emulator refused. Forms a command opens
are left with /cancel before the next command. The crawl changes the data as it goes (claims,
marks done…), so each persona crawls its own copy of the demo database.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import re
from collections import Counter, deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from bot.database import tortoise_config
from bot.emulator import SimMessage
from bot.i18n import Lang, catalog, t
from bot.menus import MENUS
from storage.demo import DEMO_PERSONAS, DemoPersona, load_demo_data
from storage.models import Role, User
from tests.support.database import PostgresTemplate, SqliteTemplate, backends
from tests.support.sim import START, Person, Sim

DEPTH = 2
# Caps that keep a persona's crawl to seconds on SQLite yet reach every command's buttons:
MAX_TAPS = 150  # per persona
MAX_TAPS_PER_COMMAND = 16
MAX_TAPS_PER_KIND = 3  # buttons of one kind ("1card|…") are alike: a few are enough
CUSTOMERS_PER_TEAM = 40


@dataclass(frozen=True)
class Crawler:
    """Who crawls, in which language."""

    persona: DemoPersona
    lang: Lang


def _persona(role: Role, name: str) -> DemoPersona:
    return next(p for p in DEMO_PERSONAS if p.role is role and p.full_name == name)


CRAWLERS = {
    "admin-en": Crawler(_persona(Role.ADMIN, "陈立新"), Lang.EN),  # switched from zh-hans
    "manager-zh-hant": Crawler(_persona(Role.MANAGER, "林志明"), Lang.ZH_HANT),
    "rep-en": Crawler(_persona(Role.REP, "Michael Zhou"), Lang.EN),
    "agent-zh-hans": Crawler(_persona(Role.AGENT, "赵敏"), Lang.ZH_HANS),
    "customer-zh-hant": Crawler(_persona(Role.CUSTOMER, "吳建宏"), Lang.ZH_HANT),
}

KEY_PREFIXES = frozenset(key.split(".", 1)[0] for key in catalog(Lang.EN))
# A dotted lowercase word not part of a domain, an e-mail or a file name ("tickets.h.x", also
# when a name was glued to it: "tickets.deadline.王").
DOTTED = re.compile(r"(?<![\w.@/-])([a-z_]+)(?:\.[a-z0-9_]+)+(?![a-z0-9_@/-])")
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
# A code shown as is ("walk_in"), or a parameter left empty ("Ann ()"); links and @names aside.
CODE = re.compile(r"(?<![\w@/.-])[a-z]+(?:_[a-z]+)+(?![\w@/.-])")
EMPTY = re.compile(r"\(\s*\)|（\s*）")
LINK = re.compile(r"https?://\S+")
# Refusals Telegram gives a well-behaved bot too, which the bot handles: the demo's photos are
# placeholder file ids (``send_stored_photos`` then says the photo is unavailable).
TOLERATED = ("message is not modified", "query is too old", "wrong file identifier")


# ----- the demo database, loaded once per backend and copied per test -----


async def _load(url: str) -> None:
    EXECUTOR_CACHE.clear()
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
    try:
        await load_demo_data(now=START, customers_per_team=CUSTOMERS_PER_TEAM)
    finally:
        await Tortoise.close_connections()


def _copying(
    base: SqliteTemplate | PostgresTemplate, loaded_url: str
) -> SqliteTemplate | PostgresTemplate:
    """``base``'s way of handing out fresh databases, copying the loaded one instead."""
    clone = copy.copy(base)
    if isinstance(clone, SqliteTemplate):
        clone.template = Path(loaded_url.removeprefix("sqlite://"))
    else:
        clone.template_name = urlsplit(loaded_url).path.lstrip("/")
    return clone


@pytest.fixture(scope="module", params=backends())
def demo_template(request: pytest.FixtureRequest) -> Iterator[SqliteTemplate | PostgresTemplate]:
    base = request.getfixturevalue(f"{request.param}_template")
    for url in base.fresh():
        asyncio.run(_load(url))
        yield _copying(base, url)


@pytest.fixture
def database_url(demo_template: SqliteTemplate | PostgresTemplate) -> Iterator[str]:
    """Overrides conftest's: the ``db`` and ``sim`` fixtures open a copy of the demo data."""
    yield from demo_template.fresh()


# ----- what every step must not show -----


def _texts(message: SimMessage) -> list[str]:
    markup = message.reply_markup or {}
    labels = [b.get("text", "") for row in markup.get("inline_keyboard", []) for b in row]
    return [message.text or "", message.caption or "", *labels]


def _raw_keys(text: str) -> list[str]:
    text = LINK.sub("", text)
    found = [m.group(0) for m in DOTTED.finditer(text) if m.group(1) in KEY_PREFIXES]
    return found + PLACEHOLDER.findall(text) + CODE.findall(text) + EMPTY.findall(text)


class Watch:
    """Checks each step's answer and the Bot API calls made for it."""

    def __init__(self, sim: Sim, caplog: pytest.LogCaptureFixture) -> None:
        self.sim, self.caplog = sim, caplog
        self.apologies = [t(language, "error.unexpected") for language in Lang]
        self.seen_requests = len(sim.emu.requests)
        self.problems: list[str] = []

    def check(self, step: str, messages: list[SimMessage], toast: str = "") -> None:
        for text in [toast, *(s for m in messages for s in _texts(m))]:
            if any(apology in text for apology in self.apologies):
                self.problems.append(f"{step}: the error apology")
            if keys := _raw_keys(text):
                self.problems.append(f"{step}: raw {keys} in {text[:120]!r}")
        for request in self.sim.emu.requests[self.seen_requests :]:
            description = request.description or ""
            if not request.ok and not any(m in description for m in TOLERATED):
                self.problems.append(f"{step}: {request.method} refused: {description}")
        self.seen_requests = len(self.sim.emu.requests)
        for record in self.caplog.get_records("call"):
            if record.levelno >= logging.ERROR:
                self.problems.append(f"{step}: logged {record.getMessage()[:200]}")
        self.caplog.clear()


def _buttons(messages: list[SimMessage]) -> Iterator[tuple[SimMessage, str, str]]:
    for message in messages:
        markup = message.reply_markup or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if button.get("callback_data") is not None:
                    yield message, button["callback_data"], button.get("text", "")


def _still_there(message: SimMessage, data: str) -> bool:
    return any(d == data for _, d, _ in _buttons([message])) and not message.deleted


async def _crawl(person: Person, commands: tuple[str, ...], watch: Watch) -> int:
    """Every command, then every new button breadth-first; the number of taps made."""
    tapped: set[str] = set()
    kinds: Counter[str] = Counter()
    taps = 0
    for command in commands:
        answered = await person.send(f"/{command}")
        watch.check(f"/{command}", answered)
        queue = deque((m, d, label, 1) for m, d, label in _buttons(answered))
        budget = MAX_TAPS_PER_COMMAND
        while queue and budget and taps < MAX_TAPS:
            message, data, label, depth = queue.popleft()
            kind = data.split("|", 1)[0]
            if data in tapped or kinds[kind] >= MAX_TAPS_PER_KIND:
                continue
            if not _still_there(message, data):
                continue
            tapped.add(data)
            kinds[kind] += 1
            taps += 1
            budget -= 1
            tap = await person.tap_data(message, data)
            watch.check(f"/{command} → {label!r} ({data})", tap.changed, tap.toast)
            if depth < DEPTH:
                queue.extend((m, d, lb, depth + 1) for m, d, lb in _buttons(tap.changed))
        watch.check(f"/{command} then /cancel", await person.send("/cancel"))
    return taps


@pytest.fixture
async def crawler_sim(sim: Sim) -> AsyncIterator[Sim]:
    """The simulation, with the demo admin listed as an admin."""
    admin = next(p for p in DEMO_PERSONAS if p.role is Role.ADMIN)
    sim.settings = replace(sim.settings, admin_ids=sim.settings.admin_ids | {admin.telegram_id})
    await sim.restart()
    yield sim


@pytest.mark.parametrize("who", list(CRAWLERS))
async def test_every_menu_button_answers_without_errors(
    crawler_sim: Sim, who: str, caplog: pytest.LogCaptureFixture
) -> None:
    sim, crawler = crawler_sim, CRAWLERS[who]
    persona = crawler.persona
    await User.filter(telegram_id=persona.telegram_id).update(language=crawler.lang.value)
    users = {  # everyone, so what the crawler sets off can reach its colleagues
        p.telegram_id: sim.emu.add_user(
            p.full_name,
            username=p.username,
            language_code=p.language,
            user_id=p.telegram_id,
            started=True,
        )
        for p in DEMO_PERSONAS
    }
    person = Person(sim, users[persona.telegram_id])
    watch = Watch(sim, caplog)

    taps = await _crawl(person, MENUS[persona.role], watch)

    assert not watch.problems, "\n".join(watch.problems)
    assert taps > 0
    assert (await User.get(telegram_id=persona.telegram_id)).role is persona.role
