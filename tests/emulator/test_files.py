"""Uploads, file identifiers, getFile and the download endpoint."""

from __future__ import annotations

import io

import aiohttp
import pytest
import telegram
from telegram.error import BadRequest

from bot.emulator import BotApiEmulator, SimUser
from tests.emulator.conftest import PNG_2X1, TOKEN, Raw


async def test_bot_upload_get_file_and_download(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser
) -> None:
    report = b"name;visits\nRita;3\n"
    sent = await tg.send_document(
        rita.id,
        io.BytesIO(report),
        filename="report.csv",
        caption="Weekly <b>report</b>",
        parse_mode="HTML",
    )
    document = sent.document
    assert document is not None
    assert (document.file_name, document.mime_type, document.file_size) == (
        "report.csv",
        "text/csv",
        len(report),
    )
    assert sent.caption == "Weekly report"
    file = await tg.get_file(document.file_id)
    assert file.file_path is not None and file.file_path.endswith(".csv")
    assert bytes(await file.download_as_bytearray()) == report
    assert emu.file_bytes(document.file_id) == report


async def test_photo_upload_has_sizes_largest_last(tg: telegram.Bot, rita: SimUser) -> None:
    sent = await tg.send_photo(rita.id, PNG_2X1)
    sizes = sent.photo
    assert len(sizes) == 3
    assert [(s.width, s.height) for s in sizes] == [(2, 1), (2, 1), (2, 1)]
    assert len({s.file_unique_id for s in sizes}) == 3
    again = await tg.send_photo(rita.id, sizes[-1].file_id)  # resend by file_id
    assert [s.file_id for s in again.photo] == [s.file_id for s in sizes]


async def test_user_photo_unique_id_is_stable_for_same_bytes(
    emu: BotApiEmulator, rita: SimUser
) -> None:
    first = emu.send_photo(rita, b"JPEG bytes of a storefront", caption="Visit #1")
    second = emu.send_photo(rita, b"JPEG bytes of a storefront", caption="Visit #2")
    other = emu.send_photo(rita, b"JPEG bytes of another shop")
    assert first and second and other
    a, b, c = (u["message"]["photo"] for u in (first, second, other))
    assert [s["width"] for s in a] == [90, 320, 1280]  # default aspect when no image header
    assert a[-1]["file_unique_id"] == b[-1]["file_unique_id"]  # same content → reused photo
    assert a[-1]["file_id"] != b[-1]["file_id"]  # but a new file_id, like on Telegram
    assert a[-1]["file_unique_id"] != c[-1]["file_unique_id"]
    assert first["message"]["caption"] == "Visit #1"
    assert "caption_entities" not in first["message"]  # "#1" has no letter: not a hashtag


async def test_user_document_and_file_download(
    emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser
) -> None:
    update = emu.send_document(
        rita, b"%PDF-1.4 contract", "contract.pdf", "application/pdf", caption="signed"
    )
    assert update is not None
    document = update["message"]["document"]
    file = await tg.get_file(document["file_id"])
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 contract"


async def test_unknown_file_ids(emu: BotApiEmulator, tg: telegram.Bot, rita: SimUser) -> None:
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await tg.send_photo(rita.id, "AgACnotarealfileid")
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await tg.get_file("AgACnotarealfileid")
    document = await tg.send_document(rita.id, b"abc", filename="a.txt")
    with pytest.raises(BadRequest, match="Can't use file of type document as photo"):
        await tg.send_photo(rita.id, document.document.file_id)  # type: ignore[union-attr]
    other_bot = BotApiEmulator(token="654321:OTHER")
    foreign = other_bot.files.add_document(b"x", "x.txt", None).file_id
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await tg.send_document(rita.id, foreign)


async def test_download_endpoint_checks_token_and_path(
    emu: BotApiEmulator, raw: Raw, tg: telegram.Bot, rita: SimUser
) -> None:
    sent = await tg.send_document(rita.id, b"data", filename="d.bin")
    path = (await tg.get_file(sent.document.file_id)).file_path  # type: ignore[union-attr]
    assert path is not None
    relative = path.split(f"{TOKEN}/", 1)[1]
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{emu.base_file_url}{TOKEN}/{relative}") as response:
            assert response.status == 200 and await response.read() == b"data"
        async with session.get(f"{emu.base_file_url}1:BAD/{relative}") as response:
            assert response.status == 401
        async with session.get(f"{emu.base_file_url}{TOKEN}/documents/nope") as response:
            assert response.status == 404
