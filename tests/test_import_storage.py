"""Importing a lead file through storage: what becomes of every row, batch by batch."""

from __future__ import annotations

import csv
import random
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from storage import lead_import
from storage.access import Actor, NotAllowed, NotFound
from storage.lead_import import ImportProgress
from storage.models import (
    Campaign,
    Customer,
    ImportBatch,
    ImportStatus,
    Lead,
    LeadStatus,
    Role,
    Task,
    Team,
    User,
)
from storage.teams import create_team
from storage.users import to_actor

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
_ids = iter(range(9000, 9999))


def explain(code: str, params: dict[str, Any]) -> str:
    return code + "".join(f" {k}={v}" for k, v in sorted(params.items()))


async def setup() -> tuple[Team, Actor, list[User]]:
    team = await create_team(None, "North", "Asia/Shanghai", now=NOW)
    manager = await User.create(
        telegram_id=next(_ids), full_name="Mia", role=Role.MANAGER, team=team
    )
    reps = [
        await User.create(telegram_id=next(_ids), full_name=name, role=Role.REP, team=team)
        for name in ("Amy", "Bob")
    ]
    return team, to_actor(manager), reps


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


HEADER = ["姓名", "公司", "电话", "邮箱", "地区", "行业", "活动"]


async def test_good_bad_and_duplicate_rows(db: str, tmp_path: Path) -> None:
    team, manager, reps = await setup()
    expo = await Campaign.create(team=team, name="Expo 2026", starts_on=date(2026, 2, 1))
    await Customer.create(
        team=team, name="Old Client", name_key="oldclient", phone="+8613900000001"
    )
    await Lead.create(team=team, name="Known", company="K", company_key="k", email="known@x.io")
    rows = [HEADER]
    rows += [[f"P{n}", f"Firm {n}", f"1380000{n:04d}", "", "East", "Retail", ""] for n in range(6)]
    rows += [
        ["", "No Name Ltd", "13811112222", "", "", "", ""],  # 8: missing name
        ["Q", "", "13811113333", "", "", "", ""],  # 9: missing company
        ["R", "R Co", "", "", "", "", ""],  # 10: no phone nor e-mail
        ["S", "S Co", "12345", "", "", "", ""],  # 11: bad phone
        ["T", "T Co", "", "t@@x", "", "", ""],  # 12: bad e-mail
        ["U", "U Co", "13811114444", "", "", "", "Nope"],  # 13: unknown campaign
        ["V", "V Co", "+86 139 0000 0001", "", "", "", ""],  # 14: a customer's phone
        ["W", "W Co", "", "KNOWN@x.io", "", "", ""],  # 15: a lead's e-mail
        ["X", "Firm 1", "13811115555", "", "", "", ""],  # 16: same company as row 3
        ["Y", "Y Co", "1380000 0004", "", "", "", ""],  # 17: same phone as row 6
        ["Z", "Z Co", "13811116666", "z@z.io", "", "", "expo 2026"],  # 18: fine, own campaign
    ]
    path = write_csv(tmp_path / "leads.csv", rows)
    seen: list[ImportProgress] = []

    async def progress(p: ImportProgress) -> None:
        seen.append(p)

    summary = await lead_import.import_leads(
        manager,
        team.id,
        path,
        file_name="leads.csv",
        now=NOW,
        rng=random.Random(1),
        explain=explain,
        report_path=tmp_path / "report.csv",
        progress=progress,
        batch_size=5,
    )
    assert (summary.total, summary.imported, summary.duplicates, summary.failed) == (17, 7, 4, 6)
    assert [p.rows for p in seen] == [0, 5, 10, 15, 17]  # once at the start, then per batch

    imported = await Lead.filter(import_batch_id=summary.batch_id).order_by("id")
    assert len(imported) == 7 and all(lead.status is LeadStatus.ASSIGNED for lead in imported)
    assert {lead.assignee_id for lead in imported} == {reps[0].id, reps[1].id}
    assert imported[0].phone == "+8613800000000" and imported[0].source == "import"
    assert imported[-1].campaign_id == expo.id
    assert await Task.filter(lead_id__in=[lead.id for lead in imported]).count() == 7
    assert summary.outcome is not None and summary.outcome.assigned == 7

    batch = await ImportBatch.get(id=summary.batch_id)
    assert batch.status is ImportStatus.DONE and batch.user_id == manager.user_id
    assert (batch.total_rows, batch.imported_rows, batch.duplicate_rows, batch.failed_rows) == (
        17,
        7,
        4,
        6,
    )

    assert summary.report is not None
    with summary.report.open(encoding="utf-8-sig", newline="") as handle:
        report = list(csv.reader(handle))
    assert report[0] == ["leads.import.report_row", *HEADER, "leads.import.report_reason"]
    reasons = {int(row[0]): row[-1] for row in report[1:]}
    assert reasons == {
        8: "leads.invalid.name_empty",
        9: "leads.invalid.company_empty",
        10: "leads.invalid.no_contact",
        11: "leads.invalid.bad_phone phone=12345",
        12: "leads.invalid.bad_email email=t@@x",
        13: "leads.invalid.unknown_campaign campaign=Nope",
        14: "leads.import.dup_customer field=phone name=Old Client",
        15: "leads.import.dup_lead field=email name=Known (K)",
        16: "leads.import.dup_in_file field=company",
        17: "leads.import.dup_in_file field=phone",
    }
    assert report[1][1:8] == ["", "No Name Ltd", "13811112222", "", "", "", ""]


async def test_the_chosen_campaign_applies_to_rows_without_their_own(
    db: str, tmp_path: Path
) -> None:
    team, manager, _ = await setup()
    fair = await Campaign.create(team=team, name="Fair", starts_on=date(2026, 1, 1))
    path = write_csv(tmp_path / "l.csv", [["name", "company", "email"], ["A", "A Co", "a@a.io"]])
    summary = await lead_import.import_leads(
        manager, team.id, path, file_name="l.csv", now=NOW, rng=random.Random(1),
        explain=explain, campaign_id=fair.id,
    )  # fmt: skip
    assert summary.report is None
    assert (await Lead.get(import_batch_id=summary.batch_id)).campaign_id == fair.id


async def test_leads_wait_when_nobody_can_take_them(db: str, tmp_path: Path) -> None:
    team, manager, _reps = await setup()
    await User.filter(team_id=team.id, role=Role.REP).update(away=True)
    rows = [["name", "company", "phone"]] + [
        [f"P{n}", f"C{n}", f"1390000{n:04d}"] for n in range(7)
    ]
    summary = await lead_import.import_leads(
        manager, team.id, write_csv(tmp_path / "l.csv", rows), file_name="l.csv", now=NOW,
        rng=random.Random(1), explain=explain, batch_size=3,
    )  # fmt: skip
    assert summary.imported == 7 and summary.outcome is not None
    assert summary.outcome.waiting == 7 and summary.outcome.waiting_reason == "all_unavailable"
    assert len(summary.outcome.managers) == 1
    assert await Lead.filter(team_id=team.id, status=LeadStatus.NEW).count() == 7
    assert await Task.all().count() == 0


async def test_rows_beyond_the_cap_are_not_read(db: str, tmp_path: Path) -> None:
    team, manager, _ = await setup()
    rows = [["name", "company", "phone"]] + [
        [f"P{n}", f"C{n}", f"1390000{n:04d}"] for n in range(9)
    ]
    summary = await lead_import.import_leads(
        manager, team.id, write_csv(tmp_path / "l.csv", rows), file_name="l.csv", now=NOW,
        rng=random.Random(1), explain=explain, batch_size=4, max_rows=8,
    )  # fmt: skip
    assert (summary.total, summary.imported, summary.truncated) == (8, 8, True)


async def test_only_managers_and_admins_import_and_only_for_their_team(
    db: str, tmp_path: Path
) -> None:
    team, manager, reps = await setup()
    south = await create_team(None, "South", "Asia/Shanghai", now=NOW)
    path = write_csv(tmp_path / "l.csv", [["name", "company", "phone"], ["A", "B", "13900000000"]])
    options: dict[str, Any] = {"file_name": "l.csv", "now": NOW, "rng": random.Random(1)}
    with pytest.raises(NotAllowed):
        await lead_import.import_leads(to_actor(reps[0]), team.id, path, explain=explain, **options)
    with pytest.raises(NotFound):
        await lead_import.import_leads(manager, south.id, path, explain=explain, **options)
    assert await ImportBatch.all().count() == 0 and await Lead.all().count() == 0
