"""Browser tests: the web chat in real headless Chromium, driven by Playwright for Python.

They use Debian's ``chromium`` package (``/usr/bin/chromium``) through Playwright's
``executable_path`` — Playwright never downloads a browser here. Without Playwright or Chromium
every test in this directory skips and says what to install (``.ci/browser-setup`` does it), so
the rest of the suite passes on machines without a browser.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.sandbox.runtime import Sandbox
from bot.sandbox.web import SandboxServer
from tests.browser.helpers import NO_PLAYWRIGHT, Browser
from tests.support.sandbox import START, load_demo_database, running_copy

if TYPE_CHECKING:
    from playwright.async_api import Page

CHROMIUM = Path(os.environ.get("FIELDCRM_CHROMIUM", "/usr/bin/chromium"))
# Chromium's own background connections are refused on CI machines: switch them off.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 20_000


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return NO_PLAYWRIGHT
    if not CHROMIUM.exists():
        return f"Chromium is not at {CHROMIUM}: run .ci/browser-setup (apt-get install chromium)"
    return None


@pytest.fixture(autouse=True)
def _needs_a_browser() -> None:
    reason = missing_browser()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, migrated and loaded once for the session; tests copy it."""
    reason = missing_browser()
    if reason:
        pytest.skip(reason)
    path = tmp_path_factory.mktemp("browser-sandbox") / "demo.sqlite3"
    load_demo_database(path, START)
    return path


@pytest.fixture
async def sandbox(demo_template: Path, tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running_copy(demo_template, tmp_path, START) as running:
        yield running


@pytest.fixture
async def server(sandbox: Sandbox) -> AsyncIterator[SandboxServer]:
    web = SandboxServer(sandbox, "127.0.0.1", 0)
    await web.start()
    try:
        yield web
    finally:
        await web.stop()


@pytest.fixture
async def browser(server: SandboxServer, tmp_path: Path) -> AsyncIterator[Browser]:
    """Headless Chromium with a fresh profile; any page error or console error fails the test."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=LAUNCH_ARGS,
            viewport={"width": 1280, "height": 800},
            locale="en-US",
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []

        def watch(page: Page) -> None:
            page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
            page.on(
                "console",
                lambda message: (
                    errors.append(f"console: {message.text}") if message.type == "error" else None
                ),
            )

        context.on("page", watch)
        for page in context.pages:
            watch(page)
        try:
            yield Browser(context, server.url)
        finally:
            await context.close()
        assert errors == [], errors
