"""A real Taskflow server on a free port and Debian's headless Chromium, driven by Playwright.

Chromium comes from scripts/deps/chromium.sh (never `playwright install`). Without it the browser
tests skip on a laptop and fail under CI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)

from app.core import migrations
from app.main import create_app
from tests.conftest import make_settings
from tests.utils.infra import unavailable
from tests.utils.live_server import LiveServer as LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "web"
# The browser runs in a zone other than the users' own, so a date shown in the browser's zone
# would be caught.
BROWSER_TIMEZONE = "Asia/Tokyo"
USER_TIMEZONE = "America/New_York"
# Assertions wait for the page's state; on a loaded two-core machine that can take a while.
expect.set_options(timeout=15_000)
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 667}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real app (API, web UI, live updates) on a migrated temporary SQLite database."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'taskflow.db'}"
    migrations.upgrade(url)
    # Reminders are checked every second, so a test can see one fire while the page is open.
    server = LiveServer(create_app(make_settings(url, reminder_check_seconds=1.0)))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing; run scripts/deps/chromium.sh")
    chromium = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Makes fresh browser contexts (own storage: a new context is a new browser profile), closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        settings: dict[str, Any] = {
            "viewport": DESKTOP,
            "locale": "en-US",
            "timezone_id": BROWSER_TIMEZONE,
        }
        settings.update(options)
        context = browser.new_context(**settings)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext], live_server: LiveServer) -> Page:
    """A desktop-sized tab on the app's start page."""
    tab = new_context().new_page()
    tab.goto(live_server.url)
    return tab


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
