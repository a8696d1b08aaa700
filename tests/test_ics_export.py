"""/ics: the rep's next 30 days as an RFC 5545 file, parsed back with ``icalendar``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from storage.calendar_ics import IcsEvent, build_ics
from storage.models import CalendarEntry, CalendarKind, CalendarStatus, Role, TeamRules
from tests.support.sim import Sim
from tests.test_calendar_plan import utc
from tests.test_calendar_support import owned, planned, rep, team

TUE = date(2026, 3, 3)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


async def test_ics_holds_the_upcoming_plan_with_alarms(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    amy = await rep(sim, "Amy")
    acme = await owned(sim, rob, "Acme; Sons, Ltd", address="88 Century Ave, Pudong")
    visit = await planned(rob, acme, utc(TUE, 14))
    await CalendarEntry.filter(id=visit.id).update(note="Bring the contract\nand samples")
    call = await planned(rob, acme, utc(TUE, 16), kind=CalendarKind.FOLLOW_UP, minutes=30)
    await CalendarEntry.filter(id=call.id).update(revision=2)
    gone = await planned(rob, acme, utc(TUE, 18))
    await CalendarEntry.filter(id=gone.id).update(status=CalendarStatus.CANCELLED)
    await planned(rob, acme, utc(TUE, 8) - timedelta(days=1))  # this morning: past
    await planned(rob, acme, sim.clock.now() + timedelta(days=31))  # beyond 30 days
    await planned(amy, await owned(sim, amy, "Amy's"), utc(TUE, 9))

    [sent] = await rob.send("/ics")
    assert sent.document is not None and sent.document["file_name"] == "fieldcrm.ics"
    assert "next 30 days: 2 entries" in (sent.caption or "")
    data = sim.emu.file_bytes(sent.document["file_id"])
    calendar = parse(data)
    assert str(calendar["PRODID"]) == "-//FieldCRM//Calendar plan//EN"
    assert str(calendar["VERSION"]) == "2.0"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"entry-{visit.id}@fieldcrm", f"entry-{call.id}@fieldcrm"}

    first = events[f"entry-{visit.id}@fieldcrm"]
    assert first.decoded("DTSTART") == datetime(2026, 3, 3, 6, 0, tzinfo=UTC)
    assert first.decoded("DTEND") == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
    assert first.decoded("DTSTAMP") == sim.clock.now()
    assert str(first["SUMMARY"]) == "Visit: Acme; Sons, Ltd"
    assert str(first["LOCATION"]) == "88 Century Ave, Pudong"
    assert "Bring the contract\nand samples" in str(first["DESCRIPTION"])
    [alarm] = first.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == timedelta(minutes=-30)
    assert b"DTSTART:20260303T060000Z" in data  # UTC, written with the Z
    assert b"\r\n" in data and b"BEGIN:VCALENDAR" in data

    second = events[f"entry-{call.id}@fieldcrm"]
    assert str(second["SUMMARY"]) == "Follow-up: Acme; Sons, Ltd"
    assert int(second["SEQUENCE"]) == 2
    assert second.decoded("DTEND") - second.decoded("DTSTART") == timedelta(minutes=30)


async def test_ics_in_chinese_without_alarms_and_when_nothing_is_planned(sim: Sim) -> None:
    lin = await rep(sim, "Lin", lang="zh-hans")
    [empty] = await lin.send("/ics")
    assert "未来 30 天没有安排" in (empty.text or "") and empty.document is None
    await TeamRules.filter(team_id=(await team()).id).update(reminder_lead_minutes=0)
    await planned(lin, await owned(sim, lin, "星辰科技"), utc(TUE, 9), kind=CalendarKind.MEETING)
    [sent] = await lin.send("/ics")
    assert sent.document is not None
    [event] = parse(sim.emu.file_bytes(sent.document["file_id"])).walk("VEVENT")
    assert str(event["SUMMARY"]) == "会议: 星辰科技"
    assert event.walk("VALARM") == []


async def test_ics_is_for_reps(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, name="Mia")
    [refused] = await mia.send("/ics")
    assert "not available for your role" in (refused.text or "")


def test_the_uid_is_stable_and_texts_are_escaped() -> None:
    now = datetime(2026, 3, 2, 1, tzinfo=UTC)
    event = IcsEvent(
        entry_id=7,
        sequence=0,
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=1),
        summary="Visit: A, B; C",
        location="Road 1, City",
        description="x" * 200,
        alarm_minutes=45,
        alarm_text="Visit",
    )
    one, two = build_ics([event], now=now, name="Plan"), build_ics([event], now=now, name="Plan")
    assert one == two
    assert b"SUMMARY:Visit: A\\, B\\; C" in one
    [parsed] = parse(one).walk("VEVENT")
    assert str(parsed["UID"]) == "entry-7@fieldcrm" and str(parsed["DESCRIPTION"]) == "x" * 200
    assert parsed.walk("VALARM")[0].decoded("TRIGGER") == timedelta(minutes=-45)
