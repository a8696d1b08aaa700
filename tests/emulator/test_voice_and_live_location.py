"""A user's voice messages and live locations (moved, stopped, run out), and the bot's sendVoice."""

from __future__ import annotations

import io
import struct
import wave

import pytest
import telegram
from telegram.error import BadRequest

from bot.emulator import BotApiEmulator, SimUser, load_spec
from bot.emulator.files import audio_duration
from bot.emulator.limits import LIVE_UNTIL_STOPPED
from bot.emulator.sharing import live_until
from tests.emulator.conftest import FakeClock


def wav(seconds: float, rate: int = 8000) -> bytes:
    """A silent mono 16-bit PCM WAV of ``seconds``."""
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(b"\x00\x00" * int(seconds * rate))
    return out.getvalue()


def _ogg_page(packet: bytes, granule: int, sequence: int, kind: int) -> bytes:
    segments = [255] * (len(packet) // 255) + [len(packet) % 255]
    header = struct.pack("<4sBBqIIIB", b"OggS", 0, kind, granule, 1, sequence, 0, len(segments))
    return header + bytes(segments) + packet


def ogg_opus(seconds: float, pre_skip: int = 312) -> bytes:
    """An OGG Opus stream's pages (headers, one audio page ending at ``seconds``)."""
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, pre_skip, 48000, 0, 0)
    tags = b"OpusTags" + struct.pack("<I", 4) + b"test" + struct.pack("<I", 0)
    end = pre_skip + int(seconds * 48000)
    return (
        _ogg_page(head, 0, 0, 2)
        + _ogg_page(tags, 0, 1, 0)
        + _ogg_page(b"\xf8\xff\xfe" * 10, end // 2, 2, 0)
        + _ogg_page(b"\xf8\xff\xfe" * 10, end, 3, 4)
    )


@pytest.mark.parametrize(
    ("data", "seconds"),
    [
        (wav(3), 3),
        (wav(2.6, rate=16000), 3),
        (ogg_opus(7), 7),
        (ogg_opus(0.4), 0),
        (b"ID3 an mp3 the emulator cannot measure", None),
        (b"OggS", None),
        (b"RIFF\x00\x00\x00\x00WAVE", None),
    ],
)
def test_audio_duration_is_read_from_ogg_and_wav_headers(data: bytes, seconds: int | None) -> None:
    assert audio_duration(data) == seconds


async def test_a_user_voice_message_is_a_voice_the_bot_can_download(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser
) -> None:
    recording = ogg_opus(4)
    update = emu.send_voice(rita, recording, caption="after the visit")
    assert update is not None
    assert load_spec().check(update, "Update") == []
    voice = update["message"]["voice"]
    assert (voice["duration"], voice["mime_type"], voice["file_size"]) == (
        4,
        "audio/ogg",
        len(recording),
    )
    assert update["message"]["caption"] == "after the visit"
    parsed = telegram.Update.de_json(update, tg)
    assert parsed.message is not None and parsed.message.voice is not None
    assert parsed.message.voice.file_unique_id == voice["file_unique_id"]
    file = await tg.get_file(voice["file_id"])
    assert bytes(await file.download_as_bytearray()) == recording

    again = emu.send_voice(rita, recording, duration=9, mime_type="audio/mpeg")
    assert again is not None
    second = again["message"]["voice"]
    assert second["file_unique_id"] == voice["file_unique_id"]  # same recording
    assert second["file_id"] != voice["file_id"]
    assert (second["duration"], second["mime_type"]) == (9, "audio/mpeg")
    assert emu.messages(rita.id)[-1].voice == second

    with pytest.raises(ValueError, match="needs some audio"):
        emu.send_voice(rita, b"")
    with pytest.raises(ValueError, match="less than nothing"):
        emu.send_voice(rita, recording, duration=-1)


async def test_the_bot_sends_a_voice_by_upload_and_by_file_id(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser
) -> None:
    sent = await tg.send_voice(
        rita.id, wav(2), duration=2, caption="<i>memo</i>", parse_mode="HTML"
    )
    assert sent.voice is not None and sent.voice.to_dict()["duration"] == 2
    assert sent.caption == "memo"
    user_voice = emu.send_voice(rita, ogg_opus(3))
    assert user_voice is not None
    echoed = await tg.send_voice(rita.id, user_voice["message"]["voice"]["file_id"])
    assert echoed.voice is not None and echoed.voice.to_dict()["duration"] == 3
    assert emu.bot_messages(rita.id)[-1].voice is not None
    document = await tg.send_document(rita.id, b"a;b\n", filename="list.csv")
    assert document.document is not None
    with pytest.raises(BadRequest, match=r"(?i)document as voice"):
        await tg.send_voice(rita.id, document.document.file_id)


async def test_a_live_location_moves_then_stops(
    emu: BotApiEmulator, clock: FakeClock, rita: SimUser
) -> None:
    shared = emu.send_location(rita, 31.2304, 121.4737, horizontal_accuracy=10, live_period=900)
    assert shared is not None
    message_id = shared["message"]["message_id"]
    message = emu.messages(rita.id)[-1]
    assert live_until(message) == shared["message"]["date"] + 900

    clock.advance(minutes=5)
    moved = emu.move_live_location(rita, rita.id, message_id, 31.25, 121.47, heading=90)
    assert moved is not None and load_spec().check(moved, "Update") == []
    edited = moved["edited_message"]
    assert edited["message_id"] == message_id
    assert edited["location"] == {
        "latitude": 31.25,
        "longitude": 121.47,
        "live_period": 900,
        "heading": 90,
    }
    assert edited["edit_date"] == int(clock.now.timestamp())
    assert message.location == edited["location"]

    clock.advance(minutes=1)
    stopped = emu.stop_live_location(rita, rita.id, message_id)
    assert stopped is not None
    assert stopped["edited_message"]["location"] == {"latitude": 31.25, "longitude": 121.47}
    assert live_until(message) is None
    with pytest.raises(ValueError, match="not a live location"):
        emu.move_live_location(rita, rita.id, message_id, 31.0, 121.0)
    with pytest.raises(ValueError, match="not a live location"):
        emu.stop_live_location(rita, rita.id, message_id)


async def test_what_a_client_cannot_move(
    emu: BotApiEmulator, clock: FakeClock, rita: SimUser
) -> None:
    live = emu.send_location(rita, 31.2, 121.4, live_period=60)
    plain = emu.send_location(rita, 31.2, 121.4)
    assert live is not None and plain is not None
    live_id, plain_id = live["message"]["message_id"], plain["message"]["message_id"]
    with pytest.raises(ValueError, match="not a live location"):
        emu.move_live_location(rita, rita.id, plain_id, 31.3, 121.4)
    other = emu.add_user("Oleg")
    emu.send_message(other, "/start")
    with pytest.raises(ValueError, match="has no location message"):
        emu.move_live_location(other, rita.id, live_id, 31.3, 121.4)
    with pytest.raises(ValueError, match="within ±90"):
        emu.move_live_location(rita, rita.id, live_id, 91, 121.4)
    clock.advance(seconds=60)  # the live period ran out
    with pytest.raises(ValueError, match="is over"):
        emu.move_live_location(rita, rita.id, live_id, 31.3, 121.4)
    with pytest.raises(ValueError, match="is over"):
        emu.stop_live_location(rita, rita.id, live_id)
    for period in (59, 86401, 0):
        with pytest.raises(ValueError, match="60 to 86400"):
            emu.send_location(rita, 31.2, 121.4, live_period=period)
    forever = emu.send_location(rita, 31.2, 121.4, live_period=LIVE_UNTIL_STOPPED)
    assert forever is not None
    clock.advance(days=30)
    assert emu.move_live_location(rita, rita.id, forever["message"]["message_id"], 31.3, 121.4)


async def test_in_a_group_the_bot_gets_the_moves_of_what_it_received(
    emu: BotApiEmulator, rita: SimUser
) -> None:
    group = emu.add_group("North team")
    emu.set_member(group, rita, "creator")
    emu.add_bot_to_group(group, by=rita)
    shared = emu.send_location(rita, 31.2, 121.4, live_period=600, chat=group)
    assert shared is None  # privacy mode: a location is no command
    message_id = emu.messages(group.id)[-1].message_id
    assert emu.move_live_location(rita, group, message_id, 31.3, 121.4) is None
    assert emu.messages(group.id)[-1].location == {
        "latitude": 31.3,
        "longitude": 121.4,
        "live_period": 600,
    }
