"""Browser tests: Playwright driving Debian's Chromium, headless, against a live server.

Screenshots go to var/screenshots/ (look at them)."""

import os
import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM = os.environ.get("RENDA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGS = [
    "--lang=zh-CN",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # a browser wait without a timeout of its own (page.evaluate of a promise) must not
            # hold the whole run: the test fails with its stack
            item.add_marker(pytest.mark.timeout(420))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (make test does on CI).")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # tests themselves are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield b
            b.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def shot():
    def save(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def settle_live_server(seconds: float = 60) -> None:
    """Wait until the live server has answered every request in flight. A page left while its
    data request still runs (the dashboard computes every metric) leaves a server thread on
    the shared test database; flushing that database under it (transactional_db's teardown)
    can hang the worker. Call it from a fixture that requests transactional_db, after its
    yield, so that it runs before the flush."""
    import threading
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        busy = [t for t in threading.enumerate() if "process_request_thread" in t.name and t.is_alive()]
        if not busy:
            return
        time.sleep(0.1)
