"""Shared steps of the check-in stories (no tests here): a rep with a customer, the form's
steps, and a live location that moves — which the emulator does not simulate, so it is
pushed here as Telegram would: an ``edited_message`` of the same location message."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from bot.emulator.serialize import message_json
from bot.emulator.state import SimMessage
from storage.activity import schedule_entry
from storage.models import CalendarEntry, CalendarKind, Customer, Role, Team, TeamRules, User
from tests.support.sim import Person, Sim

SITE = (31.2304, 121.4737)  # the customer: People's Square, Shanghai
NEAR = (31.2310, 121.4740)  # ~72 m away
FAR = (31.2504, 121.4737)  # ~2.2 km away
_photos = itertools.count(1)


def photo_bytes(seed: int | None = None) -> bytes:
    """A small PNG-looking payload; the same seed gives the same ``file_unique_id``."""
    number = next(_photos) if seed is None else seed
    return b"\x89PNG\r\n\x1a\n" + f"site photo {number}".encode() + b"0" * 48


async def rep_and_customer(
    sim: Sim,
    *,
    name: str = "Rob",
    customer: str = "Acme",
    location: tuple[float, float] | None = SITE,
    radius: int | None = None,
) -> tuple[Person, Customer]:
    """A rep of team North who owns one customer (with coordinates unless ``location=None``)."""
    rep = await sim.member(Role.REP, "North", name=name)
    owned = await own(sim, rep, customer, location=location, radius=radius)
    return rep, owned


async def own(
    sim: Sim,
    rep: Person,
    name: str,
    *,
    location: tuple[float, float] | None = SITE,
    radius: int | None = None,
) -> Customer:
    team = await Team.get(name="North")
    user = await User.get(telegram_id=rep.id)
    return await Customer.create(
        team=team,
        name=name,
        name_key=name.lower(),
        owner=user,
        owned_since=sim.clock.now() - timedelta(days=10),
        latitude=location[0] if location else None,
        longitude=location[1] if location else None,
        checkin_radius_m=radius,
    )


async def set_rules(**values: object) -> None:
    team = await Team.get(name="North")
    await TeamRules.filter(team_id=team.id).update(**values)


async def plan(sim: Sim, rep: Person, customer: Customer, starts_at: datetime) -> CalendarEntry:
    user = await User.get(telegram_id=rep.id)
    return await schedule_entry(
        team_id=customer.team_id,
        rep_id=user.id,
        customer_id=customer.id,
        kind=CalendarKind.VISIT,
        starts_at=starts_at,
        duration=timedelta(hours=1),
        title=f"Visit {customer.name}",
    )


async def open_checkin(rep: Person, customer: Customer) -> list[str]:
    """The card's Check in button: returns the texts the bot sent."""
    await rep.send(f"/customer {customer.id}")
    tap = await rep.tap("📍 Check in")
    return [m.text or "" for m in tap.changed]


async def check_in(
    rep: Person,
    customer: Customer,
    *,
    at: tuple[float, float] = NEAR,
    accuracy: float | None = 12,
    photo: bytes | None = None,
    note: str | None = "Met the buyer, samples next week",
) -> str:
    """A whole check-in from the card; returns the confirmation text."""
    await open_checkin(rep, customer)
    await rep.share_location(*at, horizontal_accuracy=accuracy)
    await rep.send_photo(photo if photo is not None else photo_bytes())
    if note is None:
        tap = await rep.tap("Skip")
        return tap.changed[-1].text or ""
    [done] = await rep.send(note)
    return done.text or ""


def last_location_message(sim: Sim, rep: Person) -> SimMessage:
    located = [m for m in sim.emu.messages(rep.chat_id) if m.location and not m.from_bot]
    assert located, "the rep has not shared a location"
    return located[-1]


async def move_live(
    sim: Sim,
    rep: Person,
    message: SimMessage,
    at: tuple[float, float],
    *,
    live_period: int | None = 3600,
) -> list[SimMessage]:
    """The rep's live location moves (``live_period=None``: they stopped sharing)."""
    world = sim.emu.world
    world.record_edit(message)
    message.location = {"latitude": at[0], "longitude": at[1], "horizontal_accuracy": 10}
    if live_period is not None:
        message.location["live_period"] = live_period
    world.notify_edited(message)
    before = len(sim.emu.bot_messages(rep.chat_id))
    await sim.deliver(sim.emu.updates.push("edited_message", message_json(world, message)))
    return sim.emu.bot_messages(rep.chat_id)[before:]
