"""Headless Debian Chromium driven by Playwright against Django's live test server."""

import os
import re
import shutil
import threading
import time

import pytest
from playwright.sync_api import expect, sync_playwright

from sozialplanung.demo.loader import load_demo
from sozialplanung.web.areas.models import Area, Level

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: 'make test' installs it, or set CHROMIUM_PATH"
        )
    # Playwright's sync API keeps an event loop in this thread; the tests' own ORM calls are still
    # plain synchronous calls, so Django's async guard is relaxed while the browser is open.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    wait_for_requests_in_flight()


def wait_for_requests_in_flight(timeout: float = 10.0) -> None:
    """Let the live server finish what the closed page still asked for.

    On SQLite in memory the server's request threads share the test's own database connection, so
    a map still fetching its data when a test ends would collide with the flush after it.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any("process_request_thread" in thread.name for thread in threading.enumerate()):
            return
        time.sleep(0.02)


@pytest.fixture
def site(live_server, transactional_db) -> str:
    """The live server's URL with the demo county loaded (transactional tests empty the tables)."""
    if not Area.objects.filter(level=Level.COUNTY).exists():
        load_demo(report=lambda _line: None)
    return live_server.url


def log_in(page, site: str, next_url: str, username: str = "planung") -> None:
    page.goto(site + next_url)
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill("demo")
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))
