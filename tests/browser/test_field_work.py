"""A rep in the field: sharing a location near a customer, sending a photo, and time passing."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from geopy.distance import geodesic
from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.sandbox import reads
from bot.sandbox.runtime import Sandbox
from scheduler.jobs import JOBS
from storage.models import JobRun
from tests.browser.helpers import (
    ENGLISH_REP,
    NO_PLAYWRIGHT,
    Browser,
    bot_messages,
    my_messages,
)
from tests.support.sandbox import START, png

expect = pytest.importorskip("playwright.async_api", reason=NO_PLAYWRIGHT).expect


async def test_a_rep_shares_a_location_two_km_from_a_customer(browser: Browser) -> None:
    page = await browser.open(ENGLISH_REP.telegram_id)
    shop = (await reads.places_for(ENGLISH_REP.telegram_id))[0]
    await page.get_by_test_id("attach-button").click()
    await page.get_by_test_id("attach-location").click()
    dialog = page.get_by_test_id("location-dialog")
    await expect(dialog.get_by_test_id("location-latitude")).to_have_value(f"{shop.latitude:.6f}")
    await dialog.get_by_test_id("location-bearing").select_option(label="east")
    await dialog.get_by_test_id("location-2km").click()
    await expect(dialog.get_by_test_id("location-latitude")).not_to_have_value(
        f"{shop.latitude:.6f}"
    )
    latitude = float(await dialog.get_by_test_id("location-latitude").input_value())
    longitude = float(await dialog.get_by_test_id("location-longitude").input_value())
    assert geodesic((shop.latitude, shop.longitude), (latitude, longitude)).km == pytest.approx(
        2.0, abs=0.01
    )
    await dialog.get_by_test_id("location-send").click()

    await expect(my_messages(page).locator(".location")).to_contain_text(
        f"{latitude:.5f}, {longitude:.5f} ± 10 m"
    )
    await expect(bot_messages(page)).to_have_count(1)  # whatever the bot makes of it, it answers


async def test_a_photo_upload_shows_as_a_photo(browser: Browser, tmp_path: Path) -> None:
    page = await browser.open(ENGLISH_REP.telegram_id)
    picture = tmp_path / "storefront.png"
    picture.write_bytes(png(96, 64, b"\x3c\x78\xc8"))
    await page.get_by_test_id("composer-input").fill("Storefront")
    await page.get_by_test_id("photo-input").set_input_files(str(picture))
    photo = my_messages(page).locator(".photo img")
    await expect(photo).to_be_visible()
    assert await photo.evaluate("img => img.decode().then(() => img.naturalWidth)") == 96
    await expect(my_messages(page).get_by_test_id("message-text")).to_have_text("Storefront")
    await expect(bot_messages(page)).to_have_count(1)


async def test_the_clock_moves_a_day_forward_and_the_jobs_run(browser: Browser) -> None:
    page = await browser.open(ENGLISH_REP.telegram_id)
    clock = page.get_by_test_id("clock-time")
    await expect(clock).to_have_text("Mon, 2 Mar 2026, 09:00")  # the rep's team zone
    await page.get_by_test_id("clock-day").click()
    await expect(clock).to_have_text("Tue, 3 Mar 2026, 09:00")
    moved = datetime.fromisoformat(str(await clock.get_attribute("data-iso")))
    assert moved == START + timedelta(days=1)
    await expect(page.get_by_test_id("toast").first).to_contain_text(
        f"ran {len(JOBS)} scheduled jobs"
    )
    assert await JobRun.filter(job="purge_invites").exists()


async def test_the_bots_location_button_opens_the_picker(
    sandbox: Sandbox, browser: Browser
) -> None:
    page = await browser.open(ENGLISH_REP.telegram_id)
    await sandbox.app.bot.send_message(
        ENGLISH_REP.telegram_id,
        "Where are you?",
        reply_markup=ReplyKeyboardMarkup(
            [[KeyboardButton("📍 Send my location", request_location=True)], ["Cancel"]],
            one_time_keyboard=True,
            input_field_placeholder="Share where you are",
        ),
    )
    keyboard = page.get_by_test_id("reply-keyboard")
    await expect(keyboard.get_by_test_id("reply-button")).to_have_text(
        ["📍 Send my location", "Cancel"]
    )
    await expect(page.get_by_test_id("composer-input")).to_have_attribute(
        "placeholder", "Share where you are"
    )
    await keyboard.get_by_test_id("reply-button").first.click()
    dialog = page.get_by_test_id("location-dialog")
    await expect(dialog.get_by_test_id("location-latitude")).not_to_have_value("")
    await dialog.get_by_test_id("location-at-customer").click()
    await dialog.get_by_test_id("location-send").click()
    await expect(my_messages(page).locator(".location")).to_be_visible()
    await expect(keyboard).to_be_hidden()  # one-time keyboards fold away after use


async def test_a_sent_file_is_shown_and_downloads(browser: Browser, tmp_path: Path) -> None:
    page = await browser.open(ENGLISH_REP.telegram_id)
    sheet = tmp_path / "leads.csv"
    sheet.write_bytes("name,phone\n华信,13800000000\n".encode())
    await page.get_by_test_id("file-input").set_input_files(str(sheet))
    document = my_messages(page).locator(".document")
    await expect(document.locator(".doc-name")).to_have_text("leads.csv")
    async with page.expect_download() as waiting:
        await document.locator(".doc-name").click()
    download = await waiting.value
    assert download.suggested_filename == "leads.csv"
    saved = Path(await download.path())
    assert await asyncio.to_thread(saved.read_bytes) == sheet.read_bytes()
