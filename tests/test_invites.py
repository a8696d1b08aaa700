"""Invite links: who may issue which, and each link joins exactly one person."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from storage import invites, users
from storage.access import Actor, NotAllowed, NotFound
from storage.invites import RedeemOutcome
from storage.models import AuditLog, Customer, Invite, PortalAccount, Role, User
from tests.support.sim import ensure_team

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


async def person(telegram_id: int, role: Role | None = None, team: str | None = None) -> Actor:
    team_id = (await ensure_team(team, NOW)).id if team else None
    await User.create(
        telegram_id=telegram_id, full_name=f"P{telegram_id}", role=role, team_id=team_id
    )
    actor = await users.actor_by_telegram_id(telegram_id)
    assert actor is not None
    return actor


async def test_roles_may_only_invite_below_them(db: str) -> None:
    north = await ensure_team("North", NOW)
    south = await ensure_team("South", NOW)
    manager = await person(1, Role.MANAGER, "North")
    rep = await person(2, Role.REP, "North")
    admin = await person(3, Role.ADMIN)

    assert (
        await invites.create_invite(admin, Role.MANAGER, south.id, now=NOW)
    ).team_name == "South"
    assert (await invites.create_invite(manager, Role.REP, north.id, now=NOW)).role is Role.REP
    with pytest.raises(NotAllowed):
        await invites.create_invite(manager, Role.MANAGER, north.id, now=NOW)
    with pytest.raises(NotFound):  # another team's id looks like a wrong id
        await invites.create_invite(manager, Role.REP, south.id, now=NOW)
    with pytest.raises(NotAllowed):
        await invites.create_invite(rep, Role.REP, north.id, now=NOW)
    assert await Invite.all().count() == 2


async def test_reps_invite_contacts_of_their_own_customers_only(db: str) -> None:
    north = await ensure_team("North", NOW)
    rep = await person(2, Role.REP, "North")
    mine = await Customer.create(team=north, name="Mine", name_key="mine", owner_id=rep.user_id)
    pool = await Customer.create(team=north, name="Pool", name_key="pool")
    issued = await invites.create_invite(rep, Role.CUSTOMER, north.id, customer_id=mine.id, now=NOW)
    assert issued.customer_name == "Mine"
    with pytest.raises(NotFound):
        await invites.create_invite(rep, Role.CUSTOMER, north.id, customer_id=pool.id, now=NOW)

    contact = await person(50)
    result = await invites.redeem_invite(contact, issued.code, now=NOW)
    assert result.outcome is RedeemOutcome.JOINED and result.customer_name == "Mine"
    assert (await PortalAccount.get(user_id=contact.user_id)).customer_id == mine.id
    joined = await users.actor_by_telegram_id(50)
    assert joined is not None and joined.customer_id == mine.id


async def test_two_people_opening_one_link_at_once_one_joins(db: str) -> None:
    north = await ensure_team("North", NOW)
    issued = await invites.create_invite(None, Role.REP, north.id, now=NOW)
    people = [await person(100 + i) for i in range(8)]
    results = await asyncio.gather(
        *(invites.redeem_invite(p, issued.code, now=NOW) for p in people)
    )
    outcomes = [r.outcome for r in results]
    assert outcomes.count(RedeemOutcome.JOINED) == 1
    assert set(outcomes) == {RedeemOutcome.JOINED, RedeemOutcome.USED}
    assert await User.filter(role=Role.REP).count() == 1
    assert await AuditLog.filter(action="invite.redeem").count() == 1


async def test_expired_and_unknown_links_change_nothing(db: str) -> None:
    north = await ensure_team("North", NOW)
    issued = await invites.create_invite(None, Role.AGENT, north.id, now=NOW)
    someone = await person(7)
    later = NOW + timedelta(days=8)
    assert (await invites.redeem_invite(someone, issued.code, now=later)).outcome is (
        RedeemOutcome.EXPIRED
    )
    assert (await invites.redeem_invite(someone, "nope", now=NOW)).outcome is RedeemOutcome.UNKNOWN
    assert (await User.get(telegram_id=7)).role is None


async def test_someone_with_a_role_keeps_it(db: str) -> None:
    north = await ensure_team("North", NOW)
    await ensure_team("South", NOW)
    rep = await person(9, Role.REP, "South")
    issued = await invites.create_invite(None, Role.MANAGER, north.id, now=NOW)
    result = await invites.redeem_invite(rep, issued.code, now=NOW)
    assert result.outcome is RedeemOutcome.HAS_ROLE and result.team_name == "South"
    assert (await Invite.get(code=issued.code)).used_at is None


async def test_a_colliding_code_is_replaced_not_shared(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    north = await ensure_team("North", NOW)
    codes = iter(["SAMECODE", "SAMECODE", "OTHERCODE"])
    monkeypatch.setattr(invites, "new_code", lambda: next(codes))
    first = await invites.create_invite(None, Role.REP, north.id, now=NOW)
    second = await invites.create_invite(None, Role.REP, north.id, now=NOW)
    assert (first.code, second.code) == ("SAMECODE", "OTHERCODE")
    assert await Invite.all().count() == 2
