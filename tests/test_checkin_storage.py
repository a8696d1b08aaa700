"""record_checkin and check_out on a real database: the rules hold without the chat."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from storage.access import Actor, Invalid, NotAllowed, NotFound
from storage.activity import schedule_entry
from storage.checkins import CheckInDraft, PhotoTooLate, record_checkin, start_for_entry
from storage.checkins_live import check_out, live_position
from storage.checkins_rules import LiveSession
from storage.models import (
    CalendarKind,
    CheckIn,
    Customer,
    FollowUp,
    Role,
    TeamRules,
    User,
)
from tests.support.sim import ensure_team

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _actor(user: User, role: Role | None = None) -> Actor:
    return Actor(
        user.id, user.telegram_id, user.full_name, role or user.role, user.team_id, None, None
    )


async def _setup() -> tuple[Actor, Actor, Customer, Customer]:
    team = await ensure_team("North", NOW)
    rob = await User.create(telegram_id=1, full_name="Rob", role=Role.REP, team=team)
    mia = await User.create(telegram_id=2, full_name="Mia", role=Role.REP, team=team)
    acme = await Customer.create(
        team=team, name="Acme", name_key="acme", owner=rob, latitude=31.2304, longitude=121.4737
    )
    nowhere = await Customer.create(team=team, name="Nowhere", name_key="nowhere", owner=rob)
    return _actor(rob), _actor(mia), acme, nowhere


def _draft(customer: Customer, **changes: object) -> CheckInDraft:
    draft = CheckInDraft(
        customer_id=customer.id,
        latitude=31.2310,
        longitude=121.4740,
        accuracy_m=10,
        located_at=NOW,
        photo_file_id="file-1",
        photo_unique_id="unique-1",
        photo_at=NOW + timedelta(minutes=2),
        note="visited",
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


async def _nothing_stored() -> None:
    assert await CheckIn.all().count() == 0 and await FollowUp.all().count() == 0


async def test_only_the_owning_rep_records_a_check_in(db: str) -> None:
    rob, mia, acme, _ = await _setup()
    with pytest.raises(NotFound):
        await record_checkin(mia, _draft(acme), now=NOW)
    manager = replace(rob, role=Role.MANAGER)
    with pytest.raises(NotAllowed):
        await record_checkin(manager, _draft(acme), now=NOW)
    await _nothing_stored()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        (
            {"photo_file_id": None, "photo_unique_id": None, "photo_at": None},
            "checkin.photo_required",
        ),
        ({"photo_at": NOW + timedelta(minutes=11)}, "checkin.photo_late"),
        ({"note": "x" * 1001}, "checkin.note_too_long"),
        ({"latitude": 91.0}, "checkin.bad_location"),
    ],
)
async def test_a_draft_that_breaks_a_rule_stores_nothing(
    db: str, changes: dict[str, object], code: str
) -> None:
    rob, _, acme, _ = await _setup()
    with pytest.raises(Invalid) as refused:
        await record_checkin(rob, _draft(acme, **changes), now=NOW)
    assert refused.value.code == code
    if code == "checkin.photo_late":
        assert isinstance(refused.value, PhotoTooLate)
    await _nothing_stored()
    assert (await Customer.get(id=acme.id)).last_followup_at is None


async def test_an_entry_moved_or_for_another_customer_stores_nothing(db: str) -> None:
    rob, _, acme, nowhere = await _setup()
    entry = await schedule_entry(
        team_id=acme.team_id,
        rep_id=rob.user_id,
        customer_id=acme.id,
        kind=CalendarKind.VISIT,
        starts_at=NOW,
        duration=timedelta(hours=1),
    )
    assert (await start_for_entry(rob, entry.id, 0)).customer_id == acme.id
    with pytest.raises(NotFound):  # the button's entry, another customer in the draft
        await record_checkin(rob, _draft(nowhere, entry_id=entry.id, revision=0), now=NOW)
    await type(entry).filter(id=entry.id).update(revision=2)
    with pytest.raises(Invalid) as moved:
        await record_checkin(rob, _draft(acme, entry_id=entry.id, revision=0), now=NOW)
    assert moved.value.code == "checkin.entry_moved"
    await _nothing_stored()
    assert (await Customer.get(id=nowhere.id)).latitude is None


async def test_check_out_is_the_reps_and_happens_once(db: str) -> None:
    rob, mia, acme, _ = await _setup()
    await TeamRules.filter(team_id=acme.team_id).update(checkin_live_location=True)
    result = await record_checkin(
        rob, _draft(acme, live_period=3600, location_message_id=9), now=NOW
    )
    assert result.live == LiveSession(result.checkin_id, 9, NOW + timedelta(hours=1), NOW, True)
    with pytest.raises(NotFound):
        await check_out(mia, result.checkin_id, now=NOW)
    first = await check_out(
        rob, result.checkin_id, now=NOW + timedelta(minutes=30), live=result.live
    )
    assert not first.already and first.duration_seconds == 1800 and first.dwell_seconds == 1800
    second = await check_out(rob, result.checkin_id, now=NOW + timedelta(hours=2), live=result.live)
    assert second.already and second.checked_out_at == NOW + timedelta(minutes=30)
    assert second.dwell_seconds == 1800
    after = await live_position(
        rob, result.live, latitude=31.2304, longitude=121.4737, stopped=False, now=NOW
    )
    assert after is None
