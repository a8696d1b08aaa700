"""A rep logs a follow-up whose attachment is a voice message sent from the web chat."""

from __future__ import annotations

import io
import re
import wave
from pathlib import Path

import pytest

from bot.i18n import Lang, t
from bot.render import plain_text
from bot.sandbox.runtime import Sandbox
from bot.views.followups import kind_name
from storage.models import FollowUp, FollowUpKind
from tests.browser.helpers import (
    ENGLISH_REP,
    NO_PLAYWRIGHT,
    Browser,
    bot_messages,
    my_messages,
    send,
)

expect = pytest.importorskip("playwright.async_api", reason=NO_PLAYWRIGHT).expect

REP = ENGLISH_REP
EN = Lang.EN


def wav(seconds: int, rate: int = 8000) -> bytes:
    """A silent mono WAV, which Chromium plays and the emulator measures."""
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(b"\x00\x00" * seconds * rate)
    return out.getvalue()


def first_line(key: str, **params: object) -> str:
    return plain_text(t(EN, key, **params)).splitlines()[0]


async def test_a_rep_logs_a_follow_up_with_a_voice_note(
    sandbox: Sandbox, browser: Browser, tmp_path: Path
) -> None:
    page = await browser.open(REP.telegram_id)
    await send(page, "/followup")
    picker = bot_messages(page).last
    await expect(picker).to_contain_text(first_line("followups.pick_recent"))
    await picker.get_by_test_id("inline-button").first.click()
    kinds = bot_messages(page).last.get_by_test_id("inline-button")
    await kinds.filter(has_text=kind_name(EN, FollowUpKind.CALL)).click()
    await expect(bot_messages(page).last).to_contain_text(first_line("followups.ask_note"))

    # 📎 → Send voice, a three-second recording from disk.
    recording = tmp_path / "after the call.wav"
    recording.write_bytes(wav(3))
    await page.get_by_test_id("attach-button").click()
    async with page.expect_file_chooser() as choosing:
        await page.get_by_test_id("attach-voice").click()
    await (await choosing.value).set_files(str(recording))
    voice = my_messages(page).get_by_test_id("voice")
    await expect(voice).to_contain_text("Voice message · 0:03")
    player = voice.locator("audio")
    await expect(player).to_have_attribute("src", re.compile(r"^/api/files/"))
    length = await player.evaluate(
        """audio => audio.readyState >= 1 ? audio.duration : new Promise((done, fail) => {
            audio.addEventListener("loadedmetadata", () => done(audio.duration));
            audio.addEventListener("error", () => fail(new Error("the voice does not play")));
        })"""
    )
    assert length == pytest.approx(3.0, abs=0.05)
    kept = t(EN, "followups.attachment.voice")
    await expect(bot_messages(page).last).to_contain_text(
        plain_text(t(EN, "followups.ask_note_kept", kept=kept))
    )

    # The note, no next step, and Save.
    await send(page, "Called the buyer: samples next week")
    await (
        bot_messages(page)
        .last.get_by_test_id("inline-button")
        .filter(has_text=t(EN, "followups.btn_no_next"))
        .click()
    )
    summary = bot_messages(page).last
    await expect(summary).to_contain_text(f"Attachment: {kept}")
    await (
        summary.get_by_test_id("inline-button").filter(has_text=t(EN, "followups.btn_save")).click()
    )
    saved = bot_messages(page).filter(has_text=re.compile(r"Follow-up with .+ saved"))
    await expect(saved).to_have_count(1)

    row = await FollowUp.get(rep__telegram_id=REP.telegram_id, attachment_kind="voice")
    await row.fetch_related("customer")
    sent = next(m for m in sandbox.emu.messages(REP.telegram_id) if m.voice)
    assert sent.voice is not None
    assert (row.attachment_kind, row.attachment_file_id, row.attachment_unique_id) == (
        "voice",
        sent.voice["file_id"],
        sent.voice["file_unique_id"],
    )
    assert row.kind is FollowUpKind.CALL and row.note == "Called the buyer: samples next week"
    assert sandbox.emu.file_bytes(sent.voice["file_id"]) == recording.read_bytes()
    await expect(saved).to_contain_text(
        plain_text(t(EN, "followups.saved", customer=row.customer.name))
    )
