"""Factories shared by the calendar, reminder and /ics tests (this module holds no tests)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.callbacks import CallbackData
from storage.activity import schedule_entry
from storage.models import CalendarEntry, CalendarKind, Customer, Role, Team, User
from tests.support.sim import Person, Sim, Tap


def texts(messages: list[Any]) -> str:
    return "\n".join((m.text or m.caption or "") for m in messages)


async def rep(sim: Sim, name: str, team: str = "North", *, lang: str = "en") -> Person:
    """A rep who has opened the bot (a bot can only write to people who did)."""
    person = await sim.member(Role.REP, team, name=name, lang=lang)
    await person.send("/start")
    return person


async def manager(sim: Sim, name: str, team: str = "North") -> Person:
    person = await sim.member(Role.MANAGER, team, name=name)
    await person.send("/start")
    return person


async def user_of(person: Person) -> User:
    return await User.get(telegram_id=person.id)


async def owned(sim: Sim, person: Person, name: str, **fields: Any) -> Customer:
    owner = await user_of(person)
    assert owner.team_id is not None
    return await Customer.create(
        team_id=owner.team_id,
        name=name,
        name_key=name.lower(),
        owner=owner,
        owned_since=sim.clock.now(),
        **fields,
    )


async def planned(
    person: Person,
    customer: Customer | None,
    starts_at: datetime,
    *,
    minutes: int = 60,
    kind: CalendarKind = CalendarKind.VISIT,
) -> CalendarEntry:
    """An entry put straight into the person's calendar, as /plan would save it."""
    user = await user_of(person)
    assert user.team_id is not None
    return await schedule_entry(
        team_id=user.team_id,
        rep_id=user.id,
        customer_id=customer.id if customer else None,
        kind=kind,
        starts_at=starts_at,
        duration=timedelta(minutes=minutes),
        title=customer.name if customer else "Errand",
    )


async def team(name: str = "North") -> Team:
    return await Team.get(name=name)


def button_data(message: Any) -> list[str]:
    markup = message.reply_markup or {}
    return [
        b["callback_data"]
        for row in markup.get("inline_keyboard", [])
        for b in row
        if b.get("callback_data")
    ]


async def press(person: Person, payload: CallbackData) -> Tap:
    """Tap the newest button carrying ``payload`` in the person's chat."""
    data = payload.pack()
    for message in reversed(person.messages()):
        if data in button_data(message):
            return await person.tap_data(message, data)
    raise AssertionError(f"no button carries {data!r}")
