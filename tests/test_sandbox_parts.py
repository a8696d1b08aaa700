"""The sandbox's small parts on their own: the picker's geometry, the live-event fan-out, and
how emulator messages are shown to the page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from geopy.distance import geodesic

from bot.emulator import BotApiEmulator
from bot.sandbox.events import EventHub
from bot.sandbox.reads import offset_point
from bot.sandbox.tracker import UpdateTracker
from bot.sandbox.views import chat_view, message_view


@pytest.mark.parametrize(
    ("start", "km", "bearing"),
    [
        ((31.2304, 121.4737), 2.0, 0),  # Shanghai, north
        ((31.2304, 121.4737), 2.0, 90),  # east
        ((25.0330, 121.5654), 0.5, 225),  # Taipei, south-west
        ((22.5410, 114.0550), 5.0, 135),  # Shenzhen, the slider's end
        ((89.9999, 10.0), 1.0, 0),  # over the pole: still a valid point
    ],
)
def test_offsets_land_at_the_distance_asked(
    start: tuple[float, float], km: float, bearing: float
) -> None:
    moved = offset_point(start[0], start[1], km, bearing)
    assert -90 <= moved[0] <= 90 and -180 <= moved[1] <= 180
    assert geodesic(start, moved).km == pytest.approx(km, abs=0.002)


def test_offsets_stay_on_the_slider_and_the_globe() -> None:
    assert offset_point(31.0, 121.0, 0, 90) == (31.0, 121.0)
    for bad in ((31.0, 121.0, 5.1, 0), (31.0, 121.0, -1, 0), (91.0, 0.0, 1, 0)):
        with pytest.raises(ValueError):
            offset_point(*bad)


async def test_a_tab_that_stops_reading_is_cut_off_not_buffered_forever() -> None:
    hub = EventHub(limit=3)
    async with hub.subscribe() as slow, hub.subscribe() as fast:
        for n in range(3):
            hub.publish({"n": n})
            assert await fast.get() == {"n": n}
        hub.publish({"n": 3})  # the slow queue is full now
        assert await slow.get() is None  # told to reconnect and reload
        assert hub.subscribers == 1
        hub.publish({"n": 4})
        assert (await fast.get()) == {"n": 3}
    hub.close()
    async with hub.subscribe() as late:
        assert await late.get() is None


async def test_waiting_for_an_update_the_bot_never_gets_returns_at_once() -> None:
    tracker = UpdateTracker()
    assert await tracker.wait(None, within=5) is False
    assert await tracker.wait({"update_id": 1}, within=0.01) is False  # nobody handles it


async def test_messages_are_shown_with_their_service_kind_and_quoted_reply() -> None:
    async with BotApiEmulator(clock=lambda: datetime(2026, 3, 2, 1, 0, tzinfo=UTC)) as emu:
        olga = emu.add_user("Olga", last_name="Petrova", username="olga")
        group = emu.add_group("North team")
        emu.set_member(group, olga, "creator")
        emu.add_bot_to_group(group, by=olga)
        emu.send_message(olga, "/help", chat=group)
        emu.send_message(olga, "and this " * 20, chat=group, reply_to_message_id=2)
        added, _, reply = (message_view(emu.world, m) for m in emu.messages(group))
        assert added["service"] == {"kind": "new_chat_members", "users": ["FieldCRM"]}
        assert added["sender"]["name"] == "Olga Petrova"
        assert reply["reply_to"]["sender"] == "Olga Petrova"
        assert reply["reply_to"]["excerpt"] == "/help"
        view = chat_view(emu.world, group)
        assert view["title"] == "North team" and view["bot_present"] is True
        assert [m["status"] for m in view["members"]] == ["creator"]
