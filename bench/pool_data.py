"""The data set behind ``bench.bench_pool``: N customers in 4 teams × 50 reps (40 % owned, with
follow-ups, deals, locks, extensions, open deals, running contracts and open installments),
written with the ``sqlite3`` module's ``executemany`` into a database migrated by the real
migrations — tortoise would take minutes to create a million objects.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tortoise import Tortoise

from bot.database import migrate_database, tortoise_config
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
