"""Browser fixtures: Debian's chromium driven by Playwright against pytest-django's live server.

Without /usr/bin/chromium the e2e tests are skipped, unless HESTIA_E2E_REQUIRED=1 (as in CI),
in which case they fail loudly. Never run `playwright install`: the system chromium is used.
"""

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; Django would otherwise
# refuse the ORM calls the tests make (creating users, reading the audit log).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "e2e"
# Wide enough for the navbar to be expanded (navbar-expand-lg), so nav links are visible.
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


def _e2e_required() -> bool:
    return os.environ.get("HESTIA_E2E_REQUIRED", "") == "1"


def _unavailable(reason: str) -> None:
    if _e2e_required():
        pytest.fail(f"HESTIA_E2E_REQUIRED=1 but {reason}", pytrace=False)
    pytest.skip(f"{reason} (set HESTIA_E2E_REQUIRED=1 to make this an error)")


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The role groups, with their permissions, at the start of every e2e test.

    The migrations create them, but a transactional test flushes the database afterwards
    (post_migrate then recreates content types and permissions, not groups). Serialized
    rollback cannot be relied on to restore them: once Playwright has run, the sync API
    leaves its event loop set as "running" in this thread, so Django hands the test code a
    second, async-context connection object that lacks the test database's serialized
    contents, and the restore silently does nothing.
    """
    from accounts.services import roles_sync

    roles_sync()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium package to run e2e tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def context(browser):
    """A fresh browser context (own cookies) per test, in English whatever the host's locale."""
    context = browser.new_context(
        locale="en-GB",
        timezone_id="Europe/Brussels",
        viewport=VIEWPORT,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context, request, artifacts_dir) -> Iterator:
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not page.is_closed():
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
        # A screenshot of the failure is a courtesy; it must not hide the real error.
        with contextlib.suppress(Exception):
            page.screenshot(path=str(artifacts_dir / f"failed-{name}.png"), full_page=True)
    page.close()
