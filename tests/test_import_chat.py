"""/import through the chat: a file with good and bad rows comes back as a summary and an
error report; what is not a lead list gets a clear answer; waiting leads reach a rep later."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from scheduler.leads import retry_waiting_leads
from storage.models import (
    Campaign,
    ImportBatch,
    ImportStatus,
    Lead,
    LeadStatus,
    Role,
    Task,
    Team,
    User,
)
from tests.support.sim import Person, Sim, ensure_team

CSV_MIME = "text/csv"


async def joined(
    sim: Sim, role: Role, name: str, *, lang: str = "en", team: str = "North"
) -> Person:
    person = await sim.member(role, team, name=name, lang=lang)
    await person.send("/start")
    return person


def lead_file(good: int, *, start: int = 0) -> list[list[str]]:
    rows = [["姓名", "公司", "手机", "邮箱", "地区"]]
    rows += [
        [f"客户{n}", f"公司{n}", f"1390000{n:04d}", "", "浦东"] for n in range(start, start + good)
    ]
    return rows


def encode(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def report_of(person: Person) -> list[list[str]]:
    message = person.last_message()
    assert message.document is not None, "no report document"
    data = person.sim.emu.file_bytes(message.document["file_id"])
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


async def test_an_import_with_good_and_bad_rows_returns_a_report(sim: Sim) -> None:
    amy = await joined(sim, Role.REP, "Amy")
    bob = await joined(sim, Role.REP, "Bob")
    mia = await joined(sim, Role.MANAGER, "Mia", lang="zh-hans")
    team = await Team.get(name="North")
    await User.filter(team_id=team.id, role=Role.REP).update(
        lead_capacity=500, lead_daily_quota=500
    )
    expo = await Campaign.create(team=team, name="春季展会", starts_on=date(2026, 2, 1))

    rows = lead_file(280)
    rows += [[f"坏{n}", f"坏公司{n}", "12345", "", ""] for n in range(10)]  # bad phones
    rows += [[f"重{n}", f"公司{n}", f"1388888{n:04d}", "", ""] for n in range(10)]  # same company
    rows.append(["", "无名公司", "13711112222", "", ""])  # no name
    [ask] = await mia.send("/import")
    assert "哪个活动" in (ask.text or "") and "春季展会" in mia.buttons()
    tap = await mia.tap("春季展会")
    assert ".csv" in (tap.changed[-1].text or "")
    [told] = await mia.send_photo(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    assert "图片" in (told.text or "")
    [told] = await mia.send("here you go")
    assert ".csv" in (told.text or "")

    replies = await mia.send_document(encode(rows), "展会名单.csv", CSV_MIME)
    texts = [m.text or m.caption or "" for m in replies]
    assert any("导入完成：共读取 301 行" in text for text in texts)  # the progress message, final
    summary = next(text for text in texts if "展会名单.csv" in text)
    assert "总行数：301 · 已导入：280 · 重复：10 · 失败：11" in summary
    assert "Amy" in summary and "Bob" in summary

    report = report_of(mia)
    assert report[0] == ["行号", "姓名", "公司", "手机", "邮箱", "地区", "原因"]
    assert len(report) == 1 + 21
    assert report[1] == ["282", "坏0", "坏公司0", "12345", "", "", "12345 不是有效的电话号码。"]
    assert report[11][0] == "292" and report[11][-1] == "重复：本文件前面有一行的公司相同"
    assert report[-1][-1] == "请输入联系人姓名。"

    batch = await ImportBatch.get(team_id=team.id)
    assert batch.status is ImportStatus.DONE and batch.imported_rows == 280
    imported = Lead.filter(import_batch_id=batch.id)
    assert await imported.count() == 280
    assert await imported.filter(campaign_id=expo.id, status=LeadStatus.ASSIGNED).count() == 280
    assert await Task.all().count() == 280
    for rep in (amy, bob):
        notice = rep.last_message()
        assert "new leads for you" in (notice.text or "") and "My leads" in rep.buttons()

    # The same file again: every row is now a duplicate of what was imported.
    replies = await mia.send("/import")
    await mia.tap("无活动")
    replies = await mia.send_document(encode(lead_file(5)), "again.csv", CSV_MIME)
    assert any("已导入：0 · 重复：5" in (m.text or "") for m in replies)
    assert "重复：已有此线索（客户0 (公司0)），电话相同" in report_of(mia)[1][-1]


async def test_a_document_captioned_import_and_an_xlsx(sim: Sim) -> None:
    await joined(sim, Role.REP, "Amy")
    mia = await joined(sim, Role.MANAGER, "Mia")
    book = Workbook()
    for row in lead_file(3):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    replies = await mia.send_document(buffer.getvalue(), "leads.xlsx", mime, caption="/import")
    assert any(
        "Rows: 3 · imported: 3 · duplicates: 0 · failed: 0" in (m.text or "") for m in replies
    )
    assert mia.last_message().document is None  # nothing failed: no report
    assert await Lead.all().count() == 3


async def test_files_that_are_not_lead_lists_get_a_clear_answer(
    sim: Sim, monkeypatch: pytest.MonkeyPatch
) -> None:
    mia = await joined(sim, Role.MANAGER, "Mia")
    await mia.send("/import")
    cases = [
        (
            b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
            "scan.png",
            "image/png",
            "not a spreadsheet",
        ),
        (bytes(range(256)) * 50, "data.csv", CSV_MIME, "not a spreadsheet"),
        (b"\r\n\r\n", "empty.csv", CSV_MIME, "empty"),  # Telegram has no 0-byte files
        (b"just some words\nand more words\n", "notes.csv", CSV_MIME, "header row"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
            "old.xls",
            "application/vnd.ms-excel",
            ".xls",
        ),
        (b"name,company\nAnn,Acme\n", "two.csv", CSV_MIME, "lacks required columns"),
    ]
    for data, name, mime, expected in cases:
        [answer] = await mia.send_document(data, name, mime)
        assert expected in (answer.text or ""), name
    monkeypatch.setattr("handlers.leads_import.MAX_BYTES", 100)
    [answer] = await mia.send_document(encode(lead_file(10)), "big.csv", CSV_MIME)
    assert "too big" in (answer.text or "")
    assert await Lead.all().count() == 0 and await ImportBatch.all().count() == 0
    [answer] = await mia.send("/cancel")
    assert "Nothing was saved" in (answer.text or "")


async def test_an_admin_imports_for_a_chosen_team_and_reps_may_not(sim: Sim) -> None:
    await ensure_team("North", sim.clock.now())
    await ensure_team("South", sim.clock.now())
    rob = await joined(sim, Role.REP, "Rob", team="South")
    [refused] = await rob.send("/import")
    assert "not available for your role" in (refused.text or "")
    admin = sim.admin
    await admin.send("/start")
    await admin.send("/import")
    assert set(admin.buttons()) >= {"North", "South"}
    await admin.tap("South")
    await admin.send_document(encode(lead_file(2)), "l.csv", CSV_MIME)
    south = await Team.get(name="South")
    assert await Lead.filter(team_id=south.id).count() == 2
    assert (
        await Lead.filter(
            team_id=south.id, assignee_id=(await User.get(telegram_id=rob.id)).id
        ).count()
        == 2
    )


async def test_leads_that_wait_are_reported_then_routed_by_the_job(sim: Sim) -> None:
    amy = await joined(sim, Role.REP, "Amy")
    mia = await joined(sim, Role.MANAGER, "Mia")
    max_ = await joined(sim, Role.MANAGER, "Max")
    await User.filter(telegram_id=amy.id).update(away_until=sim.clock.now() + timedelta(hours=2))
    await mia.send("/import")
    replies = await mia.send_document(encode(lead_file(4)), "l.csv", CSV_MIME)
    assert any("4 leads are waiting: every rep is away" in (m.text or "") for m in replies)
    notice = max_.last_message().text or ""  # the other manager hears once, per batch
    assert "4 leads are waiting" in notice
    assert len([m for m in max_.messages() if "waiting" in (m.text or "")]) == 1
    assert await Lead.filter(status=LeadStatus.NEW).count() == 4

    await sim.run_job(retry_waiting_leads)  # Amy is still away: nothing, and no new notice
    assert len([m for m in max_.messages() if "waiting" in (m.text or "")]) == 1
    sim.clock.advance(timedelta(hours=3))
    await sim.run_job(retry_waiting_leads)
    assert await Lead.filter(status=LeadStatus.ASSIGNED).count() == 4
    assert "4 new leads for you" in (amy.last_message().text or "")
    await sim.run_job(retry_waiting_leads)  # the same period: claimed already, nothing twice
    assert await Task.all().count() == 4
