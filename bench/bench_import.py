"""Lead import throughput and memory: ``python -m bench.bench_import [--rows 100000]``.

Generates a CSV of N rows (about 1 % duplicates and 1 % bad rows) and imports it through
``storage.lead_import.import_leads`` into a fresh, migrated SQLite database with a team of
20 reps, so every imported row is also routed and gets a follow-up task. Each size runs in a
child process, so ``ru_maxrss`` (peak resident memory) belongs to that run alone; the file
ten times smaller runs first for comparison — the peak must not grow with the file.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
REPS = 20
REGIONS = ("浦东", "静安", "徐汇", "闵行", "Pudong", "Haidian")
INDUSTRIES = ("制造", "零售", "物流", "Software", "Energy")


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Write the file row by row (never held in memory): ~1 % repeats, ~1 % bad rows."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "公司", "手机", "邮箱", "地区", "行业", "来源"])
        for n in range(rows):
            roll = rng.random()
            if roll < 0.01 and n > 10:  # a repeat of an earlier row's phone
                phone, company = f"139{rng.randrange(n):08d}", f"Repeat {n}"
            else:
                phone, company = f"139{n:08d}", f"公司 {n} 有限公司"
            if 0.01 <= roll < 0.015:
                phone = "12-34"  # not a phone number
            if 0.015 <= roll < 0.02:
                company = ""  # a required field missing
            writer.writerow(
                [
                    f"联系人{n}",
                    company,
                    phone,
                    f"lead{n}@example.com" if n % 3 == 0 else "",
                    rng.choice(REGIONS),
                    rng.choice(INDUSTRIES),
                    "bench",
                ]
            )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def measure(rows: int, folder: Path) -> dict[str, Any]:
    """One run in this process: set up, generate, import, report."""
    from tortoise import Tortoise

    from bot.database import migrate_database, tortoise_config
    from storage.lead_import import import_leads
    from storage.models import Role, User
    from storage.teams import create_team
    from storage.users import to_actor

    url = f"sqlite://{folder / 'bench.sqlite3'}"
    await migrate_database(url)
    await Tortoise.init(config=tortoise_config(url))
    try:
        team = await create_team(None, "Bench", "Asia/Shanghai", now=NOW)
        manager = await User.create(
            telegram_id=1, full_name="Manager", role=Role.MANAGER, team=team
        )
        for i in range(REPS):
            await User.create(
                telegram_id=100 + i,
                full_name=f"Rep {i}",
                role=Role.REP,
                team=team,
                regions=[REGIONS[i % len(REGIONS)]],
                lead_capacity=10**6,
                lead_daily_quota=10**6,
            )
        path = folder / "leads.csv"
        generate(path, rows)
        size_mb = path.stat().st_size / 1024 / 1024
        before = peak_mb()
        started = time.perf_counter()
        summary = await import_leads(
            to_actor(manager),
            team.id,
            path,
            file_name=path.name,
            now=NOW,
            rng=random.Random(1),
            explain=lambda code, params: code,
            report_path=folder / "report.csv",
            max_rows=max(rows, 200_000),
        )
        seconds = time.perf_counter() - started
    finally:
        await Tortoise.close_connections()
    return {
        "rows": summary.total,
        "file_mb": round(size_mb, 1),
        "imported": summary.imported,
        "duplicates": summary.duplicates,
        "failed": summary.failed,
        "seconds": round(seconds, 1),
        "rows_per_s": round(summary.total / seconds),
        "peak_rss_mb_before_import": round(before, 1),
        "peak_rss_mb": round(peak_mb(), 1),
    }


def run_child(rows: int) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.bench_import", "--rows", str(rows), "--child"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory(prefix="fieldcrm-bench-") as folder:
            print(json.dumps(asyncio.run(measure(args.rows, Path(folder)))))
        return
    small, large = run_child(max(1, args.rows // 10)), run_child(args.rows)
    print(f"Lead import, SQLite, {REPS} reps, weighted routing with follow-up tasks")
    print(f"{'rows':>8} {'file MB':>8} {'imported':>9} {'dupes':>6} {'failed':>7} "
          f"{'seconds':>8} {'rows/s':>7} {'peak RSS MB':>12} {'(before import)':>16}")  # fmt: skip
    for r in (small, large):
        print(
            f"{r['rows']:>8} {r['file_mb']:>8} {r['imported']:>9} {r['duplicates']:>6} "
            f"{r['failed']:>7} {r['seconds']:>8} {r['rows_per_s']:>7} {r['peak_rss_mb']:>12} "
            f"{r['peak_rss_mb_before_import']:>16}"
        )
    growth = large["peak_rss_mb"] - small["peak_rss_mb"]
    print(f"peak memory, {large['rows']} rows vs {small['rows']}: {growth:+.1f} MB")


if __name__ == "__main__":
    main()
