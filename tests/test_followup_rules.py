"""Follow-up rules in storage: what counts, who may log for whom, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import followups
from storage.access import Actor, Invalid, NotAllowed, NotFound
from storage.followups import Attachment, FollowUpDraft, is_effective
from storage.models import (
    AuditLog,
    CalendarEntry,
    Customer,
    FollowUp,
    FollowUpKind,
    Role,
    Task,
    TaskStatus,
    Team,
    TeamRules,
    User,
)
from storage.users import to_actor
from tests.support.sim import ensure_team

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DEFAULT_KINDS = ["call", "visit", "meeting"]


@pytest.mark.parametrize(
    ("kind", "note", "kinds", "min_chars", "expected"),
    [
        (FollowUpKind.CALL, "Talked about the order", DEFAULT_KINDS, 10, True),
        (FollowUpKind.CALL, "0123456789", DEFAULT_KINDS, 10, True),
        (FollowUpKind.CALL, "012345678", DEFAULT_KINDS, 10, False),
        (FollowUpKind.CALL, "  spaced    out   ", DEFAULT_KINDS, 10, True),
        (FollowUpKind.CALL, "     x     ", DEFAULT_KINDS, 10, False),
        (FollowUpKind.VISIT, "确认了预算和决策人员名单", DEFAULT_KINDS, 10, True),
        (FollowUpKind.VISIT, "确认了预算", DEFAULT_KINDS, 10, False),
        (FollowUpKind.MESSAGE, "Sent the full price list", DEFAULT_KINDS, 10, False),
        (FollowUpKind.MESSAGE, "Sent the full price list", ["message"], 10, True),
        (FollowUpKind.EMAIL, "", ["email"], 0, True),
    ],
)
def test_what_counts_as_an_effective_follow_up(
    kind: FollowUpKind, note: str, kinds: list[str], min_chars: int, expected: bool
) -> None:
    assert is_effective(kind, note, kinds=kinds, min_chars=min_chars) is expected


async def _people(team: Team) -> tuple[Actor, Actor, Actor, Actor]:
    made = []
    for number, role in enumerate((Role.REP, Role.REP, Role.MANAGER, Role.AGENT), start=1):
        user = await User.create(telegram_id=number, full_name=f"U{number}", role=role, team=team)
        made.append(to_actor(user))
    return made[0], made[1], made[2], made[3]


async def _customer(team: Team, name: str, owner: Actor | None, **extra: object) -> Customer:
    return await Customer.create(
        team=team,
        name=name,
        name_key=name.lower(),
        owner_id=owner.user_id if owner else None,
        owned_since=NOW - timedelta(days=3) if owner else None,
        **extra,
    )


def _draft(customer: Customer, **changes: object) -> FollowUpDraft:
    values: dict[str, object] = {
        "customer_id": customer.id,
        "kind": FollowUpKind.CALL,
        "note": "Agreed on the next meeting",
    }
    values.update(changes)
    return FollowUpDraft(**values)  # type: ignore[arg-type]


async def test_who_may_log_for_whom(db: str) -> None:
    team = await ensure_team("North", NOW)
    south = await ensure_team("South", NOW)
    rob, olga, mia, ann = await _people(team)
    mine = await _customer(team, "Acme", rob)
    theirs = await _customer(team, "Harbour", olga)
    pool = await _customer(team, "Pool", None)
    elsewhere = await _customer(south, "Far", None)

    for customer in (theirs, pool, elsewhere):
        with pytest.raises(NotFound):
            await followups.log_followup(rob, _draft(customer), now=NOW)
    with pytest.raises(NotFound):
        await followups.log_followup(mia, _draft(elsewhere), now=NOW)
    with pytest.raises(NotAllowed):
        await followups.log_followup(ann, _draft(mine), now=NOW)
    admin = to_actor(await User.create(telegram_id=99, role=Role.ADMIN))
    with pytest.raises(NotAllowed):
        await followups.log_followup(admin, _draft(mine), now=NOW)

    await followups.log_followup(rob, _draft(mine), now=NOW)
    await followups.log_followup(mia, _draft(theirs), now=NOW)
    await followups.log_followup(mia, _draft(pool), now=NOW)
    assert await FollowUp.all().count() == 3
    assert await AuditLog.filter(action="followup.log").count() == 3


async def test_a_refusal_half_way_leaves_nothing_behind(db: str) -> None:
    team = await ensure_team("North", NOW)
    rob, olga, _mia, _ann = await _people(team)
    acme = await _customer(team, "Acme", rob, last_followup_at=NOW - timedelta(days=4))
    foreign = await Task.create(
        team=team, assignee_id=olga.user_id, customer=acme, title="Olga's", due_at=NOW
    )
    draft = _draft(
        acme,
        next_step="Send the quote",
        next_step_at=NOW + timedelta(days=1),
        task_id=foreign.id,
        attachment=Attachment("file-1", "photo", "uniq-1"),
    )
    with pytest.raises(NotFound):
        await followups.log_followup(rob, draft, now=NOW)
    assert await FollowUp.all().count() == 0 and await CalendarEntry.all().count() == 0
    assert (await Task.get(id=foreign.id)).status is TaskStatus.OPEN
    assert (await Customer.get(id=acme.id)).last_followup_at == NOW - timedelta(days=4)
    assert await AuditLog.filter(action="followup.log").count() == 0


async def test_invalid_drafts_are_refused(db: str) -> None:
    team = await ensure_team("North", NOW)
    rob, *_ = await _people(team)
    acme = await _customer(team, "Acme", rob)
    bad = [
        (_draft(acme, next_step="Call back", next_step_at=NOW), "followups.when_past"),
        (_draft(acme, next_step_at=NOW + timedelta(hours=1)), "followups.next_empty"),
        (_draft(acme, note="x" * 2001), "followups.note_too_long"),
        (_draft(acme, next_step="y" * 201), "followups.next_too_long"),
        (_draft(acme, attachment=Attachment("f", "video")), "followups.bad_attachment"),
    ]
    for draft, code in bad:
        with pytest.raises(Invalid) as refused:
            await followups.log_followup(rob, draft, now=NOW)
        assert refused.value.code == code
    assert await FollowUp.all().count() == 0


async def test_the_team_rules_decide_and_the_clock_never_moves_back(db: str) -> None:
    team = await ensure_team("North", NOW)
    rob, *_ = await _people(team)
    later = NOW + timedelta(hours=2)  # a check-in recorded with a later time, say
    acme = await _customer(team, "Acme", rob, last_followup_at=later)
    await TeamRules.filter(team_id=team.id).update(
        effective_followup_kinds=["message"], effective_followup_min_chars=3
    )
    logged = await followups.log_followup(
        rob, _draft(acme, kind=FollowUpKind.MESSAGE, note="ok!"), now=NOW
    )
    assert logged.effective and not logged.clock_moved
    assert (await Customer.get(id=acme.id)).last_followup_at == later
    logged = await followups.log_followup(rob, _draft(acme), now=NOW)
    assert not logged.effective


async def test_recent_customers_and_search(db: str) -> None:
    team = await ensure_team("North", NOW)
    rob, olga, mia, _ann = await _people(team)
    old = await _customer(team, "Old Mill", rob, last_followup_at=NOW - timedelta(days=20))
    fresh = await _customer(team, "Fresh Farm", rob, last_followup_at=NOW - timedelta(hours=1))
    claimed = await _customer(team, "Claimed Co", rob)  # never followed up: its claim counts
    await _customer(team, "Other's", olga, last_followup_at=NOW)
    recent = [c.id for c in await followups.recent_customers(rob)]
    assert recent == [fresh.id, claimed.id, old.id]
    assert len(await followups.recent_customers(mia)) == 4

    await Customer.filter(id=old.id).update(phone="+8613812345678")
    assert [c.id for c in await followups.search_customers(rob, "5678")] == [old.id]
    assert [c.id for c in await followups.search_customers(rob, "fresh")] == [fresh.id]
    assert await followups.search_customers(rob, "other") == []
    assert await followups.search_customers(rob, "   ") == []
