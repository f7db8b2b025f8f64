"""Real-browser journeys: Playwright for Python driving Debian's Chromium
against pytest-django's live server, with axe-core on every page."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# test set-up are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# One patience for every wait: actions, and the expect() checks that retry until the
# page shows what they look for (their own default is 5 s; a busy CI machine needs more).
BROWSER_TIMEOUT_MS = 15_000
expect.set_options(timeout=BROWSER_TIMEOUT_MS)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the current page and fail with its report on any violation."""

    # WCAG 2.2's target size (2.5.8, AA) is off in axe-core by default: we check it too.
    options = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}

    def check(page):
        # A click on a link returns once the new page's address is known, which can be
        # before its document exists: wait for it, and run axe again if a navigation
        # still replaced the document under it (CI once saw "null documentElement").
        page.wait_for_load_state()
        try:
            results = axe.run(page, options=options)
        except PlaywrightError:
            page.wait_for_load_state()
            results = axe.run(page, options=options)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check
