"""Live locations in the web chat: a check-in whose live location moves and stops, and the
location picker starting at the customer the check-in asks about."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.i18n import Lang, t
from bot.render import plain_text
from bot.sandbox import reads
from bot.sandbox.runtime import Sandbox
from bot.views.checkin import duration
from storage.models import CheckIn, TeamRules
from tests.browser.helpers import (
    ENGLISH_REP,
    NO_PLAYWRIGHT,
    Browser,
    bot_messages,
    my_messages,
    send,
)
from tests.support.sandbox import png

if TYPE_CHECKING:
    from playwright.async_api import Page

expect = pytest.importorskip("playwright.async_api", reason=NO_PLAYWRIGHT).expect

REP = ENGLISH_REP
EN = Lang.EN


async def not_the_first_customer() -> reads.Place:
    """One of the rep's located customers the picker would not start at by itself."""
    places = await reads.places_for(REP.telegram_id)
    assert len(places) >= 2, "the demo rep needs two customers with coordinates"
    return places[-1]


async def open_check_in(page: Page, customer: reads.Place) -> None:
    """The customer's card, then its Check in button: the bot asks for the location."""
    await send(page, f"/customer {customer.customer_id}")
    card = bot_messages(page).last
    await expect(card).to_contain_text(customer.name)
    await (
        card.get_by_test_id("inline-button")
        .filter(has_text=t(EN, "customers.btn.check_in"))
        .click()
    )
    await expect(bot_messages(page).last).to_contain_text(
        plain_text(t(EN, "checkin.ask_location", name=customer.name)).splitlines()[0]
    )


async def hour_later(page: Page, clock_text: str) -> None:
    await page.get_by_test_id("clock-hour").click()
    await expect(page.get_by_test_id("clock-time")).to_have_text(clock_text)


async def test_the_picker_starts_at_the_customer_the_check_in_names(browser: Browser) -> None:
    page = await browser.open(REP.telegram_id)
    first = (await reads.places_for(REP.telegram_id))[0]
    customer = await not_the_first_customer()

    await page.get_by_test_id("attach-button").click()
    await page.get_by_test_id("attach-location").click()
    dialog = page.get_by_test_id("location-dialog")
    place = dialog.get_by_test_id("location-place")
    await expect(place).to_have_value(str(first.customer_id))  # nothing named yet
    await expect(dialog.get_by_test_id("location-live")).to_be_visible()  # 📎 may share live
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(dialog).to_be_hidden()

    await open_check_in(page, customer)
    await (
        page.get_by_test_id("reply-keyboard")
        .get_by_test_id("reply-button")
        .filter(has_text=t(EN, "checkin.btn.share_location"))
        .click()
    )
    await expect(place).to_have_value(str(customer.customer_id))
    await expect(dialog.get_by_test_id("location-latitude")).to_have_value(
        f"{customer.latitude:.6f}"
    )
    await expect(dialog.get_by_test_id("location-live")).to_be_hidden()  # the button: now only
    await dialog.get_by_test_id("location-send").click()
    await expect(my_messages(page).locator(".location")).to_contain_text(
        f"{customer.latitude:.5f}, {customer.longitude:.5f}"
    )
    await expect(bot_messages(page).last).to_contain_text("📷")


async def test_a_live_check_in_moves_stops_and_counts_the_time_inside(
    sandbox: Sandbox, browser: Browser, tmp_path: Path
) -> None:
    await TeamRules.filter(team__name=REP.team).update(checkin_live_location=True)
    customer = await not_the_first_customer()
    page = await browser.open(REP.telegram_id)
    await open_check_in(page, customer)
    await expect(bot_messages(page).last).to_contain_text(
        plain_text(t(EN, "checkin.ask_location_live")).split(":")[0]
    )

    # 📎 → Share location, live for 8 hours, at the customer the prompt names.
    await page.get_by_test_id("attach-button").click()
    await page.get_by_test_id("attach-location").click()
    dialog = page.get_by_test_id("location-dialog")
    await expect(dialog.get_by_test_id("location-place")).to_have_value(str(customer.customer_id))
    await dialog.get_by_test_id("location-live").check()
    await dialog.get_by_test_id("location-live-minutes").fill("480")
    await dialog.get_by_test_id("location-send").click()
    live = my_messages(page).filter(has=page.locator(".location"))
    await expect(live.get_by_test_id("live-state")).to_have_text("Live location · until 17:00")
    await expect(bot_messages(page).last).to_contain_text("📷")

    picture = tmp_path / "shopfront.png"
    picture.write_bytes(png(40, 30))
    await page.get_by_test_id("photo-input").set_input_files(str(picture))
    await expect(bot_messages(page).last).to_contain_text(plain_text(t(EN, "checkin.ask_note")))
    await send(page, "Met the buyer")
    saved = bot_messages(page).last
    await expect(saved).to_contain_text("📡")
    await expect(saved.get_by_test_id("inline-button")).to_contain_text(
        [t(EN, "checkin.btn.leave")]
    )
    leave = bot_messages(page).get_by_test_id("inline-button")  # jobs may write meanwhile
    leave = leave.filter(has_text=t(EN, "checkin.btn.leave"))

    # An hour inside, then 2 km away for an hour, back for an hour, and sharing stops.
    await hour_later(page, "Mon, 2 Mar 2026, 10:00")
    await live.get_by_test_id("live-move").click()
    await expect(dialog.get_by_test_id("location-title")).to_have_text("Move your live location")
    await expect(dialog.get_by_test_id("location-place")).to_have_value(str(customer.customer_id))
    await expect(dialog.get_by_test_id("location-live")).to_be_hidden()
    await dialog.get_by_test_id("location-2km").click()
    await expect(dialog.get_by_test_id("location-latitude")).not_to_have_value(
        f"{customer.latitude:.6f}"
    )
    away = float(await dialog.get_by_test_id("location-latitude").input_value())
    await dialog.get_by_test_id("location-send").click()
    await expect(live.locator(".coords")).to_contain_text(f"{away:.5f}")

    await hour_later(page, "Mon, 2 Mar 2026, 11:00")
    await live.get_by_test_id("live-move").click()
    await dialog.get_by_test_id("location-at-customer").click()
    await expect(dialog.get_by_test_id("location-latitude")).to_have_value(
        f"{customer.latitude:.6f}"
    )
    await dialog.get_by_test_id("location-send").click()
    await expect(live.locator(".coords")).to_contain_text(f"{customer.latitude:.5f}")

    await hour_later(page, "Mon, 2 Mar 2026, 12:00")
    await live.get_by_test_id("live-stop").click()
    await expect(live.locator(".live-state")).to_have_text("Live location stopped")
    await expect(live.get_by_test_id("live-move")).to_have_count(0)

    # An hour after sharing stopped, the rep leaves: only the two hours inside counted.
    await hour_later(page, "Mon, 2 Mar 2026, 13:00")
    await leave.click()
    await expect(bot_messages(page).last).to_contain_text(
        plain_text(t(EN, "checkin.dwell", dwell=duration(EN, 2 * 3600)))
    )
    visit = await CheckIn.get(customer_id=customer.customer_id, rep__telegram_id=REP.telegram_id)
    assert visit.dwell_seconds == 2 * 3600
    assert (visit.latitude, visit.longitude) == (customer.latitude, customer.longitude)
    shared = next(m for m in sandbox.emu.messages(REP.telegram_id) if m.location and m.edits)
    assert len(shared.edits) == 3 and shared.location is not None
    assert "live_period" not in shared.location
