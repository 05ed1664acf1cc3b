"""End-to-end tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os
import shutil

import pytest
from django.db import connections
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Assertions wait as long as actions do: a page that answers in 6 s on a loaded CI machine is slow, not wrong.
expect.set_options(timeout=20_000)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def browser(live_server, django_db_serialized_rollback):
    """Chromium for one test, started after the live server and the test database and stopped before them.

    While Playwright runs, Django treats this thread as async and opens separate database connections;
    the test database's own set-up and flush stay on the ordinary ones.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
        connections.close_all()  # the ones opened for this test's async-looking thread


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page, live_server):
    """``login("staff")`` logs in through the form as that user (password Demo-2026) and lands on the dashboard."""

    def do_login(username, password="Demo-2026"):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.press("input[name=password]", "Enter")
        page.wait_for_load_state()
        return page

    return do_login
