"""The daily digest at scale: ``python -m bench.bench_digest [--teams 100] [--reps 20]``.

Builds fresh, migrated SQLite databases of T teams × R reps (and × R/2 reps) with eight days
of activity — follow-ups, check-ins (some flagged), claims, releases and reclaims, tasks done
and overdue, leads assigned and waiting, customers close to their reclaim deadline — written
with the ``sqlite3`` module's ``executemany`` (the schema comes from the real migrations), and
measures in the same run:

* the digest computation (``storage.digest.compute_digests``) for T teams and for T/10,
  on both databases: wall time (median of three) and SQL statements (``bench.sqlcount``) —
  the count must be the same for T and T/10 teams and for R and R/2 reps;
* sending the T group digests (a chart photo and a message each, 2·T messages) through the
  Bot API emulator — in a process of its own, as Telegram is another machine — with
  Telegram's limits enforced (``strict_flood=True``: 429 beyond 30
  messages per second overall, 20 per minute per group), by the bot built with
  ``build_application`` (its ``FloodLimiter``), against the minimum those limits allow
  (2·T / 30 s) — the goal is ≤ 1.2× and no 429;
* drawing the T charts (matplotlib, in worker threads), and the whole delivery as the daily
  job runs it (``handlers.digest_send.deliver``: charts drawn while earlier teams are sent).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from tortoise import Tortoise

from bench.sqlcount import count_statements
from bot.application import build_application
from bot.database import migrate_database, tortoise_config
from bot.emulator import BotApiEmulator
from bot.i18n import Lang
from bot.settings import Settings
from handlers.digest_send import (
    CONCURRENT_TEAMS,
    Broadcast,
    Outgoing,
    deliver,
    pacer,
    render,
    send,
)
from storage import digest
from storage.digest import Digest
from storage.digest_time import history
from storage.models import Team
from storage.teams import create_team

TOKEN = "123456789:BENCH-token-for-the-emulator-00000"
ZONE = "Asia/Shanghai"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Monday 18:00 in Shanghai: digest time
DAY = timedelta(days=1)
RATE = 30.0
"""Telegram: about 30 messages per second overall."""


def ts(moment: datetime) -> str:
    """A datetime as tortoise stores it in SQLite."""
    return moment.astimezone(UTC).isoformat(" ")


# ----- the data -----

Rows = list[tuple[object, ...]]
INSERTS = {
    "customer": "INSERT INTO customer (created_at, updated_at, id, name, name_key, tags, tier,"
    " tier_reason, tier_overridden, owned_since, locked, extension_used, won, last_followup_at,"
    " last_deal_at, owner_id, team_id) VALUES"
    " (?1, ?1, ?2, ?3, lower(?3), '[]', 'potential', '{}', 0, ?4, 0, 0, 0, ?5, ?6, ?7, ?8)",
    "followup": "INSERT INTO followup (kind, note, effective, occurred_at, customer_id, rep_id,"
    " team_id) VALUES ('call', 'Talked', 1, ?, ?, ?, ?)",
    "checkin": "INSERT INTO checkin (latitude, longitude, note, flags, flagged, checked_in_at,"
    " customer_id, rep_id, team_id) VALUES (31.2, 121.4, '', ?, ?, ?, ?, ?, ?)",
    "poolevent": "INSERT INTO poolevent (kind, actor_kind, created_at, customer_id, rep_id,"
    " team_id) VALUES (?, 'user', ?, ?, ?, ?)",
    "task": "INSERT INTO task (created_at, updated_at, title, description, priority, status,"
    " due_at, completed_at, assignee_id, team_id) VALUES (?1, ?1, ?2, '', 'normal', ?3, ?4, ?5,"
    " ?6, ?7)",
    "lead": 'INSERT INTO "lead" (created_at, updated_at, name, company, company_key, status,'
    " assigned_at, assignment_reason, note, assignee_id, waiting_reason, team_id)"
    " VALUES (?1, ?1, ?2, '', '', ?3, ?4, '{}', '', ?5, ?6, ?7)",
}


def activity(
    rng: random.Random, reps: list[tuple[int, int]], team_ids: list[int]
) -> dict[str, Rows]:
    """Per rep: 30 customers (two close to their reclaim deadline) and eight days of work;
    per team a few leads waiting for a rep."""
    now = ts(NOW)
    rows: dict[str, Rows] = {table: [] for table in INSERTS}
    days = history(date(2026, 3, 2), ZONE)
    for tid, rep in reps:
        mine = []
        for c in range(30):
            cid = len(rows["customer"]) + 1
            since = NOW - rng.uniform(31, 200) * DAY
            last = NOW - (rng.uniform(27.5, 29.5) if c < 2 else rng.uniform(0, 20)) * DAY
            deal = NOW - rng.uniform(0, 60) * DAY  # long-held customers bought something
            times = (ts(since), ts(last), ts(deal))
            rows["customer"].append((now, cid, f"Customer {cid}", *times, rep, tid))
            mine.append(cid)
        for back, bounds in enumerate(days):
            start, span = bounds.start, ((NOW if back == 0 else bounds.end) - bounds.start)

            def at(start: datetime = start, span: timedelta = span) -> str:
                return ts(start + timedelta(seconds=int(rng.uniform(0, span.total_seconds()))))

            for _ in range(rng.randint(0, 6)):
                rows["followup"].append((at(), rng.choice(mine), rep, tid))
            for _ in range(rng.randint(0, 3)):
                flags = '["far"]' if rng.random() < 0.1 else "[]"
                rows["checkin"].append(
                    (flags, int(flags != "[]"), at(), rng.choice(mine), rep, tid)
                )
            for kind, most in (("claim", 2), ("release", 1), ("reclaim", 1)):
                for _ in range(rng.randint(0, most)):
                    rows["poolevent"].append((kind, at(), rng.choice(mine), rep, tid))
            for _ in range(rng.randint(0, 2)):
                done = at()
                rows["task"].append((now, "Follow up", "done", done, done, rep, tid))
            for _ in range(rng.randint(0, 2)):
                rows["lead"].append((now, "Lead", "assigned", at(), rep, None, tid))
        for _ in range(rng.randint(0, 2)):  # overdue
            due = ts(NOW - rng.uniform(0.1, 5) * DAY)
            rows["task"].append((now, "Call back", "open", due, None, rep, tid))
        rows["task"].append((now, "Next week", "open", ts(NOW + 7 * DAY), None, rep, tid))
    for tid in team_ids:
        for _ in range(rng.randint(0, 6)):
            rows["lead"].append((now, "Waiting lead", "new", None, None, "no_reps", tid))
    return rows


async def build(path: Path, teams: int, reps: int, groups: list[int], seed: int = 7) -> int:
    """A migrated database of ``teams`` × ``reps`` with eight days of activity; rows written."""
    url = f"sqlite://{path}"
    await migrate_database(url)
    await Tortoise.init(config=tortoise_config(url))
    for n in range(teams):
        await create_team(None, f"Team {n + 1}", ZONE, now=NOW - 60 * DAY)
    await Tortoise.close_connections()

    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    team_ids = [row[0] for row in db.execute("SELECT id FROM team ORDER BY id")]
    db.executemany(
        "UPDATE team SET group_chat_id = ?, group_title = ? WHERE id = ?",
        [(groups[n], f"Team {n + 1} sales", tid) for n, tid in enumerate(team_ids)],
    )
    roles = ["manager"] + ["rep"] * reps  # each team: its manager, then its reps
    people = [
        (ts(NOW), 8_000_000 + n * 1000 + r, f"{role.title()} {n + 1}-{r}", role, tid)
        for n, tid in enumerate(team_ids)
        for r, role in enumerate(roles)
    ]
    db.executemany(
        "INSERT INTO user (created_at, updated_at, telegram_id, full_name, telegram_language,"
        " role, is_active, regions, industries, lead_capacity, lead_daily_quota, away, team_id)"
        " VALUES (?1, ?1, ?2, ?3, 'en', ?4, 1, '[]', '[]', 50, 15, 0, ?5)",
        people,
    )
    members = db.execute("SELECT team_id, id FROM user WHERE role = 'rep' ORDER BY id").fetchall()
    rows = activity(random.Random(seed), members, team_ids)
    for table, statement in INSERTS.items():
        db.executemany(statement, rows[table])
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return sum(len(batch) for batch in rows.values())


# ----- Telegram, in another process -----


def _serve(conn: Connection, teams: int) -> None:
    """The child: an emulator with ``teams`` groups, answering "mark", "stats" and "stop"."""

    async def run() -> None:
        async with BotApiEmulator(TOKEN, bot_username="fieldcrm_bot", strict_flood=True) as emu:
            owner = emu.add_user(first_name="Owner")
            chats = [emu.add_group(f"Team {n + 1} sales") for n in range(teams)]
            for chat in chats:
                emu.set_member(chat, owner, "member")
                emu.add_bot_to_group(chat, by=owner)
            conn.send((emu.base_url, emu.base_file_url, [chat.id for chat in chats]))
            loop, mark = asyncio.get_running_loop(), 0
            while (command := await loop.run_in_executor(None, conn.recv)) != "stop":
                if command == "mark":
                    mark = len(emu.requests)
                    conn.send(mark)
                    continue
                sent = [r for r in emu.requests[mark:] if r.method in ("sendMessage", "sendPhoto")]
                conn.send(
                    {
                        "ok": sum(1 for r in sent if r.ok),
                        "too_many": sum(1 for r in sent if r.status == 429),
                        "other": sum(1 for r in sent if not r.ok and r.status != 429),
                    }
                )

    asyncio.run(run())


class Telegram:
    """The emulator in a child process (so it does not take the bot's CPU)."""

    def __init__(self, teams: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, teams), daemon=True)
        self.process.start()
        self.base_url, self.file_url, self.groups = self.conn.recv()

    async def ask(self, command: str) -> Any:
        self.conn.send(command)
        return await asyncio.get_running_loop().run_in_executor(None, self.conn.recv)

    def stop(self) -> None:
        self.conn.send("stop")
        self.process.join(10)


# ----- measuring -----


@dataclass
class Compute:
    reps: int
    teams: int
    seconds: float
    statements: int
    kinds: dict[str, int]


async def compute(reps: int, team_ids: list[int], repeats: int = 3) -> tuple[Compute, list[Digest]]:
    times, counts, kinds = [], [], {}
    digests: list[Digest] = []
    for _ in range(repeats):
        with count_statements() as log:
            start = time.perf_counter()
            digests = await digest.compute_digests(team_ids, now=NOW)
            times.append(time.perf_counter() - start)
        counts.append(log.count)
        kinds = log.summary()
    if len(set(counts)) != 1:
        raise SystemExit(f"the statement count changed between runs: {counts}")
    return Compute(reps, len(team_ids), statistics.median(times), counts[0], kinds), digests


async def timed(work: Callable[[], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    await work()
    return time.perf_counter() - start


@dataclass
class Delivery:
    messages: int
    delivered: int
    render_seconds: float
    send_seconds: float
    send_cpu_seconds: float
    """CPU time the bot's process spent while sending (building requests, the limiter)."""
    end_to_end_seconds: float
    too_many: int
    refused: int


async def delivery(telegram: Telegram, url: str, digests: list[Digest]) -> Delivery:
    """Send every digest to its group: charts first, then sending alone, then both as the job."""
    urls = {"bot_api_url": telegram.base_url, "bot_file_url": telegram.file_url}
    app = build_application(replace(Settings(), bot_token=TOKEN, database_url=url, **urls))
    await app.initialize()
    try:
        outgoing: list[Outgoing] = []

        drawing = Broadcast().drawing  # as the job draws: one chart at a time

        async def draw() -> None:
            charts = (render(d, Lang.EN, drawing=drawing) for d in digests)
            outgoing.extend(await asyncio.gather(*charts))

        render_seconds = await timed(draw)
        gate, pace = asyncio.Semaphore(CONCURRENT_TEAMS), pacer()
        chats = [d.audience[0].chat_id for d in digests]

        async def one(chat_id: int, message: Outgoing) -> None:
            async with gate:
                await send(app.bot, chat_id, message, pace)

        async def send_all() -> None:
            await asyncio.gather(*(one(c, m) for c, m in zip(chats, outgoing, strict=True)))

        await telegram.ask("mark")
        cpu = time.process_time()
        send_seconds = await timed(send_all)
        send_cpu = time.process_time() - cpu
        sending = await telegram.ask("stats")
        await asyncio.sleep(2.5)  # let the per-chat and overall buckets refill before the job

        async def claim(_: Digest, work: Callable[[], Awaitable[int]]) -> None:
            await work()

        await telegram.ask("mark")
        end_to_end = await timed(lambda: deliver(app.bot, digests, claim))
        job = await telegram.ask("stats")
    finally:
        await app.shutdown()
    too_many, other = sending["too_many"] + job["too_many"], sending["other"] + job["other"]
    times = (render_seconds, send_seconds, send_cpu, end_to_end)
    return Delivery(len(digests) * 2, sending["ok"], *times, too_many, other)


def line(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


async def measure_compute(path: Path, reps: int, teams: int) -> tuple[list[Compute], list[Digest]]:
    """Compute for every team and for a tenth of them; the digests of every team."""
    await Tortoise.init(config=tortoise_config(f"sqlite://{path}"))
    try:
        ids = [team.id for team in await Team.all().order_by("id")]
        every, everything = await compute(reps, ids)
        tenth, _ = await compute(reps, ids[: max(1, teams // 10)])
        with count_statements() as log:
            due = await digest.due_teams(now=NOW)
        print(f"  due_teams: {len(due)} teams due, {log.count} statements", flush=True)
    finally:
        await Tortoise.close_connections()
    return [every, tenth], everything


def report(results: list[Compute], sent: Delivery, teams: int, reps: int) -> None:
    print()
    print(line("reps/team", "teams", "compute s", "statements", "per team"))
    print(line(*["---"] * 5))
    for r in results:
        per_team = f"{r.statements / r.teams:.2f}"
        print(line(r.reps, r.teams, f"{r.seconds:.3f}", r.statements, per_team))
    print(f"\nstatements by kind: {results[0].kinds}")
    same = len({r.statements for r in results}) == 1
    print(
        f"statement count equal for {teams} and {max(1, teams // 10)} teams,"
        f" {reps} and {max(1, reps // 2)} reps: {'yes' if same else 'NO'}"
    )
    minimum = sent.messages / RATE
    ratio = sent.send_seconds / minimum
    print()
    print(line("messages", "delivered", "minimum s (2·T/30)", "send s", "ratio", "429s", "errors"))
    print(line(*["---"] * 7))
    seconds = (f"{minimum:.2f}", f"{sent.send_seconds:.2f}", f"{ratio:.2f}×")
    print(line(sent.messages, sent.delivered, *seconds, sent.too_many, sent.refused))
    print(f"\nbot CPU while sending: {sent.send_cpu_seconds:.2f}s")
    each = sent.render_seconds / max(1, sent.messages // 2) * 1000
    print(f"charts: {sent.messages // 2} drawn in {sent.render_seconds:.2f}s ({each:.0f} ms each)")
    print(f"the job's whole delivery (charts drawn while sending): {sent.end_to_end_seconds:.2f}s")
    verdict = "met" if ratio <= 1.2 and sent.too_many == 0 else "NOT met"
    print(
        f"sending vs the limit's minimum: {ratio:.2f}× with {sent.too_many} 429s"
        f" (goal ≤ 1.2× and none: {verdict})"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--teams", type=int, default=100)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--dir", type=Path, default=None, help="keep the databases here")
    args = parser.parse_args()
    teams, reps = args.teams, args.reps
    telegram = Telegram(teams)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = args.dir or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            results: list[Compute] = []
            paths = {}
            for per_team in (reps, max(1, reps // 2)):
                paths[per_team] = path = folder / f"digest-{teams}x{per_team}.sqlite3"
                start = time.perf_counter()
                rows = await build(path, teams, per_team, telegram.groups)
                took = time.perf_counter() - start
                print(f"{teams} teams × {per_team} reps: {rows:,} rows in {took:.1f}s", flush=True)
                measured, digests = await measure_compute(path, per_team, teams)
                results += measured
                if per_team == reps:
                    everything = digests
            url = f"sqlite://{paths[reps]}"
            await Tortoise.init(config=tortoise_config(url))
            try:
                sent = await delivery(telegram, url, everything)
            finally:
                await Tortoise.close_connections()
    finally:
        telegram.stop()
    report(results, sent, teams, reps)


if __name__ == "__main__":
    asyncio.run(main())
