"""Contacts move the reclaim clock forward only, and close a planned visit once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.activity import close_calendar_entry, record_contact, schedule_entry
from storage.models import CalendarEntry, CalendarKind, CalendarStatus, Customer, Role, User
from tests.support.sim import ensure_team

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


async def test_the_reclaim_clock_never_moves_backwards(db: str) -> None:
    team = await ensure_team("North", NOW)
    customer = await Customer.create(team=team, name="A", name_key="a")
    assert await record_contact(customer.id, NOW)
    assert not await record_contact(customer.id, NOW - timedelta(days=1))
    assert await record_contact(customer.id, NOW + timedelta(hours=1))
    assert (await Customer.get(id=customer.id)).last_followup_at == NOW + timedelta(hours=1)


async def test_a_planned_visit_is_closed_once_and_only_by_its_rep(db: str) -> None:
    team = await ensure_team("North", NOW)
    rep = await User.create(telegram_id=1, role=Role.REP, team=team)
    other = await User.create(telegram_id=2, role=Role.REP, team=team)
    entry = await CalendarEntry.create(
        team=team, rep=rep, starts_at=NOW, ends_at=NOW + timedelta(hours=1)
    )
    assert not await close_calendar_entry(entry.id, other.id, NOW)
    assert await close_calendar_entry(entry.id, rep.id, NOW)
    assert not await close_calendar_entry(entry.id, rep.id, NOW)
    assert (await CalendarEntry.get(id=entry.id)).status is CalendarStatus.DONE


async def test_a_scheduled_entry_is_reminded_by_the_team_lead_time(db: str) -> None:
    team = await ensure_team("North", NOW)
    rep = await User.create(telegram_id=1, role=Role.REP, team=team)
    entry = await schedule_entry(
        team_id=team.id,
        rep_id=rep.id,
        customer_id=None,
        kind=CalendarKind.VISIT,
        starts_at=NOW + timedelta(days=1),
        duration=timedelta(hours=1),
        title="Visit",
    )
    assert entry.remind_at == NOW + timedelta(days=1) - timedelta(minutes=30)
    assert entry.ends_at == NOW + timedelta(days=1, hours=1)
