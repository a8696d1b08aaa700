"""Sending a digest: the chart as a photo with a short caption, then the message with buttons.

The chart is drawn off the event loop (``asyncio.to_thread``), once per language a digest is
read in. A chat that refuses the digest (the bot was removed from the group, a manager never
opened the bot) is logged and skipped: the others still get theirs.

``deliver`` sends many teams' digests at once: each chat's two messages go in order, teams
run concurrently (their charts are drawn while earlier teams are being sent), and a pacer
starts at most ``CHATS_PER_SECOND`` chats a second — two messages each, Telegram's steady 30
messages per second. The bot's flood limiter (``bot.ratelimit``) still guards every request;
the pacer keeps a broadcast from spending the limiter's burst allowance, which is where
requests that left in order but arrived bunched up would meet a 429.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from aiolimiter import AsyncLimiter
from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden

from bot.charts import grouped_bars
from bot.i18n import Lang, resolve_lang
from bot.views import digest as views
from storage.digest import Digest

log = logging.getLogger(__name__)

CONCURRENT_TEAMS = 16
"""Teams in flight at once; enough to keep the pacer busy while charts are drawn."""
CHATS_PER_SECOND = 15.0
"""Chats a broadcast starts per second: photo + message each, so 30 messages per second."""
CHARTS_AT_ONCE = 1
"""Charts drawn at the same time. Drawing holds the GIL most of the time, so more threads do
not draw faster; one leaves the event loop (and the sending) the rest of the process."""


def pacer() -> AsyncLimiter:
    """One chat at a time, every 1/``CHATS_PER_SECOND`` s — no burst."""
    return AsyncLimiter(1, 1 / CHATS_PER_SECOND)


@dataclass
class Broadcast:
    """What the chats of one delivery share: the pacer, and the turn to draw a chart."""

    pace: AsyncLimiter = field(default_factory=pacer)
    drawing: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(CHARTS_AT_ONCE))


@dataclass(frozen=True)
class Outgoing:
    """One digest rendered in one language: what goes into a chat."""

    chart: bytes
    caption: str
    text: str
    markup: InlineKeyboardMarkup | None


async def render(
    digest: Digest, lang: Lang, *, so_far: bool = False, drawing: asyncio.Semaphore | None = None
) -> Outgoing:
    """The digest's two messages in ``lang``; the chart is drawn in a worker thread (when
    ``drawing`` lets it, if given)."""
    title, names, series, empty = views.chart(lang, digest)
    async with drawing or contextlib.nullcontext():
        chart = await asyncio.to_thread(grouped_bars, title, names, series, lang=lang, empty=empty)
    return Outgoing(
        chart,
        views.caption(lang, digest, so_far=so_far),
        views.digest_text(lang, digest, so_far=so_far),
        views.digest_buttons(lang, digest),
    )


async def send(
    bot: Bot, chat_id: int, outgoing: Outgoing, pace: AsyncLimiter | None = None
) -> bool:
    """Photo, then text (after the pacer's go, if any); False when the chat refuses."""
    if pace is not None:
        await pace.acquire()
    try:
        photo = InputFile(outgoing.chart, filename="digest.png")
        await bot.send_photo(chat_id, photo, caption=outgoing.caption)
        await bot.send_message(chat_id, outgoing.text, reply_markup=outgoing.markup)
    except (Forbidden, BadRequest) as error:
        log.info("could not send the digest to chat %s: %s", chat_id, error)
        return False
    return True


async def send_digest(bot: Bot, digest: Digest, broadcast: Broadcast | None = None) -> int:
    """The daily digest to its audience (the group, else each manager); how many got it."""
    rendered: dict[Lang, Outgoing] = {}
    drawing, pace = (broadcast.drawing, broadcast.pace) if broadcast else (None, None)
    sent = 0
    for recipient in digest.audience:
        lang = resolve_lang(recipient.language)
        if lang not in rendered:
            rendered[lang] = await render(digest, lang, drawing=drawing)
        sent += await send(bot, recipient.chat_id, rendered[lang], pace)
    return sent


Claim = Callable[[Digest, Callable[[], Awaitable[int]]], Awaitable[object]]
"""Wraps one team's sending, e.g. in ``run_once`` so each team's day is sent once."""


async def deliver(bot: Bot, digests: Sequence[Digest], claim: Claim) -> list[BaseException]:
    """Send many digests concurrently, each inside ``claim``; the errors, one per failed team."""
    gate, broadcast = asyncio.Semaphore(CONCURRENT_TEAMS), Broadcast()

    async def one(digest: Digest) -> None:
        async with gate:
            await claim(digest, lambda: send_digest(bot, digest, broadcast))

    outcomes = await asyncio.gather(*(one(d) for d in digests), return_exceptions=True)
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    for error in errors:
        log.error("a digest could not be sent", exc_info=error)
    return errors
