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

The data set is built by ``bench.pool_data``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tortoise import Tortoise, connections

from bench.pool_data import DAY, NOW, TEAMS, build, ts
from bench.sqlcount import count_statements
from bot.database import tortoise_config
from storage import reclaim, tiering
from storage.defaults import TIER_LEVELS


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
