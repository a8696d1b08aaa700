"""The reclaim sweep at scale: ``python -m bench.bench_pool [--customers 1000000]``.

Builds a fresh, migrated SQLite database of N customers (4 teams × 50 reps; 40 % owned, with
follow-ups, deals, locks, extensions, open deals, running contracts and open installments
spread over them, so a realistic share is overdue and some of it paused), copies the file,
and measures in the same run (each contender five times, each time on a fresh copy written
through to disk, taking turns at going first; medians):

* the reclaim sweep (``storage.reclaim.reclaim_overdue``: one UPDATE for every team, one
  ``INSERT … SELECT`` of the pool events, and the queries behind the notices) on one copy,
  against one hand-written UPDATE doing the same ownership change on the other copy — the
  two must change the same rows, and the goal is ≤ 1.5×;
* where the sweep's time goes: each statement's time in the median run, and the rest
  (the commit, Python);
* the number of SQL statements the sweep (and the warning pass) issues for N and for N/10,
  counted with ``bench.sqlcount`` — they must be equal;
* the same for the nightly tier recomputation (``storage.tiering.recompute_tiers``, one team),
  with its time.

Rows are written with the ``sqlite3`` module's ``executemany`` (tortoise would take minutes
to create a million objects); the schema comes from the real migrations.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tortoise import Tortoise, connections

from bench.sqlcount import count_statements
from bot.database import migrate_database, tortoise_config
from storage import reclaim, tiering
from storage.defaults import TIER_LEVELS
from storage.models import Tier
from storage.teams import create_team

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
TEAMS = 4
REPS_PER_TEAM = 50
TIERS = (Tier.KEY,) * 5 + (Tier.REGULAR,) * 25 + (Tier.POTENTIAL,) * 60 + (Tier.AT_RISK,) * 10
REGIONS = ("浦东", "静安", "徐汇", "闵行", "Pudong", "Haidian")
INDUSTRIES = ("制造", "零售", "物流", "Software", "Energy")
DAY = timedelta(days=1)


def ts(moment: datetime) -> str:
    """A datetime as tortoise stores it in SQLite."""
    return moment.isoformat(" ")


async def build(path: Path, customers: int, seed: int = 7) -> dict[str, int]:
    """A migrated database with teams and reps (through storage) and N customers (raw)."""
    url = f"sqlite://{path}"
    await migrate_database(url)
    await Tortoise.init(config=tortoise_config(url))
    for n in range(TEAMS):
        await create_team(None, f"Team {n + 1}", "Asia/Shanghai", now=NOW)
    await Tortoise.close_connections()

    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    now = ts(NOW)
    reps: dict[int, list[int]] = {}
    user_rows = []
    for team in range(1, TEAMS + 1):
        for r in range(REPS_PER_TEAM):
            user_rows.append(
                (now, now, 7_000_000 + team * 1000 + r, f"Rep {team}-{r}", "en", "rep")
            )
    db.executemany(
        "INSERT INTO user (created_at, updated_at, telegram_id, full_name, telegram_language,"
        " role, is_active, regions, industries, lead_capacity, lead_daily_quota, away, team_id)"
        " VALUES (?, ?, ?, ?, ?, ?, 1, '[]', '[]', 50, 15, 0,"
        " (SELECT id FROM team WHERE name = 'Team ' || ((? - 7000000) / 1000)))",
        [(*row, row[2]) for row in user_rows],
    )
    for team_id, user_id in db.execute("SELECT team_id, id FROM user WHERE role = 'rep'"):
        reps.setdefault(team_id, []).append(user_id)
    team_ids = sorted(reps)
    stages = dict(db.execute("SELECT team_id, id FROM pipelinestage WHERE code = 'proposal'"))

    counts = {"owned": 0, "deals": 0, "contracts": 0, "installments": 0}
    batch: list[tuple[object, ...]] = []
    deals: list[tuple[object, ...]] = []
    contracts: list[tuple[int, int, int, str | None, str]] = []
    installments: list[int] = []

    def flush() -> None:
        db.executemany(
            "INSERT INTO customer (created_at, updated_at, id, name, name_key, region, industry,"
            " tags, tier, tier_reason, tier_overridden, owned_since, locked, extension_used,"
            " extended_until, won, last_followup_at, last_deal_at, owner_id, team_id,"
            " last_owner_id, released_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?, '{}', 0, ?, ?, 0, ?, 0, ?, ?, ?, ?, ?, ?)",
            batch,
        )
        batch.clear()

    for cid in range(1, customers + 1):
        team_id = team_ids[cid % TEAMS]
        tier = rng.choice(TIERS)
        owner = owned_since = followup = deal = extended = last_owner = released = None
        locked = 0
        if rng.random() < 0.6:  # in the pool; half of those had an owner before
            if rng.random() < 0.5:
                last_owner = rng.choice(reps[team_id])
                released = ts(NOW - rng.uniform(1, 365) * DAY)
        else:
            counts["owned"] += 1
            owner = rng.choice(reps[team_id])
            age = rng.uniform(0, 120)
            owned_since = ts(NOW - age * DAY)
            if rng.random() < 0.92:  # most owners follow up every couple of weeks
                followup = ts(NOW - min(age, rng.expovariate(1 / 12)) * DAY)
            if age > 60 and rng.random() < 0.85:  # long-held customers mostly bought something
                deal = ts(NOW - rng.uniform(0, min(age, 80)) * DAY)
            locked = int(rng.random() < 0.01)
            if rng.random() < 0.01:
                extended = ts(NOW + rng.uniform(-10, 20) * DAY)
            roll = rng.random()
            if roll < 0.04:
                deals.append(
                    (
                        now,
                        now,
                        "Deal",
                        "",
                        0,
                        "CNY",
                        "2026-06-01",
                        "[]",
                        "",
                        now,
                        cid,
                        owner,
                        stages[team_id],
                        team_id,
                    )
                )
            elif roll < 0.06:
                ends = (
                    None
                    if rng.random() < 0.3
                    else str(date(2026, 3, 2) + rng.randint(-60, 300) * DAY)
                )
                contracts.append((cid, owner, team_id, ends, "active"))
            elif roll < 0.075:
                contracts.append((cid, owner, team_id, "2025-12-31", "completed"))
                installments.append(len(contracts))
        batch.append(
            (
                now,
                now,
                cid,
                f"Customer {cid}",
                f"customer{cid}",
                rng.choice(REGIONS),
                rng.choice(INDUSTRIES),
                tier.value,
                owned_since,
                locked,
                extended,
                followup,
                deal,
                owner,
                team_id,
                last_owner,
                released,
            )
        )
        if len(batch) >= 50_000:
            flush()
    flush()
    db.executemany(
        "INSERT INTO opportunity (created_at, updated_at, title, need, amount_cents, currency,"
        " expected_close_on, competitors, decision_maker, stage_changed_at, customer_id,"
        " owner_id, stage_id, team_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        deals,
    )
    db.executemany(
        "INSERT INTO contract (created_at, updated_at, id, number, title, amount_cents, currency,"
        " ends_on, status, customer_id, owner_id, team_id)"
        " VALUES (?1, ?1, ?2, 'C' || ?2, '', 0, 'CNY', ?6, ?7, ?3, ?4, ?5)",
        [
            (now, n, cid, owner, team, ends, status)
            for n, (cid, owner, team, ends, status) in enumerate(contracts, 1)
        ],
    )
    db.executemany(
        "INSERT INTO paymentplan (id, total_cents, currency, created_at, contract_id)"
        " VALUES (?1, 100, 'CNY', ?2, ?1)",
        [(n, now) for n in installments],
    )
    db.executemany(
        "INSERT INTO installment (seq, due_on, amount_cents, paid_cents, status, plan_id)"
        " VALUES (1, '2026-04-01', 100, 0, 'pending', ?)",
        [(n,) for n in installments],
    )
    db.commit()
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    counts.update(deals=len(deals), contracts=len(contracts), installments=len(installments))
    return counts


def hand_written_update() -> tuple[str, list[object]]:
    """The same ownership change as one UPDATE over every team (all teams keep the defaults)."""
    follow = {tier: ts(NOW - levels.reclaim_days * DAY) for tier, levels in TIER_LEVELS.items()}
    case = "CASE tier " + " ".join(f"WHEN '{t.value}' THEN ?" for t in follow) + " END"
    deal_cutoff = ts(NOW - 90 * DAY)
    now, today = ts(NOW), "2026-03-02"
    sql = (
        "UPDATE customer SET last_owner_id = owner_id, owner_id = NULL, released_at = ?,"
        " updated_at = ? WHERE owner_id IS NOT NULL AND NOT locked"
        " AND (extended_until IS NULL OR extended_until <= ?)"
        f" AND ((owned_since <= {case}"
        f" AND (last_followup_at IS NULL OR last_followup_at <= {case}))"
        " OR (owned_since <= ? AND (last_deal_at IS NULL OR last_deal_at <= ?)))"
        " AND NOT EXISTS (SELECT 1 FROM opportunity o WHERE o.customer_id = customer.id"
        " AND o.closed_at IS NULL)"
        " AND NOT EXISTS (SELECT 1 FROM contract k WHERE k.customer_id = customer.id"
        " AND k.status IN ('approved','active') AND (k.ends_on IS NULL OR k.ends_on >= ?))"
        " AND NOT EXISTS (SELECT 1 FROM contract k JOIN paymentplan p ON p.contract_id = k.id"
        " JOIN installment i ON i.plan_id = p.id WHERE k.customer_id = customer.id"
        " AND i.status IN ('pending','partial'))"
    )
    values: list[object] = [now, now, now, *follow.values(), *follow.values()]
    return sql, [*values, deal_cutoff, deal_cutoff, today]


@dataclass
class Run:
    seconds: float
    changed: int
    statements: int
    kinds: dict[str, int]
    checksum: int
    timed: list[tuple[str, float]] = field(default_factory=list)
    """Each statement's first word and wall time, in order."""

    def breakdown(self) -> str:
        """``UPDATE 1.80s, INSERT 0.27s, …, rest 0.80s`` (statements under 10 ms left out)."""
        parts = [f"{kind} {seconds:.2f}s" for kind, seconds in self.timed if seconds >= 0.01]
        rest = self.seconds - sum(seconds for _, seconds in self.timed)
        return ", ".join([*parts, f"rest (commit, Python) {rest:.2f}s"])


def fresh_copy(main: Path, copy: Path) -> None:
    """Copy the built database and write the copy through to disk before it is timed.

    Otherwise the first checkpoint of whichever contender runs (its commit fsyncs the file)
    also pays for writing out whatever part of the fresh copy the kernel still holds dirty.
    """
    shutil.copyfile(main, copy)
    descriptor = os.open(copy, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


async def _checksum() -> int:
    rows = await connections.get("default").execute_query_dict(
        "SELECT COUNT(*) AS n, COALESCE(SUM(id % 1000003), 0) AS s FROM customer"
        " WHERE owner_id IS NULL AND released_at = ?",
        [NOW],
    )
    return int(rows[0]["n"]) * 1_000_003 + int(rows[0]["s"])


async def run_sweep(path: Path) -> tuple[Run, Run]:
    await Tortoise.init(config=tortoise_config(f"sqlite://{path}"))
    try:
        with count_statements() as log:
            start = time.perf_counter()
            result = await reclaim.reclaim_overdue(now=NOW)
            seconds = time.perf_counter() - start
        timed = [
            (query.lstrip().split(None, 1)[0].upper(), spent)
            for query, spent in zip(log.statements, log.seconds, strict=True)
        ]
        sweep = Run(seconds, result.total, log.count, log.summary(), await _checksum(), timed)
        with count_statements() as log:
            start = time.perf_counter()
            warned = await reclaim.warn_owners(now=NOW)
            seconds = time.perf_counter() - start
        warn = Run(seconds, warned.total, log.count, log.summary(), 0)
    finally:
        await Tortoise.close_connections()
    return sweep, warn


async def run_hand_written(path: Path) -> Run:
    await Tortoise.init(config=tortoise_config(f"sqlite://{path}"))
    try:
        sql, values = hand_written_update()
        connection = connections.get("default")
        start = time.perf_counter()
        changed, _ = await connection.execute_query(sql, values)
        seconds = time.perf_counter() - start
        checksum = await _checksum()
    finally:
        await Tortoise.close_connections()
    return Run(seconds, changed, 1, {"UPDATE": 1}, checksum)


async def run_tiering(path: Path) -> Run:
    """The nightly tier recomputation of one team, counted like the sweep."""
    await Tortoise.init(config=tortoise_config(f"sqlite://{path}"))
    try:
        team_id, _zone = (await tiering.team_zones())[0]
        with count_statements() as log:
            start = time.perf_counter()
            result = await tiering.recompute_tiers(team_id, NOW)
            seconds = time.perf_counter() - start
    finally:
        await Tortoise.close_connections()
    return Run(seconds, result.total, log.count, log.summary(), 0)


@dataclass
class Measure:
    customers: int
    built: dict[str, int]
    sweep: Run
    warn: Run
    hand: Run
    tiers: Run


async def measure(folder: Path, customers: int, repeats: int) -> Measure:
    """Build once; time each contender ``repeats`` times on fresh copies; keep the medians."""
    main = folder / f"pool-{customers}.sqlite3"
    start = time.perf_counter()
    built = await build(main, customers)
    print(f"  built {customers:,} customers in {time.perf_counter() - start:.1f}s", flush=True)
    hands, sweeps, warns = [], [], []
    copy = folder / f"pool-{customers}-copy.sqlite3"

    async def time_hand() -> None:
        fresh_copy(main, copy)
        hands.append(await run_hand_written(copy))

    async def time_sweep() -> None:
        fresh_copy(main, copy)
        sweep, warn = await run_sweep(copy)
        sweeps.append(sweep)
        warns.append(warn)

    for turn in range(repeats):
        # Take turns at going first, so neither always runs after the other.
        for step in (time_hand, time_sweep) if turn % 2 == 0 else (time_sweep, time_hand):
            await step()
        hand, sweep = hands[-1], sweeps[-1]
        if hand.changed != sweep.changed or hand.checksum != sweep.checksum:
            raise SystemExit(f"the sweep and the hand-written UPDATE disagree: {sweep} vs {hand}")
    fresh_copy(main, copy)
    tiers = await run_tiering(copy)
    copy.unlink()

    def median(runs: list[Run]) -> Run:
        return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]

    return Measure(customers, built, median(sweeps), median(warns), median(hands), tiers)


def report(big: Measure, small: Measure) -> None:
    def line(*cells: object) -> str:
        return "| " + " | ".join(str(c) for c in cells) + " |"

    print()
    print(
        line(
            "customers",
            "owned",
            "reclaimed",
            "sweep s",
            "one UPDATE s",
            "ratio",
            "sweep stmts",
            "warned",
            "warn s",
            "warn stmts",
        )
    )
    print(line(*["---"] * 10))
    for m in (small, big):
        print(
            line(
                f"{m.customers:,}",
                f"{m.built['owned']:,}",
                f"{m.sweep.changed:,}",
                f"{m.sweep.seconds:.2f}",
                f"{m.hand.seconds:.2f}",
                f"{m.sweep.seconds / m.hand.seconds:.2f}×",
                m.sweep.statements,
                f"{m.warn.changed:,}",
                f"{m.warn.seconds:.2f}",
                m.warn.statements,
            )
        )
    print()
    print(f"sweep statements by kind (N): {big.sweep.kinds}; warning pass: {big.warn.kinds}")
    print(f"sweep time by statement (N, median run): {big.sweep.breakdown()}")
    same = (
        big.sweep.statements == small.sweep.statements
        and big.warn.statements == small.warn.statements
    )
    ratio = big.sweep.seconds / big.hand.seconds
    print(f"statements equal for N and N/10: {'yes' if same else 'NO'}")
    for m in (small, big):
        print(
            f"tier recomputation, one team of {m.customers // TEAMS:,} customers:"
            f" {m.tiers.seconds:.2f}s, {m.tiers.statements} statements {m.tiers.kinds}"
        )
    tiers_same = big.tiers.statements == small.tiers.statements
    print(f"tier statements equal for N and N/10: {'yes' if tiers_same else 'NO'}")
    verdict = "met" if ratio <= 1.5 else "NOT met"
    print(f"sweep vs one UPDATE at N: {ratio:.2f}× (goal ≤ 1.5×: {verdict})")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per contender")
    parser.add_argument("--dir", type=Path, default=None, help="keep the databases here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"N/10 = {args.customers // 10:,}", flush=True)
        small = await measure(folder, args.customers // 10, args.repeats)
        print(f"N = {args.customers:,}", flush=True)
        big = await measure(folder, args.customers, args.repeats)
        report(big, small)


if __name__ == "__main__":
    asyncio.run(main())
