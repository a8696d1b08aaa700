"""Factories for the digest tests: a team's day of activity, written through the ORM.

The digest only reads the tables other areas write (follow-ups, check-ins, the pool's event
log, tasks, leads), so the tests create those rows directly. This module holds no tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.models import (
    CheckIn,
    Customer,
    FollowUp,
    FollowUpKind,
    Lead,
    LeadStatus,
    PoolEvent,
    PoolEventKind,
    Role,
    Task,
    TaskStatus,
    Team,
    User,
)
from tests.support.sim import Group, Person, Sim

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


async def customer(
    team: Team,
    name: str,
    owner: User | None,
    since: datetime,
    *,
    last_followup_at: datetime | None = None,
) -> Customer:
    return await Customer.create(
        team=team,
        name=name,
        name_key=name.lower(),
        owner=owner,
        owned_since=since if owner else None,
        last_followup_at=last_followup_at,
        latitude=31.23,
        longitude=121.47,
    )


async def followup(
    rep: User, client: Customer, at: datetime, *, checkin: CheckIn | None = None
) -> FollowUp:
    return await FollowUp.create(
        team_id=client.team_id,
        customer=client,
        rep=rep,
        kind=FollowUpKind.VISIT if checkin else FollowUpKind.CALL,
        note="Talked about the spring order",
        occurred_at=at,
        checkin=checkin,
    )


async def checkin(
    rep: User,
    client: Customer,
    at: datetime,
    *,
    flags: tuple[str, ...] = (),
    photo: str | None = None,
) -> CheckIn:
    return await CheckIn.create(
        team_id=client.team_id,
        rep=rep,
        customer=client,
        latitude=31.25,
        longitude=121.49,
        accuracy_m=12.0,
        distance_m=2400.0 if flags else 40.0,
        photo_file_id=photo,
        flags=list(flags),
        flagged=bool(flags),
        checked_in_at=at,
        note="Met the buyer",
    )


async def pool_event(rep: User, client: Customer, kind: PoolEventKind, at: datetime) -> PoolEvent:
    return await PoolEvent.create(
        team_id=client.team_id, customer=client, kind=kind, rep=rep, actor=rep, created_at=at
    )


async def task(
    rep: User,
    title: str,
    due: datetime,
    *,
    done_at: datetime | None = None,
    client: Customer | None = None,
) -> Task:
    assert rep.team_id is not None
    return await Task.create(
        team_id=rep.team_id,
        assignee=rep,
        customer=client,
        title=title,
        due_at=due,
        status=TaskStatus.DONE if done_at else TaskStatus.OPEN,
        completed_at=done_at,
    )


async def lead(
    team: Team, name: str, *, rep: User | None = None, at: datetime | None = None
) -> Lead:
    return await Lead.create(
        team=team,
        name=name,
        company=f"{name} Ltd",
        status=LeadStatus.ASSIGNED if rep else LeadStatus.NEW,
        assignee=rep,
        assigned_at=at if rep else None,
        waiting_reason=None if rep else "all_unavailable",
    )


@dataclass
class Day:
    """What ``a_day_of_activity`` wrote, for the assertions."""

    acme: Customer
    beta: Customer
    flagged: CheckIn
    overdue: Task


async def a_day_of_activity(team: Team, rob: User, sue: User, now: datetime) -> Day:
    """``now`` is the morning of the digest's day (team zone). Rob works, Sue less so.

    Acme (Rob's) goes back to the pool in two days unless something happens.
    Today: Rob 2 calls + 1 visit (flagged, with its own follow-up), claims 1; Sue 1 call and
    releases 1; Rob finishes a task and has one overdue; Sue gets a new lead; one lead waits.
    Yesterday: Rob 1 call. Three days ago: Sue 6 calls.
    """
    acme = await customer(team, "Acme", rob, now - 40 * DAY, last_followup_at=now - 28 * DAY)
    beta = await customer(team, "Beta", sue, now)
    for hours in (1, 2):
        await followup(rob, acme, now + hours * HOUR)
    flagged = await checkin(rob, acme, now + 3 * HOUR, flags=("far",), photo=None)
    await followup(rob, acme, now + 3 * HOUR, checkin=flagged)
    await followup(sue, beta, now + 4 * HOUR)
    await pool_event(rob, beta, PoolEventKind.CLAIM, now + HOUR)
    await pool_event(sue, beta, PoolEventKind.RELEASE, now + 2 * HOUR)
    await task(rob, "Send the quote", now - DAY, done_at=now + HOUR)
    overdue = await task(rob, "Call back Acme", now - 2 * DAY, client=acme)
    await lead(team, "Li Lei", rep=sue, at=now + HOUR)
    await lead(team, "Han Meimei")
    await followup(rob, acme, now - DAY)
    for _ in range(6):
        await followup(sue, beta, now - 3 * DAY)
    return Day(acme, beta, flagged, overdue)


PNG = b"\x89PNG\r\n\x1a\n"
EVENING = 9 * HOUR  # from the sim's start (09:00 in Shanghai) to 18:00, the default hour


@dataclass
class North:
    mia: Person
    rob: Person
    sue: Person
    group: Group | None
    day: Day


async def team_with_a_day(sim: Sim, *, group: bool = True) -> North:
    """Team North (manager Mia, reps Rob and Sue, its group bound if ``group``) and a day."""
    mia = await sim.member(Role.MANAGER, "North", name="Mia")
    rob = await sim.member(Role.REP, "North", name="Rob")
    sue = await sim.member(Role.REP, "North", name="Sue")
    await mia.send("/start")
    await rob.send("/start")
    chat = None
    if group:
        chat = sim.group("North sales", mia, rob, sue)
        await chat.add_bot(by=mia)
        await mia.send("/bindgroup", chat=chat.chat)
    north = await Team.get(name="North")
    reps = [await User.get(telegram_id=p.id) for p in (rob, sue)]
    day = await a_day_of_activity(north, reps[0], reps[1], sim.clock.now())
    return North(mia, rob, sue, chat, day)


def digest_messages(sim: Sim, chat_id: int, before: int) -> list[tuple[bytes | None, str]]:
    """(photo bytes or None, caption or text) of what the bot sent since ``before``."""
    sent = sim.emu.bot_messages(chat_id)[before:]
    return [
        (sim.emu.file_bytes(m.photo[-1]["file_id"]) if m.photo else None, m.caption or m.text or "")
        for m in sent
    ]
