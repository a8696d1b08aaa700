"""Factories shared by the ticket, SLA and service tests (this module holds no tests of its own)."""

from __future__ import annotations

import zlib

from bot.emulator import SimMessage
from storage.models import Customer, Role, Team, Tier, User
from tests.support.sim import Person, Sim, ensure_team


def photo(n: int) -> bytes:
    """A small, distinct fake PNG (the emulator stores bytes; each photo its own file)."""
    return b"\x89PNG\r\n\x1a\n" + zlib.compress(f"photo {n}".encode()) * 4


def texts(messages: list[SimMessage]) -> str:
    return "\n".join((m.text or m.caption or "") for m in messages)


async def staff(sim: Sim, role: Role, name: str, team: str = "North", lang: str = "en") -> Person:
    """A team member who has opened the bot (so the bot can write to them)."""
    person = await sim.member(role, team, name=name, lang=lang)
    await person.send("/start")
    return person


async def customer_record(
    sim: Sim, name: str = "Acme", team: str = "North", tier: Tier = Tier.REGULAR
) -> Customer:
    team_row: Team = await ensure_team(team, sim.clock.now())
    return await Customer.create(team=team_row, name=name, name_key=name.lower(), tier=tier)


async def join_as_customer(
    sim: Sim, inviter: Person, customer: Customer, name: str = "Bea", lang: str = "en"
) -> Person:
    """The customer's contact opens the one-time link the inviter made for them."""
    [link] = await inviter.send(f"/invite customer {customer.id}")
    code = (link.text or "").split("start=")[1].split()[0]
    buyer = sim.person(name, lang=lang)
    await buyer.send(f"/start {code}")
    user = await User.get(telegram_id=buyer.id)
    assert user.role is Role.CUSTOMER
    return buyer


async def open_ticket(
    customer: Person,
    description: str = "The printer jams on every page.",
    *,
    photos: int = 0,
    category: str = "Product problem",
    contact: str = "No preference",
) -> list[SimMessage]:
    """Go through /newticket in English; returns what the last step answered."""
    await customer.send("/newticket")
    await customer.tap(category)
    await customer.send(description)
    for n in range(photos):
        await customer.send_photo(photo(n))
    await customer.tap("Done" if photos else "Skip")
    return (await customer.tap(contact)).changed
